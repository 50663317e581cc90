// `handoff-sim explain <scenario>`: the reliability math step by step, then the simulation beside it.
import type { Command } from "commander";
import { AnalysisError, type Explanation, explain, explanationText } from "../node.js";
import { type Io, UsageError } from "./io.js";
import { patientCount, seedValue, workerCount } from "./options.js";
import { loadForCommand } from "./scenario.js";

interface ExplainFlags {
  patients?: number;
  seed?: number;
  workers?: number;
  json?: boolean;
}

export function registerExplain(program: Command, io: Io, done: (status: number) => void): void {
  program
    .command("explain")
    .description("the reliability math told step by step, then the simulated estimate beside it")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option(
      "--patients <n>",
      "journeys to simulate for the comparison (overrides the scenario)",
      patientCount,
    )
    .option("--seed <s>", "random seed (overrides the scenario)", seedValue)
    .option("--workers <n>", "worker threads (default: the number of cores)", workerCount)
    .option("--json", "print the explanation as one JSON document")
    .addHelpText("after", "\nExample:\n  handoff-sim explain scenarios/teaching/seven-steps.yaml")
    .action(async (file: string, flags: ExplainFlags) => {
      const model = await loadForCommand(file, io);
      let x: Explanation;
      try {
        x = await explain(model, { patients: flags.patients, seed: flags.seed, workers: flags.workers });
      } catch (error) {
        if (error instanceof AnalysisError)
          throw new UsageError(`${file}: no exact answer: ${error.message}`);
        throw error;
      }
      io.out(flags.json ? JSON.stringify(x, null, 2) : explanationText(x));
      done(0);
    });
}

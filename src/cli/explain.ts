// `handoff-sim explain <scenario>`: the reliability math step by step, then the simulation beside it.
import type { Command } from "commander";
import { analyze } from "../analysis/analytic.js";
import { explain, explainJson } from "../analysis/explain.js";
import { runScenario } from "../analysis/run.js";
import { defaultWorkers } from "../parallel/pool.js";
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
      const spec = await loadForCommand(file, io);
      let analysis: ReturnType<typeof analyze>;
      try {
        analysis = analyze(spec);
      } catch (error) {
        throw new UsageError(`${file}: no exact answer: ${(error as Error).message}`);
      }
      const simulated = await runScenario(spec, {
        patients: flags.patients,
        seed: flags.seed,
        workers: flags.workers ?? defaultWorkers(),
      });
      if (flags.json) io.out(JSON.stringify(explainJson(spec, analysis, simulated), null, 2));
      else io.out(explain(spec, analysis, simulated));
      done(0);
    });
}

// The command line: one subcommand per file in this folder; this file only wires them to commander
// and maps failures to exit codes (0 ok, 1 run-time failure, 2 bad input or usage).
import { Command, CommanderError } from "commander";
import { ScenarioError } from "../scenario/load.js";
import { VERSION } from "../version.js";
import { type Io, processIo, UsageError } from "./io.js";
import { nonNegativeInteger, positiveInteger } from "./options.js";
import { runCommand } from "./run.js";
import { schemaCommand } from "./schema.js";
import { validateCommand } from "./validate.js";

export async function main(argv: string[], io: Io = processIo): Promise<number> {
  let status = 0;
  const program = new Command("handoff-sim")
    .description("Simulate patient journeys through clinical microsystems and the handoffs between them.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError("(run with --help for usage)");

  program
    .command("run")
    .description("simulate a scenario and summarise the reliability of the whole journey")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--patients <n>", "journeys to simulate (overrides the scenario)", positiveInteger)
    .option("--seed <s>", "random seed (overrides the scenario)", nonNegativeInteger)
    .option("--out <dir>", "where to write results (default: output/<scenario-slug>)")
    .option("--json", "print one JSON document on stdout instead of the summary")
    .addHelpText(
      "after",
      "\nExample:\n  handoff-sim run scenarios/ami-baseline.yaml --patients 100000 --seed 7",
    )
    .action(async (file: string, flags) => {
      status = await runCommand(file, flags, io);
    });

  program
    .command("validate")
    .description("check scenario files; every problem with file:line:column and field path")
    .argument("<scenario...>", "scenario files")
    .addHelpText("after", "\nExample:\n  handoff-sim validate scenarios/*.yaml")
    .action(async (files: string[]) => {
      status = await validateCommand(files, io);
    });

  program
    .command("schema")
    .description("print the JSON Schema of the scenario format (for editors)")
    .addHelpText("after", "\nExample:\n  handoff-sim schema > scenario.schema.json")
    .action(() => {
      status = schemaCommand(io);
    });

  try {
    await program.parseAsync(argv);
    return status;
  } catch (error) {
    return failure(error, io);
  }
}

function failure(error: unknown, io: Io): number {
  if (error instanceof CommanderError) {
    // Help and version are exits too, successful ones; commander already printed the message.
    return error.exitCode === 0 ? 0 : 2;
  }
  if (error instanceof ScenarioError) {
    io.err(error.format());
    return 2;
  }
  if (error instanceof UsageError) {
    io.err(`handoff-sim: ${error.message}`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.err(`handoff-sim: ${message.split("\n")[0]}`);
  return 1;
}

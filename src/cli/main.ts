// The command line: one subcommand per file in this folder, each registering itself; this file
// only wires them to commander and maps failures to exit codes (0 ok, 1 run-time failure, 2 bad
// input or usage).
import { Command, CommanderError } from "commander";
import { ScenarioError, VERSION, WorkloadError } from "../node.js";
import { registerCompare } from "./compare.js";
import { registerExplain } from "./explain.js";
import { registerInit } from "./init.js";
import { type Io, processIo, safeIo, UsageError } from "./io.js";
import { registerMerge } from "./merge.js";
import { registerRun } from "./run.js";
import { schemaCommand } from "./schema.js";
import { registerSensitivity } from "./sensitivity.js";
import { registerStory } from "./story.js";
import { registerStudio } from "./studio.js";
import { validateCommand } from "./validate.js";

/** Each command's registration; `done` sets the exit status. */
type Register = (program: Command, io: Io, done: (status: number) => void) => void;

const registerValidate: Register = (program, io, done) => {
  program
    .command("validate")
    .description("check scenario files; every problem with file:line:column and field path")
    .argument("<scenario...>", "scenario files")
    .option(
      "--json",
      "print one JSON document: for each file, whether it is valid, its findings and warnings",
    )
    .addHelpText(
      "after",
      "\nExamples:\n  handoff-sim validate scenarios/*.yaml\n  handoff-sim validate my-pathway.yaml --json",
    )
    .action(async (files: string[], flags: { json?: boolean }) =>
      done(await validateCommand(files, io, flags)),
    );
};

const registerSchema: Register = (program, io, done) => {
  program
    .command("schema")
    .description("print the JSON Schema of the scenario format (for editors)")
    .addHelpText("after", "\nExample:\n  handoff-sim schema > scenario.schema.json")
    .action(() => done(schemaCommand(io)));
};

const COMMANDS: Register[] = [
  registerRun,
  registerExplain,
  registerValidate,
  registerSchema,
  registerMerge,
  registerCompare,
  registerSensitivity,
  registerStory,
  registerInit,
  registerStudio,
];

export async function main(argv: string[], given: Io = processIo): Promise<number> {
  let status = 0;
  // Whatever Io the caller gives (a test's capture too), nothing reaches it unescaped.
  const io = given === processIo ? given : safeIo(given);
  const program = new Command("handoff-sim")
    .description("Simulate patient journeys through clinical microsystems and the handoffs between them.")
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError("(run with --help for usage)");
  for (const register of COMMANDS) {
    register(program, io, (s) => {
      status = s;
    });
  }
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
  if (error instanceof WorkloadError) {
    io.err(`handoff-sim: ${error.message}`);
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

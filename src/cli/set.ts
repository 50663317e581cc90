// The `--set PATH=VALUE` flag of run, compare and sensitivity: collected (repeatable) and parsed
// as the command line is read, so a malformed one is a usage error (exit 2) before anything runs.
import { type Command, InvalidArgumentError } from "commander";
import { type Assignment, parseAssignment, SET_SYNTAX, SetSyntaxError } from "../node.js";

export function addSetFlag(command: Command, applies = "the scenario"): Command {
  return command
    .option("--set <path=value>", `change one value of ${applies} (repeatable; see below)`, collect)
    .addHelpText("after", `\n${SET_SYNTAX}`);
}

function collect(text: string, previous: Assignment[] = []): Assignment[] {
  try {
    return [...previous, parseAssignment(text)];
  } catch (error) {
    if (error instanceof SetSyntaxError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

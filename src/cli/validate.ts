// `handoff-sim validate <scenario>...`: checks each file and prints every problem with
// file:line:column and field path. Exit status 0 when every file is valid, 2 otherwise.

import { formatIssue, loadScenarioFile, ScenarioError } from "../node.js";
import type { Io } from "./io.js";

export async function validateCommand(files: string[], io: Pick<Io, "out" | "err">): Promise<number> {
  let status = 0;
  for (const file of files) {
    try {
      const { warnings } = await loadScenarioFile(file);
      io.out(`ok ${file}`);
      for (const warning of warnings) io.err(`warning: ${formatIssue(warning)}`);
    } catch (error) {
      if (!(error instanceof ScenarioError)) throw error;
      io.err(error.format());
      status = 2;
    }
  }
  return status;
}

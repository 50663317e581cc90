// Loading a scenario for a command: warnings go to stderr; bad files become exit status 2 in main.
import type { ModelSpec } from "../model/spec.js";
import { formatIssue, loadScenario } from "../scenario/load.js";
import type { Assignment } from "../scenario/set.js";
import type { Io } from "./io.js";

/** `set`: the command's `--set` changes, applied before validation. */
export async function loadForCommand(
  file: string,
  io: Io,
  set: readonly Assignment[] = [],
): Promise<ModelSpec> {
  const { spec, warnings } = await loadScenario(file, { set });
  for (const w of warnings) io.err(`warning: ${formatIssue(w)}`);
  return spec;
}

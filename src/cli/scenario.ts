// Loading a scenario for a command: warnings go to stderr; bad files become exit status 2 in main.
import type { ModelSpec } from "../model/spec.js";
import { formatIssue, loadScenario } from "../scenario/load.js";
import type { Io } from "./io.js";

export async function loadForCommand(file: string, io: Io): Promise<ModelSpec> {
  const { spec, warnings } = await loadScenario(file);
  for (const w of warnings) io.err(`warning: ${formatIssue(w)}`);
  return spec;
}

// Loading a scenario for a command: warnings go to stderr; bad files become exit status 2 in main.
import { type Assignment, type Finding, formatIssue, loadScenarioFile, type Model } from "../node.js";
import type { Io } from "./io.js";

/** `set`: the command's `--set` changes, applied before validation. */
export async function loadForCommand(file: string, io: Io, set: readonly Assignment[] = []): Promise<Model> {
  const { model, warnings } = await loadScenarioFile(file, { set });
  printWarnings(warnings, io);
  return model;
}

export function printWarnings(warnings: readonly Finding[], io: Io): void {
  for (const w of warnings) io.err(`warning: ${formatIssue(w)}`);
}

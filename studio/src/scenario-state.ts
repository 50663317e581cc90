// The page's view of the scenario being edited: its text is checked by the library as it changes
// (validation findings, the model), and the exact analysis follows at once — the analytic answer
// takes milliseconds, so it is recomputed on every edit.
import { checkScenario, type Exact, exact, type Finding, type Model } from "./api.js";
import type { StudioFile } from "./files.js";
import { normalizePath } from "./paths.js";

export { normalizePath };

export interface Checked {
  model: Model | null;
  findings: Finding[];
  warnings: Finding[];
  exact: Exact | null;
  /** Milliseconds for check + exact (shown in the page; the issue asks < 100 ms for AMI). */
  ms: number;
}

/** Checks one file's text; `files` supply the text of anything it `extends`. */
export function checkText(
  text: string,
  name: string,
  files: readonly StudioFile[],
  current?: Map<string, string>,
): Checked {
  const began = performance.now();
  const resolve = (path: string): string => {
    const wanted = normalizePath(path);
    const edited = current?.get(wanted);
    if (edited !== undefined) return edited;
    const file = files.find((f) => normalizePath(f.name) === wanted);
    if (file === undefined)
      throw new Error("not open in this studio (open it alongside, or drop it on the page)");
    return file.text;
  };
  const result = checkScenario(text, { name, resolve });
  let analysis: Exact | null = null;
  if (result.model !== null) analysis = exact(result.model);
  return {
    model: result.model,
    findings: result.findings,
    warnings: result.warnings,
    exact: analysis,
    ms: performance.now() - began,
  };
}

// The files a run leaves behind, by name.
import type { RunSummary } from "../analysis/summary.js";
import { elementsCsv, summaryCsv } from "./csv.js";

export function runFiles(summary: RunSummary): Record<string, string> {
  return {
    "summary.json": `${JSON.stringify(summary, null, 2)}\n`,
    "summary.csv": summaryCsv(summary),
    "elements.csv": elementsCsv(summary),
  };
}

// Per-replication figures of a queued run, and Student-t intervals over them (test helper): the
// replications are the independent units when patients share places, so every check of a queue
// against an exact formula or the SimPy twin uses their spread.

import { tQuantile } from "../../src/analysis/stats.js";
import { summarize } from "../../src/analysis/summarize.js";
import type { RunSummary } from "../../src/analysis/summary.js";
import { compile } from "../../src/model/compiled.js";
import { runUnit, units } from "../../src/model/simulate.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { parseScenario } from "../../src/scenario/parse.js";

export function scenario(yaml: string): ModelSpec {
  return parseScenario(yaml, { name: "test.yaml" });
}

/** One summary per replication. */
export function replications(spec: ModelSpec): RunSummary[] {
  const model = compile(spec);
  return units(spec).map((u) => summarize(model, runUnit(model, u), null, 0));
}

export interface Interval {
  mean: number;
  lo: number;
  hi: number;
  /** Standard error of the mean. */
  se: number;
}

/** Mean of the values with a two-sided Student-t interval at `level`. */
export function interval(values: readonly number[], level = 0.99): Interval {
  const n = values.length;
  const mean = values.reduce((s, x) => s + x, 0) / n;
  const sd = Math.sqrt(values.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const half = tQuantile(1 - (1 - level) / 2, n - 1) * se;
  return { mean, lo: mean - half, hi: mean + half, se };
}

/** "42.1 (41.3–43.0)" for messages. */
export function shown(i: Interval): string {
  return `${i.mean.toFixed(3)} (${i.lo.toFixed(3)}–${i.hi.toFixed(3)})`;
}

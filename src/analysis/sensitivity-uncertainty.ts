// `sensitivity --uncertainty N`: the leverage ranking in N parameter sets. For each set (the
// scenario with that set's drawn inputs, docs/semantics.md §9) every failure mode is removed and
// halved and the whole-journey reliability solved exactly, so each mode's gain gets the interval
// its inputs leave, and the share of sets in which it is the largest lever. Mortality is not
// redone per set: deaths avoided need simulations (2 per mode per set, 2·modes + 1 runs per set
// with the baseline: 29 for the AMI scenario, 2,900 for 100 sets, beside the 29 of the plain
// ranking), while reliability is solved exactly in microseconds. So `--rank deaths` orders the rows
// by the plain run's deaths avoided, the sets spread the reliability gains, and `note` says so.
import type { ModelSpec } from "../model/spec.js";
import { parameterSet } from "./parameters.js";
import { analyzeOrNull } from "./run.js";
import { failureModes, scaleMode } from "./sensitivity.js";
import { interval95 } from "./stats.js";
import type { Spread } from "./uncertainty.js";

export interface LeverageSpread {
  element: string;
  mode: string;
  /** Gain in reliability from removing the mode (p = 0), over the sets. */
  remove: Spread;
  halve: Spread;
  /** Share of the sets in which removing this mode gains the most. */
  probability_top: number;
}

export interface SensitivityUncertainty {
  draws: number;
  /** What the sets spread: always the reliability gains (exact per set). */
  figure: "reliability";
  /** In the order of the plain ranking (by reliability, or by the plain run's deaths avoided). */
  items: LeverageSpread[];
  /** Why deaths avoided are not spread over the sets, in words for the report. */
  note: string;
}

function spread(values: number[]): Spread {
  return { mean: values.reduce((a, x) => a + x, 0) / values.length, interval95: interval95(values) };
}

/** Null when the routing has no exact answer (the gains would need simulations per set). */
export function leverageOverSets(
  spec: ModelSpec,
  draws: number,
  seed: number,
): SensitivityUncertainty | null {
  const refs = failureModes(spec);
  const remove: number[][] = refs.map(() => []);
  const halve: number[][] = refs.map(() => []);
  const top = refs.map(() => 0);
  for (let d = 0; d < draws; d++) {
    const model = parameterSet(spec, seed, d);
    const base = analyzeOrNull(model)?.overall.defectFree;
    if (base === undefined) return null;
    const gains = refs.map((ref, i) => {
      const r = (analyzeOrNull(scaleMode(model, ref, 0))?.overall.defectFree ?? Number.NaN) - base;
      remove[i]!.push(r);
      halve[i]!.push((analyzeOrNull(scaleMode(model, ref, 0.5))?.overall.defectFree ?? Number.NaN) - base);
      return r;
    });
    let best = 0;
    gains.forEach((g, i) => {
      if (g > gains[best]!) best = i;
    });
    if (refs.length > 0) top[best]!++;
  }
  return {
    draws,
    figure: "reliability",
    note:
      `Over the parameter sets only the reliability gains are spread (exact per set). Deaths avoided are not redrawn per set: ` +
      `that would take ${2 * refs.length + 1} simulations per set (${(draws * (2 * refs.length + 1)).toLocaleString("en-US")} in all); ` +
      "the rows keep the ranking's order, and its deaths avoided are at the plain values.",
    items: refs.map((ref, i) => {
      const mode = (ref.kind === "microsystem" ? spec.microsystems[ref.at]! : spec.handoffs[ref.at]!)
        .failures[ref.index]!;
      return {
        element: ref.element,
        mode: mode.id,
        remove: spread(remove[i]!),
        halve: spread(halve[i]!),
        probability_top: top[i]! / draws,
      };
    }),
  };
}

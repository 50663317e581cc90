// `sensitivity --uncertainty N`: the leverage ranking in N parameter sets. For each set (the
// scenario with that set's drawn inputs, docs/semantics.md §9) every failure mode is removed and
// halved and the whole-journey reliability solved exactly, so each mode's gain gets the interval
// its inputs leave, and the share of sets in which it is the largest lever. Mortality is not
// redone per set (it would take two simulations per mode per set); the ranking's mortality column
// stays the plain run's.
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
  /** In the order of the plain ranking. */
  items: LeverageSpread[];
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

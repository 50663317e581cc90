// What a variant costs against what it avoids (docs/semantics.md §10): the incremental cost per
// patient (and per year), the cost per defect and per death avoided, and the net monetary benefit
// at a willingness to pay per death avoided. Each with its paired interval: over the runs' units of
// work here (Monte Carlo; compare.ts), over the parameter sets with --uncertainty (uncertainty.ts).
import { type BatchedRun, difference, unitDifferences } from "./compare.js";
import { fiellerInterval, tQuantile } from "./stats.js";
import type { Estimate, Interval } from "./summary.js";

/** A ratio such as the cost per death avoided, with its interval when one exists. */
export interface Ratio {
  /** Ratio of the mean differences; null when the denominator is 0 or of the wrong sign. */
  estimate: number | null;
  /** 95% interval; null when it is unbounded (the denominator's own interval reaches 0). */
  ci95: Interval | null;
  /** Why there is no estimate or interval, in words; otherwise null. */
  note: string | null;
}

export interface NetBenefit {
  /** Willingness to pay per death avoided, in the scenario's currency. */
  wtp: number;
  /** wtp × deaths avoided per patient − incremental cost per patient. */
  per_patient: Estimate;
  per_year: Estimate | null;
}

export interface VariantEconomics {
  currency: string | null;
  /** Variant − baseline cost per patient (positive = the variant costs more). */
  incremental_cost_per_patient: Estimate;
  incremental_cost_per_year: Estimate | null;
  /** Incremental cost per defect avoided. */
  cost_per_defect_avoided: Ratio | null;
  /** Incremental cost per death avoided; null without a mortality model. */
  cost_per_death_avoided: Ratio | null;
  /** Null without --wtp (or without a mortality model). */
  net_monetary_benefit: NetBenefit | null;
}

/** An estimate times a number (per 1000 → per patient, per patient → per year). */
export function scaled(e: Estimate, factor: number): Estimate {
  return { estimate: e.estimate * factor, ci95: [e.ci95[0] * factor, e.ci95[1] * factor] };
}

/** A ratio num / den of mean differences; no estimate when den ≤ 0 (nothing avoided). */
export function ratioOf(num: number, den: number, ci95: Interval | null, what: string): Ratio {
  if (!(den > 0))
    return { estimate: null, ci95: null, note: `no ${what} is avoided on average: the ratio has no meaning` };
  return {
    estimate: num / den,
    ci95,
    note: ci95 === null ? `the interval is unbounded: the ${what} avoided may be zero` : null,
  };
}

/**
 * The plain comparison's economics, paired over the runs' units; null when neither scenario has
 * costs. `volume` turns per-patient figures into per-year ones; `wtp` gives the net benefit.
 */
export function comparisonEconomics(
  baseline: BatchedRun,
  variant: BatchedRun,
  paired: boolean,
  wtp: number | null,
): VariantEconomics | null {
  const b = baseline.summary;
  const v = variant.summary;
  if (b.costs == null && v.costs == null) return null;
  const cost = difference("cost_per_patient", baseline, variant, paired);
  const volume = v.costs?.volume_per_year ?? b.costs?.volume_per_year ?? null;
  const hasMortality = baseline.spec.mortality !== null && variant.spec.mortality !== null;
  // Per unit: incremental cost per patient, and what was avoided per patient.
  const dCost = unitDifferences("cost_per_patient", baseline.batches, variant.batches);
  const avoidedPerPatient = (key: string): number[] =>
    unitDifferences(key, variant.batches, baseline.batches).map((x) => x / 1000);
  const ratio = (key: string, what: string): Ratio => {
    const avoided = 0 - difference(key, baseline, variant, paired).estimate / 1000;
    const interval = paired ? fiellerInterval(dCost, avoidedPerPatient(key)) : null;
    return ratioOf(cost.estimate, avoided, interval, what);
  };
  let net: NetBenefit | null = null;
  if (wtp !== null && hasMortality) {
    const deaths = difference("mortality_per_1000", baseline, variant, paired);
    // wtp · (baseline − variant deaths)/1000 − (variant − baseline cost), unit by unit for the interval.
    const perUnit = avoidedPerPatient("mortality_per_1000").map((d, i) => wtp * d - (dCost[i] ?? Number.NaN));
    const estimate = (wtp * (0 - deaths.estimate)) / 1000 - cost.estimate;
    const half = halfWidthOf(cost, scaled(deaths, wtp / 1000), perUnit, paired);
    const perPatient: Estimate = { estimate, ci95: [estimate - half, estimate + half] };
    net = { wtp, per_patient: perPatient, per_year: volume === null ? null : scaled(perPatient, volume) };
  }
  return {
    currency: v.costs?.currency ?? b.costs?.currency ?? null,
    incremental_cost_per_patient: cost,
    incremental_cost_per_year: volume === null ? null : scaled(cost, volume),
    cost_per_defect_avoided: ratio("defects_per_1000", "defect"),
    cost_per_death_avoided: hasMortality ? ratio("mortality_per_1000", "death") : null,
    net_monetary_benefit: net,
  };
}

/** The half-width of the net benefit: paired, t over its unit values; unpaired, the two in quadrature. */
function halfWidthOf(cost: Estimate, deathsValue: Estimate, perUnit: number[], paired: boolean): number {
  const k = perUnit.length;
  if (!paired || k < 2) {
    // Unpaired: the two halves add in quadrature (independent runs).
    const hc = (cost.ci95[1] - cost.ci95[0]) / 2;
    const hd = (deathsValue.ci95[1] - deathsValue.ci95[0]) / 2;
    return Math.hypot(hc, hd);
  }
  const mean = perUnit.reduce((a, x) => a + x, 0) / k;
  const variance = perUnit.reduce((a, x) => a + (x - mean) ** 2, 0) / (k - 1);
  return tQuantile(0.975, k - 1) * Math.sqrt(variance / k);
}

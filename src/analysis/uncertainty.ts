// Probabilistic sensitivity analysis (docs/semantics.md §9): N parameter sets drawn from the
// uncertain inputs, each simulated on the same patients (common random numbers across sets and
// across scenarios), so the spread of a figure over the sets is the uncertainty the inputs leave,
// not the number of patients simulated.
//
// Inner patients. Each set's figure carries Monte Carlo noise too. Unless the caller fixes the
// patients per set, a pilot (the first few sets on a tenth of the scenario's patients) estimates,
// for each headline figure, the parameter variance (between-set variance minus the mean Monte Carlo
// variance) and the Monte Carlo variance per patient (from each run's units of work, as compare.ts
// computes it); the inner patients are then the fewest for which Monte Carlo makes at most
// MC_SHARE_TARGET of a figure's variance, capped at the scenario's patients. The report gives the
// split actually found: the mean per-set Monte Carlo variance over the variance between sets. With
// common random numbers part of the noise is the same in every set and does not spread them, so
// that share is an upper bound ("at most").
//
// Reliability with an exact answer is also solved exactly per set (no Monte Carlo at all): its
// interval over the sets is `exact_interval95`, and it plays no part in choosing the inner patients.

import { withOverrides } from "../model/simulate.js";
import type { ModelSpec, ParameterDistribution } from "../model/spec.js";
import { resolveWarmup } from "../model/warmup.js";
import { estimatorVariance, unitDifferences } from "./compare.js";
import {
  type DrawFigureRow,
  type DrawRequest,
  type DrawResult,
  drawsInThisThread,
  type ScenarioDraw,
} from "./draw.js";
import { type Ratio, ratioOf } from "./economics.js";
import type { Figures } from "./figures.js";
import { distributionMean } from "./parameters.js";
import type { RunOptions } from "./run.js";
import { interval95, rankCorrelation } from "./stats.js";
import type { Interval } from "./summary.js";

/** Monte Carlo's largest share of a figure's variance that the inner patients aim for. */
export const MC_SHARE_TARGET = 0.05;
/** Parameter sets the pilot runs (at most the number asked for). */
export const PILOT_DRAWS = 10;
/** Fewest inner patients per set the pilot may choose. */
export const MIN_INNER_PATIENTS = 1000;
/** Most parameter sets one call may ask for. */
export const MAX_DRAWS = 100_000;

export interface UncertaintyOptions extends RunOptions {
  /** Parameter sets to draw (≥ 2). */
  draws: number;
}

/** A figure's mean and central 95% over the parameter sets. */
export interface Spread {
  mean: number;
  interval95: Interval;
}

/** How much of a figure's variance over the sets is the inputs', and at most how much Monte Carlo's. */
export interface VarianceShare {
  parameters: number;
  monte_carlo_at_most: number;
}

export interface ParameterSummary {
  id: string;
  label: string;
  distribution: ParameterDistribution;
  /** The plain run's value. */
  value: number;
  /** The distribution's mean and the central 95% of its values over the sets. */
  mean: number;
  interval95: Interval;
}

/** How strongly an input moves a figure over the sets: Spearman's rank correlation. */
export interface Driver {
  parameter: string;
  label: string;
  rank_correlation: number;
}

export interface PilotInfo {
  draws: number;
  patients: number;
}

/** One parameter set's inputs and figures. */
export interface DrawFigures {
  index: number;
  /** Parameter values by id. */
  values: Record<string, number>;
  reliability: number;
  /** Exact reliability of this set; null without an exact answer. */
  reliability_exact: number | null;
  mortality_per_1000: number | null;
  cost_per_patient: number | null;
}

export interface UncertaintySummary {
  draws: number;
  /** Patients simulated per parameter set (the same patients in every set). */
  inner_patients: number;
  /** The pilot that chose `inner_patients`; null when the caller fixed them. */
  pilot: PilotInfo | null;
  parameters: ParameterSummary[];
  reliability: Spread & { exact_mean: number | null; exact_interval95: Interval | null };
  mortality_per_1000: Spread | null;
  cost_per_patient: Spread | null;
  cost_per_year: Spread | null;
  /** By figure: `reliability`, `mortality_per_1000`, `cost_per_patient`. */
  variance_share: Record<string, VarianceShare>;
  /** By figure, the inputs ranked by |rank correlation|. */
  drivers: Record<string, Driver[]>;
  per_draw: DrawFigures[];
}

/** A variant against the baseline in one parameter set. */
export interface DrawDifference {
  index: number;
  /** Variant − baseline, simulated. */
  reliability: number;
  /** Variant − baseline, exact; null without an exact answer. */
  reliability_exact: number | null;
  deaths_avoided_per_1000: number | null;
  defects_avoided_per_1000: number;
  incremental_cost_per_patient: number | null;
  /** At --wtp; null without it. */
  net_monetary_benefit: number | null;
}

export interface AcceptabilityPoint {
  /** Willingness to pay per death avoided. */
  wtp: number;
  /** Share of the parameter sets in which the variant's net benefit at this wtp is positive. */
  probability: number;
}

export interface VariantUncertainty {
  draws: number;
  inner_patients: number;
  /**
   * Share of the sets in which the variant is better: higher reliability (exact where the model
   * has an exact answer), fewer deaths, fewer defects, lower cost, positive net benefit.
   */
  probability_better: Record<string, number>;
  differences: {
    reliability: Spread & { exact_mean: number | null; exact_interval95: Interval | null };
    deaths_avoided_per_1000: Spread | null;
    defects_avoided_per_1000: Spread;
    incremental_cost_per_patient: Spread | null;
    incremental_cost_per_year: Spread | null;
  };
  economics: {
    currency: string | null;
    wtp: number | null;
    cost_per_death_avoided: Ratio | null;
    cost_per_defect_avoided: Ratio | null;
    net_monetary_benefit: {
      per_patient: Spread;
      per_year: Spread | null;
      probability_positive: number;
    } | null;
    /** Expected value of perfect information at wtp: E[max(NMB, 0)] − max(E[NMB], 0). */
    evpi: { per_patient: number; per_year: number | null } | null;
  };
  /** The cost-effectiveness acceptability curve; null without costs or a mortality model. */
  acceptability: AcceptabilityPoint[] | null;
  variance_share: Record<string, VarianceShare>;
  /** The inputs ranked by |rank correlation| with `driver_figure`. */
  drivers: Driver[];
  driver_figure: string;
  per_draw: DrawDifference[];
}

/** One parameter set of several scenarios, simulated on the same patients. */
interface DrawRuns {
  index: number;
  values: Map<string, number>;
  runs: ScenarioDraw[];
  exact: (number | null)[];
}

/** Every parameter of the scenarios once (by id; the first scenario's wins), for the summaries. */
function parametersOf(scenarios: readonly ModelSpec[]): NonNullable<ModelSpec["parameters"]> {
  const seen = new Map<string, NonNullable<ModelSpec["parameters"]>[number]>();
  for (const s of scenarios) for (const p of s.parameters ?? []) if (!seen.has(p.id)) seen.set(p.id, p);
  return [...seen.values()];
}

/**
 * Runs parameter sets `from`..`to`−1 of every scenario with `inner` patients each, where the
 * options' `executeDraws` puts them (default: this thread), and returns them in draw order.
 * `seed` keys the parameter streams and the patients alike.
 */
async function runDraws(
  scenarios: readonly ModelSpec[],
  from: number,
  to: number,
  inner: number,
  seed: number,
  options: RunOptions,
  progress: (done: number, total: number) => void,
): Promise<DrawRuns[]> {
  const requests: DrawRequest[] = [];
  for (let index = from; index < to; index++) requests.push({ index, inner, seed });
  const results = new Map<number, DrawResult>();
  const underWay = new Map<number, number>();
  const report = (): void => {
    let partial = 0;
    for (const f of underWay.values()) partial += f;
    progress(results.size + partial, requests.length);
  };
  const execute =
    options.monitor === undefined ? (options.executeDraws ?? drawsInThisThread) : drawsInThisThread;
  await execute(
    scenarios,
    requests,
    (r) => {
      if (r.index < from || r.index >= to || results.has(r.index))
        throw new Error(`parameter set ${r.index} was not asked for, or came twice`);
      results.set(r.index, r);
      underWay.delete(r.index);
      report();
    },
    options.signal,
    (index, fraction) => {
      if (results.has(index) || !(fraction >= 0 && fraction < 1)) return;
      underWay.set(index, fraction);
      report();
    },
  );
  if (results.size < requests.length)
    throw new Error(`parameter sets missing: ${requests.length - results.size} never came back`);
  return requests.map(({ index }) => {
    const r = results.get(index)!;
    return { index, values: new Map(r.values), runs: r.runs, exact: r.exact };
  });
}

/** A figure per set with its Monte Carlo variance. */
interface Measured {
  values: number[];
  variances: number[];
}

type Measure = (d: DrawRuns) => { value: number; variance: number } | null;

function measure(draws: readonly DrawRuns[], f: Measure): Measured | null {
  const values: number[] = [];
  const variances: number[] = [];
  for (const d of draws) {
    const m = f(d);
    if (m === null || !Number.isFinite(m.value)) return null;
    values.push(m.value);
    variances.push(Number.isFinite(m.variance) ? m.variance : 0);
  }
  return { values, variances };
}

/** A run's figure, with the Monte Carlo variance of its whole-run estimate. */
function own(key: string, scenario = 0): Measure {
  return (d) => {
    const run = d.runs[scenario]!;
    const value = figureOf(run, key);
    const units = run.units.map((b) => figureOf(b, key)).filter(Number.isFinite);
    return { value, variance: units.length >= 2 ? estimatorVariance(key, units) : 0 };
  };
}

/** variant − baseline of a figure (× sign), with its paired Monte Carlo variance. */
function paired(key: string, variant: number, sign = 1): Measure {
  return (d) => {
    const base = d.runs[0]!;
    const run = d.runs[variant]!;
    const value = sign * (figureOf(run, key) - figureOf(base, key));
    const units = unitDifferences(key, asFigures(base.units), asFigures(run.units));
    return { value, variance: units.length >= 2 ? estimatorVariance(key, units) : 0 };
  };
}

function figureOf(run: ScenarioDraw | DrawFigureRow, key: string): number {
  const row = "figures" in run ? run.figures : run;
  return (row as unknown as Record<string, number>)[key] ?? Number.NaN;
}

function asFigures(rows: readonly DrawFigureRow[]): Figures[] {
  return rows as unknown as Figures[];
}

function spreadOf(values: readonly number[]): Spread {
  return { mean: values.reduce((a, x) => a + x, 0) / values.length, interval95: interval95(values) };
}

function variance(values: readonly number[]): number {
  const n = values.length;
  if (n < 2) return 0;
  const mean = values.reduce((a, x) => a + x, 0) / n;
  return values.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1);
}

function shareOf(m: Measured): VarianceShare {
  const total = variance(m.values);
  const mc = m.variances.reduce((a, x) => a + x, 0) / m.variances.length;
  if (!(total > 0)) return { parameters: 0, monte_carlo_at_most: mc > 0 ? 1 : 0 };
  const mcShare = Math.min(1, mc / total);
  return { parameters: 1 - mcShare, monte_carlo_at_most: mcShare };
}

/** Whether every scenario of every set has an exact reliability (then it needs no inner patients). */
function hasExact(draws: readonly DrawRuns[]): boolean {
  return draws.every((d) => d.exact.every((x) => x !== null));
}

/** The fewest inner patients for which every measured figure's Monte Carlo share is ≤ the target. */
function innerFrom(pilot: readonly Measured[], pilotPatients: number, max: number): number {
  const ratio = MC_SHARE_TARGET / (1 - MC_SHARE_TARGET);
  let needed = MIN_INNER_PATIENTS;
  for (const m of pilot) {
    const mc = m.variances.reduce((a, x) => a + x, 0) / m.variances.length;
    const parameterVariance = variance(m.values) - mc;
    // No Monte Carlo noise, or no parameter variance to tell apart from it: patients cannot help.
    if (!(mc > 0) || !(parameterVariance > 0)) continue;
    needed = Math.max(needed, Math.ceil((pilotPatients * mc) / (parameterVariance * ratio)));
  }
  // Round up to a whole thousand: the same inner patients for similar pilots.
  return Math.min(max, Math.ceil(needed / 1000) * 1000);
}

function drivers(
  params: readonly { id: string; label: string }[],
  draws: readonly DrawRuns[],
  outcome: readonly number[],
): Driver[] {
  return params
    .map((p) => ({
      parameter: p.id,
      label: p.label,
      rank_correlation: rankCorrelation(
        draws.map((d) => d.values.get(p.id) ?? Number.NaN),
        outcome,
      ),
    }))
    .sort((a, b) => Math.abs(b.rank_correlation) - Math.abs(a.rank_correlation));
}

/** The draws of every scenario: the pilot (unless the patients are given), then all N sets. */
async function simulateDraws(
  given: readonly ModelSpec[],
  options: UncertaintyOptions,
  pilotFigures: (draws: readonly DrawRuns[]) => (Measured | null)[],
): Promise<{ draws: DrawRuns[]; inner: number; pilot: PilotInfo | null; seed: number }> {
  const scenarios = withOneWarmup(given, options);
  const first = scenarios[0]!;
  const seed = options.seed ?? first.seed;
  const max = options.patients ?? first.patients;
  const n = options.draws;
  let progressBase = 0;
  const report = (weight: number) => (done: number, total: number) =>
    options.onProgress?.(Math.round(progressBase + weight * (done / total) * 1000), 1000);
  if (options.innerPatients !== undefined || n < 2) {
    const inner = options.innerPatients ?? max;
    const draws = await runDraws(scenarios, 0, n, inner, seed, options, report(1));
    return { draws, inner, pilot: null, seed };
  }
  const k = Math.min(n, PILOT_DRAWS);
  const pilotPatients = Math.min(max, Math.max(MIN_INNER_PATIENTS, Math.ceil(max / 10)));
  const pilotDraws = await runDraws(scenarios, 0, k, pilotPatients, seed, options, report(0.1));
  progressBase = 100;
  const measured = pilotFigures(pilotDraws).filter((m): m is Measured => m !== null);
  const inner = innerFrom(measured, pilotPatients, max);
  const reused = inner === pilotPatients ? pilotDraws : [];
  const rest = await runDraws(scenarios, reused.length, n, inner, seed, options, report(0.9));
  return { draws: [...reused, ...rest], inner, pilot: { draws: k, patients: pilotPatients }, seed };
}

/**
 * The warm-up decided once, before any parameter set (a file without one gets MSER-5's choice for
 * the baseline, model/warmup.ts), and shared by every scenario that sets none: every set and
 * scenario counts the same patients, and no set pays for a pilot of its own.
 */
function withOneWarmup(scenarios: readonly ModelSpec[], options: UncertaintyOptions): ModelSpec[] {
  const first = scenarios[0]!;
  const base = resolveWarmup(withOverrides(first, { patients: options.patients, seed: options.seed })).model;
  const warmup = base.arrivals?.warmup ?? 0;
  return scenarios.map((s) =>
    s.arrivals?.warmupAuto === true ? { ...s, arrivals: { ...s.arrivals, warmup, warmupAuto: false } } : s,
  );
}

function parameterSummaries(
  params: NonNullable<ModelSpec["parameters"]>,
  draws: readonly DrawRuns[],
): ParameterSummary[] {
  return params.map((p) => ({
    id: p.id,
    label: p.label,
    distribution: p.distribution,
    value: p.value,
    mean: distributionMean(p.distribution),
    interval95: interval95(draws.map((d) => d.values.get(p.id) ?? Number.NaN)),
  }));
}

/** The headline figures of one scenario over the sets. */
function scenarioSummary(
  spec: ModelSpec,
  scenario: number,
  draws: readonly DrawRuns[],
  inner: number,
  pilot: PilotInfo | null,
  params: NonNullable<ModelSpec["parameters"]>,
): UncertaintySummary {
  const reliability = measure(draws, own("reliability", scenario))!;
  const mortality = spec.mortality === null ? null : measure(draws, own("mortality_per_1000", scenario));
  const cost = measure(draws, own("cost_per_patient", scenario));
  const exact = draws.map((d) => d.exact[scenario] ?? null);
  const exactValues = exact.every((x) => x !== null) ? (exact as number[]) : null;
  const volume = spec.economics?.volumePerYear ?? null;
  const figures: Record<string, Measured | null> = {
    reliability,
    mortality_per_1000: mortality,
    cost_per_patient: cost,
  };
  const variance_share: Record<string, VarianceShare> = {};
  const driverTable: Record<string, Driver[]> = {};
  for (const [key, m] of Object.entries(figures)) {
    if (m === null) continue;
    variance_share[key] = shareOf(m);
    driverTable[key] = drivers(params, draws, key === "reliability" && exactValues ? exactValues : m.values);
  }
  const exactSpread = exactValues === null ? null : spreadOf(exactValues);
  return {
    draws: draws.length,
    inner_patients: inner,
    pilot,
    parameters: parameterSummaries(params, draws),
    reliability: {
      ...spreadOf(reliability.values),
      exact_mean: exactSpread?.mean ?? null,
      exact_interval95: exactSpread?.interval95 ?? null,
    },
    mortality_per_1000: mortality === null ? null : spreadOf(mortality.values),
    cost_per_patient: cost === null ? null : spreadOf(cost.values),
    cost_per_year: cost === null || volume === null ? null : spreadOf(cost.values.map((c) => c * volume)),
    variance_share,
    drivers: driverTable,
    per_draw: draws.map((d, i) => ({
      index: d.index,
      values: Object.fromEntries(d.values),
      reliability: reliability.values[i]!,
      reliability_exact: exact[i] ?? null,
      mortality_per_1000: mortality?.values[i] ?? null,
      cost_per_patient: cost?.values[i] ?? null,
    })),
  };
}

/** `run --uncertainty N`: the scenario's figures over N parameter sets. */
export async function runUncertainty(
  spec: ModelSpec,
  options: UncertaintyOptions,
): Promise<UncertaintySummary> {
  const pilotFigures = (draws: readonly DrawRuns[]) => [
    hasExact(draws) ? null : measure(draws, own("reliability")),
    spec.mortality === null ? null : measure(draws, own("mortality_per_1000")),
    measure(draws, own("cost_per_patient")),
  ];
  const { draws, inner, pilot } = await simulateDraws([spec], options, pilotFigures);
  return scenarioSummary(spec, 0, draws, inner, pilot, parametersOf([spec]));
}

/** `compare --uncertainty N`: the baseline's figures and each variant's differences over N sets. */
export async function compareUncertainty(
  baseline: ModelSpec,
  variants: readonly ModelSpec[],
  options: UncertaintyOptions & { wtp?: number },
): Promise<{ baseline: UncertaintySummary; variants: VariantUncertainty[] }> {
  const scenarios = [baseline, ...variants];
  const pilotFigures = (draws: readonly DrawRuns[]) =>
    variants.flatMap((v, i) => [
      hasExact(draws) ? null : measure(draws, paired("reliability", i + 1)),
      baseline.mortality === null || v.mortality === null
        ? null
        : measure(draws, paired("mortality_per_1000", i + 1, -1)),
      measure(draws, paired("cost_per_patient", i + 1)),
    ]);
  const { draws, inner, pilot } = await simulateDraws(scenarios, options, pilotFigures);
  const params = parametersOf(scenarios);
  return {
    baseline: scenarioSummary(baseline, 0, draws, inner, pilot, params),
    variants: variants.map((v, i) =>
      variantSummary(baseline, v, i + 1, draws, inner, params, options.wtp ?? null),
    ),
  };
}

function variantSummary(
  baseline: ModelSpec,
  variant: ModelSpec,
  at: number,
  draws: readonly DrawRuns[],
  inner: number,
  params: NonNullable<ModelSpec["parameters"]>,
  wtp: number | null,
): VariantUncertainty {
  const reliability = measure(draws, paired("reliability", at))!;
  const hasMortality = baseline.mortality !== null && variant.mortality !== null;
  const deaths = hasMortality ? measure(draws, paired("mortality_per_1000", at, -1)) : null;
  const defects = measure(draws, paired("defects_per_1000", at, -1))!;
  const cost = measure(draws, paired("cost_per_patient", at));
  const exactDiff = draws.map((d) => {
    const [b, v] = [d.exact[0], d.exact[at]];
    return b === null || b === undefined || v === null || v === undefined ? null : v - b;
  });
  const exact = exactDiff.every((x) => x !== null) ? (exactDiff as number[]) : null;
  const volume = variant.economics?.volumePerYear ?? baseline.economics?.volumePerYear ?? null;
  const nmb =
    wtp === null || deaths === null || cost === null
      ? null
      : deaths.values.map((d, i) => (wtp * d) / 1000 - cost.values[i]!);
  const share = (values: readonly number[], better: (x: number) => boolean) =>
    values.filter(better).length / values.length;
  const probability_better: Record<string, number> = {
    reliability: share(exact ?? reliability.values, (x) => x > 0),
    defects_per_1000: share(defects.values, (x) => x > 0),
  };
  if (deaths !== null) probability_better.mortality_per_1000 = share(deaths.values, (x) => x > 0);
  if (cost !== null) probability_better.cost_per_patient = share(cost.values, (x) => x < 0);
  if (nmb !== null) probability_better.net_monetary_benefit = share(nmb, (x) => x > 0);
  const figures: Record<string, Measured | null> = {
    reliability,
    deaths_avoided_per_1000: deaths,
    defects_avoided_per_1000: defects,
    incremental_cost_per_patient: cost,
  };
  const variance_share: Record<string, VarianceShare> = {};
  for (const [key, m] of Object.entries(figures)) if (m !== null) variance_share[key] = shareOf(m);
  const driverFigure =
    nmb !== null ? "net_monetary_benefit" : deaths !== null ? "deaths_avoided_per_1000" : "reliability";
  const driverValues = nmb ?? deaths?.values ?? exact ?? reliability.values;
  const exactSpread = exact === null ? null : spreadOf(exact);
  return {
    draws: draws.length,
    inner_patients: inner,
    probability_better,
    differences: {
      reliability: {
        ...spreadOf(reliability.values),
        exact_mean: exactSpread?.mean ?? null,
        exact_interval95: exactSpread?.interval95 ?? null,
      },
      deaths_avoided_per_1000: deaths === null ? null : spreadOf(deaths.values),
      defects_avoided_per_1000: spreadOf(defects.values),
      incremental_cost_per_patient: cost === null ? null : spreadOf(cost.values),
      incremental_cost_per_year:
        cost === null || volume === null ? null : spreadOf(cost.values.map((c) => c * volume)),
    },
    economics: economicsOver(cost, deaths, defects, nmb, wtp, volume, variant, baseline),
    acceptability: cost === null || deaths === null ? null : acceptability(cost.values, deaths.values, wtp),
    variance_share,
    drivers: drivers(params, draws, driverValues),
    driver_figure: driverFigure,
    per_draw: draws.map((d, i) => ({
      index: d.index,
      reliability: reliability.values[i]!,
      reliability_exact: exactDiff[i] ?? null,
      deaths_avoided_per_1000: deaths?.values[i] ?? null,
      defects_avoided_per_1000: defects.values[i]!,
      incremental_cost_per_patient: cost?.values[i] ?? null,
      net_monetary_benefit: nmb?.[i] ?? null,
    })),
  };
}

/** The cost-effectiveness figures over the sets. */
function economicsOver(
  cost: Measured | null,
  deaths: Measured | null,
  defects: Measured,
  nmb: number[] | null,
  wtp: number | null,
  volume: number | null,
  variant: ModelSpec,
  baseline: ModelSpec,
): VariantUncertainty["economics"] {
  const currency = variant.economics?.currency ?? baseline.economics?.currency ?? null;
  const ratio = (avoided: Measured | null, what: string): Ratio | null =>
    cost === null || avoided === null ? null : ratioOverDraws(cost.values, avoided.values, what);
  let net: VariantUncertainty["economics"]["net_monetary_benefit"] = null;
  let evpi: VariantUncertainty["economics"]["evpi"] = null;
  if (nmb !== null) {
    const perPatient = spreadOf(nmb);
    net = {
      per_patient: perPatient,
      per_year: volume === null ? null : spreadOf(nmb.map((x) => x * volume)),
      probability_positive: nmb.filter((x) => x > 0).length / nmb.length,
    };
    const expectedMax = nmb.reduce((a, x) => a + Math.max(x, 0), 0) / nmb.length;
    const value = expectedMax - Math.max(perPatient.mean, 0);
    evpi = { per_patient: value, per_year: volume === null ? null : value * volume };
  }
  return {
    currency,
    wtp,
    cost_per_death_avoided: ratio(deaths === null ? null : perPatient(deaths), "death"),
    cost_per_defect_avoided: ratio(perPatient(defects), "defect"),
    net_monetary_benefit: net,
    evpi,
  };
}

/** Per 1000 → per patient. */
function perPatient(m: Measured): Measured {
  return { values: m.values.map((x) => x / 1000), variances: m.variances };
}

/**
 * Incremental cost per unit avoided: the ratio of the mean differences; its interval is the central
 * 95% of the per-set ratios when every set avoids some (a ratio is only ordered then), else none.
 */
function ratioOverDraws(cost: readonly number[], avoided: readonly number[], what: string): Ratio {
  const meanCost = cost.reduce((a, x) => a + x, 0) / cost.length;
  const meanAvoided = avoided.reduce((a, x) => a + x, 0) / avoided.length;
  const allPositive = avoided.every((x) => x > 0);
  const r = ratioOf(
    meanCost,
    meanAvoided,
    allPositive ? interval95(cost.map((c, i) => c / avoided[i]!)) : null,
    what,
  );
  if (r.estimate !== null && !allPositive) {
    const none = avoided.filter((x) => !(x > 0)).length;
    r.note = `no interval: in ${none} of ${avoided.length} parameter sets no ${what} is avoided; see the net monetary benefit`;
  }
  return r;
}

/**
 * P(wtp × deaths avoided − incremental cost > 0) over the sets, for willingness to pay from 0 to
 * twice the largest of --wtp and the per-set ratios' 97.5th percentile (61 points).
 */
function acceptability(
  cost: readonly number[],
  deathsPer1000: readonly number[],
  wtp: number | null,
): AcceptabilityPoint[] {
  const deaths = deathsPer1000.map((d) => d / 1000);
  const ratios = cost.map((c, i) => c / deaths[i]!).filter((r) => Number.isFinite(r) && r > 0);
  const top = Math.max(wtp ?? 0, ratios.length > 0 ? interval95(ratios)[1] : 0);
  const max = top > 0 ? 2 * top : 1e6;
  return Array.from({ length: 61 }, (_, k) => {
    const w = (max * k) / 60;
    const positive = deaths.filter((d, i) => w * d - cost[i]! > 0).length;
    return { wtp: w, probability: positive / deaths.length };
  });
}

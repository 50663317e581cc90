// Paired what-if comparison with common random numbers (docs/semantics.md §6).
//
// Method. Every random draw is keyed by (seed, replication, patient, element id, visit), so patient
// i of the baseline and patient i of a variant see the same draws wherever the two models agree:
// their figures are strongly positively correlated, and the variance of a difference,
// Var(V − B) = Var(V) + Var(B) − 2·Cov(V, B), is far smaller than for independent runs.
// To turn that into an interval we need pairs of independent, identically distributed figures:
//   - independent journeys (no `arrivals`): K ≥ 30 batches of consecutive patients (the same
//     batches in every scenario); batches are independent because journeys are;
//   - queued journeys (`arrivals`): the R replications, the only independent units when patients
//     share capacity.
// Each figure is computed per unit in both scenarios; the point estimate is the difference of the
// whole-run figures (so it matches the two run summaries exactly), and its 95% interval is
// estimate ± t(0.975, K−1)·sd(d)/√K over the per-unit differences d — the batch-means
// "sectioning" interval (Asmussen & Glynn 2007, III.5; Nakayama 2014 for quantiles such as
// medians). Counts (completed, dropped, near misses) are sums over units, so their standard error
// is √K·sd(d). A scenario compared with itself has d = 0 in every unit: difference 0, interval [0, 0].
// When the two scenarios cannot be paired unit for unit (one has arrivals, the other not), the
// interval is Welch's unpaired one over the two sets of unit figures, and a warning says so.

import { own, recordOf } from "../engine/records.js";
import { compile } from "../model/compiled.js";
import { BLOCK_SIZE, type Unit, units, withOverrides } from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { type ModelChange, modelChanges } from "../scenario/changes.js";
import { comparisonEconomics, type VariantEconomics } from "./economics.js";
import { type Figures, figuresOf } from "./figures.js";
import { prepareRun, type RunOptions, runUnitsInOrder } from "./run.js";
import { tQuantile } from "./stats.js";
import { summarize } from "./summarize.js";
import type { Estimate, Interval, RunSummary, VariantUncertainty } from "./summary.js";
import { compareUncertainty } from "./uncertainty.js";

/** Batches of patients for paired intervals of independent journeys (K ≥ 30 for the t interval). */
export const PAIRING_BATCHES = 40;

export { type Figures, figuresOf };

/** Figures that are totals over the patients (the others are shares, rates, medians or means). */
const TOTALS = new Set(["completed", "dropped", "near_misses"]);

/** A scenario run unit by unit, with each unit's figures kept for paired intervals. */
export interface BatchedRun {
  /** The model as run (overrides applied). */
  spec: ModelSpec;
  summary: RunSummary;
  units: Unit[];
  /** Figures of each unit, in unit order. */
  batches: Figures[];
}

/**
 * The units that pair up between scenarios: replications with arrivals; otherwise PAIRING_BATCHES
 * equal batches of patients (more when a batch would exceed the engine's block size, so the
 * memory per unit stays bounded).
 */
export function pairingUnits(spec: ModelSpec): Unit[] {
  if (spec.arrivals !== null) return units(spec);
  const k = Math.min(spec.patients, Math.max(PAIRING_BATCHES, Math.ceil(spec.patients / BLOCK_SIZE)));
  return Array.from({ length: k }, (_, i) => ({
    index: i,
    from: Math.floor((i * spec.patients) / k),
    to: Math.floor(((i + 1) * spec.patients) / k),
  }));
}

/** Runs a scenario unit by unit (in workers when asked), keeping each unit's figures. */
export async function runBatched(spec: ModelSpec, options: RunOptions = {}): Promise<BatchedRun> {
  const prepared = prepareRun(withOverrides(spec, options));
  const effective = prepared.model;
  const model = compile(effective);
  const selected = pairingUnits(effective);
  const batches: Figures[] = [];
  const began = performance.now();
  // Each unit's tally is reduced to its figures at once: tallies hold sketches (~0.3 MB each).
  const total = await runUnitsInOrder(model, selected, options, (_, tally) => {
    batches.push(figuresOf(summarize(model, tally, null, 0)));
  });
  const summary = summarize(model, total, prepared.analysis, performance.now() - began, [], prepared.context);
  return { spec: effective, summary, units: selected, batches };
}

/** Whether two runs can be paired unit for unit (same kind and number of units). */
export function pairable(a: BatchedRun, b: BatchedRun): boolean {
  return (
    (a.spec.arrivals === null) === (b.spec.arrivals === null) &&
    a.units.length === b.units.length &&
    a.units.every((u, i) => u.from === b.units[i]!.from && u.to === b.units[i]!.to)
  );
}

/**
 * variant − baseline for one figure, with its 95% interval: paired over units when `paired`,
 * otherwise Welch's unpaired interval. [NaN, NaN] when fewer than two units have the figure.
 */
export function difference(
  key: string,
  baseline: BatchedRun,
  variant: BatchedRun,
  paired: boolean,
): Estimate {
  const estimate = figure(variant.summary, key) - figure(baseline.summary, key);
  const half = paired
    ? pairedHalfWidth(key, baseline.batches, variant.batches)
    : welchHalfWidth(key, baseline.batches, variant.batches);
  return { estimate, ci95: [estimate - half, estimate + half] };
}

/** Each summary's figures, computed once (a difference is asked for every figure). */
const figureCache = new WeakMap<RunSummary, Figures>();

function figure(s: RunSummary, key: string): number {
  let f = figureCache.get(s);
  if (f === undefined) {
    f = figuresOf(s);
    figureCache.set(s, f);
  }
  return own(f, key) ?? Number.NaN;
}

/** Variance of the whole-run estimator from the spread of its K unit values (sectioning). */
export function estimatorVariance(key: string, values: readonly number[]): number {
  const k = values.length;
  const v = sampleVariance(values);
  return TOTALS.has(key) ? k * v : v / k;
}

/** variant − baseline of one figure in each unit (the units where both have it). */
export function unitDifferences(
  key: string,
  base: readonly Figures[],
  variant: readonly Figures[],
): number[] {
  const d: number[] = [];
  base.forEach((b, i) => {
    const x = (variant[i]?.[key] ?? Number.NaN) - (b[key] ?? Number.NaN);
    if (Number.isFinite(x)) d.push(x);
  });
  return d;
}

function pairedHalfWidth(key: string, base: readonly Figures[], variant: readonly Figures[]): number {
  const d = unitDifferences(key, base, variant);
  if (d.length < 2) return Number.NaN;
  return tQuantile(0.975, d.length - 1) * Math.sqrt(estimatorVariance(key, d));
}

function welchHalfWidth(key: string, base: readonly Figures[], variant: readonly Figures[]): number {
  const a = finiteValues(base, key);
  const b = finiteValues(variant, key);
  if (a.length < 2 || b.length < 2) return Number.NaN;
  const va = estimatorVariance(key, a);
  const vb = estimatorVariance(key, b);
  const v = va + vb;
  if (v === 0) return 0;
  // Welch–Satterthwaite degrees of freedom.
  const df = (v * v) / ((va * va) / (a.length - 1) + (vb * vb) / (b.length - 1));
  return tQuantile(0.975, df) * Math.sqrt(v);
}

function finiteValues(batches: readonly Figures[], key: string): number[] {
  return batches.map((f) => f[key] ?? Number.NaN).filter(Number.isFinite);
}

function sampleVariance(values: readonly number[]): number {
  const n = values.length;
  const mean = values.reduce((a, b) => a + b, 0) / n;
  let ss = 0;
  for (const x of values) ss += (x - mean) * (x - mean);
  return ss / (n - 1);
}

// --- the comparison of a baseline with its variants ----------------------------------------------

export interface MetricDifferences {
  median: Estimate;
  /** null when the metric has no target. */
  within_target: Estimate | null;
}

/** Every difference is variant − baseline, except the two "avoided" figures (baseline − variant). */
export interface Differences {
  reliability: Estimate & { analytic: number | null };
  /** Expected deaths per 1000; null without a mortality model. */
  mortality_per_1000: Estimate | null;
  metrics: Record<string, MetricDifferences>;
  completed: Estimate;
  dropped: Estimate;
  near_misses: Estimate;
  /** Uncaught failures per 1000 patients, baseline − variant. */
  defects_avoided_per_1000: Estimate;
  /** Expected deaths per 1000 patients, baseline − variant; null without a mortality model. */
  deaths_avoided_per_1000: Estimate | null;
  /** Mean wait per microsystem (minutes), for the microsystems both scenarios have. */
  waits: Record<string, Estimate>;
  /**
   * Mean minutes blocked after the stay (blocking after service), for the microsystems that block
   * in both scenarios; always present in a comparison (optional for hand-made ones).
   */
  blocked?: Record<string, Estimate>;
}

export interface Pairing {
  /** "paired": unit-by-unit differences; "unpaired": Welch (the scenarios' units differ). */
  method: "paired" | "unpaired";
  unit: "batch" | "replication";
  /** Pairs (or, unpaired, the baseline's units). */
  units: number;
}

export type { ModelChange };

export interface VariantComparison {
  scenario: string;
  /**
   * Every value the variant runs with that differs from the baseline's, by `--set` path, as a
   * scenario file writes it (empty when the two run the same model).
   */
  changes: ModelChange[];
  summary: RunSummary;
  pairing: Pairing;
  differences: Differences;
  /** Costs against what is avoided (analysis/economics.ts); absent or null without costs. */
  economics?: VariantEconomics | null;
  /** With --uncertainty N: the differences over N parameter sets (analysis/uncertainty.ts). */
  uncertainty?: VariantUncertainty;
}

export interface Comparison {
  baseline: RunSummary;
  variants: VariantComparison[];
}

export interface CompareOptions extends RunOptions {
  /** Told about every setting that limits the pairing (printed on stderr by the command line). */
  warn?: (message: string) => void;
  /** Willingness to pay per death avoided, for the net monetary benefit (analysis/economics.ts). */
  wtp?: number;
}

/** All differences of `variant` against `baseline`. */
export function compareRuns(baseline: BatchedRun, variant: BatchedRun): VariantComparison {
  const paired = pairable(baseline, variant);
  const d = (key: string): Estimate => difference(key, baseline, variant, paired);
  const hasMortality = baseline.spec.mortality !== null && variant.spec.mortality !== null;
  const b = baseline.summary;
  const v = variant.summary;
  const inVariant = new Set(v.microsystems.map((m) => m.id));
  const analytic =
    b.reliability.analytic === null || v.reliability.analytic === null
      ? null
      : v.reliability.analytic - b.reliability.analytic;
  return {
    scenario: v.scenario,
    changes: modelChanges(baseline.spec, variant.spec),
    summary: v,
    pairing: {
      method: paired ? "paired" : "unpaired",
      unit: baseline.spec.arrivals === null ? "batch" : "replication",
      units: baseline.units.length,
    },
    differences: {
      reliability: { ...d("reliability"), analytic },
      mortality_per_1000: hasMortality ? d("mortality_per_1000") : null,
      metrics: metricDifferences(b, v, d),
      completed: d("completed"),
      dropped: d("dropped"),
      near_misses: d("near_misses"),
      defects_avoided_per_1000: avoided(d("defects_per_1000")),
      deaths_avoided_per_1000: hasMortality ? avoided(d("mortality_per_1000")) : null,
      waits: recordOf(
        b.microsystems.filter((m) => inVariant.has(m.id)).map((m) => [m.id, d(`waits.${m.id}`)]),
      ),
      blocked: Object.fromEntries(
        b.microsystems
          .filter((m) => (m.blocked ?? null) !== null)
          .filter((m) => (v.microsystems.find((x) => x.id === m.id)?.blocked ?? null) !== null)
          .map((m) => [m.id, d(`blocked.${m.id}`)]),
      ),
    },
  };
}

function metricDifferences(
  b: RunSummary,
  v: RunSummary,
  d: (key: string) => Estimate,
): Record<string, MetricDifferences> {
  const out = recordOf<MetricDifferences>();
  for (const [id, m] of Object.entries(b.metrics)) {
    const other = own(v.metrics, id);
    if (other === undefined) continue;
    const targeted = m.target !== null && other.target !== null;
    out[id] = {
      median: d(`metrics.${id}.median`),
      within_target: targeted ? d(`metrics.${id}.within_target`) : null,
    };
  }
  return out;
}

/** The opposite sign: "avoided" counts what the baseline has and the variant does not. */
function avoided(e: Estimate): Estimate {
  // 0 − x rather than −x: a zero difference stays +0, never −0 (self-comparisons print 0).
  const ci: Interval = [0 - e.ci95[1], 0 - e.ci95[0]];
  return { estimate: 0 - e.estimate, ci95: ci };
}

/**
 * The settings a variant must share with the baseline for patients to pair up. `patients`, `seed`
 * and `replications` describe the run, not the care process, so the variant takes the baseline's;
 * a difference in arrivals is a genuine what-if and is kept, with a warning about what it costs.
 */
export function alignVariant(
  baseline: ModelSpec,
  variant: ModelSpec,
  warn: (message: string) => void,
): ModelSpec {
  const name = variant.name;
  const aligned = { ...variant, patients: baseline.patients, seed: baseline.seed };
  if (variant.patients !== baseline.patients)
    warn(
      `${name}: sets patients ${variant.patients}; compared on the baseline's ${baseline.patients} so patients pair up`,
    );
  if (variant.seed !== baseline.seed)
    warn(
      `${name}: sets seed ${variant.seed}; compared with the baseline's seed ${baseline.seed} (common random numbers)`,
    );
  if ((variant.arrivals === null) !== (baseline.arrivals === null)) {
    warn(
      `${name}: ${variant.arrivals === null ? "has no arrivals" : "has arrivals"} but the baseline ${baseline.arrivals === null ? "has none" : "does"}; ` +
        "journeys cannot be paired, so its intervals are unpaired (Welch) and much wider",
    );
    return aligned;
  }
  if (variant.arrivals !== null) {
    if (variant.replications !== baseline.replications)
      warn(
        `${name}: sets ${variant.replications} replications; compared on the baseline's ${baseline.replications} so replications pair up`,
      );
    // A variant that sets no warm-up takes the baseline's (chosen or set), so the same patients count.
    const arrivals =
      variant.arrivals.warmupAuto === true && baseline.arrivals !== null
        ? { ...variant.arrivals, warmup: baseline.arrivals.warmup, warmupAuto: false }
        : variant.arrivals;
    if (JSON.stringify(arrivals) !== JSON.stringify(baseline.arrivals))
      warn(
        `${name}: arrivals differ from the baseline's; replications still pair, but patients with the same number arrive at different times, so intervals are wider`,
      );
    return { ...aligned, arrivals, replications: baseline.replications };
  }
  return aligned;
}

/** Runs the baseline and each variant on the same patients and compares each variant with the baseline. */
export async function compareScenarios(
  baseline: ModelSpec,
  variants: readonly ModelSpec[],
  options: CompareOptions = {},
): Promise<Comparison> {
  const warn = options.warn ?? (() => {});
  const runs = 1 + variants.length;
  // Progress over every scenario's units, not restarting at 0% for each scenario.
  const progress = (i: number) => (done: number, total: number) =>
    options.onProgress?.(i * total + done, runs * total);
  const base = await runBatched(baseline, { ...options, onProgress: progress(0) });
  const out: VariantComparison[] = [];
  for (const [i, variant] of variants.entries()) {
    // Run settings given on the command line apply to every scenario alike.
    const own = withOverrides(variant, options);
    const run = await runBatched(alignVariant(base.spec, own, warn), {
      ...options,
      patients: base.spec.patients,
      seed: base.spec.seed,
      onProgress: progress(i + 1),
    });
    const compared = compareRuns(base, run);
    const economics = comparisonEconomics(
      base,
      run,
      compared.pairing.method === "paired",
      options.wtp ?? null,
    );
    out.push(economics === null ? compared : { ...compared, economics });
  }
  if (options.uncertainty === undefined) return { baseline: base.summary, variants: out };
  const aligned = variants.map((v) => alignVariant(base.spec, withOverrides(v, options), () => {}));
  const psa = await compareUncertainty(base.spec, aligned, { ...options, draws: options.uncertainty });
  return {
    baseline: { ...base.summary, uncertainty: psa.baseline },
    variants: out.map((v, i) => ({ ...v, uncertainty: psa.variants[i]! })),
  };
}

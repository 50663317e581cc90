// Intervals for the figures that depend on queues, and the warnings a run owes its reader when
// they cannot be trusted (docs/design.md, "Output analysis"). Patients who share capacity are not
// independent: the 100th patient waits because the 99th did. An interval needs independent units:
//
// - two or more replications: the replications (each starts afresh with its own random numbers);
// - one replication: batches of consecutive counted patients in arrival order (the method of batch
//   means; Law & Kelton 2000, §9.5.3; Alexopoulos & Seila 1998). K = 30 final batches (Schmeiser
//   1982: little is gained beyond 30). Before trusting them, the lag-1 autocorrelation of the batch
//   means is checked on 480, 240 and 120 smaller batches (Adam & Klein 1989: test on 100 or more);
//   the finest size whose autocorrelation is at most 0.2 is "uncorrelated", and the final batches —
//   4 to 16 times larger — are adequate. When even 120 batches are correlated the run is too short
//   and says so.
//
// Every such figure is a ratio of sums over the units (waits / visits, busy / available minutes,
// risks / patients), estimated as R = Σy / Σx with the linearised (delta-method) residuals
// d_u = (y_u − R·x_u) / x̄, so the interval R ± t(0.975, k−1)·sd(d)/√k is centred on the figure the
// run reports. Quantiles use the units' own quantiles (sectioning) around the run's quantile.
import type { CompiledModel } from "../model/compiled.js";
import {
  type Figure,
  type QuantileKind,
  quantileFigures,
  type RatioKind,
  ratioFigures,
  runBatchPlan,
} from "../model/output.js";
import type { Tally } from "../model/tally.js";
import { tQuantile } from "./stats.js";
import type { Interval, OutputAnalysisSummary, RunWarning } from "./summary.js";

/** Batch means at the finest tested size with lag-1 autocorrelation at most this are "uncorrelated". */
export const LAG1_LIMIT = 0.2;
/** The autocorrelation is tested on at least this many batches (and at most 480). */
export const MIN_TESTED_BATCHES = 120;
/** A mean wait whose 95% half-width is above this share of it (and above PRECISION_FLOOR) is imprecise. */
export const PRECISION = 0.1;
/** Minutes: a half-width below this is precise enough for any clinical purpose. */
export const PRECISION_FLOOR = 1;
/** Waits "keep growing" when the later half of the batches waits this much more (relative)… */
export const GROWTH_RISE = 0.1;
/** …and the rise is this many standard errors (Welch), so noise does not cry overload. */
export const GROWTH_T = 3;

/** A figure's estimate and its 95% interval (null: it cannot be estimated from this run). */
export interface FigureInterval {
  estimate: number;
  ci95: Interval | null;
}

/**
 * y/x over independent units with its Student-t interval (linearised ratio estimator); units with
 * x = 0 count (their residual is 0 when y is 0 too). Null interval with fewer than 2 units or Σx = 0.
 */
export function ratioInterval(y: ArrayLike<number>, x: ArrayLike<number>): FigureInterval {
  const k = y.length;
  let sy = 0;
  let sx = 0;
  for (let u = 0; u < k; u++) {
    sy += y[u]!;
    sx += x[u]!;
  }
  if (sx === 0) return { estimate: 0, ci95: null };
  const r = sy / sx;
  if (k < 2) return { estimate: r, ci95: null };
  const d = residuals(y, x, r, sx / k);
  const half = (tQuantile(0.975, k - 1) * standardDeviation(d)) / Math.sqrt(k);
  return { estimate: r, ci95: [r - half, r + half] };
}

function residuals(y: ArrayLike<number>, x: ArrayLike<number>, r: number, xBar: number): number[] {
  const d: number[] = [];
  for (let u = 0; u < y.length; u++) d.push((y[u]! - r * x[u]!) / xBar);
  return d;
}

function standardDeviation(v: readonly number[]): number {
  const n = v.length;
  let mean = 0;
  for (const a of v) mean += a / n;
  let ss = 0;
  for (const a of v) ss += (a - mean) * (a - mean);
  return Math.sqrt(ss / (n - 1));
}

/** Lag-1 autocorrelation of a series (0 for a constant one). */
export function lag1(v: readonly number[]): number {
  const n = v.length;
  if (n < 3) return 0;
  let mean = 0;
  for (const a of v) mean += a / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    const a = v[i]! - mean;
    den += a * a;
    if (i + 1 < n) num += a * (v[i + 1]! - mean);
  }
  return den === 0 ? 0 : num / den;
}

/** A quantile's interval from units' own quantiles (sectioning), centred on the run's `estimate`. */
export function quantileInterval(estimate: number, values: readonly (number | null)[]): Interval | null {
  const v = values.filter((x): x is number => x !== null && Number.isFinite(x));
  if (v.length < 2 || !Number.isFinite(estimate)) return null;
  const half = (tQuantile(0.975, v.length - 1) * standardDeviation(v)) / Math.sqrt(v.length);
  return [estimate - half, estimate + half];
}

/** The batch-size check of one figure of a one-replication run. */
export interface CorrelationCheck {
  /** Lag-1 autocorrelation at the finest tested size that passed, else at the coarsest tested. */
  lag1: number;
  /** Batches at that size. */
  batches: number;
  /** Whether some tested size with ≥ 120 batches was uncorrelated. */
  adequate: boolean;
}

/** Lag-1 checks of one figure's micro-batches, from the finest size to 120 batches. */
export function correlationCheck(
  y: ArrayLike<number>,
  x: ArrayLike<number>,
  finalBatches: number,
  levels: number,
): CorrelationCheck | null {
  let last: CorrelationCheck | null = null;
  for (let l = levels; l >= 0; l--) {
    const batches = finalBatches * 2 ** l;
    if (batches < MIN_TESTED_BATCHES) break;
    const group = 2 ** (levels - l);
    const gy: number[] = [];
    const gx: number[] = [];
    for (let b = 0; b < batches; b++) {
      let sy = 0;
      let sx = 0;
      for (let i = 0; i < group; i++) {
        sy += y[b * group + i]!;
        sx += x[b * group + i]!;
      }
      gy.push(sy);
      gx.push(sx);
    }
    const total = gx.reduce((a, b) => a + b, 0);
    if (total === 0) return null;
    const r = gy.reduce((a, b) => a + b, 0) / total;
    const rho = lag1(residuals(gy, gx, r, total / batches));
    last = { lag1: rho, batches, adequate: rho <= LAG1_LIMIT };
    if (last.adequate) return last;
  }
  return last;
}

/** The intervals of a queued run's figures, and what the reader must be told about them. */
export interface QueueIntervals {
  ratio(kind: RatioKind, of: number): Interval | null;
  quantile(kind: QuantileKind, of: number): Interval | null;
  summary: OutputAnalysisSummary;
  warnings: RunWarning[];
}

/** Intervals for a run with arrivals (replications or batch means), and its warnings. */
export function queueIntervals(model: CompiledModel, tally: Tally): QueueIntervals {
  const ratioFigs = ratioFigures(model);
  const quantileFigs = quantileFigures(model);
  const reps = tally.replications.filter((r) => r.output !== undefined);
  const plan = runBatchPlan(model);
  const ratio = new Map<string, Interval | null>();
  const quantile = new Map<string, Interval | null>();
  const key = (f: Figure<string>) => `${f.kind}:${f.of}`;
  const checks: OutputAnalysisSummary["checks"] = [];
  const byReplication = reps.length >= 2;
  const units = byReplication ? reps.length : plan.batches;
  const sums = tally.output;
  ratioFigs.forEach((f, i) => {
    if (byReplication) {
      ratio.set(
        key(f),
        ratioInterval(
          reps.map((r) => r.output!.y[i]!),
          reps.map((r) => r.output!.x[i]!),
        ).ci95,
      );
      return;
    }
    if (sums === null) return;
    const K = sums.batches;
    ratio.set(
      key(f),
      ratioInterval(sums.y.subarray(i * K, (i + 1) * K), sums.x.subarray(i * K, (i + 1) * K)).ci95,
    );
  });
  quantileFigs.forEach((f, i) => {
    const estimate = runQuantile(tally, f);
    const values = byReplication
      ? reps.map((r) => r.output!.q[i] ?? null)
      : (reps[0]?.output?.batchQ?.slice(i * plan.batches, (i + 1) * plan.batches) ?? []);
    quantile.set(key(f), estimate === null ? null : quantileInterval(estimate, values));
  });
  const micro = reps[0]?.output;
  if (!byReplication && micro?.microY !== undefined && micro.microX !== undefined) {
    ratioFigs.forEach((f, i) => {
      if (!checked(model, f)) return;
      const n = plan.micro;
      const c = correlationCheck(
        micro.microY!.slice(i * n, (i + 1) * n),
        micro.microX!.slice(i * n, (i + 1) * n),
        plan.batches,
        plan.levels,
      );
      if (c !== null) checks.push({ figure: figureName(model, f), ...c });
    });
  }
  const summary: OutputAnalysisSummary = {
    method: byReplication ? "replications" : "batch means",
    units,
    batch_patients: byReplication ? null : (tally.replications[0]?.patients ?? 0) / plan.batches,
    checks,
  };
  const intervals = {
    ratio: (kind: RatioKind, of: number) => ratio.get(`${kind}:${of}`) ?? null,
    quantile: (kind: QuantileKind, of: number) => quantile.get(`${kind}:${of}`) ?? null,
  };
  return { ...intervals, summary, warnings: warningsOf(model, tally, intervals, summary) };
}

/** The figures whose batch-size check is reported: waits where patients queue, and mortality. */
function checked(model: CompiledModel, f: Figure<RatioKind>): boolean {
  if (f.kind === "wait") return Number.isFinite(model.microsystems[f.of]!.capacity);
  return f.kind === "mortality" && model.mortalityBase !== null;
}

function figureName(model: CompiledModel, f: Figure<string>): string {
  if (f.of < 0) return f.kind;
  const id =
    f.kind.startsWith("wait") || f.kind === "utilization"
      ? model.microsystems[f.of]!.key
      : model.spec.metrics[f.of]!.id;
  return `${f.kind}:${id}`;
}

/** The run's own quantile of a figure (pooled over units), or null when it has no values. */
function runQuantile(tally: Tally, f: Figure<QuantileKind>): number | null {
  const sketch = f.kind === "wait_p90" ? tally.waits[f.of]! : tally.metrics[f.of]!;
  if (sketch.count === 0) return null;
  return sketch.quantile(f.kind === "metric_median" ? 0.5 : 0.9);
}

function warningsOf(
  model: CompiledModel,
  tally: Tally,
  intervals: Pick<QueueIntervals, "ratio">,
  summary: OutputAnalysisSummary,
): RunWarning[] {
  const warnings: RunWarning[] = [];
  const names = model.spec.microsystems.map((m) => m.name);
  const queued = model.microsystems.filter((m) => Number.isFinite(m.capacity)).map((m) => m.index);
  for (const m of queued) {
    const growth = growing(tally, m);
    if (growth !== null)
      warnings.push({
        kind: "growing",
        microsystem: model.microsystems[m]!.key,
        message: `waits at ${names[m]} keep growing: patients in the later half of the run waited ${times(growth.later / growth.earlier)} as long as in the earlier half — the unit is overloaded or the warm-up too short, and its figures describe no steady state`,
      });
  }
  const imprecise: string[] = [];
  for (const m of queued) {
    const s = tally.waits[m]!;
    const ci = intervals.ratio("wait", m);
    if (s.count === 0) continue;
    const mean = s.mean;
    if (ci === null) imprecise.push(`${names[m]} (no interval)`);
    else {
      const half = (ci[1] - ci[0]) / 2;
      if (half > PRECISION * mean && half > PRECISION_FLOOR)
        imprecise.push(`${names[m]} (±${Math.round((100 * half) / mean)}% of the mean)`);
    }
  }
  const short: string[] = [];
  if (summary.method === "batch means") {
    if (summary.units < 30)
      short.push(
        `only ${summary.units} batch${summary.units === 1 ? "" : "es"} of patients (30 batches of at least 10 counted patients make an interval)`,
      );
    const correlated = summary.checks.filter((c) => !c.adequate);
    if (correlated.length > 0)
      short.push(
        `batch means still correlated at ${correlated[0]!.batches} batches (lag-1 autocorrelation ${correlated.map((c) => `${c.figure} ${c.lag1.toFixed(2)}`).join(", ")}; at most ${LAG1_LIMIT} is needed)`,
      );
    else if (summary.checks.length === 0 && summary.units >= 30)
      short.push("too few patients to check that batches are uncorrelated (at least 1,200 counted)");
  }
  if (imprecise.length > 0)
    short.push(
      `mean waits known to no better than ±${100 * PRECISION}% (and ±${PRECISION_FLOOR} min) at 95%: ${imprecise.join(", ")}`,
    );
  if (short.length > 0)
    warnings.push({
      kind: "short",
      microsystem: null,
      message: `the run is too short to estimate its waits precisely: ${short.join("; ")}. Run more patients (or replications)`,
    });
  return warnings;
}

/**
 * The mean wait at `m` in the later half of the run against the earlier half, when it rises
 * significantly. Over replications: the per-replication differences (independent), a one-sided
 * t-test at 0.1%. In one replication: the slope of the final batches' means (trendT) at t above
 * 3, and a rise of at least half (batches may be correlated, so more evidence is asked for).
 */
function growing(tally: Tally, m: number): { earlier: number; later: number } | null {
  const reps = tally.replications.filter((r) => r.output?.halves !== undefined);
  if (reps.length >= 2)
    return growingOverReplications(
      reps.map((r) => r.output!.halves!),
      m,
    );
  const sums = tally.output;
  if (sums === null || sums.batches < 10) return null;
  const K = sums.batches;
  const means: number[] = [];
  for (let b = 0; b < K; b++) {
    const x = sums.x[m * K + b]!;
    means.push(x > 0 ? sums.y[m * K + b]! / x : Number.NaN);
  }
  const earlier = means.slice(0, Math.floor(K / 2)).filter(Number.isFinite);
  const later = means.slice(Math.floor(K / 2)).filter(Number.isFinite);
  if (earlier.length < 3 || later.length < 3) return null;
  const m1 = average(earlier);
  const m2 = average(later);
  const rises = m2 > m1 * 1.5 && m2 - m1 > PRECISION_FLOOR && trendT(means) > GROWTH_T;
  return rises ? { earlier: m1, later: m2 } : null;
}

/**
 * t of the least-squares slope of a series over its index (NaNs skipped), its standard error
 * inflated by the residuals' lag-1 autocorrelation ((1 + ρ)/(1 − ρ), ρ in [0, 0.9]): a trend that
 * stands out of correlated noise.
 */
export function trendT(series: readonly number[]): number {
  const points = series.flatMap((v, i) => (Number.isFinite(v) ? [[i, v] as const] : []));
  const n = points.length;
  if (n < 3) return 0;
  const xBar = average(points.map(([i]) => i));
  const yBar = average(points.map(([, v]) => v));
  let sxx = 0;
  let sxy = 0;
  for (const [i, v] of points) {
    sxx += (i - xBar) * (i - xBar);
    sxy += (i - xBar) * (v - yBar);
  }
  const slope = sxy / sxx;
  const residuals = points.map(([i, v]) => v - yBar - slope * (i - xBar));
  const s2 = residuals.reduce((a, e) => a + e * e, 0) / (n - 2);
  const rho = Math.min(0.9, Math.max(0, lag1(residuals)));
  const se = Math.sqrt((s2 / sxx) * ((1 + rho) / (1 - rho)));
  if (se === 0) return slope > 0 ? Number.POSITIVE_INFINITY : 0;
  return slope / se;
}

function growingOverReplications(
  halves: { y: number[]; x: number[] }[],
  m: number,
): { earlier: number; later: number } | null {
  const d: number[] = [];
  let y0 = 0;
  let x0 = 0;
  let y1 = 0;
  let x1 = 0;
  for (const h of halves) {
    const [a, b, xa, xb] = [h.y[2 * m]!, h.y[2 * m + 1]!, h.x[2 * m]!, h.x[2 * m + 1]!];
    y0 += a;
    x0 += xa;
    y1 += b;
    x1 += xb;
    if (xa > 0 && xb > 0) d.push(b / xb - a / xa);
  }
  if (d.length < 2 || x0 === 0 || x1 === 0) return null;
  const earlier = y0 / x0;
  const later = y1 / x1;
  const se = standardDeviation(d) / Math.sqrt(d.length);
  const t = se === 0 ? (average(d) > 0 ? Number.POSITIVE_INFINITY : 0) : average(d) / se;
  const rises =
    later > earlier * (1 + GROWTH_RISE) &&
    later - earlier > PRECISION_FLOOR &&
    t > tQuantile(0.999, d.length - 1);
  return rises ? { earlier, later } : null;
}

function average(v: readonly number[]): number {
  return v.reduce((a, b) => a + b, 0) / v.length;
}

/**
 * "2.4 times" / "more than 100 times": messages give ratios, not durations, so the one duration
 * rule stays in src/report/format.ts; the minutes themselves are in the summary's figures.
 */
export function times(ratio: number): string {
  if (!Number.isFinite(ratio) || ratio > 100) return "more than 100 times";
  return `${ratio.toFixed(ratio < 10 ? 1 : 0)} times`;
}

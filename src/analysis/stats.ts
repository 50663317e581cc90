// Confidence intervals for the figures a run reports: Wilson intervals for shares of independent
// journeys, Student-t intervals over replication means (queue-dependent figures, paired differences).
// The t quantile is computed exactly (to ~1e-12) rather than from a table, so intervals are right for
// any number of replications, including the odd ones a user picks.

import * as ss from "simple-statistics";
import { normalQuantile } from "../engine/normal.js";
import type { Interval } from "./summary.js";

export { normalQuantile };

/** z for a two-sided 95% interval: the normal 0.975 quantile. */
export const Z95 = 1.959963984540054;

export interface MeanInterval {
  mean: number;
  /** [NaN, NaN] with fewer than two values: one replication says nothing about its own spread. */
  ci95: Interval;
}

/**
 * Wilson score interval for a binomial share (better than the normal "Wald" interval near 0 and 1,
 * where clinical reliabilities live). n = 0 → [0, 1]: no data rules nothing out.
 */
export function wilson(successes: number, n: number, z: number = Z95): Interval {
  if (!(n >= 0) || !(successes >= 0) || successes > n) {
    throw new RangeError(`wilson: need 0 <= successes <= n, got ${successes} of ${n}`);
  }
  if (n === 0) return [0, 1];
  const p = successes / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // The formula gives the exact bound 0 (or 1) at the extremes only up to rounding; pin it.
  const lo = successes === 0 ? 0 : Math.max(0, centre - half);
  const hi = successes === n ? 1 : Math.min(1, centre + half);
  return [lo, hi];
}

/** Mean with a two-sided 95% Student-t interval (for replication means: few, roughly normal). */
export function meanInterval(values: readonly number[]): MeanInterval {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, ci95: [Number.NaN, Number.NaN] };
  const mean = ss.mean(values as number[]);
  if (n === 1) return { mean, ci95: [Number.NaN, Number.NaN] };
  const half = (tQuantile(0.975, n - 1) * ss.sampleStandardDeviation(values as number[])) / Math.sqrt(n);
  return { mean, ci95: [mean - half, mean + half] };
}

/** part / whole, or `empty` when whole is 0 (a share of nothing), so reports never show NaN%. */
export function share(part: number, whole: number, empty = 0): number {
  return whole === 0 ? empty : part / whole;
}

// ---------------------------------------------------------------------------------------------
// Student t: exact upper-tail probability through the regularized incomplete beta function, and
// the quantile by Hill's (1970, ACM Algorithm 396) approximation polished with Newton steps.

/** Continued fraction for I_x(a, b) (modified Lentz; Numerical Recipes `betacf`). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  let c = 1;
  let d = nonZero(1 - ((a + b) * x) / (a + 1));
  d = 1 / d;
  let h = d;
  // Large shape parameters need O(sqrt(a)) terms; df <= 1e5 keeps this well under the cap.
  for (let m = 1; m <= 10_000; m++) {
    const m2 = 2 * m;
    const even = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 / nonZero(1 + even * d);
    c = nonZero(1 + even / c);
    h *= d * c;
    const odd = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 / nonZero(1 + odd * d);
    c = nonZero(1 + odd / c);
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return h;
}

/** Lentz's guard: a denominator of exactly 0 is replaced by a tiny number. */
function nonZero(v: number): number {
  return Math.abs(v) < 1e-300 ? 1e-300 : v;
}

/** Regularized incomplete beta I_x(a, b), given both x and y = 1 − x (so neither loses digits). */
function regularizedBeta(x: number, y: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (y <= 0) return 1;
  const logFront = a * Math.log(x) + b * Math.log(y) - (ss.gammaln(a) + ss.gammaln(b) - ss.gammaln(a + b));
  const front = Math.exp(logFront);
  // The fraction converges fast only on one side of the mean; use the symmetry I_x(a,b) = 1 − I_y(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(y, b, a)) / b;
}

/** P(T > t) for Student t with df degrees of freedom, t >= 0. */
function tUpperTail(t: number, df: number): number {
  const t2 = t * t;
  return 0.5 * regularizedBeta(df / (df + t2), t2 / (df + t2), df / 2, 0.5);
}

function tDensity(t: number, df: number): number {
  const logC = ss.gammaln((df + 1) / 2) - ss.gammaln(df / 2) - 0.5 * Math.log(df * Math.PI);
  return Math.exp(logC - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/**
 * Cumulative distribution function of Student t for finite df > 0 (NaN otherwise); full double
 * precision up to df ≈ 1e5, beyond which log Γ differences cost a few digits.
 */
export function tCdf(t: number, df: number): number {
  if (Number.isNaN(t) || !(df > 0 && df < Number.POSITIVE_INFINITY)) return Number.NaN;
  const upper = Number.isFinite(t) ? tUpperTail(Math.abs(t), df) : 0;
  return t >= 0 ? 1 - upper : upper;
}

/** Hill's starting value for the upper-tail quantile; `twoSided` = 2 · P(T > t). Returns t > 0. */
function hillStart(twoSided: number, df: number): number {
  const a = 1 / (df - 0.5);
  const b = 48 / (a * a);
  let c = ((20700 * (a / b) - 98) * a - 16) * a + 96.36;
  const d = ((94.5 / (b + c) - 3) / b + 1) * Math.sqrt((a * Math.PI) / 2) * df;
  let y = (d * twoSided) ** (2 / df);
  if ((df < 2.1 && twoSided > 0.5) || y > 0.05 + a) {
    // Far from the tail: asymptotic expansion about the normal.
    const x = normalQuantile(0.5 * twoSided);
    y = x * x;
    if (df < 5) c += 0.3 * (df - 4.5) * (x + 0.6);
    c = (((0.05 * d * x - 5) * x - 7) * x - 2) * x + b + c;
    y = (((((0.4 * y + 6.3) * y + 36) * y + 94.5) / c - y - 3) / b + 1) * x;
    y = Math.expm1(a * y * y);
  } else {
    y =
      ((1 / (((df + 6) / (df * y) - 0.089 * d - 0.822) * (df + 2) * 3) + 0.5 / (df + 4)) * y - 1) *
        ((df + 1) / (df + 2)) +
      1 / y;
  }
  return Math.sqrt(df * y);
}

/** Cornish–Fisher expansion (Abramowitz & Stegun 26.7.5): exact to double precision for huge df. */
function cornishFisher(p: number, df: number): number {
  const z = normalQuantile(p);
  const z2 = z * z;
  const g1 = ((z2 + 1) * z) / 4;
  const g2 = (((5 * z2 + 16) * z2 + 3) * z) / 96;
  const g3 = ((((3 * z2 + 19) * z2 + 17) * z2 - 15) * z) / 384;
  const g4 = (((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945) * z) / 92160;
  return z + (g1 + (g2 + (g3 + g4 / df) / df) / df) / df;
}

/**
 * Quantile of Student t: the t with P(T <= t) = p. Exact closed forms for df 1 and 2, the normal
 * quantile for df = Infinity, otherwise Hill's approximation refined on the exact CDF.
 */
export function tQuantile(p: number, df: number): number {
  if (!(p >= 0 && p <= 1) || !(df > 0)) return Number.NaN;
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  if (df === Number.POSITIVE_INFINITY) return normalQuantile(p);
  if (df === 1) return Math.tan(Math.PI * (p - 0.5));
  if (df === 2) return (2 * p - 1) / Math.sqrt(2 * p * (1 - p));
  // Beyond 1e5 the expansion's error (O(df⁻⁵)) is below double precision, while the beta fraction
  // would need many iterations and lose digits in log Γ differences.
  if (df > 1e5) return cornishFisher(p, df);
  const tail = Math.min(p, 1 - p);
  let t = hillStart(2 * tail, df);
  for (let i = 0; i < 20; i++) {
    const density = tDensity(t, df);
    if (!(density > 0)) break;
    const step = (tUpperTail(t, df) - tail) / density;
    if (!Number.isFinite(step)) break;
    // Second-order Taylor step (as R's qt does): converges in one or two iterations from Hill's start.
    t += step * (1 + (step * t * (df + 1)) / (2 * (t * t + df)));
    if (Math.abs(step) <= 1e-14 * Math.abs(t)) break;
  }
  return p < 0.5 ? -t : t;
}

// ---------------------------------------------------------------------------------------------
// Beta quantiles, for drawing uncertain probabilities by inversion: one uniform gives one value,
// monotone in the uniform, so a parameter shared by two scenarios takes the same value in both.

/** P(X ≤ x) for X ~ Beta(a, b). */
export function betaCdf(x: number, a: number, b: number): number {
  if (!(x > 0)) return 0;
  if (!(x < 1)) return 1;
  return regularizedBeta(x, 1 - x, a, b);
}

/** Shapes beyond which a Beta is drawn from its normal approximation (the skewness is < 0.002). */
const BETA_NORMAL_SHAPE = 1e6;

/**
 * The u-quantile of Beta(a, b): Newton steps on the exact CDF from a normal start, kept inside a
 * bracket that bisection shrinks whenever a step leaves it; to ~1e-14. For a + b above 10⁶ the
 * normal approximation (the same mean and variance) is used: its error is far below the spread.
 */
export function betaQuantile(u: number, a: number, b: number): number {
  if (!(u > 0)) return 0;
  if (!(u < 1)) return 1;
  const mean = a / (a + b);
  const sd = Math.sqrt((a * b) / ((a + b) ** 2 * (a + b + 1)));
  if (a + b > BETA_NORMAL_SHAPE) return Math.min(1, Math.max(0, mean + sd * normalQuantile(u)));
  const logB = ss.gammaln(a) + ss.gammaln(b) - ss.gammaln(a + b);
  let lo = 0;
  let hi = 1;
  let x = Math.min(1 - 1e-12, Math.max(1e-12, mean + sd * normalQuantile(u)));
  for (let i = 0; i < 200; i++) {
    const f = betaCdf(x, a, b) - u;
    if (f === 0) return x;
    if (f < 0) lo = x;
    else hi = x;
    const density = Math.exp((a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - logB);
    let next = x - f / density;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    if (Math.abs(next - x) <= 1e-15 * Math.max(x, 1e-300) || hi - lo <= 1e-15 * hi) return next;
    x = next;
  }
  return x;
}

// ---------------------------------------------------------------------------------------------
// Summaries over draws (probabilistic sensitivity analysis).

/** The q-quantile of values by linear interpolation between order statistics (R's type 7). */
export function quantileOf(values: readonly number[], q: number): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((x, y) => x - y);
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const h = (n - 1) * q;
  const i = Math.floor(h);
  const lower = sorted[i]!;
  const upper = sorted[Math.min(i + 1, n - 1)]!;
  return lower + (h - i) * (upper - lower);
}

/** The central 95% of values: their 2.5% and 97.5% quantiles. */
export function interval95(values: readonly number[]): Interval {
  return [quantileOf(values, 0.025), quantileOf(values, 0.975)];
}

/** Ranks 1…n, ties sharing their mean rank. */
function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((x, y) => x[0] - y[0]);
  const out = new Array<number>(values.length);
  for (let i = 0; i < order.length; ) {
    let j = i;
    while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
    for (let k = i; k <= j; k++) out[order[k]![1]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return out;
}

/** Pearson correlation; 0 when either side does not vary. */
export function correlation(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2 || y.length !== n) return 0;
  const mx = ss.mean(x as number[]);
  const my = ss.mean(y as number[]);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : 0;
}

/** Spearman's rank correlation: Pearson's on the ranks. */
export function rankCorrelation(x: readonly number[], y: readonly number[]): number {
  return correlation(ranks(x), ranks(y));
}

/**
 * Fieller's 95% interval for a ratio of means E[x] / E[y] from paired unit values (batches): the
 * exact interval of a ratio of jointly normal estimates. Null when it is unbounded, i.e. when the
 * denominator's interval contains 0 (the ratio may be of either sign, or infinite).
 */
export function fiellerInterval(x: readonly number[], y: readonly number[]): Interval | null {
  const k = x.length;
  if (k < 3 || y.length !== k) return null;
  const mx = ss.mean(x as number[]);
  const my = ss.mean(y as number[]);
  let vxx = 0;
  let vyy = 0;
  let vxy = 0;
  for (let i = 0; i < k; i++) {
    vxx += (x[i]! - mx) ** 2;
    vyy += (y[i]! - my) ** 2;
    vxy += (x[i]! - mx) * (y[i]! - my);
  }
  // Variances of the means.
  [vxx, vyy, vxy] = [vxx / (k - 1) / k, vyy / (k - 1) / k, vxy / (k - 1) / k];
  const t2 = tQuantile(0.975, k - 1) ** 2;
  const a = my * my - t2 * vyy;
  if (!(a > 0)) return null;
  const b = mx * my - t2 * vxy;
  const c = mx * mx - t2 * vxx;
  const disc = b * b - a * c;
  if (disc < 0) return null;
  const root = Math.sqrt(disc);
  return [(b - root) / a, (b + root) / a];
}

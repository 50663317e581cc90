// A step function of time that repeats with a period (a week of staffing: places by shift, or
// open = 1 / closed = 0 by staffed hours). Its value on [starts[i], starts[i + 1]) of every period
// is values[i]. Breakpoints that are whole numbers give change times that are exact in floating
// point (cycle × period + breakpoint), so an event scheduled at a change falls exactly on it.

export class PeriodicSteps {
  private readonly starts: Float64Array;
  private readonly values: Float64Array;
  /** cumulative[i] = integral of the value over [0, starts[i]) of one period. */
  private readonly cumulative: Float64Array;
  private readonly total: number;

  /**
   * `starts` ascending from 0, below `period`, one value each. Neighbours with equal values are
   * merged, so every remaining breakpoint is a change (except possibly at the period's wrap).
   */
  constructor(
    readonly period: number,
    starts: readonly number[],
    values: readonly number[],
  ) {
    if (starts.length === 0 || starts[0] !== 0 || starts.length !== values.length)
      throw new RangeError("PeriodicSteps: starts must begin at 0, one value each");
    const s: number[] = [];
    const v: number[] = [];
    starts.forEach((start, i) => {
      if (i > 0 && !(start > starts[i - 1]! && start < period))
        throw new RangeError("PeriodicSteps: starts must ascend within the period");
      if (v.length > 0 && v[v.length - 1] === values[i]) return;
      s.push(start);
      v.push(values[i]!);
    });
    this.starts = Float64Array.from(s);
    this.values = Float64Array.from(v);
    this.cumulative = new Float64Array(s.length + 1);
    for (let i = 0; i < s.length; i++) {
      const end = i + 1 < s.length ? s[i + 1]! : period;
      this.cumulative[i + 1] = this.cumulative[i]! + v[i]! * (end - s[i]!);
    }
    this.total = this.cumulative[s.length]!;
  }

  /** A constant function. */
  static constant(period: number, value: number): PeriodicSteps {
    return new PeriodicSteps(period, [0], [value]);
  }

  get max(): number {
    return Math.max(...this.values);
  }

  get min(): number {
    return Math.min(...this.values);
  }

  get isConstant(): boolean {
    return this.values.length === 1;
  }

  valueAt(t: number): number {
    return this.values[this.segment(t - Math.floor(t / this.period) * this.period)]!;
  }

  /** The first time after `t` (strictly) at which the value changes; Infinity if it never does. */
  nextChange(t: number): number {
    const n = this.starts.length;
    if (n === 1) return Number.POSITIVE_INFINITY;
    const cycle = Math.floor(t / this.period);
    const base = cycle * this.period;
    const i = this.segment(t - base);
    if (i + 1 < n) return base + this.starts[i + 1]!;
    // Past the last breakpoint: the next change is at the wrap, unless the value carries on.
    const wrapChanges = this.values[n - 1] !== this.values[0];
    return base + this.period + (wrapChanges ? 0 : this.starts[1]!);
  }

  /** The first time at or after `t` at which the value is at least `atLeast`; Infinity if never. */
  nextTimeAtLeast(t: number, atLeast: number): number {
    if (this.valueAt(t) >= atLeast) return t;
    if (!(this.max >= atLeast)) return Number.POSITIVE_INFINITY;
    let at = this.nextChange(t);
    while (this.valueAt(at) < atLeast) at = this.nextChange(at);
    return at;
  }

  /** ∫ value dt over [a, b]. */
  integral(a: number, b: number): number {
    return this.integralTo(b) - this.integralTo(a);
  }

  /** The longest stretch (within a period, wrapping) with value below `atLeast`; 0 if none. */
  longestBelow(atLeast: number): number {
    const n = this.starts.length;
    const below = (i: number) => this.values[i % n]! < atLeast;
    if (Array.from({ length: n }, (_, i) => below(i)).every(Boolean)) return Number.POSITIVE_INFINITY;
    let longest = 0;
    // Start from a segment that is not below, so a stretch crossing the wrap is measured whole.
    const first = Array.from({ length: n }, (_, i) => i).find((i) => !below(i))!;
    let run = 0;
    for (let k = 1; k <= n; k++) {
      const i = (first + k) % n;
      if (below(i)) {
        const end = i + 1 < n ? this.starts[i + 1]! : this.period;
        run += end - this.starts[i]!;
        longest = Math.max(longest, run);
      } else run = 0;
    }
    return longest;
  }

  private integralTo(t: number): number {
    const cycle = Math.floor(t / this.period);
    const u = t - cycle * this.period;
    const i = this.segment(u);
    return cycle * this.total + this.cumulative[i]! + this.values[i]! * (u - this.starts[i]!);
  }

  /** Index of the segment containing `u` in [0, period). */
  private segment(u: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= u) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }
}

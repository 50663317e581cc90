import { describe, expect, it } from "vitest";
import {
  meanInterval,
  normalQuantile,
  share,
  tCdf,
  tQuantile,
  wilson,
  Z95,
} from "../../src/analysis/stats.js";

describe("wilson", () => {
  // Reference intervals from Newcombe (1998), "Two-sided confidence intervals for the single
  // proportion", Table I, method 3 (Wilson score without continuity correction).
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])("%i of %i matches Newcombe's table", (k, n, lo, hi) => {
    const [a, b] = wilson(k, n);
    expect(a).toBeCloseTo(lo, 4);
    expect(b).toBeCloseTo(hi, 4);
  });

  it("pins the bounds at 0 and 1 exactly and stays inside [0, 1]", () => {
    expect(wilson(0, 10)).toEqual([0, expect.closeTo(0.2775, 4)]);
    expect(wilson(10, 10)).toEqual([expect.closeTo(0.7225, 4), 1]);
    const [lo, hi] = wilson(1, 1_000_000);
    expect(lo).toBeGreaterThan(0);
    expect(hi).toBeLessThan(1e-5);
  });

  it("is [0, 1] without data and rejects impossible counts", () => {
    expect(wilson(0, 0)).toEqual([0, 1]);
    expect(() => wilson(11, 10)).toThrow(RangeError);
    expect(() => wilson(-1, 10)).toThrow(RangeError);
  });

  it("narrows with a smaller z", () => {
    const [lo95, hi95] = wilson(30, 100);
    const [lo68, hi68] = wilson(30, 100, 1);
    expect(lo68).toBeGreaterThan(lo95);
    expect(hi68).toBeLessThan(hi95);
  });
});

describe("normalQuantile", () => {
  it("matches reference values to double precision", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(Z95, 14);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it("handles the ends of its domain", () => {
    expect(normalQuantile(0)).toBe(Number.NEGATIVE_INFINITY);
    expect(normalQuantile(1)).toBe(Number.POSITIVE_INFINITY);
    expect(normalQuantile(1.5)).toBeNaN();
  });
});

describe("tQuantile", () => {
  // R: qt(0.975, df) and qt(0.995, 5).
  it.each([
    [0.975, 1, 12.706204736174707],
    [0.975, 2, 4.302652729749464],
    [0.975, 3, 3.182446305284263],
    [0.975, 9, 2.262157162798205],
    [0.975, 29, 2.045229642132703],
    [0.975, 100, 1.983971518523552],
    [0.975, 1000, 1.962339080826442],
    [0.995, 5, 4.032142983557536],
  ])("t(%f, df %f) = %f", (p, df, expected) => {
    expect(tQuantile(p, df)).toBeCloseTo(expected, 9);
  });

  it("tends to the normal quantile: 1.960 at df = Infinity", () => {
    expect(tQuantile(0.975, Number.POSITIVE_INFINITY)).toBeCloseTo(Z95, 14);
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(Z95, 6);
    expect(tQuantile(0.975, 1e7)).toBeGreaterThan(Z95);
  });

  it("is continuous where it switches to the Cornish–Fisher expansion", () => {
    const below = tQuantile(0.975, 99_999);
    const above = tQuantile(0.975, 100_001);
    expect(below).toBeGreaterThan(above);
    expect(below - above).toBeLessThan(1e-9);
  });

  it("inverts the CDF, for fractional df and far tails too", () => {
    for (const df of [1.5, 2.5, 3, 4, 7.3, 30, 250, 5000, 99_999]) {
      for (const p of [1e-12, 1e-4, 0.025, 0.2, 0.5, 0.51, 0.9, 0.975, 0.9999, 1 - 1e-9]) {
        const t = tQuantile(p, df);
        // Relative to the tail probability: a tail of 1e-12 must be right to ~1e-22.
        expect(Math.abs(tCdf(t, df) - p)).toBeLessThanOrEqual(1e-10 * Math.min(p, 1 - p));
      }
    }
  });

  it("is antisymmetric and handles its domain edges", () => {
    expect(tQuantile(0.025, 9)).toBeCloseTo(-2.262157162798205, 9);
    expect(tQuantile(0.5, 4)).toBe(0);
    expect(tQuantile(0, 4)).toBe(Number.NEGATIVE_INFINITY);
    expect(tQuantile(1, 4)).toBe(Number.POSITIVE_INFINITY);
    expect(tQuantile(0.9, 0)).toBeNaN();
    expect(tQuantile(Number.NaN, 3)).toBeNaN();
  });
});

describe("tCdf", () => {
  it("matches closed forms for df 1 and 2", () => {
    // df 1 is Cauchy: F(t) = 1/2 + atan(t)/π; df 2: F(t) = 1/2 + t / (2 √(2 + t²)).
    for (const t of [-30, -2, -0.3, 0, 0.7, 5]) {
      expect(tCdf(t, 1)).toBeCloseTo(0.5 + Math.atan(t) / Math.PI, 13);
      expect(tCdf(t, 2)).toBeCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), 13);
    }
  });

  it("is NaN outside its domain", () => {
    expect(tCdf(1, Number.POSITIVE_INFINITY)).toBeNaN();
    expect(tCdf(1, -1)).toBeNaN();
  });
});

describe("meanInterval", () => {
  it("gives the Student-t interval of the mean", () => {
    // mean 2.5, sd 1.2909944, t(0.975, 3) = 3.1824463 → half-width 2.0542603.
    const { mean, ci95 } = meanInterval([1, 2, 3, 4]);
    expect(mean).toBe(2.5);
    expect(ci95[0]).toBeCloseTo(0.4457397, 6);
    expect(ci95[1]).toBeCloseTo(4.5542603, 6);
  });

  it("uses the t quantile of n − 1 degrees of freedom", () => {
    const values = [0.36, 0.38, 0.37, 0.35, 0.39, 0.36, 0.37, 0.38, 0.36, 0.38];
    const { mean, ci95 } = meanInterval(values);
    const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / 9);
    expect(ci95[1] - mean).toBeCloseTo((2.262157162798205 * sd) / Math.sqrt(10), 12);
  });

  it("has no interval below two values and a zero-width one without spread", () => {
    expect(meanInterval([]).mean).toBeNaN();
    expect(meanInterval([]).ci95.every(Number.isNaN)).toBe(true);
    expect(meanInterval([0.4])).toEqual({ mean: 0.4, ci95: [Number.NaN, Number.NaN] });
    expect(meanInterval([2, 2, 2]).ci95).toEqual([2, 2]);
  });
});

describe("share", () => {
  it("divides, and returns the fallback for an empty whole", () => {
    expect(share(1, 4)).toBe(0.25);
    expect(share(0, 0)).toBe(0);
    expect(share(0, 0, 1)).toBe(1);
  });
});

import seedrandom from "seedrandom";
import { describe, expect, it } from "vitest";
import { Sketch, type SketchJSON } from "../../src/engine/sketch.js";

/** Lognormal draws (Box–Muller) from a seeded generator: the same values on every run. */
function lognormal(n: number, median: number, sigma: number, seed: string): number[] {
  const rng = seedrandom.alea(seed);
  return Array.from({ length: n }, () => {
    const z = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    return median * Math.exp(sigma * z);
  });
}

/** The exact sorted-array quantile with linear interpolation (R type 7), the sketch's definition. */
function exactQuantile(sorted: readonly number[], q: number): number {
  const h = q * (sorted.length - 1);
  const j = Math.floor(h);
  const lo = sorted[j]!;
  const hi = sorted[Math.min(j + 1, sorted.length - 1)]!;
  return lo + (h - j) * (hi - lo);
}

function sketchOf(values: readonly number[]): Sketch {
  const s = new Sketch();
  for (const v of values) s.add(v);
  return s;
}

const serial = (s: Sketch): string => JSON.stringify(s.toJSON());

const QUANTILES = [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999];

describe("Sketch quantiles", () => {
  const values = lognormal(100_000, 60, 1, "sketch-lognormal");
  const sorted = [...values].sort((a, b) => a - b);
  const sketch = sketchOf(values);

  it.each(QUANTILES)("q = %f is within 0.1% of the exact quantile of 1e5 lognormal values", (q) => {
    const exact = exactQuantile(sorted, q);
    expect(Math.abs(sketch.quantile(q) / exact - 1)).toBeLessThanOrEqual(0.001);
  });

  it("keeps count, min, max exactly and the mean to rounding", () => {
    expect(sketch.count).toBe(100_000);
    expect(sketch.min).toBe(sorted[0]);
    expect(sketch.max).toBe(sorted.at(-1));
    expect(sketch.quantile(0)).toBe(sorted[0]);
    expect(sketch.quantile(1)).toBe(sorted.at(-1));
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(sketch.mean / mean - 1)).toBeLessThan(1e-12);
  });

  it("stays within 0.1% across its whole range, 0.1 min to 10^7 min", () => {
    const rng = seedrandom.alea("log-uniform");
    const wide = Array.from({ length: 50_000 }, () => 0.1 * 10 ** (8 * rng()));
    const wideSorted = [...wide].sort((a, b) => a - b);
    const s = sketchOf(wide);
    for (let q = 0.0005; q < 1; q += 0.0137) {
      expect(Math.abs(s.quantile(q) / exactQuantile(wideSorted, q) - 1)).toBeLessThanOrEqual(0.001);
    }
  });

  it("returns exact zeros and a monotone answer", () => {
    const s = sketchOf([0, 0, 0, 5, 10]);
    expect(s.quantile(0.25)).toBe(0);
    expect(s.quantile(0.5)).toBe(0);
    let previous = -1;
    for (let q = 0; q <= 1; q += 0.01) {
      const v = s.quantile(q);
      expect(v).toBeGreaterThanOrEqual(previous);
      previous = v;
    }
  });

  it("handles values below and above the log-linear range", () => {
    const tiny = sketchOf([1e-6, 2e-6, 3e-6]);
    expect(tiny.quantile(0.5)).toBeGreaterThanOrEqual(1e-6);
    expect(tiny.quantile(0.5)).toBeLessThanOrEqual(3e-6);
    const huge = sketchOf([1e8, 2e8, 4e8]);
    expect(huge.quantile(1)).toBe(4e8);
    expect(huge.quantile(0.5)).toBeGreaterThanOrEqual(1e8);
    expect(huge.quantile(0.5)).toBeLessThanOrEqual(4e8);
    expect(huge.mean).toBeCloseTo(7e8 / 3, 3);
  });

  it("rejects values that are bugs upstream, and q outside [0, 1]", () => {
    const s = new Sketch();
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => s.add(bad)).toThrow(RangeError);
    expect(s.count).toBe(0);
    expect(() => sketch.quantile(1.1)).toThrow(RangeError);
  });
});

describe("an empty Sketch", () => {
  it("has count 0 and NaN for every statistic (there is no median of nothing)", () => {
    const s = new Sketch();
    expect(s.count).toBe(0);
    expect(s.quantile(0.5)).toBeNaN();
    expect(s.mean).toBeNaN();
    expect(s.min).toBeNaN();
    expect(s.max).toBeNaN();
    expect(s.toBins(10)).toEqual([]);
  });

  it("is the identity of merge", () => {
    const a = sketchOf([1, 2, 3]);
    expect(serial(new Sketch().merge(a))).toBe(serial(a));
    expect(serial(sketchOf([1, 2, 3]).merge(new Sketch()))).toBe(serial(a));
  });
});

describe("Sketch.merge", () => {
  const values = lognormal(30_000, 45, 0.8, "sketch-merge");

  it("equals one sketch of all values, bit for bit, in any order and split", () => {
    const whole = serial(sketchOf(values));
    const parts = [values.slice(0, 7_000), values.slice(7_000, 19_000), values.slice(19_000)];
    const [a, b, c] = parts.map(sketchOf) as [Sketch, Sketch, Sketch];
    expect(serial(sketchOf(parts[0]!).merge(b).merge(c))).toBe(whole);
    expect(serial(sketchOf(parts[2]!).merge(a).merge(b))).toBe(whole);
    // Interleaved split and reversed insertion order: floating-point sums would differ here.
    const odd = sketchOf(values.filter((_, i) => i % 2 === 1).reverse());
    const even = sketchOf(values.filter((_, i) => i % 2 === 0));
    expect(serial(odd.merge(even))).toBe(whole);
  });

  it("sums counts exactly", () => {
    const a = sketchOf(values.slice(0, 100));
    a.merge(sketchOf(values.slice(100)));
    expect(a.count).toBe(values.length);
  });
});

describe("Sketch JSON", () => {
  it("round-trips exactly and stores only non-empty buckets", () => {
    const s = sketchOf(lognormal(5_000, 30, 1.2, "sketch-json").concat([0, 0, 1e-5, 3e8]));
    const json = s.toJSON();
    const back = Sketch.fromJSON(JSON.parse(JSON.stringify(json)) as SketchJSON);
    expect(serial(back)).toBe(serial(s));
    expect(back.quantile(0.9)).toBe(s.quantile(0.9));
    expect(back.mean).toBe(s.mean);
    expect(json.counts.every((c) => c > 0)).toBe(true);
    expect(json.counts.length).toBeLessThanOrEqual(5_004);
    // Further values still merge exactly after a round trip.
    expect(serial(Sketch.fromJSON(json).merge(sketchOf([7])))).toBe(serial(s.merge(sketchOf([7]))));
  });

  it("round-trips an empty sketch", () => {
    const json = new Sketch().toJSON();
    expect(json).toMatchObject({ count: 0, min: null, max: null, index: [], counts: [] });
    expect(Sketch.fromJSON(json).quantile(0.5)).toBeNaN();
  });

  it("rejects corrupt shards", () => {
    const good = sketchOf([1, 2, 3]).toJSON();
    expect(() => Sketch.fromJSON({ ...good, v: 2 } as unknown as SketchJSON)).toThrow(/version/);
    expect(() => Sketch.fromJSON({ ...good, count: 4 })).toThrow(/counts sum/);
    expect(() => Sketch.fromJSON({ ...good, counts: [1, 1] })).toThrow(/equal length/);
    expect(() => Sketch.fromJSON({ ...good, index: [0, 0, 1] })).toThrow(/bucket index/);
    expect(() => Sketch.fromJSON({ ...good, index: [1e9, 1, 1] })).toThrow(/bucket index/);
    expect(() => Sketch.fromJSON({ ...good, min: null })).toThrow(/min and max/);
  });
});

describe("Sketch.toBins", () => {
  it("makes nice equal-width bins that count every value once", () => {
    const s = sketchOf(Array.from({ length: 100 }, (_, i) => i));
    expect(s.toBins(10)).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ lo: i * 10, hi: i * 10 + 10, count: 10 })),
    );
  });

  it("respects maxBins, covers [min, max] and uses steps of 1, 2, 2.5 or 5 × 10^k", () => {
    const values = lognormal(20_000, 75, 0.6, "sketch-bins");
    const s = sketchOf(values);
    for (const maxBins of [1, 3, 7, 20, 40]) {
      const bins = s.toBins(maxBins);
      expect(bins.length).toBeLessThanOrEqual(maxBins);
      expect(bins.reduce((a, b) => a + b.count, 0)).toBe(values.length);
      expect(bins[0]!.lo).toBeLessThanOrEqual(s.min);
      expect(bins.at(-1)!.hi).toBeGreaterThanOrEqual(s.max);
      const step = bins[0]!.hi - bins[0]!.lo;
      const mantissa = step / 10 ** Math.floor(Math.log10(step));
      expect([1, 2, 2.5, 5].some((m) => Math.abs(m - mantissa) < 1e-9)).toBe(true);
      for (const b of bins) expect(b.hi - b.lo).toBeCloseTo(step, 9);
    }
  });

  it("gives one bin when all values are equal", () => {
    expect(sketchOf([42, 42, 42]).toBins(10)).toEqual([{ lo: 42, hi: 42, count: 3 }]);
    expect(sketchOf([1e6, 1e6 + 1e-4]).toBins(10)).toEqual([{ lo: 1e6, hi: 1e6 + 1e-4, count: 2 }]);
    expect(() => sketchOf([1]).toBins(0)).toThrow(RangeError);
  });
});

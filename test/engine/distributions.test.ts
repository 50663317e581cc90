import { describe, expect, it } from "vitest";
import { type Distribution, mean, normalQuantile, sampler } from "../../src/engine/distributions.js";
import { stringKey } from "../../src/engine/random.js";

const N = 200_000;

function samples(d: Distribution): number[] {
  const s = sampler(d);
  const site = stringKey("test");
  return Array.from({ length: N }, (_, i) => s(i, site, 1)).sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("distributions", () => {
  it("normal quantile matches known values", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 10);
    expect(normalQuantile(0.5)).toBe(0);
  });

  it("lognormal hits its median and p90", () => {
    const xs = samples({ kind: "lognormal", median: 40, p90: 70 });
    expect(quantile(xs, 0.5)).toBeCloseTo(40, 0);
    expect(Math.abs(quantile(xs, 0.9) / 70 - 1)).toBeLessThan(0.01);
    expect(Math.abs(avg(xs) / mean({ kind: "lognormal", median: 40, p90: 70 }) - 1)).toBeLessThan(0.01);
  });

  it("exponential, uniform, triangular and gamma hit their means", () => {
    const cases: Distribution[] = [
      { kind: "exponential", mean: 20 },
      { kind: "uniform", min: 5, max: 15 },
      { kind: "triangular", min: 1, mode: 2, max: 10 },
      { kind: "gamma", mean: 30, sd: 10 },
      { kind: "gamma", mean: 30, sd: 60 }, // shape < 1: the boosted branch
    ];
    for (const d of cases) expect(Math.abs(avg(samples(d)) / mean(d) - 1)).toBeLessThan(0.01);
  });

  it("exponential median is mean·ln 2 and gamma has its sd", () => {
    expect(
      Math.abs(quantile(samples({ kind: "exponential", mean: 20 }), 0.5) / (20 * Math.LN2) - 1),
    ).toBeLessThan(0.01);
    const g = samples({ kind: "gamma", mean: 30, sd: 10 });
    const m = avg(g);
    const sd = Math.sqrt(avg(g.map((x) => (x - m) ** 2)));
    expect(Math.abs(sd / 10 - 1)).toBeLessThan(0.02);
  });

  it("triangular and uniform stay inside their bounds; fixed is fixed", () => {
    const t = samples({ kind: "triangular", min: 1, mode: 2, max: 10 });
    expect(t[0]!).toBeGreaterThanOrEqual(1);
    expect(t[N - 1]!).toBeLessThanOrEqual(10);
    expect(samples({ kind: "fixed", value: 7 }).every((x) => x === 7)).toBe(true);
  });
});

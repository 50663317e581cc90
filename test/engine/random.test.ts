import { describe, expect, it } from "vitest";
import { draw, entityKey, seedKey, stringKey } from "../../src/engine/random.js";

describe("keyed random streams", () => {
  it("are pure functions of their key", () => {
    const e = entityKey(seedKey(1), 0, 42);
    expect(draw(e, stringKey("ed#time"), 1, 0)).toBe(draw(e, stringKey("ed#time"), 1, 0));
    expect(draw(e, stringKey("ed#time"), 1, 0)).not.toBe(draw(e, stringKey("ed#time"), 2, 0));
    expect(seedKey(1)).not.toBe(seedKey(2));
  });

  it("are uniform: chi-square over 100 cells and mean 1/2", () => {
    const n = 200_000;
    const cells = new Array<number>(100).fill(0);
    const seed = seedKey(7);
    const site = stringKey("x");
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const u = draw(entityKey(seed, 0, i), site, 1, 0);
      expect(u > 0 && u < 1).toBe(true);
      cells[Math.floor(u * 100)]!++;
      sum += u;
    }
    const expected = n / 100;
    const chi2 = cells.reduce((a, c) => a + (c - expected) ** 2 / expected, 0);
    expect(chi2).toBeLessThan(148); // 99.9th percentile of chi-square with 99 df
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.003);
  });

  it("neighbouring keys are uncorrelated", () => {
    const n = 100_000;
    const seed = seedKey(3);
    const a = stringKey("a");
    let sxy = 0;
    for (let i = 0; i < n; i++) {
      const e = entityKey(seed, 0, i);
      sxy +=
        (draw(e, a, 1, 0) - 0.5) * (draw(e, a, 2, 0) - 0.5) +
        (draw(e, a, 1, 0) - 0.5) * (draw(e, a, 1, 1) - 0.5);
    }
    // Each product has sd 1/12; the sum of 2n of them has sd sqrt(2n)/12.
    expect(Math.abs(sxy)).toBeLessThan((4 * Math.sqrt(2 * n)) / 12);
  });
});

import { describe, expect, it } from "vitest";
import { PeriodicSteps } from "../../../src/engine/resources/steps.js";

const WEEK = 10080;

describe("PeriodicSteps", () => {
  // 1 from 0, 3 from 480 (Monday 08:00), 1 from 1200 (20:00), for one day repeated: period 1440.
  const day = new PeriodicSteps(1440, [0, 480, 1200], [1, 3, 1]);

  it("values repeat every period, breakpoints included", () => {
    expect(day.valueAt(0)).toBe(1);
    expect(day.valueAt(479.999)).toBe(1);
    expect(day.valueAt(480)).toBe(3);
    expect(day.valueAt(1440 * 5 + 1200)).toBe(1);
    expect(day.valueAt(-1)).toBe(1);
    expect([day.max, day.min, day.isConstant]).toEqual([3, 1, false]);
  });

  it("the next change: exact whole minutes, over the wrap when the value carries on", () => {
    expect(day.nextChange(0)).toBe(480);
    expect(day.nextChange(480)).toBe(1200);
    // 20:00 → 08:00 the next day: the value is 1 across midnight, so midnight is no change.
    expect(day.nextChange(1200)).toBe(1440 + 480);
    expect(day.nextChange(3 * 1440 + 100)).toBe(3 * 1440 + 480);
    expect(PeriodicSteps.constant(WEEK, 2).nextChange(5)).toBe(Number.POSITIVE_INFINITY);
  });

  it("the first time with at least a value", () => {
    expect(day.nextTimeAtLeast(100, 3)).toBe(480);
    expect(day.nextTimeAtLeast(500, 3)).toBe(500);
    expect(day.nextTimeAtLeast(1300, 3)).toBe(1440 + 480);
    expect(day.nextTimeAtLeast(0, 4)).toBe(Number.POSITIVE_INFINITY);
  });

  it("integrates over any interval, across periods", () => {
    // One day: 8 h × 1 + 12 h × 3 + 4 h × 1 = 48 place-hours.
    expect(day.integral(0, 1440)).toBe(48 * 60);
    expect(day.integral(1440 * 3, 1440 * 10)).toBe(7 * 48 * 60);
    expect(day.integral(400, 500)).toBe(80 * 1 + 20 * 3);
    expect(day.integral(1300, 1440 + 500)).toBe(140 + 480 + 20 * 3);
  });

  it("the longest stretch below a value, wrapping round", () => {
    expect(day.longestBelow(3)).toBe(720);
    expect(day.longestBelow(1)).toBe(0);
    expect(day.longestBelow(5)).toBe(Number.POSITIVE_INFINITY);
  });

  it("merges equal neighbours and refuses breakpoints out of order", () => {
    expect(new PeriodicSteps(10, [0, 3, 6], [2, 2, 2]).isConstant).toBe(true);
    expect(() => new PeriodicSteps(10, [0, 6, 3], [1, 2, 3])).toThrow(RangeError);
    expect(() => new PeriodicSteps(10, [1], [1])).toThrow(RangeError);
  });
});

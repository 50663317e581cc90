// compare's terminal table writes each row of times in one unit: a change and its interval never
// mix seconds and minutes (issue 17: "47 s … 0 min").
import { describe, expect, it } from "vitest";
import { formatComparison } from "../../src/report/compare.js";
import { sampleComparison } from "../fixtures/comparison.js";

describe("formatComparison: times", () => {
  it("writes a metric's change and its interval in one unit", () => {
    const c = sampleComparison();
    // A change of 42 s with an interval from 19 s to 66 s: one unit for all three.
    c.variants[0]!.differences.metrics.door_to_balloon!.median = { estimate: 0.7, ci95: [19 / 60, 1.1] };
    const row = formatComparison(c, {})
      .split("\n")
      .find((line) => /Door.to.balloon: median/i.test(line))!;
    expect(row).toBeDefined();
    // The last two cells: the change and its interval.
    const change = row
      .trim()
      .split(/\s{2,}/)
      .slice(-2)
      .join(" ");
    expect(change).toBe("+0.70 min +0.32 min to +1.1 min");
    const units = new Set([...change.matchAll(/\d (s|min|h|d)\b/g)].map((m) => m[1]));
    expect(units.size, row).toBeLessThanOrEqual(1);
  });
});

// The one formatting module's rules added for first contact: floating-point noise settles to 0, a
// column of durations has one unit, a p90 of 0 beside a mean wait says why, axes fit their ticks.
import { describe, expect, it } from "vitest";
import type { Sensitivity } from "../../src/analysis/sensitivity.js";
import { fittedTicks } from "../../src/report/charts/axis.js";
import { textWidth } from "../../src/report/charts/text-width.js";
import {
  durationUnit,
  formatDurationIn,
  formatSignedDurationIn,
  formatWaitP90,
  settle,
} from "../../src/report/format.js";
import { formatSensitivity, sensitivityCsv } from "../../src/report/sensitivity.js";

describe("settle: one rule for floating-point noise", () => {
  it("makes an interval of noise the point, and noise around 0 exactly 0", () => {
    expect(settle({ estimate: 0, ci95: [-6.085364243956607e-15, 6.085364243956607e-15] })).toEqual({
      estimate: 0,
      ci95: [0, 0],
    });
    expect(settle({ estimate: 3e-16, ci95: [-1e-14, 1e-14] })).toEqual({ estimate: 0, ci95: [0, 0] });
    // Real intervals are left alone.
    expect(settle({ estimate: 0.5, ci95: [0.4, 0.6] })).toEqual({ estimate: 0.5, ci95: [0.4, 0.6] });
    expect(settle({ estimate: 2, ci95: null })).toEqual({ estimate: 2, ci95: null });
  });

  it("prints 0, not ±6e-15, in sensitivity's terminal table and CSV", () => {
    const noise = {
      estimate: 0,
      ci95: [-6.1e-15, 6.1e-15] as [number, number],
      method: "simulated" as const,
    };
    const s: Sensitivity = {
      scenario: "s",
      seed: 1,
      rank: "reliability",
      patients: 1000,
      baseline: { reliability: 0.5, reliability_method: "analytic", mortality_per_1000: 40 },
      items: [
        {
          element: "a->b",
          kind: "handoff",
          where: "A → B",
          mode: "lost",
          name: "Lost",
          p: 0.2,
          p_range: null,
          severity: "moderate",
          remove: {
            reliability: { estimate: 0.1, ci95: null, method: "analytic" },
            mortality_per_1000: noise,
          },
          halve: {
            reliability: { estimate: 0.05, ci95: null, method: "analytic" },
            mortality_per_1000: noise,
          },
        },
      ],
    };
    const text = formatSensitivity(s);
    expect(text).not.toMatch(/e-1\d/);
    expect(text).toMatch(/Lost\s+20%\s+\+10\.00 pts\s+0\s+\+5\.00 pts\s+0/);
    const row = sensitivityCsv(s).split("\r\n")[1]!.split(",");
    expect(row.slice(12)).toEqual(["0", "0", "0", "moderate"]);
  });
});

describe("durations in a column", () => {
  it("take one unit from the column's largest value, two significant digits when small", () => {
    expect(durationUnit([0, 47 / 60, 8.4, 26])).toBe("min");
    expect([0, 47 / 60, 8.4, 26].map((m) => formatDurationIn(m, "min"))).toEqual([
      "0 min",
      "0.78 min",
      "8.4 min",
      "26 min",
    ]);
    expect(durationUnit([0.5])).toBe("s");
    expect(durationUnit([38, 4320, 10080])).toBe("h");
    expect(durationUnit([30 * 1440])).toBe("d");
    expect(formatDurationIn(10080, "h")).toBe("168 h");
    expect(formatSignedDurationIn(-0.1, "min")).toBe("−0.10 min");
    expect(formatSignedDurationIn(2, "min")).toBe("+2 min");
    expect(formatSignedDurationIn(0, "min")).toBe("0 min");
  });

  it("say why a p90 of 0 sits beside a mean above 0", () => {
    expect(formatWaitP90({ mean: 26, p90: 0 }, "min")).toBe("0 min (most do not wait)");
    expect(formatWaitP90({ mean: 0, p90: 0 }, "min")).toBe("0 min");
    expect(formatWaitP90({ mean: 26, p90: 60 }, "min")).toBe("60 min");
  });
});

describe("fittedTicks", () => {
  it("leaves room between tick labels however narrow the axis, on a 1-2-5 step", () => {
    for (const [domain, width] of [
      [[-330, 270], 220],
      [[-0.72, 0.58], 220],
      [[-12.4, 2.1], 220],
      [[0, 1], 600],
      [[-1e-3, 4e-3], 150],
    ] as [[number, number], number][]) {
      const { values, format } = fittedTicks(domain, width);
      expect(values.length, `${domain}`).toBeGreaterThanOrEqual(2);
      const decimals = Number(/^\.(\d+)f$/.exec(format)?.[1] ?? 0);
      const label = (v: number) => `${v < 0 ? "−" : ""}${Math.abs(v).toFixed(decimals)}`;
      const px = (v: number) => ((v - domain[0]) / (domain[1] - domain[0])) * width;
      for (let i = 1; i < values.length; i++) {
        const room = px(values[i]!) - px(values[i - 1]!);
        expect(room).toBeGreaterThanOrEqual(
          (textWidth(label(values[i]!), 12) + textWidth(label(values[i - 1]!), 12)) / 2 + 14,
        );
      }
      // Labels written with the format's decimals are the values themselves (no 2.5 shown as "3").
      for (const v of values) expect(Number(label(v).replace("−", "-"))).toBeCloseTo(v, 12);
    }
  });
});

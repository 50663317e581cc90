import { describe, expect, it } from "vitest";
import {
  failureModes,
  leverage,
  SENSITIVITY_PATIENTS,
  scaleMode,
  sensitivity,
} from "../../src/analysis/sensitivity.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { buildSpec } from "../fixtures/specs.js";

/**
 * A series chain: five steps and their handoffs, one failure mode each with a distinct effective
 * probability q = p·(1 − detect), plus one mode that never happens (p = 0).
 */
function seriesChain(): ModelSpec {
  return buildSpec({
    microsystems: [
      { id: "s1", failures: [{ id: "m1", p: 0.08 }] },
      { id: "s2", failures: [{ id: "m2", p: 0.3, detect: 0.5 }] },
      {
        id: "s3",
        failures: [
          { id: "m3", p: 0.02 },
          { id: "never", p: 0 },
        ],
      },
      { id: "s4", failures: [{ id: "m4", p: 0.11 }] },
      { id: "s5", failures: [{ id: "m5", p: 0.05, detect: 0.2 }] },
    ],
    handoffs: [
      { from: "s1", to: "s2", failures: [{ id: "h1", p: 0.13 }] },
      { from: "s2", to: "s3", failures: [{ id: "h2", p: 0.035 }] },
      { from: "s3", to: "s4", failures: [{ id: "h3", p: 0.2, detect: 0.75 }] },
      { from: "s4", to: "s5", failures: [{ id: "h4", p: 0.07 }] },
    ],
  });
}

describe("sensitivity", () => {
  it("removes or halves a mode in every context: its own p and its `when` conditions' p", () => {
    const spec = buildSpec({ microsystems: [{ id: "a", failures: [{ id: "night", p: 0 }] }, { id: "b" }] });
    spec.microsystems[0]!.failures[0]!.when = [
      { offHours: true, loadAtLeast: null, waitedAtLeast: null, classes: null, p: 0.4 },
    ];
    // p = 0 by day, but the mode happens at night: it is ranked.
    const refs = failureModes(spec);
    expect(refs.map((r) => r.element)).toEqual(["a"]);
    const halved = scaleMode(spec, refs[0]!, 0.5).microsystems[0]!.failures[0]!;
    expect(halved.when![0]!.p).toBeCloseTo(0.2, 15);
    expect(scaleMode(spec, refs[0]!, 0).microsystems[0]!.failures[0]!.when![0]!.p).toBe(0);
  });

  it("gives the range of p a mode has over its contexts, and simulates (no exact figure)", async () => {
    const spec = buildSpec({
      microsystems: [
        {
          id: "a",
          failures: [
            { id: "night", p: 0.1 },
            { id: "plain", p: 0.2 },
          ],
        },
        { id: "b" },
      ],
    });
    spec.microsystems[0]!.hours = { open: 8 * 60, close: 16 * 60, days: [0, 1, 2, 3, 4] };
    spec.microsystems[0]!.failures[0]!.when = [
      { offHours: true, loadAtLeast: null, waitedAtLeast: null, classes: null, p: 0.4 },
    ];
    const s = await sensitivity({ ...spec, patients: 2000 });
    const byMode = new Map(s.items.map((i) => [i.mode, i]));
    expect(byMode.get("night")!.p_range).toEqual([0.1, 0.4]);
    expect(byMode.get("plain")!.p_range).toBeNull();
    expect(byMode.get("night")!.remove.reliability.method).toBe("simulated");
  });

  it("ranks by severity first: a rare wrong drug above a frequent late letter, then by gain within a level", async () => {
    const spec = seriesChain();
    const set = (id: string, severity: "mild" | "severe" | "death") => {
      for (const el of [...spec.microsystems, ...spec.handoffs])
        for (const f of el.failures) if (f.id === id) f.severity = severity;
    };
    set("m3", "severe"); // the rarest mode (q = 0.02)
    set("h2", "severe"); // q = 0.035
    set("m2", "mild"); // q = 0.15, the most frequent
    const s = await sensitivity(spec);
    // Severe first (by gain: h2, m3), then moderate, the default (by q: h1, m4, m1, h4, h3, m5), then mild.
    expect(s.items.map((i) => i.mode)).toEqual(["h2", "m3", "h1", "m4", "m1", "h4", "h3", "m5", "m2"]);
    expect(s.items.map((i) => i.severity)).toEqual([
      "severe",
      "severe",
      ...Array(6).fill("moderate"),
      "mild",
    ]);
    const lever = await leverage(spec);
    expect(lever!.map((i) => i.mode)).toEqual(s.items.map((i) => i.mode));
  });

  it("on a series chain, ranks modes exactly as the product rule does, with its gains", async () => {
    const spec = seriesChain();
    const s = await sensitivity(spec);
    // Product rule: R = Π(1 − q); without mode i, R / (1 − q_i); halved, R (1 − q_i/2) / (1 − q_i).
    const q: Record<string, number> = {};
    for (const el of [...spec.microsystems, ...spec.handoffs])
      for (const f of el.failures) if (f.p > 0) q[f.id] = f.p * (1 - f.detect);
    const R = Object.values(q).reduce((a, x) => a * (1 - x), 1);
    const byRule = Object.keys(q).sort((a, b) => q[b]! - q[a]!);
    expect(s.items.map((i) => i.mode)).toEqual(byRule);
    for (const item of s.items) {
      const qi = q[item.mode]!;
      expect(item.remove.reliability.estimate).toBeCloseTo(R / (1 - qi) - R, 12);
      expect(item.halve.reliability.estimate).toBeCloseTo((R * (1 - qi / 2)) / (1 - qi) - R, 12);
      expect(item.remove.reliability).toMatchObject({ method: "analytic", ci95: null });
      expect(item.remove.mortality_per_1000).toBeNull();
    }
    expect(s.baseline.reliability).toBeCloseTo(R, 12);
    // Nothing needed simulating: no mortality model, and the routing has an exact solution.
    expect(s.patients).toBe(0);
  });

  it("names handoffs from->to and says which kind each element is", async () => {
    const s = await sensitivity(seriesChain());
    const h1 = s.items.find((i) => i.mode === "h1")!;
    expect(h1).toMatchObject({ element: "s1->s2", kind: "handoff", where: "s1 → s2", p: 0.13 });
    expect(s.items.find((i) => i.mode === "m2")).toMatchObject({ element: "s2", kind: "microsystem" });
  });

  it("simulates mortality with common random numbers: each interval contains the exact change", async () => {
    // Independent modes that only multiply risk: expected risk = base · Π (1 + q_i (harm_i − 1)).
    const spec: ModelSpec = {
      ...buildSpec({
        patients: 40_000,
        microsystems: [
          { id: "a", failures: [{ id: "hurts", p: 0.3, harm: 2 }] },
          { id: "b", failures: [{ id: "mild", p: 0.2, harm: 1.25, detect: 0.5 }] },
          { id: "c", failures: [{ id: "harmless", p: 0.4 }] },
        ],
      }),
      mortality: { base: { all: 0.05 }, delays: [] },
    };
    const factor = { hurts: 1 + 0.3 * 1, mild: 1 + 0.1 * 0.25, harmless: 1 };
    const all = 50 * factor.hurts * factor.mild;
    // One fixed seed; the calibration of these intervals over many seeds is checked in compare.test.ts.
    const s = await sensitivity(spec, { seed: 3, patients: 40_000 });
    expect(s.patients).toBe(40_000);
    for (const item of s.items) {
      const f = factor[item.mode as keyof typeof factor];
      const removed = all / f - all;
      const halved = (all / f) * (1 + (f - 1) / 2) - all;
      for (const [change, exact] of [
        [item.remove, removed],
        [item.halve, halved],
      ] as const) {
        const m = change.mortality_per_1000!;
        expect(m.method).toBe("simulated");
        if (exact === 0) {
          expect(Math.abs(m.estimate)).toBeLessThan(1e-9);
          continue;
        }
        expect(m.ci95![0], `${item.mode}`).toBeLessThan(exact);
        expect(m.ci95![1], `${item.mode}`).toBeGreaterThan(exact);
      }
    }
    // "harmless" is the most frequent defect, so it ranks first, yet removing it saves no life.
    expect(s.items.map((i) => i.mode)).toEqual(["harmless", "hurts", "mild"]);
    expect(s.items[0]!.remove.mortality_per_1000!.estimate).toBe(0);
  });

  it("simulates at most SENSITIVITY_PATIENTS per variant unless told otherwise", async () => {
    const spec: ModelSpec = {
      ...buildSpec({
        patients: 50_000,
        microsystems: [{ id: "a", failures: [{ id: "f", p: 0.1, harm: 2 }] }],
      }),
      mortality: { base: { all: 0.05 }, delays: [] },
    };
    expect((await sensitivity(spec)).patients).toBe(SENSITIVITY_PATIENTS);
    expect((await sensitivity({ ...spec, patients: 3000 })).patients).toBe(3000);
    expect((await sensitivity(spec, { patients: 1000 })).patients).toBe(1000);
  });

  it("leverage: the exact ranking behind run's tornado chart, none without an exact answer", async () => {
    const spec = buildSpec({
      microsystems: [
        { id: "a", failures: [{ id: "small", p: 0.05 }] },
        { id: "b", failures: [{ id: "big", p: 0.2 }] },
      ],
    });
    const items = (await leverage(spec))!;
    expect(items.map((i) => i.mode)).toEqual(["big", "small"]);
    expect(items[0]!.remove.reliability).toBeCloseTo(0.95 - 0.95 * 0.8, 12);
    expect(items[0]!.halve.reliability).toBeCloseTo(0.95 * 0.9 - 0.95 * 0.8, 12);
    expect(items[0]!.remove.mortality_per_1000).toBeNull();
    const trap = {
      ...spec,
      microsystems: spec.microsystems.map((m) => ({
        ...m,
        next: [{ to: m.id === "a" ? "b" : "a", p: null, classes: null }],
      })),
    };
    expect(await leverage(trap)).toBeNull();
  });

  it("lists only modes that can happen, and scaling one keeps every id (so streams match)", () => {
    const spec = seriesChain();
    const refs = failureModes(spec);
    expect(refs.map((r) => r.element)).not.toContain(undefined);
    expect(refs).toHaveLength(9);
    const ref = refs.find((r) => r.kind === "handoff" && r.element === "s3->s4")!;
    const halved = scaleMode(spec, ref, 0.5);
    const h = halved.handoffs.find((x) => x.from === "s3" && x.to === "s4")!;
    expect(h.failures[0]).toMatchObject({ id: "h3", p: 0.1, detect: 0.75 });
    // Nothing else changed, and the original is untouched.
    expect({ ...halved, handoffs: spec.handoffs }).toEqual(spec);
    expect(spec.handoffs.find((x) => x.from === "s3")!.failures[0]!.p).toBe(0.2);
  });
});

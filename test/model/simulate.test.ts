import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analytic.js";
import { runModel } from "../../src/analysis/run.js";
import { compile } from "../../src/model/compiled.js";
import { runUnit, simulate, units } from "../../src/model/simulate.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { buildSpec, chainSpec, fixed } from "../fixtures/specs.js";

const withoutTiming = (s: object) => JSON.stringify({ ...s, wall_ms: 0 });

describe("simulate", () => {
  it("a series chain's reliability has the product rule inside its 95% interval", () => {
    const spec = chainSpec([0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95], 0.9);
    const s = runModel(spec, { patients: 200_000 });
    const exact = 0.95 ** 7 * 0.9 ** 6;
    expect(s.reliability.analytic).toBeCloseTo(exact, 12);
    expect(s.reliability.ci95[0]).toBeLessThan(exact);
    expect(s.reliability.ci95[1]).toBeGreaterThan(exact);
    for (const m of s.microsystems) expect(Math.abs(m.reliability - 0.95)).toBeLessThan(0.004);
  });

  it("the same scenario and seed give byte-identical JSON; another seed differs", () => {
    const spec = chainSpec([0.9, 0.8, 0.95], 0.97);
    const a = runModel(spec, { patients: 70_000, seed: 5 });
    const b = runModel(spec, { patients: 70_000, seed: 5 });
    const c = runModel(spec, { patients: 70_000, seed: 6 });
    expect(withoutTiming(a)).toBe(withoutTiming(b));
    expect(withoutTiming(a)).not.toBe(withoutTiming(c));
  });

  it("detection turns failures into near misses that cost recover time", () => {
    const spec = buildSpec({
      microsystems: [{ id: "a", failures: [{ id: "f", p: 0.2, detect: 0.5, recoverTime: fixed(30) }] }],
    });
    const s = runModel(spec, { patients: 100_000 });
    const caught = s.microsystems[0]!.caught.f!;
    expect(Math.abs(s.reliability.estimate - 0.9)).toBeLessThan(0.004);
    expect(Math.abs(caught / 100_000 - 0.1)).toBeLessThan(0.004);
    expect(s.outcomes.near_misses).toBe(caught);
  });

  it("drop ends journeys and goto reroutes them", () => {
    const spec = buildSpec({
      microsystems: [
        {
          id: "a",
          failures: [
            { id: "lost", p: 0.1, drop: true },
            { id: "skip", p: 0.2, goto: "c" },
          ],
        },
        { id: "b" },
        { id: "c" },
      ],
    });
    const s = runModel(spec, { patients: 100_000 });
    const exact = analyze(spec).overall;
    expect(Math.abs(s.outcomes.dropped / 100_000 - exact.dropped)).toBeLessThan(0.004);
    expect(Math.abs(s.microsystems[1]!.visits / 100_000 - exact.visits.b!)).toBeLessThan(0.005);
    expect(s.outcomes.completed + s.outcomes.dropped).toBe(100_000);
  });

  it("the visit guard stops endless loops and says so", () => {
    const spec = buildSpec({
      maxVisits: 5,
      microsystems: [
        { id: "a", next: [{ to: "b" }] },
        {
          id: "b",
          next: [
            { to: "a", p: 0.99 },
            { to: "c", p: 0.01 },
          ],
        },
        { id: "c" },
      ],
    });
    const s = runModel(spec, { patients: 1000 });
    expect(s.outcomes.guard_stopped).toBeGreaterThan(900);
    expect(s.outcomes.completed + s.outcomes.guard_stopped).toBe(1000);
    expect(s.microsystems.reduce((a, m) => a + m.visits, 0)).toBeLessThanOrEqual(5000);
  });

  it("routes per class: reserved routes for their classes, the rest share by p", () => {
    const spec = buildSpec({
      classes: [
        { id: "x", share: 0.25 },
        { id: "y", share: 0.75 },
      ],
      microsystems: [
        {
          id: "a",
          next: [
            { to: "b", classes: ["x"] },
            { to: "c", p: 0.4 },
            { to: "d", p: 0.6 },
          ],
        },
        { id: "b", next: [] },
        { id: "c", next: [] },
        { id: "d", next: [] },
      ],
    });
    const s = runModel(spec, { patients: 100_000 });
    const visits = Object.fromEntries(s.microsystems.map((m) => [m.id, m.visits / 100_000]));
    expect(Math.abs(visits.b! - 0.25)).toBeLessThan(0.005);
    expect(Math.abs(visits.c! - 0.75 * 0.4)).toBeLessThan(0.005);
    expect(Math.abs(visits.d! - 0.75 * 0.6)).toBeLessThan(0.005);
  });

  it("splitting into units and merging in order gives the same tally as one pass", () => {
    const spec = { ...chainSpec([0.9, 0.9]), patients: 150_000 };
    const model = compile(spec);
    const merged = simulate(spec).tally;
    const parts = units(spec).map((u) => runUnit(model, u));
    expect(parts.length).toBe(3);
    expect(merged.defectFree[0]).toBe(parts.reduce((a, t) => a + t.defectFree[0]!, 0));
  });
});

function queued(spec: ModelSpec, capacity: number | null, perDay: number, mean: number): ModelSpec {
  return {
    ...spec,
    arrivals: { perDay, byHour: null, warmup: 2 * 1440 },
    replications: 10,
    microsystems: spec.microsystems.map((m) => ({ ...m, capacity, time: { kind: "exponential", mean } })),
  };
}

describe("queues", () => {
  it("an M/M/1 queue waits as the formula says (Wq = ρ/(μ − λ))", () => {
    const lambda = 30 / 1440; // per minute
    const mu = 1 / 30;
    const spec = queued(buildSpec({ microsystems: [{ id: "a" }] }), 1, 30, 30);
    const s = runModel(spec, { patients: 200_000 });
    const rho = lambda / mu;
    const wq = rho / (mu - lambda);
    const wait = s.microsystems[0]!.wait.mean;
    expect(Math.abs(wait / wq - 1)).toBeLessThan(0.05);
    expect(Math.abs(s.microsystems[0]!.utilization! - rho)).toBeLessThan(0.01);
  });

  it("with unlimited capacity, failures are exactly those of independent journeys (common random numbers)", () => {
    const base = chainSpec([0.9, 0.8, 0.95], 0.9);
    const independent = runModel(base, { patients: 20_000 });
    const q = runModel(
      { ...queued(base, null, 50, 10), replications: 1, arrivals: { perDay: 50, byHour: null, warmup: 0 } },
      { patients: 20_000 },
    );
    expect(q.reliability.estimate).toBe(independent.reliability.estimate);
    expect(q.microsystems.map((m) => m.defects)).toEqual(independent.microsystems.map((m) => m.defects));
    expect(q.microsystems.every((m) => m.wait.mean === 0)).toBe(true);
  });

  it("arrivals follow the hour-of-day profile", () => {
    const byHour = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 20 ? 3 : 1));
    const spec: ModelSpec = {
      ...buildSpec({ microsystems: [{ id: "a", time: fixed(1) }] }),
      arrivals: { perDay: 48, byHour, warmup: 0 },
      replications: 1,
      metrics: [],
    };
    // Off-hours visits count arrivals outside 08:00–20:00 when the unit is staffed 08–20 every day.
    spec.microsystems[0]!.hours = { open: 8 * 60, close: 20 * 60, days: [0, 1, 2, 3, 4, 5, 6] };
    spec.microsystems[0]!.offHoursDelay = fixed(0);
    const s = runModel(spec, { patients: 100_000 });
    expect(Math.abs(s.microsystems[0]!.off_hours / 100_000 - 12 / 48)).toBeLessThan(0.006);
  });
});

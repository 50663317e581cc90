// Queues against exact queueing theory (test/queueing/formulas.ts): non-preemptive priorities
// (Cobham), microsystems sharing a pool of places (Erlang C) and other patients using the same
// places (M/M/1 at the combined rate). Each figure is a mean over replications; the exact value
// must lie inside its 99% Student-t interval, and the interval must be narrow enough (a few per
// cent) for the check to mean something. Seeds are fixed: the same numbers every run.
import { describe, expect, it } from "vitest";
import { cobhamWaits, erlangC, mm1Wait, mmcWait } from "./formulas.js";
import { interval, replications, scenario, shown } from "./replications.js";

const PER_DAY = 1440;

function expectInside(label: string, values: number[], exact: number, relativeWidth = 0.06): void {
  const i = interval(values);
  expect(exact, `${label}: exact ${exact.toFixed(3)}, simulated ${shown(i)}`).toBeGreaterThanOrEqual(i.lo);
  expect(exact, `${label}: exact ${exact.toFixed(3)}, simulated ${shown(i)}`).toBeLessThanOrEqual(i.hi);
  expect((i.hi - i.lo) / 2 / exact, `${label}: interval too wide to test anything`).toBeLessThan(
    relativeWidth,
  );
}

const metric = (id: string) => (s: ReturnType<typeof replications>[number]) => s.metrics[id]!.mean;

describe("priorities: Cobham's non-preemptive formula", () => {
  it("M/M/1, two classes (ρ = 0.7): each class's mean wait", () => {
    const lambda = (0.7 * PER_DAY) / 30; // per day, service mean 30 min
    const runs = replications(
      scenario(`
name: priority M/M/1
seed: 7
patients: 400000
replications: 20
classes:
  - { id: urgent, share: 0.5, priority: 1 }
  - { id: routine, share: 0.5 }
arrivals: { per_day: ${lambda}, warmup: 20 d }
microsystems:
  - { id: unit, time: { mean: 30 min }, capacity: 1, next: [] }
metrics:
  - { id: urgent, from: unit.arrive, to: unit.start, classes: [urgent] }
  - { id: routine, from: unit.arrive, to: unit.start, classes: [routine] }
`),
    );
    const [urgent, routine] = cobhamWaits(1, [lambda / 2 / PER_DAY, lambda / 2 / PER_DAY], 1 / 30);
    expectInside("urgent", runs.map(metric("urgent")), urgent!);
    expectInside("routine", runs.map(metric("routine")), routine!);
  });

  it("M/M/2, three classes, the microsystem's own priorities overriding the classes'", () => {
    // Class priorities say a > b > c; the microsystem's say c first, then a, then b.
    const perDay = (1.6 * PER_DAY) / 60; // ρ = 0.8 on 2 places of mean 60 min
    const runs = replications(
      scenario(`
name: priority M/M/2
seed: 11
patients: 800000
replications: 20
classes:
  - { id: a, share: 0.3, priority: 3 }
  - { id: b, share: 0.5, priority: 2 }
  - { id: c, share: 0.2, priority: 1 }
arrivals: { per_day: ${perDay}, warmup: 20 d }
microsystems:
  - id: unit
    time: { mean: 1 h }
    capacity: 2
    priority: { c: 9, b: 0 }
    next: []
metrics:
  - { id: a, from: unit.arrive, to: unit.start, classes: [a] }
  - { id: b, from: unit.arrive, to: unit.start, classes: [b] }
  - { id: c, from: unit.arrive, to: unit.start, classes: [c] }
`),
    );
    const lambda = perDay / PER_DAY;
    // Service order c (9), a (3), b (0).
    const [c, a, b] = cobhamWaits(2, [0.2 * lambda, 0.3 * lambda, 0.5 * lambda], 1 / 60);
    expectInside("c", runs.map(metric("c")), c!);
    expectInside("a", runs.map(metric("a")), a!);
    expectInside("b", runs.map(metric("b")), b!, 0.08);
  });
});

describe("a shared pool of places: Erlang C", () => {
  it("two microsystems using one resource of 3 beds wait as one M/M/3 queue", () => {
    const perDay = (2.1 * PER_DAY) / 60; // 2.1 erlangs on 3 beds of mean 60 min: ρ = 0.7
    const runs = replications(
      scenario(`
name: pooled beds
seed: 5
patients: 300000
replications: 20
classes:
  - { id: medical, share: 0.6, start: medical }
  - { id: surgical, share: 0.4, start: surgical }
arrivals: { per_day: ${perDay}, warmup: 20 d }
resources:
  - { id: beds, capacity: 3 }
microsystems:
  - { id: medical, time: { mean: 1 h }, uses: beds, next: [] }
  - { id: surgical, time: { mean: 1 h }, uses: beds, next: [] }
`),
    );
    const lambda = perDay / PER_DAY;
    const wq = mmcWait(3, lambda, 1 / 60);
    expectInside(
      "medical wait",
      runs.map((s) => s.microsystems[0]!.wait.mean),
      wq,
    );
    expectInside(
      "surgical wait",
      runs.map((s) => s.microsystems[1]!.wait.mean),
      wq,
    );
    expectInside(
      "resource utilisation",
      runs.map((s) => s.resources![0]!.utilization!),
      0.7,
      0.01,
    );
    // Each microsystem's share of the beds is its share of the load.
    expectInside(
      "medical share of the beds",
      runs.map((s) => s.microsystems[0]!.utilization!),
      0.42,
      0.015,
    );
    expect(erlangC(3, 2.1)).toBeGreaterThan(0.3); // a queue worth testing
  });
});

describe("background demand: M/M/1 at the combined rate", () => {
  const yaml = (background: string) => `
name: background
seed: 3
patients: 200000
replications: 20
arrivals: { per_day: 14.4, warmup: 20 d }
microsystems:
  - id: scanner
    time: { mean: 30 min }
    capacity: 1
    failures: [ { id: f, p: 0.1 } ]
    ${background}
    next: []
`;
  const runs = replications(scenario(yaml("background: { per_day: 19.2, time: { mean: 30 min } }")));

  it("the pathway's patients wait as in M/M/1 with λ = 14.4 + 19.2 a day (ρ = 0.7)", () => {
    const wq = mm1Wait((14.4 + 19.2) / PER_DAY, 1 / 30);
    expectInside(
      "wait",
      runs.map((s) => s.microsystems[0]!.wait.mean),
      wq,
    );
    expectInside(
      "utilisation",
      runs.map((s) => s.microsystems[0]!.utilization!),
      0.7,
      0.01,
    );
    expectInside(
      "background share",
      runs.map((s) => s.microsystems[0]!.background_utilization!),
      0.4,
      0.01,
    );
  });

  it("the other patients are never counted, and the pathway's random numbers are unchanged", () => {
    const alone = replications(scenario(yaml("")));
    runs.forEach((s, r) => {
      expect(s.patients).toBe(10_000);
      expect(s.microsystems[0]!.visits).toBe(10_000);
      // Failures are drawn from the patients' own streams: the same defects with or without others.
      expect(s.microsystems[0]!.defects).toBe(alone[r]!.microsystems[0]!.defects);
      expect(s.reliability.estimate).toBe(alone[r]!.reliability.estimate);
      expect(s.microsystems[0]!.wait.mean).toBeGreaterThan(alone[r]!.microsystems[0]!.wait.mean);
    });
  });
});

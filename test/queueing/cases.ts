// The scenarios whose queues have an exact answer (test/queueing/formulas.ts), with the figure each
// replication gives and the exact value: the cases of exact.test.ts, and of table.ts, which prints
// them beside each other (npx tsx test/queueing/table.ts).
import type { RunSummary } from "../../src/analysis/summary.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { cobhamWaits, mm1Wait, mmcWait } from "./formulas.js";
import { scenario } from "./replications.js";

const PER_DAY = 1440;

export interface ExactCheck {
  label: string;
  exact: number;
  simulated: (s: RunSummary) => number;
  /** Half-width of the 99% interval allowed, relative to the exact value (the check must mean something). */
  relativeWidth: number;
}

export interface ExactCase {
  name: string;
  spec: ModelSpec;
  checks: ExactCheck[];
}

const metric = (id: string) => (s: RunSummary) => s.metrics[id]!.mean;
const wait = (i: number) => (s: RunSummary) => s.microsystems[i]!.wait.mean;

/** M/M/1, two classes, ρ = 0.7, non-preemptive priority (Cobham). */
export function priorityMM1(): ExactCase {
  const perDay = (0.7 * PER_DAY) / 30;
  const [urgent, routine] = cobhamWaits(1, [perDay / 2 / PER_DAY, perDay / 2 / PER_DAY], 1 / 30);
  return {
    name: "priority M/M/1",
    spec: scenario(`
name: priority M/M/1
seed: 7
patients: 400000
replications: 20
classes:
  - { id: urgent, share: 0.5, priority: 1 }
  - { id: routine, share: 0.5 }
arrivals: { per_day: ${perDay}, warmup: 20 d }
microsystems:
  - { id: unit, time: { mean: 30 min }, capacity: 1, next: [] }
metrics:
  - { id: urgent, from: unit.arrive, to: unit.start, classes: [urgent] }
  - { id: routine, from: unit.arrive, to: unit.start, classes: [routine] }
`),
    checks: [
      { label: "urgent: mean wait", exact: urgent!, simulated: metric("urgent"), relativeWidth: 0.06 },
      { label: "routine: mean wait", exact: routine!, simulated: metric("routine"), relativeWidth: 0.06 },
    ],
  };
}

/** M/M/2, three classes, ρ = 0.8, the microsystem's priorities overriding the classes'. */
export function priorityMM2(): ExactCase {
  const perDay = (1.6 * PER_DAY) / 60;
  const lambda = perDay / PER_DAY;
  // Class priorities say a > b > c; the microsystem's say c (9) first, then a (3), then b (0).
  const [c, a, b] = cobhamWaits(2, [0.2 * lambda, 0.3 * lambda, 0.5 * lambda], 1 / 60);
  return {
    name: "priority M/M/2",
    spec: scenario(`
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
    checks: [
      { label: "c (served first): mean wait", exact: c!, simulated: metric("c"), relativeWidth: 0.06 },
      { label: "a: mean wait", exact: a!, simulated: metric("a"), relativeWidth: 0.06 },
      { label: "b (served last): mean wait", exact: b!, simulated: metric("b"), relativeWidth: 0.08 },
    ],
  };
}

/** Two microsystems using one resource of 3 beds: one M/M/3 queue, 2.1 erlangs (ρ = 0.7). */
export function pooledBeds(): ExactCase {
  const perDay = (2.1 * PER_DAY) / 60;
  const wq = mmcWait(3, perDay / PER_DAY, 1 / 60);
  return {
    name: "pooled beds (Erlang C)",
    spec: scenario(`
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
    checks: [
      { label: "medical: mean wait", exact: wq, simulated: wait(0), relativeWidth: 0.06 },
      { label: "surgical: mean wait", exact: wq, simulated: wait(1), relativeWidth: 0.06 },
      {
        label: "the resource's utilisation",
        exact: 0.7,
        simulated: (s) => s.resources![0]!.utilization!,
        relativeWidth: 0.01,
      },
      {
        label: "medical's share of the beds",
        exact: 0.42,
        simulated: (s) => s.microsystems[0]!.utilization!,
        relativeWidth: 0.015,
      },
    ],
  };
}

/** One place used by the pathway (14.4 a day) and by other patients (19.2 a day): M/M/1 at ρ = 0.7. */
export function background(withOthers = true): ExactCase {
  const others = withOthers ? "background: { per_day: 19.2, time: { mean: 30 min } }" : "";
  return {
    name: "background demand (M/M/1)",
    spec: scenario(`
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
    ${others}
    next: []
`),
    checks: [
      {
        label: "pathway: mean wait",
        exact: mm1Wait((14.4 + 19.2) / PER_DAY, 1 / 30),
        simulated: wait(0),
        relativeWidth: 0.06,
      },
      {
        label: "utilisation",
        exact: 0.7,
        simulated: (s) => s.microsystems[0]!.utilization!,
        relativeWidth: 0.01,
      },
      {
        label: "other patients' share",
        exact: 0.4,
        simulated: (s) => s.microsystems[0]!.background_utilization!,
        relativeWidth: 0.01,
      },
    ],
  };
}

export const EXACT_CASES = [priorityMM1, priorityMM2, pooledBeds, background];

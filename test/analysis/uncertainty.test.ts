// Probabilistic sensitivity analysis and costs, against answers computed independently here:
// the product of Beta-distributed reliabilities (its mean in closed form, its quantiles by
// numerical convolution of the log-densities — not by drawing), costs from the exact expected
// visits, per-year figures, and a variant better in every parameter world.
import * as ss from "simple-statistics";
import { describe, expect, it } from "vitest";
import { compareScenarios } from "../../src/analysis/compare.js";
import { type DrawExecutor, type DrawResult, simulateDraw } from "../../src/analysis/draw.js";
import { exact } from "../../src/analysis/exact.js";
import { parameterSet } from "../../src/analysis/parameters.js";
import { run, runModel } from "../../src/analysis/run.js";
import { compare as compareInWorkers } from "../../src/node.js";
import { parseScenario } from "../../src/scenario/parse.js";

const parse = (text: string, resolve?: (path: string) => string) =>
  parseScenario(text, { name: "test.yaml", ...(resolve ? { resolve } : {}) });

/** Three steps in a row, each with one failure mode known from an audit. */
const AUDITS: [number, number][] = [
  [8, 40],
  [3, 60],
  [12, 50],
];
const SERIES = `
name: series with audits
seed: 7
microsystems:
${AUDITS.map(
  ([k, n], i) => `  - id: s${i}
    time: 10 min
    failures: [{ id: f${i}, p: { observed: ${k}, of: ${n} } }]`,
).join("\n")}
`;

/** log Γ via simple-statistics (a different code path from the simulator's Beta quantile). */
function logBetaDensity(x: number, a: number, b: number): number {
  return (
    (a - 1) * Math.log(x) + (b - 1) * Math.log1p(-x) - (ss.gammaln(a) + ss.gammaln(b) - ss.gammaln(a + b))
  );
}

/**
 * Quantiles of R = Π X_i, X_i ~ Beta(b_i, a_i) independent (the reliability 1 − p_i of each step), by
 * convolving the densities of log X_i on a fine grid and integrating the result.
 */
function productQuantiles(shapes: [number, number][], qs: number[]): number[] {
  const step = 5e-4;
  const lo = -2.5; // log R below −2.5 has probability < 1e-12 for these shapes
  const n = Math.round(-lo / step) + 1;
  const densityOfLog = ([a, b]: [number, number]) =>
    Float64Array.from({ length: n }, (_, i) => {
      const y = -i * step; // grid from 0 down to lo
      const x = Math.exp(y);
      return x >= 1 ? 0 : Math.exp(logBetaDensity(x, a, b) + y);
    });
  let acc = densityOfLog(shapes[0]!);
  for (const s of shapes.slice(1)) {
    const g = densityOfLog(s);
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (acc[i] === 0) continue;
      for (let j = 0; i + j < n; j++) out[i + j]! += acc[i]! * g[j]! * step;
    }
    acc = out;
  }
  // acc[i] is the density of log R at −i·step; the CDF of R at e^(−i·step) is the mass below it.
  const mass = acc.reduce((a, x) => a + x * step, 0);
  const cdfFromTop: number[] = [];
  let above = 0;
  for (let i = 0; i < n; i++) {
    above += acc[i]! * step;
    cdfFromTop.push(1 - above / mass);
  }
  return qs.map((q) => {
    const i = cdfFromTop.findIndex((c) => c <= q);
    return Math.exp(-i * step);
  });
}

describe("a series chain with audit counts", () => {
  const model = parse(SERIES);
  const shapes = AUDITS.map(([k, n]): [number, number] => [n - k + 1, k + 1]); // 1 − p ~ Beta(n−k+1, k+1)

  it("runs at the posterior means, where the exact reliability is exact", () => {
    const meanProduct = shapes.reduce((a, [x, y]) => a * (x / (x + y)), 1);
    expect(exact(model).reliability).toBeCloseTo(meanProduct, 14);
  });

  it("gives the mean and quantiles of the product of Betas over the parameter sets", async () => {
    const draws = 300;
    const s = await run(model, { patients: 100, uncertainty: draws, innerPatients: 100 });
    const u = s.uncertainty!;
    expect(u.draws).toBe(draws);
    expect(u.pilot).toBeNull();
    const exactValues = u.per_draw.map((d) => d.reliability_exact!);
    // Mean: E[Π X] = Π E[X] for independent inputs; the draws' mean within 4 standard errors.
    const mean = shapes.reduce((a, [x, y]) => a * (x / (x + y)), 1);
    const sd = ss.sampleStandardDeviation(exactValues);
    expect(Math.abs(u.reliability.exact_mean! - mean)).toBeLessThan((4 * sd) / Math.sqrt(draws));
    // The simulated reliability adds the binomial noise of 100 patients, the same patients in every
    // set (common random numbers): that noise does not average out over the sets.
    const simSe = Math.sqrt((sd * sd) / draws + (mean * (1 - mean)) / 100);
    expect(Math.abs(u.reliability.mean - mean)).toBeLessThan(4 * simSe);
    // Quantiles: the true q-quantile lies between the order statistics at ranks Nq ± 3√(Nq(1−q)).
    const sorted = [...exactValues].sort((a, b) => a - b);
    const qs = [0.025, 0.5, 0.975];
    const truth = productQuantiles(shapes, qs);
    qs.forEach((q, i) => {
      const half = 3 * Math.sqrt(draws * q * (1 - q));
      const lower = sorted[Math.max(0, Math.floor(draws * q - half))]!;
      const upper = sorted[Math.min(draws - 1, Math.ceil(draws * q + half))]!;
      expect(truth[i]!).toBeGreaterThanOrEqual(lower);
      expect(truth[i]!).toBeLessThanOrEqual(upper);
    });
    expect(u.reliability.exact_interval95![0]).toBeLessThan(truth[1]!);
  }, 60_000);

  it("draws each parameter from its own keyed stream: the same draw index gives the same value", () => {
    const a = parameterSet(model, 7, 3);
    const b = parameterSet(model, 7, 3);
    const c = parameterSet(model, 7, 4);
    expect(a.microsystems[0]!.failures[0]!.p).toBe(b.microsystems[0]!.failures[0]!.p);
    expect(a.microsystems[0]!.failures[0]!.p).not.toBe(c.microsystems[0]!.failures[0]!.p);
  });
});

/** Branches, a drop and a loop-free graph, with per-visit and per-transfer costs only. */
const COSTED = `
name: costed graph
seed: 11
patients: 200000
currency: EUR
volume_per_year: 365
classes: [{ id: a, share: 0.6 }, { id: b, share: 0.4 }]
microsystems:
  - id: ed
    time: 20 min
    cost: { per_visit: 300 }
    failures:
      - { id: lost, p: 0.1, drop: true, cost: 50 }
      - { id: slip, p: 0.2, detect: 0.5, cost: 40, caught_cost: 10, classes: [b] }
    next:
      - { to: ward, p: 0.7 }
      - { to: icu, p: 0.3 }
  - id: ward
    time: 1 d
    cost: { per_visit: 1000 }
    next: [{ to: clinic }]
  - id: icu
    time: 1 d
    cost: { per_visit: 4000 }
    next: [{ to: clinic }]
  - id: clinic
    time: 30 min
    cost: { per_visit: 120 }
    next: []
handoffs:
  - { from: ward, to: clinic, cost: { per_transfer: 25 } }
`;

describe("costs per visit on a graph with drops", () => {
  const model = parse(COSTED);

  /** Σ expected visits × cost from the exact chain, written out by hand. */
  const exactCost = (): number => {
    const e = exact(model);
    const classVisitCost =
      300 * e.visits.ed! + 1000 * e.visits.ward! + 4000 * e.visits.icu! + 120 * e.visits.clinic!;
    const transfers = 25 * e.transfers["ward->clinic"]!;
    // Defects: every ed visit draws `lost` (p 0.1, cost 50); class b also draws `slip` (0.2: half caught).
    const modes = e.visits.ed! * 0.1 * 50 + 0.4 * 1 * (0.2 * 0.5 * 40 + 0.2 * 0.5 * 10);
    return classVisitCost + transfers + modes;
  };

  it("equal Σ expected visits × cost exactly for the analytic figure, and the simulation agrees", async () => {
    const expected = exactCost();
    const s = await run(model);
    const c = s.costs!;
    expect(c.currency).toBe("EUR");
    expect(c.per_patient.analytic).toBeCloseTo(expected, 10);
    // The patients' own costs give the interval (independent journeys); on this one seed, the
    // estimate is within 3 standard errors (z = −2.3 here; coverage over 20 seeds is the next test).
    expect(c.per_patient.ci95).not.toBeNull();
    const [lo, hi] = c.per_patient.ci95!;
    const se = (hi - lo) / 2 / 1.959964;
    expect(Math.abs(c.per_patient.mean - expected)).toBeLessThan(3 * se);
    // The parts add up to the whole.
    expect(c.by_element.reduce((a, i) => a + i.per_patient, 0)).toBeCloseTo(c.per_patient.mean, 9);
  }, 60_000);

  it("a run in one unit of work (independent journeys) has a per-patient interval that covers the exact cost", () => {
    const expected = exactCost();
    const seeds = Array.from({ length: 20 }, (_, i) => i + 1);
    const runs = seeds.map((seed) => runModel(model, { patients: 20_000, seed }).costs!);
    let covered = 0;
    const halves: number[] = [];
    for (const c of runs) {
      expect(c.per_patient.ci95).not.toBeNull();
      const [lo, hi] = c.per_patient.ci95!;
      if (lo <= expected && expected <= hi) covered++;
      halves.push((hi - lo) / 2);
      // Per year: the same interval times the volume.
      expect(c.per_year!.ci95![0]).toBeCloseTo(lo * 365, 6);
    }
    // 95% intervals: at least 17 of 20 cover (P ≈ 0.98 for honest ones); these seeds: see below.
    expect(covered).toBeGreaterThanOrEqual(17);
    // Honest width: the half-width / 1.96 is the spread of the means from seed to seed.
    const sd = ss.sampleStandardDeviation(runs.map((c) => c.per_patient.mean));
    const ratio = ss.mean(halves) / 1.959964 / sd;
    expect(ratio).toBeGreaterThan(0.6);
    expect(ratio).toBeLessThan(1.6);
  }, 60_000);

  it("scale per-year figures by volume_per_year exactly", async () => {
    const s = await run(model, { patients: 20_000, uncertainty: 3, innerPatients: 2000 });
    const c = s.costs!;
    expect(c.per_year!.mean).toBe(c.per_patient.mean * 365);
    const u = s.uncertainty!;
    expect(u.cost_per_year!.mean).toBeCloseTo(u.cost_per_patient!.mean * 365, 9);
    expect(u.cost_per_year!.interval95[0]).toBeCloseTo(u.cost_per_patient!.interval95[0] * 365, 9);
    expect(u.cost_per_year!.interval95[1]).toBeCloseTo(u.cost_per_patient!.interval95[1] * 365, 9);
  }, 60_000);
});

describe("a variant better in every parameter world", () => {
  const BASE = `
name: base
seed: 3
patients: 4000
currency: USD
volume_per_year: 1000
microsystems:
  - id: ed
    time: 30 min
    cost: { per_visit: 100 }
    failures: [{ id: miss, p: { observed: 10, of: 50 }, harm: 2, cost: 200 }]
  - id: ward
    time: 1 d
    next: []
handoffs:
  - from: ed
    to: ward
    failures: [{ id: lost, p: { beta: [4, 16], id: shared_loss }, harm: 1.5 }]
outcomes:
  mortality:
    base: { observed: 6, of: 100 }
`;
  const VARIANT = `
extends: base.yaml
name: variant
microsystems:
  - id: ed
    failures: [{ id: miss, relative_risk: { median: 0.5, ci95: [0.4, 0.62] } }]
programme_cost: { per_patient: 5 }
`;
  const base = parse(BASE);
  const variant = parse(VARIANT, () => BASE);

  it("has probability_better 1, and shares the baseline's draw of every parameter it keeps", async () => {
    const c = await compareScenarios(base, [variant], { uncertainty: 20, innerPatients: 1000, wtp: 1e5 });
    const u = c.variants[0]!.uncertainty!;
    expect(u.probability_better.reliability).toBe(1);
    expect(u.probability_better.mortality_per_1000).toBe(1);
    expect(u.probability_better.defects_per_1000).toBe(1);
    for (let d = 0; d < 20; d++) {
      const b = parameterSet(base, base.seed, d);
      const v = parameterSet(variant, base.seed, d);
      expect(v.handoffs[0]!.failures[0]!.p).toBe(b.handoffs[0]!.failures[0]!.p);
      expect(v.microsystems[0]!.failures[0]!.baseP).toBe(b.microsystems[0]!.failures[0]!.p);
      expect(v.microsystems[0]!.failures[0]!.p).toBeLessThan(b.microsystems[0]!.failures[0]!.p);
    }
    // Per year = per patient × volume; the acceptability curve is a share at every wtp.
    const d = u.differences;
    expect(d.incremental_cost_per_year!.mean).toBeCloseTo(d.incremental_cost_per_patient!.mean * 1000, 6);
    for (const p of u.acceptability!) expect(p.probability).toBeGreaterThanOrEqual(0);
    expect(c.variants[0]!.economics!.incremental_cost_per_patient.estimate).toBeLessThan(5);
  }, 60_000);
});

describe("parameter sets in worker threads", () => {
  const QUEUED = `
name: queued with audits
seed: 11
patients: 1200
replications: 4
arrivals: { per_day: 12 }
currency: USD
microsystems:
  - id: ed
    time: 30 min
    capacity: 2
    cost: { per_visit: 100, per_hour: 40 }
    failures: [{ id: miss, p: { observed: 5, of: 40 }, cost: 300 }]
  - id: ward
    time: { mean: 4 h }
    capacity: 3
    next: []
handoffs:
  - from: ed
    to: ward
    failures: [{ id: lost, p: { observed: 9, of: 60 } }]
outcomes:
  mortality:
    base: { observed: 6, of: 100 }
`;
  const VARIANT = `
extends: base.yaml
name: fewer losses
handoffs:
  - from: ed
    to: ward
    failures: [{ id: lost, relative_risk: { median: 0.7, ci95: [0.5, 0.98] } }]
`;
  const base = parse(QUEUED);
  const variant = parse(VARIANT, () => QUEUED);
  const withoutTiming = (c: object) => JSON.stringify(c, (k, v) => (k === "wall_ms" ? 0 : v));

  it("gives the same comparison, draw for draw, in this thread and in 2 workers (one task per set)", async () => {
    const options = { uncertainty: 6, innerPatients: 400, wtp: 1e5 };
    const here = await compareScenarios(base, [variant], options);
    const seen: DrawResult[] = [];
    const backwards: DrawExecutor = async (scenarios, requests, onDraw) => {
      for (const r of [...requests].reverse()) {
        const result = JSON.parse(JSON.stringify(simulateDraw(scenarios, r))) as DrawResult;
        seen.push(result);
        onDraw(result);
      }
    };
    expect(
      withoutTiming(await compareScenarios(base, [variant], { ...options, executeDraws: backwards })),
    ).toBe(withoutTiming(here));
    // One task per parameter set, with both scenarios' inner runs and their 4 replications.
    expect(seen.map((r) => r.index)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(seen[0]!.runs.map((r) => r.units.length)).toEqual([4, 4]);
    expect(withoutTiming(await compareInWorkers(base, [variant], { ...options, workers: 2 }))).toBe(
      withoutTiming(here),
    );
  }, 60_000);
});

describe("an uncertain base risk of a class named __proto__", () => {
  it("is the class's own drawn risk in every parameter set (ids are data, not object keys)", () => {
    const text = `name: proto
classes:
  - { id: __proto__, share: 0.5 }
  - { id: other, share: 0.5 }
microsystems:
  - { id: ed, time: 1 h, next: [] }
outcomes:
  mortality:
    base: { __proto__: { observed: 5, of: 100 }, other: 0.1 }
`;
    const model = parseScenario(text, { name: "proto.yaml" });
    const drawn = parameterSet(model, 1, 3);
    const risks = drawn.mortality!.base;
    expect(Object.hasOwn(risks, "__proto__")).toBe(true);
    const proto = (risks: Record<string, number>): number | undefined =>
      Object.getOwnPropertyDescriptor(risks, "__proto__")?.value;
    expect(proto(risks)).toBeGreaterThan(0);
    expect(proto(risks)).not.toBe(proto(model.mortality!.base));
    expect(risks.other).toBe(0.1);
  });
});

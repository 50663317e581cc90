// Output analysis against queueing theory: the intervals of figures that depend on queues cover
// the exact M/M/c (Erlang C) values at about the nominal 95% over a fixed set of seeds, with batch
// means in one replication and over replications; an overloaded unit warns, and so does a heavy
// run too short (or too little warmed up) to be right.
//
// Deterministic: fixed seeds, so the same intervals every run. The bounds on the misses are those
// of a Binomial(100, 0.05): at most 12 (P ≈ 0.002 by chance), and across the figures of a test at
// least a handful (intervals that never miss would be too wide to be of use).
import { describe, expect, it } from "vitest";
import {
  correlationCheck,
  lag1,
  quantileInterval,
  ratioInterval,
} from "../../src/analysis/output-analysis.js";
import { runModel } from "../../src/analysis/run.js";
import type { RunSummary } from "../../src/analysis/summary.js";
import type { Milestone, ModelSpec } from "../../src/model/spec.js";
import { type MMc, meanWait, utilisation, waitExceeds, waitMgf, waitQuantile } from "../fixtures/queueing.js";
import { buildSpec } from "../fixtures/specs.js";

const arrive: Milestone = { kind: "microsystem", id: "a", event: "arrive" };
const start: Milestone = { kind: "microsystem", id: "a", event: "start" };
/** Risk × 1.1 per 30 min of wait: E[risk] = base · E[e^(θ·Wq)], θ = ln 1.1 / 30, is exact. */
const RR = 1.1;
const BASE = 0.05;
const TARGET = 60;

/**
 * One M/M/c microsystem with a metric and a mortality model that read its wait (arrive → start),
 * so every queue-dependent figure has an exact value. Warm-up: chosen by the run (the default).
 */
function mmc(q: MMc, seed: number, patients: number, replications: number): ModelSpec {
  const base = buildSpec({
    microsystems: [{ id: "a", time: { kind: "exponential", mean: q.service }, capacity: q.servers }],
  });
  return {
    ...base,
    seed,
    patients,
    replications,
    arrivals: { perDay: q.lambda * 1440, byHour: null, warmup: 0, warmupAuto: true },
    mortality: { base: { all: BASE }, delays: [{ from: arrive, to: start, reference: 0, rrPer30Min: RR }] },
    metrics: [{ id: "wait", name: "wait", from: arrive, to: start, target: TARGET }],
  };
}

function exactFigures(q: MMc) {
  return {
    wait: meanWait(q),
    p90: waitQuantile(q, 0.9),
    median: waitQuantile(q, 0.5),
    utilization: utilisation(q),
    within: 1 - waitExceeds(q, TARGET),
    // The risk is capped at 1: with these rates P(wait > 943 min) < 1e-6, so the cap changes
    // nothing the intervals can see.
    mortality: 1000 * BASE * waitMgf(q, Math.log(RR) / 30),
  };
}

type Interval = readonly [number, number] | null | undefined;

/** Misses per figure over the seeds. */
function coverage(q: MMc, patients: number, replications: number, seeds: number): Record<string, number> {
  const exact = exactFigures(q);
  const missed: Record<string, number> = {};
  const check = (name: string, ci: Interval, x: number) => {
    missed[name] = (missed[name] ?? 0) + (ci && ci[0] <= x && x <= ci[1] ? 0 : 1);
  };
  for (let seed = 1; seed <= seeds; seed++) {
    const s = runModel(mmc(q, seed, patients, replications));
    const m = s.microsystems[0]!;
    const metric = s.metrics.wait!;
    check("wait mean", m.wait.ci95, exact.wait);
    check("wait p90", m.wait.p90_ci95, exact.p90);
    check("utilisation", m.utilization_ci95, exact.utilization);
    check("metric mean", metric.mean_ci95, exact.wait);
    check("metric median", metric.median_ci95, exact.median);
    check("metric p90", metric.p90_ci95, exact.p90);
    check("within target", metric.within_target_ci95, exact.within);
    check("mortality", s.outcomes.mortality_per_1000!.ci95, exact.mortality);
  }
  return missed;
}

function expectNominal(missed: Record<string, number>): void {
  for (const [name, n] of Object.entries(missed)) expect(n, name).toBeLessThanOrEqual(12);
  expect(Object.values(missed).reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(8);
}

describe("intervals of queue-dependent figures cover the exact M/M/c values", () => {
  it("by batch means in one replication (M/M/2 at ρ 0.8, 50,000 patients, 100 seeds)", () => {
    const q = { lambda: (0.8 * 2) / 24, service: 24, servers: 2 };
    const missed = coverage(q, 50_000, 1, 100);
    expectNominal(missed);
  });

  it("over 10 replications (M/M/2 at ρ 0.7, 20,000 patients, 100 seeds)", () => {
    const q = { lambda: (0.7 * 2) / 24, service: 24, servers: 2 };
    const missed = coverage(q, 20_000, 10, 100);
    expectNominal(missed);
  });
});

describe("one-replication mortality", () => {
  it("is not the patients' own spread: batch means widen it to the seed-to-seed spread", () => {
    const q = { lambda: (0.8 * 2) / 24, service: 24, servers: 2 };
    const runs = [1, 2, 3, 4, 5, 6, 7, 8].map((seed) => runModel(mmc(q, seed, 20_000, 1)));
    const estimates = runs.map((s) => s.outcomes.mortality_per_1000!.expected);
    const mean = estimates.reduce((a, b) => a + b, 0) / estimates.length;
    const sd = Math.sqrt(estimates.reduce((a, x) => a + (x - mean) ** 2, 0) / (estimates.length - 1));
    const halfWidths = runs.map((s) => {
      const ci = s.outcomes.mortality_per_1000!.ci95;
      return (ci[1] - ci[0]) / 2;
    });
    const half = halfWidths.reduce((a, b) => a + b, 0) / halfWidths.length;
    // A 95% half-width is about 2 seed-to-seed sds: well above the naive interval's (a fifth of one).
    expect(half / sd).toBeGreaterThan(1.2);
    expect(half / sd).toBeLessThan(3.5);
  });
});

const warned = (s: RunSummary, kind: string) => (s.warnings ?? []).some((w) => w.kind === kind);

describe("warnings", () => {
  it("an overloaded unit warns before the run (offered load ≥ capacity) and after (waits keep growing)", () => {
    const q = { lambda: (1.2 * 2) / 24, service: 24, servers: 2 };
    const spec = { ...mmc(q, 1, 5000, 1), arrivals: { perDay: q.lambda * 1440, byHour: null, warmup: 0 } };
    const s = runModel(spec);
    expect(s.load).toHaveLength(1);
    expect(s.load![0]!.offered).toBeCloseTo(2.4, 12);
    expect(s.load![0]!.utilization).toBeCloseTo(1.2, 12);
    const overload = s.warnings!.find((w) => w.kind === "overload");
    expect(overload?.microsystem).toBe("a");
    expect(overload?.message).toMatch(/overloaded.*utilisation 1\.20/);
    expect(warned(s, "growing")).toBe(true);
  });

  it("a unit below capacity does not warn of overload", () => {
    const q = { lambda: (0.5 * 2) / 24, service: 24, servers: 2 };
    const s = runModel(mmc(q, 1, 20_000, 1));
    expect(s.load![0]!.utilization).toBeCloseTo(0.5, 12);
    expect(warned(s, "overload") || warned(s, "growing")).toBe(false);
  });

  // The case: an M/M/1 at ρ 0.95 (exact mean wait 180.5 min) with the defaults (10,000
  // patients in 10 replications) averaged 145 min and said nothing. Now every run is right within
  // its interval or warns, whether the warm-up is chosen or set to 0 by the user.
  for (const warmup of ["chosen", "0"] as const) {
    it(`an under-warmed heavy run warns or is right (M/M/1 at ρ 0.95, warm-up ${warmup})`, () => {
      const q = { lambda: 0.1, service: 9.5, servers: 1 };
      for (let seed = 1; seed <= 10; seed++) {
        const spec = mmc(q, seed, 10_000, 10);
        if (warmup === "0") spec.arrivals = { perDay: 144, byHour: null, warmup: 0 };
        const s = runModel(spec);
        const ci = s.microsystems[0]!.wait.ci95!;
        const right = ci[0] <= 180.5 && 180.5 <= ci[1];
        const warnings = s.warnings!.filter((w) => ["short", "growing", "warmup"].includes(w.kind));
        expect(right || warnings.length > 0, `seed ${seed}: ${JSON.stringify(ci)}`).toBe(true);
      }
    });
  }

  it("a long, well-warmed run below capacity is quiet", () => {
    const q = { lambda: (0.7 * 3) / 30, service: 30, servers: 3 };
    const s = runModel(mmc(q, 3, 200_000, 1));
    expect(s.warnings).toEqual([]);
    expect(s.output_analysis!.method).toBe("batch means");
    expect(s.output_analysis!.checks.every((c) => c.adequate)).toBe(true);
  });
});

describe("the warm-up", () => {
  it("is the scenario's when it sets one (0 included), else MSER-5's, reported with the run", () => {
    const q = { lambda: (0.8 * 2) / 24, service: 24, servers: 2 };
    const chosen = runModel(mmc(q, 1, 20_000, 4));
    expect(chosen.warmup?.method).toBe("MSER-5");
    expect(chosen.warmup_minutes).toBe(chosen.warmup!.minutes);
    expect(chosen.warmup?.pilot_replications).toBe(4);
    const set = runModel({
      ...mmc(q, 1, 20_000, 4),
      arrivals: { perDay: q.lambda * 1440, byHour: null, warmup: 0 },
    });
    expect(set.warmup).toEqual({ minutes: 0, method: "scenario" });
  });

  it("leaves out the start-up: the utilisation of a unit far down a chain is right from the first counted patient", () => {
    // Without queues nothing waits, but the downstream unit starts empty: MSER-5 on the number of
    // patients in the pathway sees it fill.
    const spec: ModelSpec = {
      ...buildSpec({
        microsystems: [
          { id: "a", time: { kind: "fixed", value: 3 * 1440 } },
          { id: "b", time: { kind: "exponential", mean: 60 }, capacity: 50 },
        ],
        handoffDefaults: { time: { kind: "fixed", value: 0 } },
      }),
      arrivals: { perDay: 24, byHour: null, warmup: 0, warmupAuto: true },
      replications: 1,
      patients: 20_000,
    };
    const s = runModel(spec);
    // b is offered 24/day × 60 min = 1 place busy on average out of 50.
    expect(s.warmup!.minutes).toBeGreaterThan(2.5 * 1440);
    const ci = s.microsystems[1]!.utilization_ci95!;
    expect(ci[0]).toBeLessThanOrEqual(0.02);
    expect(ci[1]).toBeGreaterThanOrEqual(0.02);
  });
});

describe("interval arithmetic", () => {
  it("ratio intervals are centred on Σy/Σx and are Student-t over the units", () => {
    const r = ratioInterval([2, 4, 6], [1, 1, 1]);
    expect(r.estimate).toBe(4);
    // Equal x: the plain t interval of 2, 4, 6 (sd 2, t(0.975, 2) = 4.302653).
    expect(r.ci95![1] - 4).toBeCloseTo((4.302653 * 2) / Math.sqrt(3), 5);
    expect(ratioInterval([1], [1]).ci95).toBeNull();
    expect(ratioInterval([0, 0], [0, 0])).toEqual({ estimate: 0, ci95: null });
  });

  it("quantile intervals spread the units' quantiles around the run's", () => {
    const ci = quantileInterval(10, [9, 11, null, 10])!;
    expect((ci[0] + ci[1]) / 2).toBe(10);
    expect(quantileInterval(10, [9])).toBeNull();
  });

  it("lag-1 autocorrelation: 0 for a constant series, −1 side for alternation, + for a trend", () => {
    expect(lag1([3, 3, 3, 3])).toBe(0);
    expect(lag1([1, -1, 1, -1, 1, -1, 1, -1])).toBeLessThan(-0.8);
    expect(lag1([1, 2, 3, 4, 5, 6, 7, 8])).toBeGreaterThan(0.5);
  });

  it("the batch-size check grows batches until they are uncorrelated", () => {
    // Runs of 8 equal values: correlated at batches of 1, uncorrelated once a batch is 8 values.
    const y: number[] = [];
    for (let run = 0; run < 120; run++) {
      const v = Math.abs(Math.sin(run * 12.9898) * 43758.5453) % 1; // a fixed, patternless value
      for (let i = 0; i < 8; i++) y.push(v);
    }
    const x = y.map(() => 1);
    const c = correlationCheck(y, x, 30, 5)!;
    expect(c.adequate).toBe(true);
    expect(c.batches).toBe(120);
    expect(correlationCheck(y, x, 30, 1)).toBeNull();
  });
});

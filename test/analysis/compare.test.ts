import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analytic.js";
import {
  alignVariant,
  compareRuns,
  compareScenarios,
  difference,
  pairingUnits,
  runBatched,
} from "../../src/analysis/compare.js";
import type { Estimate } from "../../src/analysis/summary.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioFile } from "../../src/node/load.js";
import { buildSpec } from "../fixtures/specs.js";

const width = (e: Estimate): number => e.ci95[1] - e.ci95[0];
const exactDefectFree = (spec: ModelSpec): number => analyze(spec).overall.defectFree;

/** Four steps in a row, one failure mode each; `bP` is the second step's probability. */
function chain(bP: number, patients = 40_000): ModelSpec {
  return buildSpec({
    patients,
    microsystems: [
      { id: "a", failures: [{ id: "fa", p: 0.1 }] },
      { id: "b", failures: [{ id: "fb", p: bP, harm: 1.5 }] },
      { id: "c", failures: [{ id: "fc", p: 0.15, detect: 0.4 }] },
      { id: "d", failures: [{ id: "fd", p: 0.1, drop: true }] },
    ],
  });
}

/** Drops at d halved (0.1 → 0.05). */
function dropLess(): ModelSpec {
  const spec = chain(0.2);
  return {
    ...spec,
    microsystems: spec.microsystems.map((m) =>
      m.id === "d" ? { ...m, failures: m.failures.map((f) => ({ ...f, p: 0.05 })) } : m,
    ),
  };
}

/** The chain with outcomes, a metric with a target, and (optionally) arrivals and capacity. */
function rich(bP: number, queued: boolean): ModelSpec {
  const base = chain(bP, queued ? 6_000 : 8_000);
  return {
    ...base,
    arrivals: queued ? { perDay: 30, byHour: null, warmup: 1440 } : null,
    replications: queued ? 6 : 1,
    microsystems: base.microsystems.map((m) => ({
      ...m,
      capacity: queued ? 1 : null,
      time: { kind: "exponential", mean: 30 },
    })),
    mortality: {
      base: { all: 0.05 },
      delays: [
        {
          from: { kind: "journey.start" },
          to: { kind: "microsystem", id: "c", event: "start" },
          reference: 60,
          rrPer30Min: 1.1,
        },
      ],
    },
    metrics: [
      {
        id: "a_to_c",
        name: "a to c",
        from: { kind: "microsystem", id: "a", event: "arrive" },
        to: { kind: "microsystem", id: "c", event: "start" },
        target: 90,
      },
    ],
  };
}

/** Every {estimate, ci95} in a differences tree. */
function estimates(tree: unknown, path = ""): [string, Estimate][] {
  if (tree === null || typeof tree !== "object") return [];
  if ("estimate" in tree && "ci95" in tree) return [[path, tree as Estimate]];
  return Object.entries(tree).flatMap(([k, v]) => estimates(v, `${path}.${k}`));
}

describe("paired comparison with common random numbers", () => {
  it("contains the analytic difference, and is at least 3× narrower than independent streams", async () => {
    const baseline = await runBatched(chain(0.2));
    const variant = await runBatched(chain(0.17));
    const paired = compareRuns(baseline, variant);
    expect(paired.pairing).toEqual({ method: "paired", unit: "batch", units: 40 });
    const d = paired.differences.reliability;
    const exact = exactDefectFree(chain(0.17)) - exactDefectFree(chain(0.2));
    expect(d.analytic).toBeCloseTo(exact, 12);
    expect(d.ci95[0]).toBeLessThan(exact);
    expect(d.ci95[1]).toBeGreaterThan(exact);

    // Independent streams: the variant on another seed, compared with an unpaired interval.
    const independent = await runBatched(chain(0.17), { seed: 2 });
    const unpaired = difference("reliability", baseline, independent, false);
    expect(unpaired.ci95[0]).toBeLessThan(exact);
    expect(unpaired.ci95[1]).toBeGreaterThan(exact);
    expect(width(unpaired) / width(d)).toBeGreaterThanOrEqual(3);
  });

  it("pairs replications when patients compete for capacity, and the interval still contains the exact difference", async () => {
    const baseline = await runBatched(rich(0.2, true));
    const variant = await runBatched(rich(0.17, true));
    const c = compareRuns(baseline, variant);
    expect(c.pairing).toEqual({ method: "paired", unit: "replication", units: 6 });
    const exact = exactDefectFree(rich(0.17, true)) - exactDefectFree(rich(0.2, true));
    expect(c.differences.reliability.ci95[0]).toBeLessThan(exact);
    expect(c.differences.reliability.ci95[1]).toBeGreaterThan(exact);
    // Fewer defects at b (harm 1.5) means fewer deaths.
    expect(c.differences.deaths_avoided_per_1000!.ci95[0]).toBeGreaterThan(0);
  });

  it.each([
    ["independent journeys", false],
    ["queued journeys", true],
  ])(
    "gives exactly 0 with a [0, 0] interval for every figure when a scenario is compared with itself (%s)",
    async (_, queued) => {
      const spec = rich(0.2, queued as boolean);
      const c = await compareScenarios(spec, [spec]);
      const all = estimates(c.variants[0]!.differences);
      // Every documented figure is there, for the metric and each microsystem's wait too.
      expect(all.map(([path]) => path)).toEqual(
        expect.arrayContaining([
          ".reliability",
          ".mortality_per_1000",
          ".metrics.a_to_c.median",
          ".metrics.a_to_c.within_target",
          ".completed",
          ".dropped",
          ".near_misses",
          ".defects_avoided_per_1000",
          ".deaths_avoided_per_1000",
          ".waits.a",
        ]),
      );
      for (const [path, e] of all) {
        expect(e.estimate, path).toBe(0);
        expect(e.ci95, path).toEqual([0, 0]);
      }
      expect(c.variants[0]!.differences.reliability.analytic).toBe(0);
    },
  );

  it("reports differences of totals with intervals that scale with the number of batches", async () => {
    const baseline = await runBatched(chain(0.2));
    const variant = await runBatched(dropLess());
    const d = compareRuns(baseline, variant).differences;
    // Exactly the difference of the two runs' counts.
    expect(d.dropped.estimate).toBe(variant.summary.outcomes.dropped - baseline.summary.outcomes.dropped);
    // Every journey reaches d (nothing drops earlier): 40,000 × (0.1 − 0.05) fewer drops expected.
    const expected = -40_000 * 0.05;
    expect(d.dropped.ci95[0]).toBeLessThan(expected);
    expect(d.dropped.ci95[1]).toBeGreaterThan(expected);
    expect(d.completed.estimate).toBe(-d.dropped.estimate);
  });
});

describe("calibration", () => {
  it("95% paired intervals cover the exact differences about 95% of the time (200 seeds)", async () => {
    const harmful = (p: number): ModelSpec => ({
      ...buildSpec({
        patients: 2000,
        microsystems: [
          { id: "a", failures: [{ id: "hurts", p, harm: 2 }] },
          { id: "b", failures: [{ id: "mild", p: 0.2, harm: 1.25, detect: 0.5 }] },
        ],
      }),
      mortality: { base: { all: 0.05 }, delays: [] },
    });
    const exactReliability = exactDefectFree(harmful(0.2)) - exactDefectFree(harmful(0.3));
    // Expected risk = base · Π(1 + q·(harm − 1)): 50 per 1000 × (1 + p) × 1.025.
    const exactMortality = 50 * 1.025 * (1.2 - 1.3);
    let missed = { reliability: 0, mortality: 0 };
    for (let seed = 1; seed <= 200; seed++) {
      const d = compareRuns(
        await runBatched(harmful(0.3), { seed }),
        await runBatched(harmful(0.2), { seed }),
      ).differences;
      const covers = (e: Estimate, x: number): boolean => e.ci95[0] < x && x < e.ci95[1];
      missed = {
        reliability: missed.reliability + (covers(d.reliability, exactReliability) ? 0 : 1),
        mortality: missed.mortality + (covers(d.mortality_per_1000!, exactMortality) ? 0 : 1),
      };
    }
    // Binomial(200, 0.05): mean 10; fewer than 3 (intervals too wide) or more than 19 (too
    // narrow) misses would each happen by chance less than 1% of the time.
    for (const n of Object.values(missed)) {
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(19);
    }
  });
});

describe("pairing units", () => {
  it("cuts independent journeys into 40 equal batches covering every patient once", () => {
    const units = pairingUnits(chain(0.2, 1003));
    expect(units).toHaveLength(40);
    expect(units[0]!.from).toBe(0);
    expect(units.at(-1)!.to).toBe(1003);
    units.slice(1).forEach((u, i) => {
      expect(u.from).toBe(units[i]!.to);
    });
    const sizes = units.map((u) => u.to - u.from);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("uses the replications when there are arrivals", () => {
    expect(pairingUnits(rich(0.2, true))).toHaveLength(6);
  });
});

describe("aligning a variant with the baseline", () => {
  it("takes the baseline's patients and seed, and says so", () => {
    const warnings: string[] = [];
    const base = chain(0.2);
    const aligned = alignVariant(base, { ...chain(0.17, 5000), seed: 9, name: "v" }, (m) => warnings.push(m));
    expect(aligned.patients).toBe(base.patients);
    expect(aligned.seed).toBe(base.seed);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain("patients 5000");
    expect(warnings[1]).toContain("seed 9");
  });

  it("warns and falls back to an unpaired interval when only one scenario has arrivals", async () => {
    const warnings: string[] = [];
    const c = await compareScenarios(rich(0.2, false), [rich(0.2, true)], { warn: (m) => warnings.push(m) });
    expect(warnings.join("\n")).toMatch(/cannot be paired/);
    expect(c.variants[0]!.pairing.method).toBe("unpaired");
    expect(Number.isFinite(c.variants[0]!.differences.reliability.ci95[0])).toBe(true);
  });

  it("keeps a what-if on arrivals, pairing replications, with a warning about precision", () => {
    const warnings: string[] = [];
    const base = rich(0.2, true);
    const busier = { ...base, arrivals: { ...base.arrivals!, perDay: 40 } };
    const aligned = alignVariant(base, busier, (m) => warnings.push(m));
    expect(aligned.arrivals!.perDay).toBe(40);
    expect(warnings.join("\n")).toMatch(/arrivals differ/);
  });
});

describe("example variants", () => {
  it("I-PASS multiplies each in-hospital handoff failure p of the baseline by 0.77, and changes nothing else", async () => {
    const { model: base } = await loadScenarioFile("scenarios/ami-baseline.yaml");
    const { model: ipass } = await loadScenarioFile("scenarios/ami-ipass.yaml");
    const changed: string[] = [];
    base.handoffs.forEach((h, i) => {
      h.failures.forEach((f, j) => {
        const g = ipass.handoffs[i]!.failures[j]!;
        if (g.p !== f.p) {
          changed.push(`${h.from}->${h.to}`);
          expect(g.p).toBeCloseTo(f.p * 0.77, 3);
        }
      });
    });
    expect(changed.sort()).toEqual(["ccu->telemetry", "ed->telemetry"]);
    expect(ipass.microsystems).toEqual(base.microsystems);
  });

  it.each(["ami-prehospital-ecg", "ami-auto-rehab-referral"])(
    "%s loads and lowers exactly one failure probability",
    async (name) => {
      const { model: base } = await loadScenarioFile("scenarios/ami-baseline.yaml");
      const { model: variant } = await loadScenarioFile(`scenarios/${name}.yaml`);
      const ps = (s: ModelSpec): number[] =>
        [...s.microsystems, ...s.handoffs].flatMap((el) => el.failures.map((f) => f.p));
      const lowered = ps(variant).filter((p, i) => p !== ps(base)[i]!);
      expect(lowered).toHaveLength(1);
      expect(ps(variant).every((p, i) => p <= ps(base)[i]!)).toBe(true);
    },
  );
});

// The command line of uncertainty and costs (issue 14), run as a user runs it: `run`, `compare`
// and `sensitivity` with `--uncertainty N`, `--inner-patients` and `--wtp`, their JSON and text,
// and their refusals (exit 2, one message naming the flag and the value, nothing written). Small
// N and few patients, so the file runs in seconds.
import { existsSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const BASELINE = `name: Audited clinic
seed: 5
patients: 3000
currency: EUR
volume_per_year: 2000
microsystems:
  - id: ed
    time: { median: 30 min, p90: 60 min }
    cost: { per_visit: 200 }
    failures:
      - { id: late, p: { observed: 12, of: 60 }, delay: 20 min, cost: 80 }
  - id: ward
    time: 2 d
    cost: { per_visit: 1500 }
    next: []
handoffs:
  - from: ed
    to: ward
    cost: { per_transfer: 30 }
    failures:
      - { id: lost, name: Medication list lost, p: { observed: 8, of: 40 }, harm: { median: 1.5, ci95: [1.2, 1.9] } }
outcomes:
  mortality:
    base: { observed: 5, of: 100 }
    delay: { from: journey.start, to: ward.start, reference: 60 min, rr_per_30min: 1.05 }
`;

/** A structured handoff whose effect is below 1 in every plausible world, at a cost per patient. */
const VARIANT = `extends: baseline.yaml
name: Audited clinic — structured handoff
handoffs:
  - from: ed
    to: ward
    failures:
      - { id: lost, relative_risk: { median: 0.6, ci95: [0.45, 0.8] } }
programme_cost: { per_patient: 20 }
`;

let dir = "";
let baseline = "";
let variant = "";
let n = 0;
/** A fresh output folder per call (a refusal must leave it unmade). */
const out = () => join(dir, `out-${++n}`);
const FAST = ["--workers", "1", "--no-charts"];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "handoff-sim-uncertainty-"));
  baseline = join(dir, "baseline.yaml");
  variant = join(dir, "variant.yaml");
  await writeFile(baseline, BASELINE);
  await writeFile(variant, VARIANT);
});

const spread = { mean: expect.any(Number), interval95: [expect.any(Number), expect.any(Number)] };
const inUnit = (x: number) => x >= 0 && x <= 1;

describe("run --uncertainty", () => {
  it("--json adds the spread over the parameter sets, with the exact interval and the variance split", async () => {
    const r = await cli(
      "run",
      baseline,
      "--uncertainty",
      "4",
      "--inner-patients",
      "500",
      "--json",
      ...FAST,
      "--out",
      out(),
    );
    expect(r.status, r.err).toBe(0);
    const s = JSON.parse(r.out);
    const u = s.uncertainty;
    expect(u).toMatchObject({
      draws: 4,
      inner_patients: 500,
      pilot: null,
      reliability: {
        ...spread,
        exact_mean: expect.any(Number),
        exact_interval95: [expect.any(Number), expect.any(Number)],
      },
      mortality_per_1000: spread,
      cost_per_patient: spread,
      cost_per_year: spread,
    });
    expect(u.per_draw).toHaveLength(4);
    expect(u.reliability.interval95[0]).toBeLessThanOrEqual(u.reliability.interval95[1]);
    // Per year = per patient × volume_per_year.
    expect(u.cost_per_year.mean).toBeCloseTo(u.cost_per_patient.mean * 2000, 6);
    for (const share of Object.values(u.variance_share) as {
      parameters: number;
      monte_carlo_at_most: number;
    }[])
      expect(share.parameters + share.monte_carlo_at_most).toBeCloseTo(1, 12);
    // The parameters as drawn: the three Betas, the lognormal harm.
    expect(u.parameters.map((p: { id: string }) => p.id).sort()).toEqual([
      "ed#late#p",
      "ed->ward#lost#harm",
      "ed->ward#lost#p",
      "mortality#base",
    ]);
    // The plain run's costs have an interval (independent journeys in a single unit of work).
    expect(s.costs.per_patient.ci95).toEqual([expect.any(Number), expect.any(Number)]);
    expect(s.costs.per_year.ci95[0]).toBeCloseTo(s.costs.per_patient.ci95[0] * 2000, 6);
  });

  it("without --inner-patients, a pilot chooses the patients per set (whole thousands, at most the run's)", async () => {
    const r = await cli("run", baseline, "--uncertainty", "3", "--json", ...FAST, "--out", out());
    expect(r.status, r.err).toBe(0);
    const u = JSON.parse(r.out).uncertainty;
    expect(u.pilot).toEqual({ draws: 3, patients: 1000 });
    expect(u.inner_patients % 1000).toBe(0);
    expect(u.inner_patients).toBeGreaterThanOrEqual(1000);
    expect(u.inner_patients).toBeLessThanOrEqual(3000);
  });

  it("the text says how much of each interval is the inputs' and how much Monte Carlo's", async () => {
    const r = await cli(
      "run",
      baseline,
      "--uncertainty",
      "3",
      "--inner-patients",
      "400",
      ...FAST,
      "--out",
      out(),
    );
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain("3 parameter sets");
    expect(r.out).toMatch(/Monte Carlo/);
  });
});

describe("compare --uncertainty", () => {
  it("--json: probability_better, incremental cost, cost per death avoided and net monetary benefit at --wtp", async () => {
    const r = await cli(
      "compare",
      baseline,
      variant,
      "--uncertainty",
      "6",
      "--inner-patients",
      "600",
      "--wtp",
      "250000",
      "--json",
      ...FAST,
      "--out",
      out(),
    );
    expect(r.status, r.err).toBe(0);
    const u = JSON.parse(r.out).variants[0].uncertainty;
    expect(u.draws).toBe(6);
    expect(u.inner_patients).toBe(600);
    const pb = u.probability_better;
    expect(Object.keys(pb).sort()).toEqual([
      "cost_per_patient",
      "defects_per_1000",
      "mortality_per_1000",
      "net_monetary_benefit",
      "reliability",
    ]);
    for (const p of Object.values(pb) as number[]) expect(inUnit(p)).toBe(true);
    // Fewer losses in every plausible world (exact per set): better reliability in all of them.
    expect(pb.reliability).toBe(1);
    // Each set's net monetary benefit is wtp × deaths avoided per patient − incremental cost.
    for (const d of u.per_draw)
      expect(d.net_monetary_benefit).toBeCloseTo(
        (250000 * d.deaths_avoided_per_1000) / 1000 - d.incremental_cost_per_patient,
        9,
      );
    const diff = u.differences;
    expect(diff.incremental_cost_per_patient).toMatchObject(spread);
    expect(diff.incremental_cost_per_year.mean).toBeCloseTo(diff.incremental_cost_per_patient.mean * 2000, 6);
    const e = u.economics;
    expect(e).toMatchObject({ currency: "EUR", wtp: 250000 });
    // Cost per death avoided: the ratio of the mean differences.
    expect(e.cost_per_death_avoided.estimate).toBeCloseTo(
      diff.incremental_cost_per_patient.mean / (diff.deaths_avoided_per_1000.mean / 1000),
      6,
    );
    expect(e.net_monetary_benefit.per_patient.mean).toBeCloseTo(
      u.per_draw.reduce((a: number, d: { net_monetary_benefit: number }) => a + d.net_monetary_benefit, 0) /
        6,
      9,
    );
    expect(e.net_monetary_benefit.probability_positive).toBe(pb.net_monetary_benefit);
    expect(u.acceptability.length).toBeGreaterThan(10);
  });

  it("the text says it in sentences: plausible worlds, the cost per death avoided in the scenario's currency", async () => {
    const r = await cli(
      "compare",
      baseline,
      variant,
      "--uncertainty",
      "4",
      "--inner-patients",
      "500",
      ...FAST,
      "--out",
      out(),
    );
    expect(r.status, r.err).toBe(0);
    expect(r.out).toMatch(/of 4 plausible worlds/);
    expect(r.out).toMatch(/per death avoided/);
    expect(r.out).toContain("EUR");
  });
});

describe("sensitivity --uncertainty", () => {
  it("spreads the reliability gains over the sets; with --rank deaths it keeps the deaths order and says why", async () => {
    const plain = await cli(
      "sensitivity",
      baseline,
      "--uncertainty",
      "4",
      "--patients",
      "1000",
      "--json",
      ...FAST,
      "--out",
      out(),
    );
    expect(plain.status, plain.err).toBe(0);
    const s = JSON.parse(plain.out);
    expect(s.uncertainty).toMatchObject({ draws: 4, figure: "reliability" });
    expect(s.uncertainty.items.map((i: { mode: string }) => i.mode)).toEqual(
      s.items.map((i: { mode: string }) => i.mode),
    );
    const deaths = await cli(
      "sensitivity",
      baseline,
      "--uncertainty",
      "4",
      "--rank",
      "deaths",
      "--patients",
      "1000",
      ...FAST,
      "--out",
      out(),
    );
    expect(deaths.status, deaths.err).toBe(0);
    expect(deaths.out).toContain("Over 4 parameter sets");
    expect(deaths.out).toContain(
      "Deaths avoided are not redrawn per set: that would take 5 simulations per set (20 in all)",
    );
  });
});

describe("refusals", () => {
  const cases: [string, string[], RegExp][] = [
    [
      "one parameter set",
      ["run", "B", "--uncertainty", "1"],
      /'--uncertainty <n>' argument '1' is invalid\. expected a whole number of parameter sets from 2 to 100000/,
    ],
    [
      "a word for N",
      ["compare", "B", "V", "--uncertainty", "many"],
      /'--uncertainty <n>' argument 'many' is invalid/,
    ],
    [
      "too many sets",
      ["sensitivity", "B", "--uncertainty", "100001"],
      /'--uncertainty <n>' argument '100001' is invalid/,
    ],
    [
      "a fraction of a set",
      ["run", "B", "--uncertainty", "2.5"],
      /'--uncertainty <n>' argument '2\.5' is invalid/,
    ],
    [
      "a negative wtp",
      ["compare", "B", "V", "--uncertainty", "3", "--wtp", "-5"],
      /'--wtp <amount>' argument '-5' is invalid\. expected a non-negative amount in digits/,
    ],
    [
      "a wtp in exponent form",
      ["compare", "B", "V", "--wtp", "1e5"],
      /'--wtp <amount>' argument '1e5' is invalid/,
    ],
    [
      "a wtp that is no number",
      ["compare", "B", "V", "--wtp", "lots"],
      /'--wtp <amount>' argument 'lots' is invalid/,
    ],
    [
      "no inner patients",
      ["run", "B", "--uncertainty", "3", "--inner-patients", "0"],
      /'--inner-patients <n>' argument '0' is invalid\. expected a whole number of patients/,
    ],
    [
      "inner patients without sets (run)",
      ["run", "B", "--inner-patients", "500"],
      /--inner-patients sets the patients per parameter set: it needs --uncertainty N/,
    ],
    [
      "inner patients without sets (compare)",
      ["compare", "B", "V", "--inner-patients", "500"],
      /--inner-patients sets the patients per parameter set: it needs --uncertainty N/,
    ],
    [
      "inner patients for exact sets",
      ["sensitivity", "B", "--uncertainty", "3", "--inner-patients", "500"],
      /solves each parameter set exactly .*--inner-patients does not apply/,
    ],
    [
      "sets with --shard",
      ["run", "B", "--uncertainty", "3", "--shard", "1/2", "--partial", "p.json"],
      /--uncertainty runs many parameter sets: it cannot be combined with --shard or --trace/,
    ],
  ];
  for (const [what, args, message] of cases) {
    it(`${what}: exit 2, one message naming the flag, nothing written`, async () => {
      const target = out();
      const argv = args.map((a) => (a === "B" ? baseline : a === "V" ? variant : a));
      const r = await cli(...argv, "--out", target);
      expect(r.status).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toMatch(message);
      expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
      expect(existsSync(target)).toBe(false);
    });
  }
});

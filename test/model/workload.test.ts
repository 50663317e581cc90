// The workload estimate (src/model/workload.ts): exact where the routing chain gives the
// answer, and refusing, with the numbers, the valid scenarios that no machine could run.
import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../../src/model/spec.js";
import { estimateWorkload, MAX_CONCURRENT, workloadProblems } from "../../src/model/workload.js";
import { loadScenarioFile, loadScenarioText } from "../../src/node/load.js";

const spec = async (text: string) => (await loadScenarioText(text, "s.yaml")).model;

const chain = (arrivals = "", extra = "") => `name: chain
${arrivals}
microsystems:
  - { id: a, time: 10 min }
  - { id: b, time: { min: 10 min, max: 30 min } }
  - { id: c, time: { median: 30 min, p90: 60 min } }
handoff_defaults: { time: 5 min }
${extra}
`;

describe("the workload of a run", () => {
  it("a chain: one visit per microsystem, its mean time the sum of the means", async () => {
    const w = estimateWorkload(await spec(chain()));
    expect(w.visits).toBeCloseTo(3, 12);
    expect(w.visitsExact).toBe(true);
    const lognormal = 30 * Math.exp((Math.log(2) / 1.2815515655446004) ** 2 / 2);
    expect(w.journeyMinutes).toBeCloseTo(10 + 5 + 20 + 5 + lognormal, 9);
    expect(w.journeys).toBe(10_000);
    expect(workloadProblems(w)).toEqual({ refuse: [], warn: [] });
  });

  it("a loop taken with probability q: 1/(1−q) visits to each of its microsystems", async () => {
    const text = `name: loop
max_visits: 10000
microsystems:
  - { id: ward, time: 1 d }
  - { id: home, time: 1 d, next: [{ to: ward, p: 0.75 }, { to: clinic, p: 0.25 }] }
  - { id: clinic, time: 1 h, next: [] }
`;
    const w = estimateWorkload(await spec(text));
    expect(w.visits).toBeCloseTo(2 * 4 + 1, 9);
  });

  it("a loop that is all but certain: the visit guard bounds the visits", async () => {
    const text = `name: trap
max_visits: 50
microsystems:
  - { id: a, time: 1, next: [{ to: a, p: 0.999999 }, { to: b, p: 0.000001 }] }
  - { id: b, time: 1, next: [] }
`;
    const w = estimateWorkload(await spec(text));
    expect(w.visits).toBeGreaterThan(49.99);
    expect(w.visits).toBeLessThanOrEqual(50);
  });

  it("gotos on defects are walked with their defect probability", async () => {
    const text = `name: redo
microsystems:
  - { id: a, time: 1, failures: [{ id: redo, p: 0.5, detect: 0.5, goto: a }], next: [] }
`;
    // A defect (p·(1 − detect) = 1/4) sends the patient back: 1 / (1 − 1/4) visits.
    expect(estimateWorkload(await spec(text)).visits).toBeCloseTo(4 / 3, 9);
  });

  it("the bundled scenarios are nowhere near a limit", async () => {
    for (const file of ["scenarios/ami-baseline.yaml", "scenarios/teaching/readmission-loop.yaml"]) {
      const w = estimateWorkload((await loadScenarioFile(file)).model);
      expect(workloadProblems(w), file).toEqual({ refuse: [], warn: [] });
    }
  });
});

/** A loadable scenario changed after loading (the loader would refuse the change itself). */
const changed = async (text: string, change: (s: ModelSpec) => ModelSpec) => change(await spec(text));
const refusals = (w: ReturnType<typeof estimateWorkload>) => workloadProblems(w).refuse.map((p) => p.message);

describe("valid scenarios that no run could finish are refused with the numbers", () => {
  it("arrivals.per_day 1e-300: the patients would arrive over 10^304 days", async () => {
    const w = estimateWorkload(
      await changed(chain("arrivals: { per_day: 1 }"), (s) => ({
        ...s,
        arrivals: { ...s.arrivals!, perDay: 1e-300 },
      })),
    );
    expect(w.days).toBeGreaterThan(1e300);
    expect(refusals(w)).toEqual([
      expect.stringMatching(/^the arrivals span 1\.00e\+303 simulated days per replication: at most 365000/),
    ]);
  });

  it("per_day 1e6 with a one-day stay: a million patients in the pathway at once", async () => {
    const text = `name: crowd\narrivals: { per_day: 1000 }\nmicrosystems: [{ id: ward, time: 1 d }]\n`;
    const w = estimateWorkload(
      await changed(text, (s) => ({ ...s, arrivals: { ...s.arrivals!, perDay: 1e6 } })),
    );
    expect(w.concurrent).toBeCloseTo(1e6, 3);
    expect(w.concurrent).toBeGreaterThan(MAX_CONCURRENT);
    expect(refusals(w)).toEqual([
      expect.stringContaining("about 1.00e+6 patients would be in the pathway at once"),
    ]);
  });

  it("a 100-year warm-up at a high rate: billions of warm-up journeys", async () => {
    const text = `name: warm\narrivals: { per_day: 100000 }\nmicrosystems: [{ id: ed, time: 1 min }]\n`;
    const w = estimateWorkload(
      await changed(text, (s) => ({ ...s, arrivals: { ...s.arrivals!, warmup: 36500 * 1440 } })),
    );
    expect(w.journeys).toBeGreaterThan(3.6e10);
    expect(workloadProblems(w).refuse).toContainEqual({
      field: "warmup",
      message: expect.stringMatching(/^the run would simulate 3\.65e\+10 journeys/),
    });
  });

  it("the loader refuses them, located at the key, exit-2 style: per_day, warm-up, --set alike", async () => {
    const refused = async (text: string, set: string[] = []) =>
      (await loadScenarioText(text, "s.yaml", { set }).catch((e: Error) => e)) as Error & {
        format?: () => string;
      };
    expect((await refused(chain("arrivals: { per_day: 1e-300 }"))).format?.()).toMatch(
      /^s\.yaml:2:22 arrivals\.per_day: the arrivals span 1\.00e\+303 simulated days/,
    );
    expect(
      (
        await refused(
          `name: w\narrivals: { per_day: 1000000, warmup: 36500 d }\nmicrosystems: [{ id: ed, time: 1 min }]\n`,
        )
      ).format?.(),
    ).toMatch(/^s\.yaml:2:39 arrivals\.warmup: the run would simulate 3\.65e\+11 journeys/m);
    expect((await refused(chain(), ["arrivals={per_day: 1e-300}"])).format?.()).toMatch(
      /^--set "arrivals=\{per_day: 1e-300\}":1:\d+ arrivals\.per_day: the arrivals span/,
    );
  });

  it("a run's --patients goes through the same estimate", async () => {
    const { withOverrides } = await import("../../src/model/simulate.js");
    const s = await spec(chain("arrivals: { per_day: 0.001 }", "patients: 10"));
    expect(() => withOverrides(s, { patients: 1_000_000 })).toThrow(
      /^with 1000000 patients: the arrivals span 1\.00e\+8 simulated days/,
    );
    expect(withOverrides(s, { patients: 20 }).patients).toBe(20);
  });

  it("a long but feasible run is only warned about, as a warning of the loader", async () => {
    const text = `name: long\npatients: 1000000000\nmax_visits: 1000\nmicrosystems:\n  - { id: a, time: 1, next: [{ to: a, p: 0.99 }, { to: b, p: 0.01 }] }\n  - { id: b, time: 1, next: [] }\n`;
    const problems = workloadProblems(estimateWorkload(await spec(text)));
    expect(problems.refuse).toEqual([]);
    expect(problems.warn).toEqual([{ field: "patients", message: expect.stringContaining("expect hours") }]);
    const { warnings } = await loadScenarioText(text, "s.yaml");
    expect(warnings.map((w) => w.message)).toContainEqual(expect.stringContaining("expect hours"));
  });
});

// What a variant changed, from the two models: by `--set` path, with the values as a file writes
// them; the same list `compare` reports (variants[].changes) and the studio shows.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenarioFile, loadScenarioText } from "../../src/node/load.js";
import { describeModel, modelChanges } from "../../src/scenario/changes.js";
import { parseAssignment } from "../../src/scenario/set.js";
import { clockText, parseClock, parseTime, timeText } from "../../src/scenario/units.js";
import { lines } from "./helpers.js";

const load = async (file: string, set: string[] = []) =>
  (await loadScenarioFile(file, { set: set.map(parseAssignment) })).model;

describe("modelChanges", () => {
  it("lists each value a bundled variant changes, and nothing else", async () => {
    const base = await load("scenarios/ami-baseline.yaml");
    expect(modelChanges(base, base)).toEqual([]);
    expect(modelChanges(base, await load("scenarios/ami-ipass.yaml"))).toEqual([
      { path: "handoffs[ed->telemetry].failures[med_list_lost].p", baseline: 0.2, variant: 0.154276609393 },
      { path: "handoffs[ccu->telemetry].failures[med_list_lost].p", baseline: 0.2, variant: 0.154276609393 },
      { path: "programme_cost", baseline: null, variant: { per_year: 40000, per_patient: 0 } },
    ]);
    expect(modelChanges(base, await load("scenarios/ami-cathlab-24-7.yaml"))).toEqual([
      {
        path: "microsystems[cathlab].name",
        baseline: "Catheterization lab",
        variant: "Catheterization lab (staffed 24/7)",
      },
      {
        path: "microsystems[cathlab].hours",
        baseline: { open: "07:00", close: "19:00", days: ["mon", "tue", "wed", "thu", "fri"] },
        variant: null,
      },
      {
        path: "microsystems[cathlab].off_hours_delay",
        baseline: { median: "10 min", p90: "24 min" },
        variant: null,
      },
      {
        path: "handoffs[ed->cathlab].hours",
        baseline: { open: "07:00", close: "19:00", days: ["mon", "tue", "wed", "thu", "fri"] },
        variant: null,
      },
    ]);
  });

  it("names the keys of issue 13: a when condition's p, severity, unless, decided_at, a delay term", async () => {
    const base = await load("scenarios/ami-baseline.yaml");
    const mode = "handoffs[ed->cathlab].failures[late_activation]";
    const changed = await load("scenarios/ami-baseline.yaml", [
      `${mode}.when[0].p=0.5`,
      `${mode}.severity=severe`,
      "outcomes.mortality.decided_at=ccu.end",
    ]);
    expect(modelChanges(base, changed)).toEqual([
      // A list without ids is one value (as `extends` merges it): the whole `when` shows.
      {
        path: `${mode}.when`,
        baseline: [{ off_hours: true, p: 0.44 }],
        variant: [{ off_hours: true, p: 0.5 }],
      },
      { path: `${mode}.severity`, baseline: "moderate", variant: "severe" },
      { path: "outcomes.mortality.decided_at", baseline: "telemetry.end", variant: "ccu.end" },
    ]);
    const rehab = describeModel(base) as {
      handoffs: { from: string; failures: { id: string; unless?: string[] }[] }[];
    };
    const enrol = rehab.handoffs.flatMap((h) => h.failures).find((f) => f.id === "rehab_not_enrolled")!;
    expect(enrol.unless).toEqual(["no_rehab_referral"]);
    const terms = (describeModel(base) as { outcomes: { mortality: { delay: unknown[] } } }).outcomes
      .mortality.delay;
    expect(terms).toHaveLength(2);
  });

  it("names a --set change by its own path, a defaulted handoff included", async () => {
    const base = await load("scenarios/ami-baseline.yaml");
    const set = await load("scenarios/ami-baseline.yaml", [
      "handoffs[cathlab->ccu].time=20 min",
      "microsystems[ed].next[ccu].p=0.4",
      "microsystems[ed].next[telemetry].p=0.6",
    ]);
    expect(modelChanges(base, set)).toEqual([
      { path: "microsystems[ed].next[ccu].p", baseline: 0.3, variant: 0.4 },
      { path: "microsystems[ed].next[telemetry].p", baseline: 0.7, variant: 0.6 },
      { path: "handoffs[cathlab->ccu].time", baseline: "10 min", variant: "20 min" },
    ]);
  });

  it("shows a changed default on every handoff that takes it, added and removed values as null", async () => {
    const text = (defaults: string, extra = "") =>
      lines(
        "name: t",
        "microsystems:",
        "  - { id: a, time: 1 }",
        "  - { id: b, time: 1 }",
        `  - { id: c, time: 1${extra} }`,
        `handoff_defaults: ${defaults}`,
      );
    const base = (await loadScenarioText(text("{ time: 10 min }"), "t.yaml")).model;
    const variant = (await loadScenarioText(text("{ time: 1.5 h }", ", capacity: 2"), "t.yaml")).model;
    expect(modelChanges(base, variant)).toEqual([
      { path: "microsystems[c].capacity", baseline: null, variant: 2 },
      { path: "handoffs[a->b].time", baseline: "10 min", variant: "90 min" },
      { path: "handoffs[b->c].time", baseline: "10 min", variant: "90 min" },
    ]);
  });

  it("names the capacity keys a variant changes (shifts, resources, blocking, priorities, other patients, reneging)", async () => {
    const text = (ward: string, extra: string[] = []) =>
      lines(
        "name: t",
        "classes: [{ id: a, share: 0.5 }, { id: b, share: 0.5 }]",
        "arrivals: { per_day: 10, warmup: 1 d }",
        "resources: [{ id: beds, capacity: 2 }]",
        "microsystems:",
        "  - { id: ed, time: 1 h, capacity: 1 }",
        `  - { id: ward, time: 1 d${ward} }`,
        ...extra,
      );
    const base = (await loadScenarioText(text(", uses: beds"), "t.yaml")).model;
    const variant = (
      await loadScenarioText(
        text(
          ", capacity: [{ from: '08:00', to: '20:00', n: 3 }, { from: '20:00', to: '08:00', n: 1 }], blocking: true, priority: { b: 2 }, max_wait: 4 h, background: { per_day: 2, time: 1 d }",
        ),
        "t.yaml",
      )
    ).model;
    const paths = modelChanges(base, variant).map((c) => c.path);
    expect(paths).toEqual([
      "microsystems[ward].capacity",
      "microsystems[ward].blocking",
      "microsystems[ward].priority",
      "microsystems[ward].background",
      "microsystems[ward].max_wait",
      "microsystems[ward].then",
      "microsystems[ward].defect",
      // A removed key comes after the ones the variant has.
      "microsystems[ward].uses",
    ]);
    expect(modelChanges(base, variant)[0]!.variant).toEqual([
      { from: "08:00", to: "20:00", n: 3, days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] },
      { from: "20:00", to: "08:00", n: 1, days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] },
    ]);
  });

  it("writes the model back in the file's words, every default filled in", async () => {
    const model = await load("scenarios/ami-baseline.yaml");
    const words = describeModel(model) as Record<string, unknown>;
    expect(words).not.toHaveProperty("name");
    expect(words.arrivals).toMatchObject({ per_day: 1.6, warmup: "2 wk" });
    const cathlab = (words.microsystems as Record<string, unknown>[]).find((m) => m.id === "cathlab")!;
    expect(cathlab).toMatchObject({
      time: { median: "50 min", p90: "90 min" },
      capacity: [
        { from: "07:00", to: "19:00", n: 2, days: ["mon", "tue", "wed", "thu", "fri"] },
        { from: "07:00", to: "19:00", n: 1, days: ["sat", "sun"] },
        { from: "19:00", to: "07:00", n: 1, days: ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] },
      ],
      hours: { open: "07:00", close: "19:00" },
    });
    // The two time-to-treatment terms of issue 13, as a list.
    expect((words.outcomes as { mortality: { delay: unknown } }).mortality.delay).toEqual([
      {
        from: "journey.start",
        to: "ed.arrive",
        reference: "0 min",
        rr_per_30min: expect.closeTo(1.0756, 4), // the lognormal mean of median 1.075 (issue 14)
      },
      { from: "ed.arrive", to: "cathlab.start", reference: "90 min", rr_per_30min: 1.036 },
    ]);
  });
});

describe("times and clock times written back", () => {
  it("read back to the same minutes, in a unit people use", () => {
    expect([0, 0.5, 20, 90, 150, 1440, 2880, 20160, 30 * 1440].map(timeText)).toEqual([
      "0 min",
      "30 s",
      "20 min",
      "90 min",
      "2.5 h",
      "1 d",
      "2 d",
      "2 wk",
      "30 d",
    ]);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 100 * 365 * 1440, noNaN: true }), (minutes) => {
        const back = parseTime(timeText(minutes));
        expect(back).not.toBeNull();
        expect(Math.abs(back! - minutes)).toBeLessThanOrEqual(1e-9 * Math.max(1, minutes));
      }),
      { seed: 17, numRuns: 2000 },
    );
    expect([0, 420, 1439, 1440].map(clockText)).toEqual(["00:00", "07:00", "23:59", "24:00"]);
    expect(parseClock(clockText(1440), true)).toBe(1440);
  });
});

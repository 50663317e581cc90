// The compiled model: every design default filled in, every time in minutes.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile, loadScenarioText } from "../../src/node/load.js";
import { GOOD, issuesOf, lines } from "./helpers.js";

const spec = async (text: string) => (await loadScenarioText(text, "s.yaml")).model;

const TWO_STEPS = lines(
  "name: t",
  "microsystems:",
  "  - { id: ed, time: 30 min }",
  "  - { id: ward, time: 2 d }",
);

describe("defaults of format v1", () => {
  it("fills in seed, patients, one class, no arrivals, one replication, visit guard", async () => {
    const s = await spec(TWO_STEPS);
    expect(s.name).toBe("t");
    expect(s.description).toBe("");
    expect(s.seed).toBe(1);
    expect(s.patients).toBe(10000);
    expect(s.classes).toEqual([{ id: "all", share: 1, start: "ed" }]);
    expect(s.arrivals).toBeNull();
    expect(s.replications).toBe(1);
    expect(s.maxVisits).toBe(100);
    expect(s.mortality).toBeNull();
    expect(s.metrics).toEqual([]);
  });

  it("takes 10 replications with arrivals (at most the patients) and a warm-up the run chooses", async () => {
    const withArrivals = `${TWO_STEPS}arrivals: { per_day: 4 }\n`;
    const s = await spec(withArrivals);
    expect(s.replications).toBe(10);
    expect(s.arrivals).toEqual({ perDay: 4, byHour: null, warmup: 0, warmupAuto: true });
    // A warm-up written in the file, 0 included, is the user's: the run takes it as it is.
    expect((await spec(`${TWO_STEPS}arrivals: { per_day: 4, warmup: 0 }\n`)).arrivals).toEqual({
      perDay: 4,
      byHour: null,
      warmup: 0,
    });
    expect((await spec(`${withArrivals}patients: 4\n`)).replications).toBe(4);
    expect((await spec(`${withArrivals}replications: 3\n`)).replications).toBe(3);
  });

  it("routes to the next microsystem when next is omitted, and ends after the last", async () => {
    const s = await spec(TWO_STEPS);
    expect(s.microsystems.map((m) => m.next)).toEqual([[{ to: "ward", p: null, classes: null }], []]);
  });

  it("ends the journey at next: []", async () => {
    const s = await spec(
      lines("name: t", "microsystems:", "  - { id: ed, time: 1, next: [] }", "  - { id: ward, time: 1 }"),
    );
    expect(s.microsystems[0]?.next).toEqual([]);
  });

  it("names microsystems, failure modes and metrics by their id", async () => {
    const s = await spec(
      lines(
        "name: t",
        "microsystems:",
        "  - { id: ed, time: 1, failures: [{ id: f, p: 0.1 }] }",
        "metrics: [{ id: m, from: journey.start, to: ed.end }]",
      ),
    );
    expect(s.microsystems[0]?.name).toBe("ed");
    expect(s.microsystems[0]?.failures[0]).toEqual({
      id: "f",
      name: "f",
      p: 0.1,
      classes: null,
      detect: 0,
      recoverTime: null,
      delay: null,
      harm: 1,
      drop: false,
      goto: null,
      unless: [],
      when: [],
    });
    expect(s.metrics).toEqual([
      {
        id: "m",
        name: "m",
        from: { kind: "journey.start" },
        to: { kind: "microsystem", id: "ed", event: "end" },
        target: null,
      },
    ]);
  });

  it("starts classes at the scenario's start, which defaults to the first microsystem", async () => {
    const classes = lines("classes:", "  - { id: a, share: 0.5 }", "  - { id: b, share: 0.5, start: ward }");
    expect((await spec(TWO_STEPS + classes)).classes.map((c) => c.start)).toEqual(["ed", "ward"]);
    expect((await spec(`${TWO_STEPS + classes}start: ward\n`)).classes.map((c) => c.start)).toEqual([
      "ward",
      "ward",
    ]);
  });

  it("opens staffed hours every day unless days are given", async () => {
    const s = await spec(
      lines(
        "name: t",
        "microsystems:",
        '  - { id: a, time: 1, hours: { open: "07:00", close: "19:30" }, off_hours_delay: 1 h }',
        '  - { id: b, time: 1, hours: { open: "22:00", close: "06:00", days: [sun, mon, mon] }, off_hours_delay: 1 }',
      ),
    );
    expect(s.microsystems.map((m) => m.hours)).toEqual([
      { open: 420, close: 1170, days: [0, 1, 2, 3, 4, 5, 6] },
      { open: 1320, close: 360, days: [0, 6] },
    ]);
    expect(s.microsystems[0]?.offHoursDelay).toEqual({ kind: "fixed", value: 60 });
  });

  it('reads close "24:00" as the end of the day: "00:00" to "24:00" is always staffed', async () => {
    const s = await spec(
      lines(
        "name: t",
        "microsystems:",
        '  - { id: a, time: 1, hours: { open: "00:00", close: "24:00" }, off_hours_delay: 1 h }',
        '  - { id: b, time: 1, hours: { open: "18:00", close: "24:00", days: [fri] }, off_hours_delay: 1 }',
      ),
    );
    expect(s.microsystems.map((m) => m.hours)).toEqual([
      { open: 0, close: 1440, days: [0, 1, 2, 3, 4, 5, 6] },
      { open: 1080, close: 1440, days: [4] },
    ]);
  });

  it('refuses "24:00" as an opening time and any clock time past it, saying how to write it', async () => {
    const issues = await issuesOf(
      lines(
        "name: t",
        "microsystems:",
        '  - { id: a, time: 1, hours: { open: "24:00", close: "24:01" }, off_hours_delay: 1 h }',
      ),
    );
    expect(issues).toEqual([
      's.yaml:3:38 microsystems[0].hours.open: found "24:00", expected a clock time "HH:MM" from 00:00 to 23:59 (24:00 closes a day; a day opens at "00:00")',
      's.yaml:3:54 microsystems[0].hours.close: found "24:01", expected a clock time "HH:MM" from 00:00 to 24:00 (24:00 = the end of the day)',
    ]);
  });

  it("expands one mortality base risk to every class", async () => {
    const s = await spec(`${TWO_STEPS}outcomes: { mortality: { base: 4% } }\n`);
    expect(s.mortality).toEqual({ base: { all: 0.04 }, delays: [], decidedAt: null });
  });
});

describe("handoffs", () => {
  const scenario = lines(
    "name: t",
    "microsystems:",
    "  - id: a",
    "    time: 1",
    "    failures: [{ id: wrong, p: 0.1, goto: c }]",
    "    next: [{ to: b }]",
    "  - { id: b, time: 1 }",
    "  - { id: c, time: 1 }",
    "handoff_defaults:",
    "  time: 10 min",
    "  failures: [{ id: lost, p: 0.1 }]",
    "handoffs:",
    "  - { from: b, to: c, time: 1 h }",
  );

  it("exist for every route edge and every microsystem-level goto edge", async () => {
    const s = await spec(scenario);
    expect(s.handoffs.map((h) => [h.from, h.to, h.declared])).toEqual([
      ["a", "b", false],
      ["a", "c", false],
      ["b", "c", true],
    ]);
  });

  it("take handoff_defaults whole when unlisted, and only the missing fields when listed", async () => {
    const s = await spec(scenario);
    const lost = {
      id: "lost",
      name: "lost",
      p: 0.1,
      classes: null,
      detect: 0,
      recoverTime: null,
      delay: null,
      harm: 1,
      drop: false,
      goto: null,
      unless: [],
      when: [],
    };
    expect(s.handoffs[0]).toEqual({
      from: "a",
      to: "b",
      time: { kind: "fixed", value: 10 },
      failures: [lost],
      declared: false,
      hours: null,
    });
    expect(s.handoffs[2]).toEqual({
      from: "b",
      to: "c",
      time: { kind: "fixed", value: 60 },
      failures: [lost],
      declared: true,
      hours: null,
    });
  });

  it("take no time and no failures without handoff_defaults", async () => {
    const s = await spec(TWO_STEPS);
    expect(s.handoffs).toEqual([
      {
        from: "ed",
        to: "ward",
        time: { kind: "fixed", value: 0 },
        failures: [],
        declared: false,
        hours: null,
      },
    ]);
  });
});

describe("the full example", () => {
  it("compiles every kind of distribution to minutes", async () => {
    const { model: s } = await loadScenarioFile(path.join(GOOD, "ami.yaml"));
    expect(s.microsystems.map((m) => m.time)).toEqual([
      { kind: "lognormal", median: 40, p90: 70 },
      { kind: "gamma", mean: 30, sd: 10 },
      { kind: "triangular", min: 30, mode: 45, max: 120 },
      { kind: "uniform", min: 1440, max: 4320 },
      { kind: "exponential", mean: 2880 },
      { kind: "fixed", value: 80640 },
      { kind: "fixed", value: 30 },
    ]);
  });

  it("keeps routes, reserved classes and route probabilities as written", async () => {
    const { model: s } = await loadScenarioFile(path.join(GOOD, "ami.yaml"));
    expect(s.microsystems[1]?.next).toEqual([
      { to: "cathlab", p: null, classes: ["stemi_ems", "stemi_self"] },
      { to: "ccu", p: 0.3, classes: null },
      { to: "telemetry", p: 0.7, classes: null },
    ]);
    expect(s.classes).toEqual([
      { id: "stemi_ems", share: 0.2, start: "paramedics" },
      { id: "stemi_self", share: 0.15, start: "ed" },
      { id: "nstemi", share: 0.65, start: "paramedics" },
    ]);
  });

  it("compiles arrivals, outcomes, metrics and the visit guard", async () => {
    const { model: s } = await loadScenarioFile(path.join(GOOD, "ami.yaml"));
    expect(s.arrivals?.warmup).toBe(14 * 1440);
    expect(s.arrivals?.byHour).toHaveLength(24);
    expect(s.replications).toBe(5);
    expect(s.maxVisits).toBe(50);
    expect(s.mortality).toEqual({
      base: { stemi_ems: 0.055, stemi_self: 0.055, nstemi: 0.035 },
      delays: [
        {
          from: { kind: "journey.start" },
          to: { kind: "microsystem", id: "cathlab", event: "start" },
          reference: 90,
          rrPer30Min: 1.075,
        },
      ],
      decidedAt: null,
    });
    expect(s.metrics[0]).toEqual({
      id: "door_to_balloon",
      name: "Door to balloon",
      from: { kind: "microsystem", id: "ed", event: "arrive" },
      to: { kind: "microsystem", id: "cathlab", event: "start" },
      target: 90,
    });
  });
});

// Every kind of invalid input of DESIGN.md's validation paragraph is rejected with the file, line,
// column and field path; everything found is reported at once.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile, loadScenarioText } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { BAD, issuesOf, lines, rejection } from "./helpers.js";

const TIME =
  'a non-negative time: minutes, or a number with a unit such as "45 s", "30 min", "1.5 h", "3 d", "2 wk"';
const PROBABILITY = "a probability in [0, 1] or a percent string";
const DISTRIBUTION =
  "a time distribution: a time, {median, p90}, {mean}, {min, mode, max}, {min, max} or {mean, sd}";

describe("unknown keys", () => {
  it("are rejected at the key, with a suggestion for a misspelling", async () => {
    const text = lines(
      "name: t",
      "patient: 5",
      "microsystems:",
      "  - id: ed",
      "    time: 30 min",
      "    capacty: 3",
      "    colour: red",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:2:1 patient: unknown key "patient" (did you mean "patients"?)',
      's.yaml:6:5 microsystems[0].capacty: unknown key "capacty" (did you mean "capacity"?)',
      's.yaml:7:5 microsystems[0].colour: unknown key "colour"',
    ]);
  });

  it("inside a distribution are matched to the shape meant", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - id: ed",
      "    time: { median: 30 min }",
      "  - id: ward",
      "    time: { mean: 1 d, sdd: 2 h }",
      "  - id: icu",
      "    time: { foo: 1 }",
      "  - id: home",
      "    time: { min: 1 h, mdoe: 2 h }",
    );
    expect(await issuesOf(text)).toEqual([
      `s.yaml:4:11 microsystems[0].time.p90: missing, expected ${TIME}`,
      's.yaml:6:24 microsystems[1].time.sdd: unknown key "sdd" (did you mean "sd"?)',
      `s.yaml:8:11 microsystems[2].time: found a mapping, expected ${DISTRIBUTION}`,
      `s.yaml:10:11 microsystems[3].time.max: missing, expected ${TIME}`,
      's.yaml:10:23 microsystems[3].time.mdoe: unknown key "mdoe" (did you mean "mode"?)',
    ]);
  });
});

describe("ids", () => {
  it("that are unknown are rejected wherever a microsystem or class is named", async () => {
    const text = lines(
      "name: t",
      "start: emergency",
      "classes:",
      "  - { id: a, share: 0.5, start: wardd }",
      "  - { id: b, share: 0.5 }",
      "microsystems:",
      "  - id: ed",
      "    time: 30 min",
      "    failures: [{ id: f, p: 0.1, classes: [aa], goto: icu }]",
      "    next: [{ to: ward, classes: [a, c] }, { to: ward }]",
      "  - id: ward",
      "    time: 1 d",
      "handoffs:",
      "  - { from: ed, to: wardx }",
      "metrics:",
      "  - { id: m, from: ed.arrive, to: cath.start }",
      "outcomes:",
      "  mortality:",
      "    base: { a: 0.1, b: 0.1, bb: 0.2 }",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:2:8 start: unknown microsystem "emergency"',
      's.yaml:4:33 classes[0].start: unknown microsystem "wardd" (did you mean "ward"?)',
      's.yaml:9:43 microsystems[0].failures[0].classes[0]: unknown class "aa"',
      's.yaml:9:54 microsystems[0].failures[0].goto: unknown microsystem "icu"',
      's.yaml:10:37 microsystems[0].next[0].classes[1]: unknown class "c"',
      's.yaml:14:21 handoffs[0].to: unknown microsystem "wardx" (did you mean "ward"?)',
      's.yaml:16:35 metrics[0].to: unknown microsystem "cath" in milestone "cath.start"',
      's.yaml:19:29 outcomes.mortality.base.bb: unknown class "bb"',
    ]);
  });

  it("in routes get a suggestion", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - id: ed",
      "    time: 30 min",
      "    next: [{ to: wrd }]",
      "  - id: ward",
      "    time: 1 d",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:5:18 microsystems[0].next[0].to: unknown microsystem "wrd" (did you mean "ward"?)',
    ]);
  });

  it("that repeat are rejected, pointing back at the first", async () => {
    const text = lines(
      "name: t",
      "classes:",
      "  - { id: a, share: 0.5 }",
      "  - { id: a, share: 0.5 }",
      "microsystems:",
      "  - id: ed",
      "    time: 1",
      "    failures:",
      "      - { id: f, p: 0.1 }",
      "      - { id: f, p: 0.2 }",
      "  - { id: ward, time: 1 }",
      "  - { id: ed, time: 1 }",
      "metrics:",
      "  - { id: m, from: journey.start, to: ed.end }",
      "  - { id: m, from: journey.start, to: ed.start }",
      "handoffs:",
      "  - { from: ed, to: ward }",
      "  - { from: ed, to: ward }",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:4:11 classes[1].id: duplicate id "a" (first at line 3)',
      's.yaml:10:15 microsystems[0].failures[1].id: duplicate id "f" (first at line 9)',
      's.yaml:12:11 microsystems[2].id: duplicate id "ed" (first at line 6)',
      's.yaml:15:11 metrics[1].id: duplicate id "m" (first at line 14)',
      's.yaml:18:5 handoffs[1]: duplicate handoff "ed -> ward" (first at line 17)',
    ]);
  });

  it("must have the form of an id", async () => {
    const text = lines("name: t", "microsystems:", '  - { id: "emergency dept", time: 1 }');
    expect(await issuesOf(text)).toEqual([
      's.yaml:3:11 microsystems[0].id: found "emergency dept", expected an id: a letter or _, then letters, digits, _ or -',
    ]);
  });
});

describe("probabilities", () => {
  it("outside [0, 1] are rejected, as numbers or percent strings", async () => {
    const text = lines(
      "name: t",
      "classes:",
      "  - { id: a, share: 1.5 }",
      "microsystems:",
      "  - id: ed",
      "    time: 1",
      "    failures:",
      "      - { id: f, p: 1.4, detect: -0.1 }",
      '      - { id: g, p: "150%" }',
      "    next: [{ to: ward, p: 2 }]",
      "  - { id: ward, time: 1 }",
    );
    expect(await issuesOf(text)).toEqual([
      `s.yaml:3:21 classes[0].share: found 1.5, expected ${PROBABILITY}`,
      `s.yaml:8:21 microsystems[0].failures[0].p: found 1.4, expected ${PROBABILITY}`,
      `s.yaml:8:34 microsystems[0].failures[0].detect: found -0.1, expected ${PROBABILITY}`,
      `s.yaml:9:21 microsystems[0].failures[1].p: found "150%", expected ${PROBABILITY} up to 100%`,
      `s.yaml:10:27 microsystems[0].next[0].p: found 2, expected ${PROBABILITY} (did you mean "2%"?)`,
    ]);
  });

  it("carry found and expected separately", async () => {
    const error = await rejection(
      lines("name: t", "microsystems:", "  - { id: ed, time: 1, failures: [{ id: f, p: 1.4 }] }"),
    );
    expect(error.issues).toEqual([
      {
        file: "s.yaml",
        line: 3,
        column: 47,
        path: "microsystems[0].failures[0].p",
        message: `found 1.4, expected ${PROBABILITY}`,
        found: "1.4",
        expected: PROBABILITY,
      },
    ]);
  });
});

describe("sums", () => {
  it("of class shares must be 1", async () => {
    const text = lines(
      "name: t",
      "classes:",
      "  - { id: a, share: 0.5 }",
      "  - { id: b, share: 30% }",
      "microsystems:",
      "  - { id: ed, time: 1 }",
    );
    expect(await issuesOf(text)).toEqual(["s.yaml:3:3 classes: class shares sum to 0.8, expected 1"]);
  });

  it("of class shares tolerate rounding", async () => {
    const text = lines(
      "name: t",
      "classes: [{ id: a, share: 0.1 }, { id: b, share: 0.2 }, { id: c, share: 0.7 }]",
      "microsystems: [{ id: ed, time: 1 }]",
    );
    expect((await loadScenarioText(text, "s.yaml")).model.classes).toHaveLength(3);
  });

  it("of route probabilities must be 1 for each class, and several eligible routes need p", async () => {
    const text = lines(
      "name: t",
      "classes:",
      "  - { id: a, share: 0.5 }",
      "  - { id: b, share: 0.5 }",
      "microsystems:",
      "  - id: ed",
      "    time: 1",
      "    next:",
      "      - { to: ccu, classes: [a], p: 0.5 }",
      "      - { to: ward, classes: [a], p: 0.4 }",
      "      - { to: ccu, p: 0.3 }",
      "      - { to: ward }",
      "  - { id: ccu, time: 1, next: [] }",
      "  - { id: ward, time: 1 }",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:9:7 microsystems[0].next: route probabilities for class "a" sum to 0.9, expected 1',
      's.yaml:12:9 microsystems[0].next[3]: missing p: several routes are eligible for class "b"',
    ]);
  });

  it("of a single eligible route must be 1 when p is given", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - { id: ed, time: 1, next: [{ to: ward, p: 0.5 }] }",
      "  - { id: ward, time: 1 }",
    );
    expect(await issuesOf(text)).toEqual([
      "s.yaml:3:30 microsystems[0].next: route probabilities sum to 0.5, expected 1",
    ]);
  });
});

describe("routing", () => {
  it("rejects a class without a route out of a microsystem that has routes", async () => {
    const text = lines(
      "name: t",
      "classes:",
      "  - { id: a, share: 0.5 }",
      "  - { id: b, share: 0.5 }",
      "microsystems:",
      "  - id: ed",
      "    time: 1",
      "    next: [{ to: ward, classes: [a] }]",
      "  - { id: ward, time: 1 }",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:8:11 microsystems[0].next: class "b" has no route out of "ed"',
    ]);
  });

  it("rejects a handoff that is not an edge of the journey", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - { id: ed, time: 1 }",
      "  - { id: ward, time: 1 }",
      "handoffs:",
      "  - { from: ward, to: ed, time: 5 min }",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:6:5 handoffs[0]: no route or goto from "ward" to "ed": a handoff must be an edge of the journey',
    ]);
  });

  it("accepts a handoff on a goto edge", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - { id: ed, time: 1, failures: [{ id: f, p: 0.1, goto: icu }], next: [{ to: ward }] }",
      "  - { id: ward, time: 1, next: [] }",
      "  - { id: icu, time: 1, next: [{ to: ward }] }",
      "handoffs:",
      "  - { from: ed, to: icu, time: 5 min }",
    );
    const { model: spec } = await loadScenarioText(text, "s.yaml");
    expect(spec.handoffs.find((h) => h.to === "icu")?.declared).toBe(true);
  });

  it("rejects microsystems from which no end can be reached", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - id: ed",
      "    time: 1",
      "    next: [{ to: ward }]",
      "  - id: ward",
      "    time: 1",
      "    next: [{ to: icu }]",
      "  - id: icu",
      "    time: 1",
      "    next: [{ to: ward }]",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:5:11 microsystems[0].next: no end of the journey can be reached from "ed"',
      's.yaml:8:11 microsystems[1].next: no end of the journey can be reached from "ward"',
      's.yaml:11:11 microsystems[2].next: no end of the journey can be reached from "icu"',
    ]);
  });

  const trapForA = lines(
    "name: t",
    "classes:",
    "  - { id: a, share: 0.5 }",
    "  - { id: b, share: 0.5 }",
    "microsystems:",
    "  - id: ward",
    "    time: 1",
    "    next: [{ to: icu, classes: [a] }, { to: home }]",
    "  - id: icu",
    "    time: 1",
    "    next: [{ to: ward }]",
    "  - { id: home, time: 1 }",
  );

  it("judges dead ends per class", async () => {
    expect(await issuesOf(trapForA)).toEqual([
      's.yaml:8:11 microsystems[0].next: no end of the journey can be reached from "ward" for class "a"',
      's.yaml:11:11 microsystems[1].next: no end of the journey can be reached from "icu" for class "a"',
    ]);
  });

  it("counts a drop as a way to end", async () => {
    const withDrop = trapForA.replace(
      "  - id: icu\n",
      "  - id: icu\n    failures: [{ id: lost, p: 0.01, drop: true }]\n",
    );
    expect((await loadScenarioText(withDrop, "s.yaml")).model.microsystems).toHaveLength(3);
  });
});

describe("times", () => {
  it("that are negative, lack a known unit or break a distribution's rules are rejected", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - id: ed",
      "    time: -5",
      "    off_hours_delay: 30 mins please",
      '    hours: { open: "7am", close: "19:00" }',
      "  - id: ward",
      "    time: { median: 2 h, p90: 1 h }",
      "  - id: icu",
      "    time: { min: 1 h, mode: 3 h, max: 2 h }",
      "  - id: home",
      "    time: 30 minuets",
    );
    expect(await issuesOf(text)).toEqual([
      `s.yaml:4:11 microsystems[0].time: found -5, expected ${TIME}`,
      `s.yaml:5:22 microsystems[0].off_hours_delay: found "30 mins please", expected ${TIME}`,
      's.yaml:6:20 microsystems[0].hours.open: found "7am", expected a clock time "HH:MM" from 00:00 to 23:59',
      's.yaml:8:31 microsystems[1].time.p90: found "1 h", expected a p90 greater than the median (2 h)',
      's.yaml:10:29 microsystems[2].time.mode: found "3 h", expected a mode between min and max (1 h and 2 h)',
      `s.yaml:12:11 microsystems[3].time: found "30 minuets", expected ${TIME}`,
    ]);
  });

  it("are required where the format says so", async () => {
    expect(await issuesOf(lines("name: t", "microsystems:", "  - id: ed", "    next: []"))).toEqual([
      `s.yaml:3:5 microsystems[0].time: missing, expected ${DISTRIBUTION}`,
    ]);
  });
});

describe("sizes and counts", () => {
  it("rejects absurd patients, replications below 1 and fractional seeds", async () => {
    const text = lines(
      "name: t",
      "patients: 2000000000",
      "replications: 0",
      "seed: 1.5",
      "microsystems:",
      "  - { id: ed, time: 1 }",
    );
    expect(await issuesOf(text)).toEqual([
      "s.yaml:2:11 patients: found 2000000000, expected a whole number of patients from 1 to 1000000000",
      "s.yaml:3:15 replications: found 0, expected a whole number of replications, at least 1",
      "s.yaml:4:7 seed: found 1.5, expected a non-negative whole number",
    ]);
  });

  it("rejects fewer patients than replications", async () => {
    const text = lines("name: t", "patients: 5", "replications: 6", "microsystems: [{ id: ed, time: 1 }]");
    expect(await issuesOf(text)).toEqual([
      "s.yaml:3:15 replications: found 6, expected at most the number of patients (5)",
    ]);
  });

  it("rejects an hour profile without 24 weights or with all zero", async () => {
    const zeros = new Array(24).fill(0).join(", ");
    const text = lines(
      "name: t",
      "arrivals:",
      `  by_hour: [${zeros}]`,
      "  per_day: 0",
      "microsystems: [{ id: ed, time: 1 }]",
    );
    expect(await issuesOf(text)).toEqual([
      "s.yaml:3:12 arrivals.by_hour: found a list, expected 24 weights, not all 0",
      "s.yaml:4:12 arrivals.per_day: found 0, expected a positive number of patients per day, at most 1000000",
    ]);
    expect(await issuesOf(text.replace(`[${zeros}]`, "[1, 2, 3]"))).toContain(
      "s.yaml:3:12 arrivals.by_hour: found a list of 3 items, expected a list of 24 weights, one per hour from 00:00",
    );
  });

  it("requires a name and at least one microsystem", async () => {
    expect(await issuesOf(lines("description: nothing else"))).toEqual([
      "s.yaml:1:1 microsystems: missing, expected a list of microsystems",
      "s.yaml:1:1 name: missing, expected a non-empty name",
    ]);
    expect(await issuesOf(lines("name: t", "microsystems: []"))).toEqual([
      "s.yaml:2:15 microsystems: found an empty list, expected a non-empty list of microsystems",
    ]);
  });
});

describe("milestones", () => {
  it("must be journey.start or <microsystem>.arrive|start|end", async () => {
    const text = lines(
      "name: t",
      "microsystems: [{ id: ed, time: 1 }]",
      "metrics: [{ id: m, from: ed.arive, to: ed.end }]",
    );
    expect(await issuesOf(text)).toEqual([
      's.yaml:3:26 metrics[0].from: found "ed.arive", expected a milestone: journey.start or <microsystem>.arrive, .start or .end',
    ]);
  });
});

describe("a file with many problems", () => {
  it("reports every one of them, in line order", async () => {
    const file = path.join(BAD, "many.yaml");
    const error = await loadScenarioFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    const at = (rest: string) => `${file}:${rest}`;
    expect((error as ScenarioError).format().split("\n")).toEqual([
      at("2:7 seed: found -1, expected a non-negative whole number"),
      at("3:11 patients: found 0, expected a whole number of patients from 1 to 1000000000"),
      at("5:3 classes: class shares sum to 0.9, expected 1"),
      at('6:33 classes[1].start: unknown microsystem "edd" (did you mean "ed"?)'),
      at('9:34 microsystems[0].time.p90: found "30 min", expected a p90 greater than the median (40 min)'),
      at('10:5 microsystems[0].capacty: unknown key "capacty" (did you mean "capacity"?)'),
      at(`12:22 microsystems[0].failures[0].p: found 1.4, expected ${PROBABILITY}`),
      at('13:38 microsystems[0].failures[1].classes[0]: unknown class "c"'),
      at("14:11 microsystems[0].next: route probabilities sum to 0.9, expected 1"),
      at('18:7 microsystems[1].next: class "b" has no route out of "ed"'),
      at("20:31 microsystems[2].time.sd: found 0, expected a standard deviation greater than 0"),
      at(
        '23:22 metrics[0].from: found "ed.arive", expected a milestone: journey.start or <microsystem>.arrive, .start or .end',
      ),
      at('26:11 outcomes.mortality.base: no base risk for class "b"'),
      at('26:21 outcomes.mortality.base.cc: unknown class "cc"'),
      at('27:1 foo: unknown key "foo"'),
    ]);
  });
});

describe("JSON", () => {
  it("is read as YAML, whatever the file is called", async () => {
    const json = '{ "name": "j", "microsystems": [{ "id": "ed", "time": "30 min" }] }';
    expect((await loadScenarioText(json, "s.yaml")).model.name).toBe("j");
    expect(
      (await loadScenarioText("name: y\nmicrosystems: [{ id: ed, time: 1 }]\n", "s.json")).model.name,
    ).toBe("y");
  });

  it("reports problems with line and column", async () => {
    const file = path.join(BAD, "bad.json");
    const error = (await loadScenarioFile(file).catch((e: unknown) => e)) as ScenarioError;
    expect(error.format().split("\n")).toEqual([
      `${file}:4:67 microsystems[0].next[0].p: found 1.5, expected ${PROBABILITY}`,
      `${file}:5:48 microsystems[1].capacity: found 0, expected a positive whole number of patients`,
    ]);
  });
});

describe("warnings", () => {
  it("flag settings without effect and microsystems no journey reaches", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - id: ed",
      "    time: 1",
      "    capacity: 2",
      '    hours: { open: "08:00", close: "17:00" }',
      "    failures: [{ id: f, p: 0.1, recover_time: 5 min, goto: ward, drop: true }]",
      "  - { id: ward, time: 1, next: [] }",
      "  - { id: lonely, time: 1 }",
    );
    const { warnings } = await loadScenarioText(text, "s.yaml");
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.path}: ${w.message}`)).toEqual([
      "5:5 microsystems[0].capacity: capacity applies only with arrivals: without them journeys never share it",
      "6:5 microsystems[0].hours: hours have no effect without off_hours_delay or a failure mode with an off_hours condition",
      "7:33 microsystems[0].failures[0].recover_time: recover_time has no effect: detect is 0",
      "7:54 microsystems[0].failures[0].goto: goto has no effect: a defect with drop ends the journey",
      '9:11 microsystems[2].id: "lonely" is never visited: no journey reaches it',
    ]);
  });

  it("flag a route no class takes", async () => {
    const text = lines(
      "name: t",
      "classes: [{ id: a, share: 1 }]",
      "microsystems:",
      "  - { id: ed, time: 1, next: [{ to: ward, classes: [a] }, { to: home }] }",
      "  - { id: ward, time: 1, next: [] }",
      "  - { id: home, time: 1 }",
    );
    const { warnings } = await loadScenarioText(text, "s.yaml");
    expect(warnings.map((w) => `${w.line}:${w.column} ${w.path}: ${w.message}`)).toEqual([
      "4:59 microsystems[0].next[1]: no class takes this route: every class has a route reserved for it",
      '6:11 microsystems[2].id: "home" is never visited: no journey reaches it',
    ]);
  });
});

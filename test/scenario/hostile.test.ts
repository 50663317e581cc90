// Hostile input to the scenario layer: huge, deep and long files, backtracking bait, thousands of
// unknown references, JavaScript's own property names as ids, control characters. Each is refused
// with a located message (or handled correctly), and never takes the parser or the checks into
// super-linear work. (Run as a user would, in a child process with a time and memory bound, the
// same cases are in the fuzzer: fuzz.test.ts, "hostile families".)
import { describe, expect, it } from "vitest";
import { analyzeOrNull } from "../../src/analysis/run.js";
import { own } from "../../src/engine/records.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioText } from "../../src/node/load.js";
import { MAX_SHOWN_ISSUES, type ScenarioIssue } from "../../src/scenario/issues.js";
import { MAX_TOKENS } from "../../src/scenario/limits.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { parseAssignment } from "../../src/scenario/set.js";
import { SUGGESTION_BUDGET, Suggester } from "../../src/scenario/suggest.js";
import { CLOCK_PATTERN, PERCENT_PATTERN, parseTime, TIME_PATTERN } from "../../src/scenario/units.js";
import { classesByMicrosystems, HOSTILE_CASES } from "./hostile-cases.js";

async function rejection(text: string, file = "s.yaml", set: string[] = []): Promise<ScenarioError> {
  try {
    await loadScenarioText(text, file, { set: set.map(parseAssignment) });
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("the scenario was accepted but should have been rejected");
}

async function loaded(text: string): Promise<ModelSpec> {
  return (await loadScenarioText(text, "s.yaml")).model;
}

/** Located on a line of the text, one line of plain text, and short: nothing is echoed in bulk. */
function expectReadable(issue: ScenarioIssue, text: string): void {
  expect(issue.line).toBeGreaterThanOrEqual(1);
  expect(issue.column).toBeGreaterThanOrEqual(1);
  expect(issue.line).toBeLessThanOrEqual(text.split("\n").length);
  expect(`${issue.path}: ${issue.message}`.length).toBeLessThan(600);
}

describe("hostile files are refused with a located message, in linear work", () => {
  it.each(HOSTILE_CASES)("$name", { timeout: 20_000 }, async ({ text, message }) => {
    const error = await rejection(text);
    expect(error.issues[0]?.message).toContain(message);
    for (const issue of error.issues.slice(0, 1000)) expectReadable(issue, text);
    const shown = error.format().split("\n");
    expect(shown.length).toBe(Math.min(error.issues.length, MAX_SHOWN_ISSUES + 1));
  });

  it("a refusal for size points where the limit was crossed, with the top-level key", async () => {
    const deep = HOSTILE_CASES.find((c) => c.name === "2 MiB of [")!;
    expect((await rejection(deep.text)).format()).toBe(
      "s.yaml:3:70 foo: values nested too deep (more than 64 levels): refused to protect against resource exhaustion",
    );
    const commas = HOSTILE_CASES.find((c) => c.name === "2 MiB of commas in a list")!;
    expect((await rejection(commas.text)).issues).toEqual([
      expect.objectContaining({
        line: 3,
        message: expect.stringContaining(`more than ${MAX_TOKENS} tokens`),
      }),
    ]);
  });

  it("thousands of problems: every one kept, the first 200 printed and a located count of the rest", async () => {
    const many = HOSTILE_CASES.find((c) => c.name.startsWith("12,000 unknown route targets"))!;
    const error = await rejection(many.text);
    // Each route: a missing p (several are eligible) and an unknown target.
    expect(error.issues).toHaveLength(24_000);
    const shown = error.format().split("\n");
    expect(shown).toHaveLength(MAX_SHOWN_ISSUES + 1);
    expect(shown.at(-1)).toMatch(
      /^s\.yaml:1:\d+ and 23800 more problems, not shown: fix the ones above first$/,
    );
  });

  it("2,000 classes by 2,000 microsystems validate (each indistinguishable class is walked once)", {
    timeout: 30_000,
  }, async () => {
    const spec = await loaded(classesByMicrosystems(2000, 2000));
    expect(spec.classes).toHaveLength(2000);
    expect(spec.microsystems).toHaveLength(2000);
  });

  it("classes told apart by their routes are still checked one by one", async () => {
    const error = await rejection(
      [
        "name: x",
        "classes: [{ id: a, share: 0.5 }, { id: b, share: 0.25 }, { id: c, share: 0.25 }]",
        "microsystems:",
        "  - { id: ed, time: 1, next: [{ to: ward, classes: [a] }, { to: ed, classes: [b] }] }",
        "  - { id: ward, time: 1 }",
        "",
      ].join("\n"),
    );
    expect(error.format().split("\n")).toEqual([
      's.yaml:4:30 microsystems[0].next: class "c" has no route out of "ed"',
      's.yaml:4:30 microsystems[0].next: no end of the journey can be reached from "ed" for class "b"',
    ]);
  });
});

describe("patterns run in linear time on any text", () => {
  // A super-linear pattern would take hours on a million characters (the test's timeout fails it).
  const n = 1_000_000;
  const bait = [
    `1${" ".repeat(n)}x`,
    `${" ".repeat(n)}x`,
    `${"1".repeat(n)} x`,
    `1${" ".repeat(n)}min${" ".repeat(n)}x`,
    `${"1.".repeat(n / 2)}x`,
  ];

  it.each([
    ["TIME_PATTERN", TIME_PATTERN],
    ["PERCENT_PATTERN", PERCENT_PATTERN],
    ["CLOCK_PATTERN", CLOCK_PATTERN],
  ])("%s rejects a million characters of bait", (_, pattern) => {
    for (const text of bait) expect(pattern.test(text)).toBe(false);
  });

  it("times with spaces around the unit still parse", () => {
    expect(parseTime(" 1.5 h ")).toBe(90);
    expect(parseTime("30   min")).toBe(30);
    expect(parseTime("2wk")).toBe(20160);
    expect(parseTime("1 minx")).toBeNull();
  });

  it("ids and milestones of any length are checked against their patterns at once", async () => {
    const id = `${"a".repeat(9000)}!`;
    const error = await rejection(
      `name: x\nmicrosystems: [{ id: ed, time: 1 }]\nmetrics: [{ id: m, from: "${id}.arrive", to: ed.end }]\n`,
    );
    expect(error.issues[0]?.message).toContain("expected a milestone");
  });
});

describe("did-you-mean suggestions are bounded work", () => {
  it("30,000 unknown ids against 30,000 known ones: the budget is spent, then messages go without", () => {
    const suggester = new Suggester(Array.from({ length: 30_000 }, (_, i) => `m${i}`));
    const suggested = Array.from({ length: 30_000 }, (_, i) => suggester.closest(`x${i}`));
    expect(suggested.slice(10, 13)).toEqual(["m10", "m11", "m12"]);
    expect(suggested.filter((s) => s !== undefined).length).toBeLessThan(30_000);
    expect(suggester.spent()).toBeLessThan(SUGGESTION_BUDGET + 1_000_000);
    // Exact matches (by case) cost nothing and are always found.
    expect(suggester.closest("M29999")).toBe("m29999");
  });
});

describe("JavaScript's property names are ids like any other", () => {
  const NAMES = ["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf"];
  const everywhere = [
    "name: prototype names",
    `classes: [${NAMES.map((id) => `{ id: ${id}, share: 0.2 }`).join(", ")}]`,
    "microsystems:",
    ...NAMES.map((id, i) => `  - { id: ${id}, time: 10 min, failures: [{ id: ${id}, p: 0.0${i + 1} }] }`),
    `handoff_defaults: { failures: [{ id: __proto__, p: 0.01 }] }`,
    `metrics: [${NAMES.map((id) => `{ id: ${id}, from: journey.start, to: ${id}.end }`).join(", ")}]`,
    `outcomes: { mortality: { base: { ${NAMES.map((id) => `${id}: 0.05`).join(", ")} } } }`,
    "",
  ].join("\n");

  it("as class, microsystem, failure mode, metric and base-risk ids: valid, compiled, nothing polluted", async () => {
    const spec = await loaded(everywhere);
    expect(spec.classes.map((c) => c.id)).toEqual(NAMES);
    expect(spec.microsystems.map((m) => m.id)).toEqual(NAMES);
    expect(spec.microsystems.map((m) => m.failures[0]?.id)).toEqual(NAMES);
    expect(spec.metrics.map((m) => m.id)).toEqual(NAMES);
    expect(spec.handoffs.map((h) => `${h.from}->${h.to}`)).toEqual(
      NAMES.slice(1).map((id, i) => `${NAMES[i]}->${id}`),
    );
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("a base risk keyed __proto__ is checked like the others, and its absence is reported", async () => {
    const base = (entries: string) => everywhere.replace(/base: \{[^}]*\}/, `base: { ${entries} }`);
    const others = NAMES.slice(1)
      .map((id) => `${id}: 0.05`)
      .join(", ");
    expect(await loaded(base(`__proto__: 0.05, ${others}`))).toBeDefined();
    expect((await rejection(base(`__proto__: 5, ${others}`))).issues[0]?.message).toBe(
      'found 5, expected a probability in [0, 1] or a percent string (did you mean "5%"?)',
    );
    expect((await rejection(base(others))).issues.map((i) => i.message)).toEqual([
      'no base risk for class "__proto__"',
    ]);
    expect(
      (await rejection(base(`${others}, __proto__: 0.05, length: 0.1`))).issues.map((i) => i.message),
    ).toEqual(['unknown class "length"']);
  });

  // compile.ts once built `base` as a plain {}: base["__proto__"] = 0.05 set the prototype and
  // the risk was lost. It is a null-prototype record now.
  it("a base risk keyed __proto__ reaches the compiled model", async () => {
    const spec = await loaded(everywhere);
    const base = spec.mortality?.base ?? {};
    expect(Object.getOwnPropertyDescriptor(base, "__proto__")?.value).toBe(0.05);
  });

  it("in issue 13's keys (unless, when's classes, decided_at): the figures of any other id", async () => {
    const text = everywhere
      .replace(
        "failures: [{ id: constructor, p: 0.02 }]",
        "failures: [{ id: __proto__, p: 0.02 }, { id: constructor, p: 0.1, unless: [__proto__], when: [{ classes: [__proto__, toString], p: 0.3 }] }]",
      )
      .replace(/base: \{([^}]*)\} \} \}/, "base: {$1}, decided_at: constructor.end } }");
    const spec = await loaded(text);
    const a = analyzeOrNull(spec)!;
    expect(a).not.toBeNull();
    // Every class reaches constructor.end, where a risk of 0.05 ends the journey.
    expect(a.overall.died).toBeCloseTo(0.05, 12);
    expect(Object.getPrototypeOf(a.byClass)).toBeNull();
    // `when` sets p = 0.3 for the classes __proto__ and toString, `unless` keeps the product rule.
    const at = (c: string) => a.byClass[c]!.reliability.microsystems.constructor!;
    expect(at("__proto__")).toBeCloseTo(0.98 * 0.7, 12);
    expect(at("toString")).toBeCloseTo(0.98 * 0.7, 12);
    expect(at("valueOf")).toBeCloseTo(0.98 * 0.9, 12);
    expect(own(a.byClass, "__proto__")?.died).toBeCloseTo(0.05, 12);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("are checked as references too: duplicates, unknown classes and microsystems", async () => {
    const text = [
      "name: x",
      "classes: [{ id: __proto__, share: 1 }]",
      "microsystems:",
      "  - { id: __proto__, time: 1, next: [{ to: constructor, classes: [toString] }] }",
      "  - { id: __proto__, time: 1 }",
      "",
    ].join("\n");
    expect((await rejection(text)).format().split("\n")).toEqual([
      's.yaml:4:37 microsystems[0].next: class "__proto__" has no route out of "__proto__"',
      's.yaml:4:44 microsystems[0].next[0].to: unknown microsystem "constructor"',
      's.yaml:4:67 microsystems[0].next[0].classes[0]: unknown class "toString"',
      's.yaml:5:11 microsystems[1].id: duplicate id "__proto__" (first at line 4)',
    ]);
  });

  it("--set selects and changes items with such ids", async () => {
    const { model: spec } = await loadScenarioText(everywhere, "s.yaml", {
      set: ["microsystems[__proto__].failures[__proto__].p=0.5", "classes[constructor].share=0.2"].map(
        parseAssignment,
      ),
    });
    expect(spec.microsystems[0]?.failures[0]?.p).toBe(0.5);
  });

  const chain = (cls: string) =>
    [
      "name: prototype chain",
      `classes: [{ id: ${cls}, share: 1 }]`,
      "microsystems:",
      "  - { id: __proto__, time: 10 min, failures: [{ id: __proto__, p: 0.02 }] }",
      "  - { id: constructor, time: 10 min, failures: [{ id: constructor, p: 0.03 }] }",
      "  - { id: hasOwnProperty, time: 10 min, failures: [{ id: toString, p: 0.04 }] }",
      "  - { id: toString, time: 10 min, failures: [{ id: valueOf, p: 0.05 }] }",
      "  - { id: valueOf, time: 10 min }",
      "handoff_defaults: { failures: [{ id: hasOwnProperty, p: 0.01 }] }",
      "",
    ].join("\n");
  const product = 0.98 * 0.97 * 0.96 * 0.95 * 0.99 ** 4;

  it("the analytic reliability of a chain of such microsystems is exactly the product", async () => {
    expect(analyzeOrNull(await loaded(chain("a")))?.overall.defectFree).toBeCloseTo(product, 12);
  });

  // A class "__proto__" once became the prototype of a plain {} keyed by id, and the overall
  // figure was 0: every record keyed by ids has no prototype now (engine/records.ts).
  it("... and the same with a class __proto__", async () => {
    expect(analyzeOrNull(await loaded(chain("__proto__")))?.overall.defectFree).toBeCloseTo(product, 12);
  });
});

describe("what a message quotes reaches a terminal escaped", () => {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
  const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/;

  it("control, separator and bidirectional characters in ids, keys, values and file names", async () => {
    const text = [
      'name: "\\e]0;owned\\a"',
      "microsystems:",
      '  - { id: "ed\\e[2J", time: 1 }',
      '  - { id: ward, time: 1, "k\\x9b31m\\u2028\\u202e": 1 }',
      "",
    ].join("\n");
    const formatted = (await rejection(text, "s\u001b[1m.yaml")).format();
    expect(formatted).not.toMatch(RAW);
    expect(formatted.split("\n")).toEqual([
      's\\u001b[1m.yaml:3:11 microsystems[0].id: found "ed\\u001b[2J", expected an id: a letter or _, then letters, digits, _ or -',
      's\\u001b[1m.yaml:4:26 microsystems[1]["k\\u009b31m\\u2028\\u202e"]: unknown key "k\\u009b31m\\u2028\\u202e"',
    ]);
  });

  it("a line break in a key cannot forge a second message line", async () => {
    const error = await rejection(
      'name: x\nmicrosystems: [{ id: ed, time: 1, "a\\ns.yaml:1:1 forged": 1 }]\n',
    );
    expect(error.format().split("\n")).toHaveLength(1);
  });
});

describe("text lengths are capped, and the caps are said", () => {
  const scenario = (field: string) => `name: x\nmicrosystems: [{ id: ed, time: 1${field} }]\n`;

  it("ids at 64 characters, names at 200, paths ($schema) at 1,024", async () => {
    expect((await loaded(scenario(`, name: ${"n".repeat(200)}`))).microsystems[0]?.name).toHaveLength(200);
    expect((await rejection(scenario(`, name: ${"n".repeat(201)}`))).issues[0]?.message).toMatch(
      /^found "n+\.\.\." \(201 characters\), expected a text of at most 200 characters$/,
    );
    const longId = `name: x\nmicrosystems: [{ id: ${"i".repeat(65)}, time: 1 }]\n`;
    expect((await rejection(longId)).issues[0]?.message).toMatch(/expected an id of at most 64 characters$/);
    expect((await loaded(longId.replace("i".repeat(65), "i".repeat(64)))).microsystems[0]?.id).toHaveLength(
      64,
    );
    expect((await rejection(`$schema: ${"p".repeat(1025)}\n${scenario("")}`)).issues[0]?.message).toMatch(
      /expected a text of at most 1024 characters$/,
    );
  });
});

describe("--set values go through the same parser and schema as the file", () => {
  const base = "name: x\nmicrosystems: [{ id: ed, time: 1 }]\n";

  it("patients=1e12 is refused as in a file", async () => {
    expect((await rejection(base, "s.yaml", ["patients=1e12"])).format()).toBe(
      '--set "patients=1e12":1:1 patients: found 1000000000000, expected a whole number of patients from 1 to 1000000000',
    );
  });

  it("a hostile value is refused by the same bounds", async () => {
    const deep = await rejection(base, "s.yaml", [`description=${"[".repeat(20_000)}`]);
    expect(deep.issues[0]?.message).toContain("values nested too deep");
    const long = await rejection(base, "s.yaml", [`description=${"x".repeat(20_000)}`]);
    expect(long.issues[0]?.message).toContain("text too long");
    expect(() => parseAssignment(`${"a".repeat(2000)}=1`)).toThrow(/path too long: 2000 characters/);
  });
});

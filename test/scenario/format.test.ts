// The JSON Schema comes from the same zod schema that validates files: it accepts what the loader
// accepts and rejects what it rejects (for what a JSON Schema can express).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scenarioJsonSchema } from "../../src/scenario/format.js";
import { GOOD } from "./helpers.js";

const schema = scenarioJsonSchema();
const validate = new Ajv2020({ allErrors: true }).compile(schema);

async function fixture(name: string): Promise<unknown> {
  return parse(await readFile(path.join(GOOD, name), "utf8"));
}

const minimal = () => ({ name: "t", microsystems: [{ id: "ed", time: "30 min" }] });

describe("scenarioJsonSchema", () => {
  it("is a draft 2020-12 schema of a strict object, with the required keys unless it extends another", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toBeUndefined();
    expect(schema.else).toEqual({ $ref: "#/$defs/Scenario" });
    const whole = (schema.$defs as Record<string, Record<string, unknown>>).Scenario!;
    expect(whole.required).toEqual(["name", "microsystems"]);
    expect(whole.additionalProperties).toBe(false);
  });

  it("describes fields and their defaults for editors", () => {
    const properties = schema.properties as Record<string, { description?: string; default?: unknown }>;
    expect(properties.patients).toMatchObject({
      default: 10000,
      description: expect.stringContaining("Journeys"),
    });
    expect(properties.seed?.default).toBe(1);
    expect(properties.max_visits?.description).toContain("default: 100, or 10 per microsystem");
    for (const [key, property] of Object.entries(properties)) {
      expect(property.description, key).toBeTruthy();
    }
  });

  it.each(["ami.yaml", "ami.json", "minimal.yaml", "with-warnings.yaml"])(
    "accepts the good file %s",
    async (name) => {
      const ok = validate(await fixture(name));
      expect(validate.errors ?? []).toEqual([]);
      expect(ok).toBe(true);
    },
  );

  it.each([
    ["an unknown key", { ...minimal(), patient: 5 }, "additionalProperties"],
    ["a probability above 1", { ...minimal(), classes: [{ id: "a", share: 1.4 }] }, "maximum"],
    ["a time with an unknown unit", { name: "t", microsystems: [{ id: "ed", time: "30 mn" }] }, "pattern"],
    ["a missing name", { microsystems: minimal().microsystems }, "required"],
    ["a bad id", { name: "t", microsystems: [{ id: "e d", time: 1 }] }, "pattern"],
    [
      "a distribution of no known shape",
      { name: "t", microsystems: [{ id: "ed", time: { mean: 1, max: 2 } }] },
      "anyOf",
    ],
    ["null for a key of a whole scenario", { ...minimal(), arrivals: null }, "type"],
  ])("rejects %s", (_what, document, keyword) => {
    expect(validate(document)).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toContain(keyword);
  });

  it("shows the keys of issue 13: unless, when (with its conditions), severity, a handoff's hours, delay terms, decided_at", () => {
    const defs = schema.$defs as Record<string, { properties?: Record<string, unknown>; anyOf?: unknown[] }>;
    const mode = defs.FailureMode!.properties!;
    expect(Object.keys(mode)).toEqual(expect.arrayContaining(["unless", "when", "severity"]));
    expect(mode.severity).toMatchObject({ enum: ["none", "mild", "moderate", "severe", "death"] });
    expect(Object.keys(defs.Condition!.properties!)).toEqual(
      expect.arrayContaining(["off_hours", "load_at_least", "waited_at_least", "classes", "p"]),
    );
    expect(JSON.stringify(schema)).toContain('"decided_at"');
    expect(JSON.stringify(schema)).toContain('"DelayTerm"');
    const text = JSON.stringify(schema.properties);
    expect(text).toContain("Staffed hours that off_hours conditions");
  });

  it("accepts every bundled scenario that stands alone (no extends)", async () => {
    const files = [
      ...(await readdir("scenarios")).filter((f) => f.endsWith(".yaml")).map((f) => `scenarios/${f}`),
      ...(await readdir("scenarios/teaching"))
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => `scenarios/teaching/${f}`),
    ];
    let checked = 0;
    for (const file of files) {
      const document = parse(await readFile(file, "utf8")) as Record<string, unknown>;
      if ("extends" in document) continue;
      checked++;
      const ok = validate(document);
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok, file).toBe(true);
    }
    expect(checked).toBeGreaterThanOrEqual(7);
  });

  it.each([
    [
      "a delay given as a list of terms",
      {
        outcomes: {
          mortality: {
            base: 0.1,
            delay: [{ from: "journey.start", to: "ed.end", reference: 0, rr_per_30min: 1.1 }],
            decided_at: "ed.end",
          },
        },
      },
      true,
    ],
    [
      "an unknown severity",
      { microsystems: [{ id: "ed", time: 1, failures: [{ id: "f", p: 0.1, severity: "awful" }] }] },
      false,
    ],
    [
      "a condition without p",
      { microsystems: [{ id: "ed", time: 1, failures: [{ id: "f", p: 0.1, when: [{ off_hours: true }] }] }] },
      false,
    ],
  ])("%s: %s", (_what, over, valid) => {
    expect(validate({ ...minimal(), ...over })).toBe(valid);
  });
});

describe("scenarioJsonSchema of a variant (a file with extends)", () => {
  const variant = (rest: Record<string, unknown>) => ({ extends: "base.yaml", ...rest });

  it.each([
    ["nothing but extends", variant({})],
    [
      "a changed failure mode of a handoff, by id",
      variant({ handoffs: [{ from: "a", to: "b", failures: [{ id: "f", p: 0.1 }] }] }),
    ],
    [
      "a microsystem by id, with keys removed",
      variant({ microsystems: [{ id: "cathlab", hours: null, off_hours_delay: null }] }),
    ],
    ["one key of staffed hours", variant({ microsystems: [{ id: "cathlab", hours: { close: "24:00" } }] })],
    ["a class's share", variant({ classes: [{ id: "nstemi", share: 0.5 }] })],
    ["one class's base risk", variant({ outcomes: { mortality: { base: { nstemi: 0.04 } } } })],
    ["a top-level key removed", variant({ arrivals: null, description: null })],
  ])("accepts %s", (_what, document) => {
    const ok = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ["a list item without its id", variant({ microsystems: [{ time: "5 min" }] })],
    ["a handoff without its ends", variant({ handoffs: [{ from: "a", time: 1 }] })],
    // A distribution is replaced whole by a variant: half of one is not a distribution.
    ["half a distribution", variant({ microsystems: [{ id: "ed", time: { median: "5 min" } }] })],
    // Routes are replaced whole too: each needs its destination.
    ["a route without its destination", variant({ microsystems: [{ id: "ed", next: [{ p: 1 }] }] })],
    ["an unknown key", variant({ microsystem: [] })],
  ])("rejects %s", (_what, document) => {
    expect(validate(document)).toBe(false);
  });
});

describe("scenarioJsonSchema: capacity (issue 12)", () => {
  const defs = (schema.$defs ?? {}) as Record<string, Record<string, unknown>>;
  // A whole scenario (a file without extends) is the Scenario definition.
  const whole = defs.Scenario as { properties: Record<string, Record<string, unknown>> };
  const microsystem = (whole.properties as Record<string, { items: { properties: Record<string, unknown> } }>)
    .microsystems!.items.properties;

  it("shows every new key, with a description", () => {
    for (const key of ["uses", "blocking", "priority", "background", "max_wait", "then", "defect"])
      expect((microsystem[key] as { description?: string })?.description, key).toBeTruthy();
    const top = whole.properties;
    expect(top.resources?.description).toBeTruthy();
    const arrivals = top.arrivals as { properties: Record<string, unknown> };
    expect(arrivals.properties.by_day).toBeDefined();
    const text = JSON.stringify(schema);
    for (const fragment of ['"until_open"', '"by_class"', '"leave"', "Capacity", "StepTime"])
      expect(text, fragment).toContain(fragment);
    expect(Object.keys(defs)).toEqual(expect.arrayContaining(["Capacity", "StepTime"]));
  });

  it.each([
    [
      "places by shift, a resource, other patients, blocking, priorities, reneging",
      {
        name: "t",
        classes: [
          { id: "a", share: 0.5, priority: 2 },
          { id: "b", share: 0.5 },
        ],
        arrivals: { per_day: 10, by_day: [1, 1, 1, 1, 1, 0.5, 0.5] },
        resources: [
          {
            id: "beds",
            capacity: [
              { from: "08:00", to: "20:00", n: 3 },
              { from: "20:00", to: "08:00", n: 1 },
            ],
          },
        ],
        microsystems: [
          {
            id: "ed",
            time: { by_class: { a: "10 min", default: { mean: "20 min" } } },
            capacity: 2,
            blocking: true,
            priority: { b: 3 },
            background: { per_day: 4, time: "30 min", by_hour: Array(24).fill(1), priority: 1 },
            max_wait: "4 h",
            // biome-ignore lint/suspicious/noThenProperty: the scenario key; its value is not a function
            then: { goto: "ward" },
            defect: false,
          },
          {
            id: "ward",
            time: "1 d",
            uses: "beds",
            hours: { open: "08:00", close: "17:00" },
            off_hours_delay: "until_open",
          },
        ],
        metrics: [{ id: "m", from: "ed.arrive", to: "ward.start", classes: ["a"] }],
      },
    ],
  ])("accepts %s", (_what, document) => {
    const ok = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ["a shift of half a place", { from: "08:00", to: "20:00", n: 0.5 }],
    ["a shift without its end", { from: "08:00", n: 1 }],
  ])("rejects %s", (_what, shift) => {
    expect(validate({ name: "t", microsystems: [{ id: "ed", time: 1, capacity: [shift] }] })).toBe(false);
  });

  it("still accepts every bundled scenario that stands alone (the what-ifs extend it)", async () => {
    const files = [
      "scenarios/ami-baseline.yaml",
      ...[
        "all-or-none",
        "branching",
        "detection",
        "readmission-loop",
        "seven-steps",
        "seven-steps-six-handoffs",
      ].map((f) => `scenarios/teaching/${f}.yaml`),
      ...["blocking", "shifts", "reneging", "until-open"].map((f) => `test/twin/scenarios/${f}.yaml`),
    ];
    for (const file of files) {
      const ok = validate(parse(await readFile(file, "utf8")));
      expect(validate.errors ?? [], file).toEqual([]);
      expect(ok, file).toBe(true);
    }
  });
});

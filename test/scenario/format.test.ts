// The JSON Schema comes from the same zod schema that validates files: it accepts what the loader
// accepts and rejects what it rejects (for what a JSON Schema can express).
import { readFile } from "node:fs/promises";
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
  it("is a draft 2020-12 schema of a strict object with the required keys", () => {
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(schema.type).toBe("object");
    expect(schema.additionalProperties).toBe(false);
    expect(schema.required).toEqual(["name", "microsystems"]);
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
  ])("rejects %s", (_what, document, keyword) => {
    expect(validate(document)).toBe(false);
    expect(validate.errors?.map((e) => e.keyword)).toContain(keyword);
  });
});

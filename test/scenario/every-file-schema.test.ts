// The schema `init` writes and `schema` prints accepts every file `validate` accepts: each bundled
// scenario (the AMI variants extend the baseline) and every test fixture that loads, checked with
// ajv (JSON Schema draft 2020-12, strict), the validator editors build on.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { loadScenarioFile } from "../../src/node/load.js";
import { scenarioJsonSchema } from "../../src/scenario/format.js";
import { ScenarioError } from "../../src/scenario/parse.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

function files(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? files(path.join(dir, e.name))
      : /\.(ya?ml|json)$/.test(e.name)
        ? [path.join(dir, e.name)]
        : [],
  );
}

const CANDIDATES = [
  ...files("scenarios"),
  ...files("test/fixtures/scenarios"),
  ...files("test/fixtures/bad"),
];

/** Whether `validate` accepts the file (warnings allowed). */
async function valid(file: string): Promise<boolean> {
  try {
    await loadScenarioFile(path.join(ROOT, file));
    return true;
  } catch (error) {
    if (error instanceof ScenarioError) return false;
    throw error;
  }
}

describe("the editors' JSON Schema and validate agree on every file validate accepts", () => {
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(scenarioJsonSchema());

  it("finds the bundled scenarios and the fixtures", async () => {
    const accepted = [];
    for (const file of CANDIDATES) if (await valid(file)) accepted.push(file);
    expect(accepted).toEqual(expect.arrayContaining(files("scenarios")));
    expect(accepted).toContain("test/fixtures/scenarios/ami-variant.yaml");
    expect(accepted.length).toBeGreaterThanOrEqual(16);
  });

  it.each(CANDIDATES)("%s: accepted by the schema if validate accepts it", async (file) => {
    if (!(await valid(file))) return;
    const document: unknown = parse(readFileSync(path.join(ROOT, file), "utf8"));
    const ok = validate(document);
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });
});

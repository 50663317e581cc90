// Parsing scenario text without a file system (src/scenario/parse.ts): `extends` through a resolve
// function, `--set` as text, findings instead of exceptions, and paths joined like POSIX.
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/node/load.js";
import { checkScenario, parseScenario, parseScenarioText, ScenarioError } from "../../src/scenario/parse.js";
import { dirname, join, normalize } from "../../src/scenario/paths.js";

const BASE =
  "name: base\nmicrosystems:\n  - { id: ed, time: 10 min, failures: [{ id: f, p: 0.1 }] }\n  - { id: ward, time: 1 h }\n";
const VARIANT =
  "extends: ../common/base.yaml\nname: variant\nmicrosystems:\n  - { id: ed, failures: [{ id: f, p: 0.05 }] }\n";

describe("parseScenario", () => {
  it("follows extends through resolve, with the path joined to the including file's folder", () => {
    const asked: string[] = [];
    const model = parseScenario(VARIANT, {
      name: "what-ifs/variant.yaml",
      resolve: (p) => {
        asked.push(p);
        return BASE;
      },
    });
    expect(asked).toEqual(["common/base.yaml"]);
    expect(model.name).toBe("variant");
    expect(model.microsystems[0]!.failures[0]!.p).toBe(0.05);
    expect(model.microsystems[1]!.id).toBe("ward");
  });

  it("gives the same model as loading the files from disk", async () => {
    const files = new Map([
      ["scenarios/ami-baseline.yaml", readFileSync("scenarios/ami-baseline.yaml", "utf8")],
    ]);
    const text = readFileSync("scenarios/ami-ipass.yaml", "utf8");
    const model = parseScenario(text, { name: "scenarios/ami-ipass.yaml", resolve: (p) => files.get(p)! });
    expect(model).toEqual((await loadScenarioFile("scenarios/ami-ipass.yaml")).model);
  });

  it("turns a refusal, a missing resolver and a bad --set into located findings", () => {
    const refused = checkScenario(VARIANT, {
      name: "v.yaml",
      resolve: () => {
        throw new Error("not open in the studio");
      },
    });
    expect(refused.model).toBeNull();
    expect(refused.findings).toEqual([
      {
        file: "v.yaml",
        line: 1,
        column: 10,
        path: "extends",
        message: "cannot extend ../common/base.yaml: not open in the studio",
      },
    ]);
    const none = checkScenario(VARIANT, { name: "v.yaml" });
    expect(none.findings[0]!.message).toBe(
      "cannot extend ../common/base.yaml: no resolve function was given to read it",
    );
    expect(() => parseScenario(BASE, { name: "b.yaml", set: ["patients"] })).toThrow(ScenarioError);
    const bad = checkScenario(BASE, { name: "b.yaml", set: ["patients"] });
    expect(bad.findings[0]).toMatchObject({ file: '--set "patients"', line: 1, column: 1 });
    expect(parseScenario(BASE, { name: "b.yaml", set: ["patients=300"] }).patients).toBe(300);
  });

  it("returns warnings with the model", () => {
    const { model, warnings } = parseScenarioText(
      `${BASE.replace("time: 10 min,", "time: 10 min, capacity: 2,")}`,
      {
        name: "w.yaml",
      },
    );
    expect(model.microsystems[0]!.capacity).toBe(2);
    expect(warnings.map((w) => w.path)).toEqual(["microsystems[0].capacity"]);
  });
});

describe("paths", () => {
  it("join, normalise and take the folder exactly as path.posix does", () => {
    const part = fc.constantFrom("a", "b", "..", ".", "", "/", "//", "c.yaml", "x/y", "../z");
    const p = fc.array(part, { maxLength: 6 }).map((a) => a.join(""));
    fc.assert(
      fc.property(p, p, (a, b) => {
        expect(normalize(a)).toBe(path.posix.normalize(a));
        expect(dirname(a)).toBe(path.posix.dirname(a));
        expect(join(a, b)).toBe(path.posix.join(a, b));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});

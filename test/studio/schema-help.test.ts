import { describe, expect, it } from "vitest";
import { scenarioJsonSchema } from "../../src/scenario/format.js";
import { SchemaHelp, yamlContext } from "../../studio/src/editor/schema-help.js";

const TEXT = `name: t
microsystems:
  - id: ed
    time: 5 min
    failures:
      - id: slip
        p: 0.1
        
handoff_defaults:
  time: 5 min
`;
const lines = TEXT.split("\n");

describe("yamlContext", () => {
  it("finds the keys enclosing a position from the indentation above it", () => {
    expect(yamlContext(lines, 0, 0)).toEqual({ path: [], key: null });
    expect(yamlContext(lines, 3, 4)).toEqual({ path: ["microsystems", "-"], key: null });
    expect(yamlContext(lines, 3, 10)).toEqual({ path: ["microsystems", "-"], key: "time" });
    expect(yamlContext(lines, 6, 8)).toEqual({ path: ["microsystems", "-", "failures", "-"], key: null });
    expect(yamlContext(lines, 7, 8)).toEqual({ path: ["microsystems", "-", "failures", "-"], key: null });
    expect(yamlContext(lines, 9, 2)).toEqual({ path: ["handoff_defaults"], key: null });
  });
});

describe("SchemaHelp", () => {
  const help = new SchemaHelp(scenarioJsonSchema() as Record<string, unknown>);

  it("offers the keys of the mapping at a path, with their descriptions", () => {
    const top = help.keys([]).map((k) => k.key);
    expect(top).toEqual(expect.arrayContaining(["name", "microsystems", "handoffs", "arrivals", "extends"]));
    expect(top).not.toContain("$schema");
    const mode = help.keys(["microsystems", "-", "failures", "-"]);
    expect(mode.map((k) => k.key)).toEqual(
      expect.arrayContaining(["id", "p", "detect", "delay", "harm", "drop", "goto"]),
    );
    expect(mode.find((k) => k.key === "detect")?.description).toMatch(/caught/i);
    expect(help.keys(["microsystems", "-"]).map((k) => k.key)).toEqual(
      expect.arrayContaining(["id", "time", "capacity", "hours", "failures", "next"]),
    );
  });

  it("offers fixed values where the schema has them, and describes a key for hover", () => {
    expect(help.values(["microsystems", "-", "hours", "days"])).toEqual(
      expect.arrayContaining(["mon", "sun"]),
    );
    expect(help.values(["microsystems", "-", "failures", "-", "drop"])).toEqual(["true", "false"]);
    expect(help.describeAt(["microsystems", "-", "capacity"])).toMatch(/at once/);
    expect(help.describeAt(["nonsense"])).toBe("");
  });
});

// The two thin commands of the scenario format: `validate` and `schema`.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { schemaCommand } from "../../src/cli/schema.js";
import { validateCommand } from "../../src/cli/validate.js";
import { scenarioJsonSchema } from "../../src/scenario/format.js";
import { BAD, GOOD } from "./helpers.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe("validateCommand", () => {
  it("prints ok for each good file and returns 0", async () => {
    const { io, out, err } = capture();
    const files = [path.join(GOOD, "ami.yaml"), path.join(GOOD, "ami.json")];
    expect(await validateCommand(files, io)).toBe(0);
    expect(out).toEqual(files.map((f) => `ok ${f}`));
    expect(err).toEqual([]);
  });

  it("prints warnings of good files to stderr", async () => {
    const { io, out, err } = capture();
    const file = path.join(GOOD, "with-warnings.yaml");
    expect(await validateCommand([file], io)).toBe(0);
    expect(out).toEqual([`ok ${file}`]);
    expect(err).toEqual([
      `warning: ${file}:6:5 microsystems[0].capacity: capacity applies only with arrivals: without them journeys never share it`,
    ]);
  });

  it("prints every issue of every bad file, checks the good ones, and returns 2", async () => {
    const { io, out, err } = capture();
    const good = path.join(GOOD, "minimal.yaml");
    const bad = path.join(BAD, "bad.json");
    const missing = path.join(BAD, "missing.yaml");
    expect(await validateCommand([bad, good, missing], io)).toBe(2);
    expect(out).toEqual([`ok ${good}`]);
    expect(err.join("\n").split("\n")).toEqual([
      `${bad}:4:67 microsystems[0].next[0].p: found 1.5, expected a probability in [0, 1] or a percent string`,
      `${bad}:5:48 microsystems[1].capacity: found 0, expected a positive whole number of patients`,
      `${missing}:1:1 file not found`,
    ]);
  });
});

describe("schemaCommand", () => {
  it("prints the JSON Schema, pretty, and returns 0", () => {
    const { io, out } = capture();
    expect(schemaCommand(io)).toBe(0);
    expect(out).toHaveLength(1);
    expect(JSON.parse(out[0] ?? "")).toEqual(scenarioJsonSchema());
    expect(out[0]).toContain('\n  "type": "object"');
  });
});

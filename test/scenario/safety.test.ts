// Scenario files are data from users: no code-bearing tags, bounded alias expansion and size, clear
// messages for empty, binary and malformed files, and never a raw exception.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile, loadScenarioText } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { MAX_FILE_BYTES } from "../../src/scenario/text.js";
import { BAD, issuesOf, lines } from "./helpers.js";

async function fileIssues(file: string): Promise<string[]> {
  const error = await loadScenarioFile(file).catch((e: unknown) => e);
  if (!(error instanceof ScenarioError)) throw new Error(`${file} was accepted`);
  return error.format().split("\n");
}

const VALID_REST = "microsystems: [{ id: ed, time: 1 }]\n";

describe("YAML tags", () => {
  it("that could carry code or custom types are rejected", async () => {
    const file = path.join(BAD, "custom-tag.yaml");
    expect(await fileIssues(file)).toEqual([
      `${file}:1:21 name: tag !!js/function is not allowed: scenario files are plain data`,
      `${file}:4:21 microsystems[0].time: tag !duration is not allowed: scenario files are plain data`,
    ]);
    expect(await issuesOf(`name: !!binary aGk=\n${VALID_REST}`)).toEqual([
      "s.yaml:1:16 name: tag !!binary is not allowed: scenario files are plain data",
    ]);
    expect(await issuesOf(`name: x\nfoo: !!set { a }\n${VALID_REST}`)).toEqual([
      "s.yaml:2:12 foo: tag !!set is not allowed: scenario files are plain data",
    ]);
  });

  it("of the plain core types are accepted", async () => {
    const { model: spec } = await loadScenarioText(`name: !!str 123\n${VALID_REST}`, "s.yaml");
    expect(spec.name).toBe("123");
  });
});

describe("aliases", () => {
  it("are expanded, with issues located at the anchor", async () => {
    const text = lines(
      "name: t",
      "microsystems:",
      "  - id: ed",
      "    time: 1",
      "    failures: &common",
      "      - { id: lost, p: 1.5 }",
      "  - id: ward",
      "    time: 1",
      "    failures: *common",
    );
    expect(await issuesOf(text)).toEqual([
      "s.yaml:6:24 microsystems[0].failures[0].p: found 1.5, expected a probability in [0, 1] or a percent string",
      "s.yaml:6:24 microsystems[1].failures[0].p: found 1.5, expected a probability in [0, 1] or a percent string",
    ]);
  });

  it("that explode (billion laughs) are refused", async () => {
    const file = path.join(BAD, "alias-bomb.yaml");
    const found = await fileIssues(file);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(
      new RegExp(
        `^${file}:\\d+:\\d+ d: too many aliases \\(more than 100\\): refused to protect against resource exhaustion$`,
      ),
    );
  });

  it("that refer to themselves or to nothing are rejected", async () => {
    expect(await issuesOf(`name: x\nloop: &a [1, *a]\n${VALID_REST}`)).toEqual([
      "s.yaml:2:14 loop[1]: alias *a refers to a value containing it",
    ]);
    expect(await issuesOf(`name: *nowhere\n${VALID_REST}`)).toEqual([
      "s.yaml:1:7 name: unknown alias *nowhere: no anchor &nowhere is defined before it",
    ]);
  });
});

describe("files that are not scenarios", () => {
  it("are rejected when empty or only comments", async () => {
    for (const name of ["empty.yaml", "comments-only.yaml"]) {
      const file = path.join(BAD, name);
      expect(await fileIssues(file)).toEqual([
        `${file}:1:1 empty file: expected a scenario (name, microsystems, …)`,
      ]);
    }
  });

  it("are rejected when binary or not UTF-8", async () => {
    const file = path.join(BAD, "binary.yaml");
    expect(await fileIssues(file)).toEqual([`${file}:1:1 binary file: expected YAML or JSON text`]);
    const dir = await mkdtemp(path.join(tmpdir(), "handoff-sim-safety-"));
    const latin1 = path.join(dir, "latin1.yaml");
    await writeFile(latin1, Buffer.from("name: caf\xe9\n", "latin1"));
    expect(await fileIssues(latin1)).toEqual([`${latin1}:1:1 not UTF-8 text: expected a YAML or JSON file`]);
    expect(await issuesOf("name: a\0b\n")).toEqual(["s.yaml:1:1 binary file: expected YAML or JSON text"]);
  });

  it("are rejected above the size limit, before parsing", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "handoff-sim-safety-"));
    const big = path.join(dir, "big.yaml");
    const text = `name: big\ndescription: "${"x".repeat(MAX_FILE_BYTES)}"\n`;
    await writeFile(big, text);
    const size = Buffer.byteLength(text);
    expect(await fileIssues(big)).toEqual([
      `${big}:1:1 file too large: ${size} bytes, the limit is ${MAX_FILE_BYTES} bytes`,
    ]);
    expect(await issuesOf(text)).toEqual([
      `s.yaml:1:1 file too large: ${size} bytes, the limit is ${MAX_FILE_BYTES} bytes`,
    ]);
  });

  it("are rejected when missing or a directory", async () => {
    const missing = path.join(BAD, "nothing-here.yaml");
    expect(await fileIssues(missing)).toEqual([`${missing}:1:1 file not found`]);
    expect(await fileIssues(BAD)).toEqual([`${BAD}:1:1 not a file`]);
  });

  it("are rejected when the top level is not a mapping", async () => {
    expect(await issuesOf("- a\n- b\n")).toEqual([
      "s.yaml:1:1 found a list, expected a mapping of scenario keys (name, microsystems, …)",
    ]);
    expect(await issuesOf("hello\n")).toEqual([
      's.yaml:1:1 found "hello", expected a mapping of scenario keys (name, microsystems, …)',
    ]);
  });
});

describe("nesting", () => {
  it("deeper than any scenario needs is refused", async () => {
    const deep = `name: x\nfoo: ${"[".repeat(70)}${"]".repeat(70)}\n`;
    expect(await issuesOf(deep)).toEqual([
      "s.yaml:2:70 foo: values nested too deep (more than 64 levels): refused to protect against resource exhaustion",
    ]);
  });
});

describe("malformed YAML", () => {
  it("is reported with the line of the syntax error", async () => {
    const file = path.join(BAD, "syntax.yaml");
    expect(await fileIssues(file)).toEqual([
      `${file}:5:3 YAML syntax error: a list opened with [ is not closed with ] before this point`,
    ]);
  });

  it("with repeated keys or several documents is rejected", async () => {
    expect(await issuesOf(`name: a\nname: b\n${VALID_REST}`)).toEqual([
      's.yaml:2:1 YAML syntax error: the key "name" is written twice in the same place: keep one',
    ]);
    expect(await issuesOf(`name: a\n${VALID_REST}---\nname: b\n`)).toEqual([
      "s.yaml:3:1 YAML syntax error: a second document starts here (after ---): a scenario file holds one scenario",
    ]);
  });

  it("cannot reach the prototype through __proto__", async () => {
    const json = `{ "__proto__": { "polluted": true }, "name": "p", "microsystems": [{ "id": "ed", "time": 1 }] }`;
    expect(await issuesOf(json)).toEqual(['s.yaml:1:3 __proto__: unknown key "__proto__"']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

// Text from scenario files and from the command line reaches the terminal escaped, in every
// command and message: names in explain, story, run's summary, compare and sensitivity; file
// names in messages; commander's own errors that echo an argument. Only the program's own
// styles survive, and only when stderr is a terminal.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { terminalText } from "../../src/cli/io.js";
import { cli } from "./capture.js";

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding raw control characters is the point
const RAW = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const dir = mkdtempSync(join(tmpdir(), "handoff-sim-terminal-"));
const file = join(dir, "escapes.yaml");
writeFileSync(
  file,
  [
    'name: "evil \\e]0;owned\\a \\e[2J\\e[31m red"',
    "microsystems:",
    '  - { id: ed, name: "E\\e[5mD \\u202eevil", time: 10 min, failures: [{ id: f, name: "bad\\e[2Jmode\\x9b31m", p: 0.3 }] }',
    '  - { id: ward, name: "W\\u2028A\\u2029R\\u0007D", time: 10 min }',
    'metrics: [{ id: m, name: "line\\u2028sep \\e[31m", from: journey.start, to: ward.end }]',
    "outcomes: { mortality: { base: 0.05 } }",
    "",
  ].join("\n"),
);

describe("what reaches the terminal is escaped", () => {
  it.each([
    ["explain", ["explain", file, "--patients", "500"]],
    ["story", ["story", file, "--find", "defect"]],
    ["run", ["run", file, "--patients", "500", "--no-charts", "--out", join(dir, "run")]],
    ["sensitivity", ["sensitivity", file, "--patients", "500", "--out", join(dir, "sens")]],
    ["compare", ["compare", file, "--set", "patients=500", "--no-charts", "--out", join(dir, "cmp")]],
    ["a missing file's name", ["validate", join(dir, "missing\u001b[31m.yaml")]],
    ["a flag's value echoed by commander", ["run", file, "--patients", "1\u001b[2J"]],
    ["an unknown option", ["run", file, "--\u001b[2Jx"]],
  ])("%s", { timeout: 30_000 }, async (_, args) => {
    const r = await cli(...args);
    // Shown escaped (\u001b) or, in tables, as spaces: never raw.
    expect(r.out + r.err).not.toMatch(RAW);
    expect(r.out + r.err).toMatch(/owned|missing|--patients|unknown option/);
  });

  it("keeps line breaks, tabs and, for a terminal, the program's own four styles", () => {
    expect(terminalText("a\n\tb")).toBe("a\n\tb");
    expect(terminalText("\u001b[1mbold\u001b[0m \u001b[31mred", true)).toBe(
      "\u001b[1mbold\u001b[0m \\u001b[31mred",
    );
    expect(terminalText("\u001b[1mbold\u001b[0m")).toBe("\\u001b[1mbold\\u001b[0m");
  });

  it("JSON stays JSON, with the same strings", () => {
    const doc = { name: "a\u009b\u2028\u202e\u007fb" };
    expect(JSON.parse(terminalText(JSON.stringify(doc)))).toEqual(doc);
  });
});

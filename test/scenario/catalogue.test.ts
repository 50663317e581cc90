// The error catalogue: every file in test/fixtures/bad is an invalid scenario, and its exact message
// (what `handoff-sim validate` prints on stderr) is in test/fixtures/golden/<file>.txt. Paths in
// the messages are relative to the repository root, so the goldens are the same on every machine.
// `UPDATE_GOLDEN=1 npx vitest run test/scenario/catalogue.test.ts` rewrites the goldens from the
// current messages; review the diff before committing it.
import { existsSync, readdirSync, readFileSync, unlinkSync } from "node:fs";
import { mkdir, mkdtemp, readdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { MAX_FILE_BYTES } from "../../src/scenario/text.js";
import { cli } from "../cli/capture.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BAD_DIR = "test/fixtures/bad";
const GOLDEN_DIR = "test/fixtures/golden";
const UPDATE = process.env.UPDATE_GOLDEN === "1";

const fixtures = readdirSync(path.join(ROOT, BAD_DIR)).sort();
const goldenOf = (name: string): string => path.join(ROOT, GOLDEN_DIR, `${name}.txt`);

/** Compares with the golden file, or (in update mode) rewrites it. */
async function matchGolden(name: string, actual: string): Promise<void> {
  if (UPDATE) {
    await mkdir(path.join(ROOT, GOLDEN_DIR), { recursive: true });
    await writeFile(goldenOf(name), actual);
  }
  expect(actual).toBe(readFileSync(goldenOf(name), "utf8"));
}

const tmp = (): Promise<string> => mkdtemp(path.join(tmpdir(), "handoff-sim-catalogue-"));
const STACK_LINE = /^\s+at /m;

describe("the error catalogue", () => {
  it("runs from the repository root, so the paths in the goldens are relative", () => {
    expect(process.cwd()).toBe(ROOT);
  });

  it("has at least 30 invalid scenarios, each with its golden message, and no stray golden", () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(30);
    const goldens = readdirSync(path.join(ROOT, GOLDEN_DIR)).sort();
    if (UPDATE) {
      // A fixture removed takes its golden with it.
      for (const name of goldens)
        if (!fixtures.includes(name.replace(/\.txt$/, ""))) unlinkSync(goldenOf(name.replace(/\.txt$/, "")));
      return;
    }
    expect(goldens).toEqual(fixtures.map((name) => `${name}.txt`).sort());
  });

  describe.each(fixtures)("%s", (name) => {
    const file = `${BAD_DIR}/${name}`;

    it("validate: exit 2, exactly the golden message, every line located, no stack trace", async () => {
      const r = await cli("validate", file);
      expect(r.status).toBe(2);
      expect(r.out).toBe("");
      await matchGolden(name, r.err);
      expect(r.err).not.toMatch(STACK_LINE);
      for (const line of r.err.trimEnd().split("\n")) {
        expect(line).toMatch(new RegExp(`^${BAD_DIR}/[^:]+:\\d+:\\d+ \\S`));
      }
    });

    it("run: exit 2 with the same message, and nothing written", async () => {
      const dir = await tmp();
      const out = path.join(dir, "out");
      const r = await cli("run", file, "--out", out, "--workers", "1");
      expect(r.status).toBe(2);
      expect(r.out).toBe("");
      expect(r.err).toBe(readFileSync(goldenOf(name), "utf8"));
      expect(existsSync(out)).toBe(false);
      expect(await readdir(dir)).toEqual([]);
    });
  });
});

describe("messages of the catalogue", () => {
  it("state the field path, what was found and what is expected", async () => {
    const error = await rejection(`${BAD_DIR}/prob-above-one.yaml`);
    const first = error.issues[0];
    expect(first).toMatchObject({ path: "microsystems[0].failures[0].p", found: "15" });
    expect(first?.expected).toContain("a probability");
    expect(first?.message).toBe(`found 15, expected ${first?.expected}`);
  });

  it('suggest the key or id meant for every misspelling ("did you mean …?")', () => {
    const typos = fixtures.filter((name) => /^(key-typo|id-unknown|goto-unknown)/.test(name));
    expect(typos.length).toBeGreaterThanOrEqual(5);
    for (const name of typos) expect(readFileSync(goldenOf(name), "utf8")).toContain("(did you mean");
  });

  it("say one thing per misspelt key (no separate 'missing' for the key meant)", () => {
    expect(readFileSync(goldenOf("key-typo-time.yaml"), "utf8")).toBe(
      `${BAD_DIR}/key-typo-time.yaml:5:5 microsystems[0].tme: unknown key "tme" (did you mean "time"?)\n`,
    );
  });
});

describe("scenario files are data, safe by construction", () => {
  it("custom tags, merge keys and prototype keys are refused, and no object is polluted", () => {
    expect(readFileSync(goldenOf("custom-tag.yaml"), "utf8")).toContain("tag !!js/function is not allowed");
    expect(readFileSync(goldenOf("yaml-proto-key.yaml"), "utf8")).toContain('unknown key "__proto__"');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("alias expansion is bounded: the billion-laughs file is refused at once", async () => {
    const began = performance.now();
    const error = await rejection(`${BAD_DIR}/alias-bomb.yaml`);
    expect(performance.now() - began).toBeLessThan(1000);
    expect(error.format()).toContain("too many aliases");
  });

  it("nesting is bounded", () => {
    expect(readFileSync(goldenOf("yaml-deep-nesting.yaml"), "utf8")).toContain("nested too deep");
  });

  it("file size is bounded: a file over the limit is refused before it is parsed", async () => {
    const dir = await tmp();
    const big = path.join(dir, "big.yaml");
    const text = `name: big\ndescription: "${"x".repeat(MAX_FILE_BYTES)}"\n`;
    await writeFile(big, text);
    const r = await cli("validate", big);
    expect(r.status).toBe(2);
    const size = Buffer.byteLength(text);
    expect(r.err).toBe(`${big}:1:1 file too large: ${size} bytes, the limit is ${MAX_FILE_BYTES} bytes\n`);
  });
});

async function rejection(file: string): Promise<ScenarioError> {
  const error = await loadScenarioFile(file).catch((e: unknown) => e);
  if (!(error instanceof ScenarioError)) throw new Error(`${file} was accepted`);
  return error;
}

// Fuzzing the loader with mutated valid scenarios: fields dropped, list items duplicated, values
// retyped, numbers perturbed, keys misspelt, ids swapped, and raw text spliced. Two properties:
// 1. loading never throws anything but a ScenarioError, and its messages are located and readable;
// 2. a scenario that loads runs to completion (200 patients) within the visit guard and a time budget.
//
// Run count (fixed seed, so CI is deterministic): 2000 mutants loaded (LOAD_RUNS) and 300 more
// loaded and, when valid (about a third are), simulated (RUN_RUNS) — about 7 s on its own. Explore
// further with other seeds and more runs (the run property takes 15% of FUZZ_RUNS):
//   FUZZ_SEED=$RANDOM FUZZ_RUNS=20000 npx vitest run test/scenario/fuzz.test.ts
//
// Then the hostile families (issue 18): huge, deep, long texts, JavaScript's property names as
// ids, odd paths, extreme rates. In process, as a property (HOSTILE_RUNS mutants, 5% of
// FUZZ_RUNS, at least 60); and as a user would meet them, each fixed case run by the built
// program in a child process with a time bound (killed after CHILD_TIMEOUT_MS) and a heap bound
// (--max-old-space-size=CHILD_HEAP_MB): exit 2, a located message, no stack trace. FUZZ_REPORT=1
// prints each case's time. (Needs `npm run build` first when run alone, as `npm test` does.)
import { execFileSync, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runModel } from "../../src/analysis/run.js";
import type { RunSummary } from "../../src/analysis/summary.js";
import type { JourneyMonitor } from "../../src/model/events.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioText } from "../../src/node/load.js";
import { MAX_SHOWN_ISSUES } from "../../src/scenario/issues.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { builtBin } from "../cli/built.js";
import { HOSTILE_CASES } from "./hostile-cases.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const LOAD_RUNS = Number(process.env.FUZZ_RUNS ?? 2000);
const RUN_RUNS = Math.round(LOAD_RUNS * 0.15);
/** A run of 200 patients takes milliseconds; one that takes this long is taken to be stuck. */
const RUN_BUDGET_MS = 3000;
/** Journeys (warm-up and cool-down included) beyond which a valid mutant is too large to run here. */
const MAX_JOURNEYS = 100_000;

/** The valid scenarios mutated: every shape of the format appears in at least one. */
const SOURCES = [
  "test/fixtures/scenarios/ami.yaml",
  "test/fixtures/scenarios/ami.json",
  "test/fixtures/scenarios/ami-variant.yaml",
  "test/fixtures/scenarios/minimal.yaml",
  "scenarios/teaching/readmission-loop.yaml",
  "scenarios/teaching/branching.yaml",
  "scenarios/ami-baseline.yaml",
].map((file) => ({ file: path.join(ROOT, file), text: readFileSync(path.join(ROOT, file), "utf8") }));

// ---------------------------------------------------------------------------------------------
// Mutations of the parsed tree

type Tree = unknown;
type Segment = string | number;

/** Every path in the tree (the root excluded), in a stable order. */
function paths(tree: Tree, prefix: Segment[] = []): Segment[][] {
  if (Array.isArray(tree)) return tree.flatMap((v, i) => [[...prefix, i], ...paths(v, [...prefix, i])]);
  if (tree !== null && typeof tree === "object")
    return Object.entries(tree).flatMap(([k, v]) => [[...prefix, k], ...paths(v, [...prefix, k])]);
  return [];
}

function parentOf(tree: Tree, path: Segment[]): Record<Segment, unknown> | unknown[] {
  let node = tree as Record<Segment, unknown>;
  for (const segment of path.slice(0, -1)) node = node[segment] as Record<Segment, unknown>;
  return node;
}

/** A value of any JSON type, small: what a retyped field becomes. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.double({ noNaN: true }),
  fc.integer({ min: -5, max: 200 }),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom("30 min", "5%", "ed.arrive", "journey.start", "ed", "all", "-1 h", "1e9", "", " "),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 4 }), { maxLength: 3 }),
  fc.dictionary(fc.constantFrom("id", "p", "to", "time", "median", "p90", "mean"), fc.integer(), {
    maxKeys: 3,
  }),
);

/** What a number becomes: small and large factors, signs, boundaries, fractions. */
const perturbation = fc.oneof(
  fc.double({ min: -10, max: 10, noNaN: true }).map((k) => (x: number) => x * k),
  fc.constantFrom<(x: number) => number>(
    (x) => -x,
    (x) => x + 1,
    (x) => x - 1,
    (x) => x / 100,
    (x) => x * 100,
    () => 0,
    () => 1,
    () => 0.5,
    () => 1e-9,
    () => 1e9,
    () => 1.5,
    () => Number.MAX_SAFE_INTEGER,
  ),
);

function perturb(value: unknown, f: (x: number) => number): unknown {
  if (typeof value === "number") return f(value);
  // "30 min", "5%": the number inside the text.
  if (typeof value === "string")
    return value.replace(/\d+(\.\d+)?/, (n) => String(Math.abs(Number(f(Number(n)).toPrecision(6)))));
  return value;
}

/** A plausible misspelling: one letter dropped, doubled or swapped with the next. */
function misspell(word: string, at: number, how: number): string {
  if (word.length < 2) return `${word}x`;
  const i = at % (word.length - 1);
  if (how === 0) return word.slice(0, i) + word.slice(i + 1);
  if (how === 1) return word.slice(0, i) + word[i] + word.slice(i);
  return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
}

interface Mutation {
  kind: "drop" | "duplicate" | "retype" | "perturb" | "misspell" | "swap";
  /** Chooses the path (modulo the number of paths). */
  pick: number;
  /** Chooses a second path, for `swap`. */
  other: number;
  value: unknown;
  f: (x: number) => number;
  how: number;
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom("drop", "duplicate", "retype", "perturb", "perturb", "misspell", "swap"),
  pick: fc.nat(),
  other: fc.nat(),
  value: anyValue,
  f: perturbation,
  how: fc.integer({ min: 0, max: 2 }),
});

/** Applies a mutation in place (to a tree of plain values freshly parsed for this case). */
function mutate(tree: Tree, m: Mutation): void {
  const all = paths(tree);
  const at = all[m.pick % Math.max(all.length, 1)];
  if (at === undefined) return;
  const key = at[at.length - 1] as Segment;
  const parent = parentOf(tree, at);
  const current = (parent as Record<Segment, unknown>)[key];
  if (Array.isArray(parent) && typeof key === "number") {
    if (m.kind === "drop") parent.splice(key, 1);
    else if (m.kind === "duplicate") parent.splice(key, 0, structuredClone(current));
    else parent[key] = replacement(tree, current, m, all);
    return;
  }
  const object = parent as Record<string, unknown>;
  if (m.kind === "drop") delete object[key];
  else if (m.kind === "misspell") {
    delete object[key];
    object[misspell(String(key), m.pick, m.how)] = current;
  } else object[key] = replacement(tree, current, m, all);
}

function replacement(tree: Tree, current: unknown, m: Mutation, all: Segment[][]): unknown {
  switch (m.kind) {
    case "perturb":
      return perturb(current, m.f);
    case "swap": {
      // Another value of the file in this place: ids in the wrong list, a time where a p goes...
      const other = all[m.other % all.length] ?? [];
      return structuredClone((parentOf(tree, other) as Record<Segment, unknown>)[other[other.length - 1]!]);
    }
    case "misspell":
      return typeof current === "string" ? misspell(current, m.pick, m.how) : current;
    case "duplicate":
      return current;
    default:
      return m.value;
  }
}

// ---------------------------------------------------------------------------------------------
// Splices of the raw text

const fragment = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.string({ unit: "binary", maxLength: 4 }),
  fc.constantFrom(
    ": ",
    "- ",
    "&a ",
    "*a",
    "!!js/function x",
    "!custom ",
    "<<: *a",
    "\n---\n",
    "\t",
    "\0",
    "{",
    "}",
    "[",
    "]",
    "'",
    '"',
    "#",
    "\n  ",
    "\n",
    "%YAML 1.1\n",
    "? ",
    "|\n",
    ">-\n",
    "\\",
    "\uFEFF",
    "\uD800",
    "~",
    ".nan",
    ".inf",
    "-.inf",
    "0x1F",
    "1e999",
  ),
);

interface Splice {
  at: number;
  length: number;
  insert: string;
}

const splice: fc.Arbitrary<Splice> = fc.record({
  at: fc.nat(),
  length: fc.integer({ min: 0, max: 40 }),
  insert: fragment,
});

function applySplice(text: string, s: Splice): string {
  const at = s.at % (text.length + 1);
  return text.slice(0, at) + s.insert + text.slice(at + s.length);
}

// ---------------------------------------------------------------------------------------------
// The mutants

interface Mutant {
  file: string;
  text: string;
}

const source = fc.constantFrom(...SOURCES);

/** A scenario with 1 to `most` tree mutations, written back as YAML or JSON. */
const treeMutant = (most: number): fc.Arbitrary<Mutant> =>
  fc
    .tuple(source, fc.array(mutation, { minLength: 1, maxLength: most }), fc.boolean())
    .map(([src, mutations, json]) => {
      const tree = parse(src.text) as Tree;
      for (const m of mutations) mutate(tree, m);
      return { file: src.file, text: json ? JSON.stringify(tree, null, 2) : stringify(tree) };
    });

/** A scenario's text with 1–3 splices (deletions, insertions, replacements). */
const textMutant: fc.Arbitrary<Mutant> = fc
  .tuple(source, fc.array(splice, { minLength: 1, maxLength: 3 }))
  .map(([src, splices]) => ({ file: src.file, text: splices.reduce(applySplice, src.text) }));

const mutant = fc.oneof(treeMutant(4), textMutant);

// ---------------------------------------------------------------------------------------------
// The properties

/** Loads a mutant; fails the property on anything thrown that is not a ScenarioError. */
async function load(m: Mutant): Promise<ModelSpec | ScenarioError> {
  try {
    return (await loadScenarioText(m.text, m.file)).model;
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw new Error(`not a ScenarioError: ${error instanceof Error ? error.stack : String(error)}`);
  }
}

/** Every message is located in a file, on a line that exists, and reads as text. */
function checkMessages(error: ScenarioError, m: Mutant): void {
  expect(error.issues.length).toBeGreaterThan(0);
  const lines = m.text.split("\n").length;
  for (const issue of error.issues) {
    expect(issue.line).toBeGreaterThanOrEqual(1);
    expect(issue.column).toBeGreaterThanOrEqual(1);
    if (issue.file === m.file) expect(issue.line).toBeLessThanOrEqual(lines);
    // What the user wrote is quoted; an unquoted `undefined` or `NaN` is a bug in a message.
    expect(issue.message).not.toMatch(/(?<!")\b(undefined|NaN)\b(?!")|\[object |^\s*$/);
  }
  expect(error.format().split("\n")).toHaveLength(Math.min(error.issues.length, MAX_SHOWN_ISSUES + 1));
}

/** Thrown by the watch when a valid scenario asks for more work than this test spends on one. */
class TooLarge extends Error {}

/**
 * A monitor that watches a run: no journey makes more than `maxVisits` visits (the guard holds), and
 * a run that is taking far too long is stopped (the simulation has no clock of its own). A mutant
 * can be valid and simply large (a warm-up of 1000 patients a day for a year): past `maxJourneys`
 * journeys the run is stopped as too large to finish here, and the case is not counted.
 */
function watch(maxVisits: number, maxJourneys: number, budgetMs: number): JourneyMonitor {
  const deadline = performance.now() + budgetMs;
  const visits = new Map<object, number>();
  let journeys = 0;
  let calls = 0;
  return {
    event(p, e) {
      if (e.kind === "start") {
        visits.set(p, 0);
        if (++journeys > maxJourneys) throw new TooLarge();
      } else if (e.kind === "arrive") {
        const n = (visits.get(p) ?? 0) + 1;
        if (n > maxVisits) throw new Error(`a journey made ${n} visits, more than max_visits ${maxVisits}`);
        visits.set(p, n);
      }
      if (++calls % 4096 === 0 && performance.now() > deadline)
        throw new Error(`the run took more than ${budgetMs} ms`);
    },
  };
}

describe("fuzzing the scenario loader", () => {
  it(`never throws anything but a located ScenarioError (${LOAD_RUNS} mutants)`, async () => {
    await fc.assert(
      fc.asyncProperty(mutant, async (m) => {
        const result = await load(m);
        if (result instanceof ScenarioError) checkMessages(result, m);
      }),
      { seed: SEED, numRuns: LOAD_RUNS },
    );
  });

  it(`runs every mutant that validates to completion within the visit guard (${RUN_RUNS} mutants)`, async () => {
    let valid = 0;
    await fc.assert(
      // Fewer mutations at a time, so that more mutants are valid and get run.
      fc.asyncProperty(treeMutant(2), async (m) => {
        const spec = await load(m);
        if (spec instanceof ScenarioError) return;
        let s: RunSummary;
        try {
          s = runModel(spec, { patients: 200, monitor: watch(spec.maxVisits, MAX_JOURNEYS, RUN_BUDGET_MS) });
        } catch (error) {
          if (error instanceof TooLarge) return;
          throw error;
        }
        valid++;
        const { completed, dropped, guard_stopped, died } = s.outcomes;
        // Every counted journey ended one of the four ways: none is left hanging.
        expect(completed + dropped + guard_stopped + died).toBe(s.patients);
        expect(s.patients).toBe(200);
      }),
      { seed: SEED, numRuns: RUN_RUNS },
    );
    // Mutants are mostly invalid; enough must be valid (and run) for the property to say something.
    expect(valid).toBeGreaterThan(RUN_RUNS / 10);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile families (issue 18)

const HOSTILE_RUNS = Math.max(60, Math.round(LOAD_RUNS * 0.05));
/** A case that takes this long is taken to be stuck (a hang guard: cases take milliseconds). */
const HOSTILE_BUDGET_MS = 5000;
// Cases take about a second alone; the bound is generous because other test files share the cores.
const CHILD_TIMEOUT_MS = 10_000;
const CHILD_HEAP_MB = 256;
const REPORT = process.env.FUZZ_REPORT === "1";

/** Names that are JavaScript's own properties of every object. */
const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "hasOwnProperty",
  "toString",
  "valueOf",
  "isPrototypeOf",
];

/** A folder of odd things for a path to point at, made once: a folder, a FIFO, a symlink loop… */
function oddPaths(): Record<string, string> {
  const dir = mkdtempSync(path.join(tmpdir(), "handoff-sim-odd-"));
  const at = (name: string) => path.join(dir, name);
  mkdirSync(at("folder.yaml"));
  symlinkSync("loop-b.yaml", at("loop-a.yaml"));
  symlinkSync("loop-a.yaml", at("loop-b.yaml"));
  spawnFifo(at("fifo.yaml"));
  writeFileSync(at("empty.yaml"), "");
  return {
    "a directory": at("folder.yaml"),
    "a FIFO": at("fifo.yaml"),
    "a symlink loop": at("loop-a.yaml"),
    "a missing file": at("missing.yaml"),
    "an empty file": at("empty.yaml"),
    "/dev/zero": "/dev/zero",
    "/dev/null": "/dev/null",
    "/dev/stdin": "/dev/stdin",
    "the root folder": "/",
  };
}

function spawnFifo(file: string): void {
  // mkfifo(1) is on every system the project runs on (Linux, macOS).
  const result = spawnSyncSafe("mkfifo", [file]);
  if (!result) writeFileSync(file, "not a fifo here\n");
}

function spawnSyncSafe(command: string, args: string[]): boolean {
  try {
    return execFileSync(command, args) !== undefined;
  } catch {
    return false;
  }
}

const ODD = oddPaths();

/** Text written in place of a value: flow YAML, so it fits wherever a value does. */
const hostileValue: fc.Arbitrary<string> = fc.oneof(
  // Deep: around the nesting limit and far beyond it.
  fc
    .tuple(
      fc.constantFrom(["[", "]"], ["{a: ", "}"], ["[{a: ", "}]"]),
      fc.constantFrom(62, 63, 64, 65, 129, 5000, 200_000),
    )
    .map(([[open, close], depth]) => open.repeat(depth) + close.repeat(depth)),
  // Huge: lists around the value and token limits.
  fc.constantFrom(1000, 50_000, 99_999, 100_001, 400_000).map((n) => `[${"1, ".repeat(n)}1]`),
  // Long texts, of characters that have bitten (spaces, digits, escapes, separators, astral).
  fc
    .tuple(
      fc.constantFrom("x", " ", "1 ", "\\e[31m", "\\u2028", "\\x9b", "é", "😀", "\\u202e"),
      fc.constantFrom(63, 64, 65, 200, 201, 1024, 1025, 9999, 10_000, 10_001, 300_000),
    )
    .map(([unit, length]) => `"1${unit.repeat(Math.ceil(length / unit.length))}x"`),
  // Extreme numbers, rates and times.
  fc.constantFrom(
    "1e-300",
    "5e-324",
    "1e300",
    "1e6",
    "1000001",
    "-0",
    "0",
    '"36500 d"',
    '"36501 d"',
    '"1e-300 min"',
  ),
  fc.constantFrom(...PROTOTYPE_NAMES),
);

interface HostileMutant extends Mutant {
  /** What was done, for the failure message. */
  what: string;
}

/** A source with one value replaced by a hostile one (at any path), or `extends` an odd path. */
const hostileMutant: fc.Arbitrary<HostileMutant> = fc.oneof(
  fc.tuple(source, fc.nat(), hostileValue, fc.boolean()).map(([src, pick, value, json]) => {
    const tree = parse(src.text) as Tree;
    const all = paths(tree);
    const at = all[pick % all.length] ?? [];
    const marker = "HOSTILE-VALUE-HERE";
    (parentOf(tree, at) as Record<Segment, unknown>)[at[at.length - 1]!] = marker;
    const text = (json ? JSON.stringify(tree, null, 2) : stringify(tree)).replace(
      json ? `"${marker}"` : marker,
      value,
    );
    return { file: src.file, text, what: `${at.join(".")} = ${value.slice(0, 40)}…` };
  }),
  // Every use of one id renamed to a prototype name: a valid scenario stays valid.
  fc.tuple(source, fc.nat(), fc.constantFrom(...PROTOTYPE_NAMES)).map(([src, pick, name]) => {
    const tree = parse(src.text) as { microsystems?: { id?: string }[] };
    const ids = (tree.microsystems ?? []).map((m) => m.id).filter((id) => typeof id === "string");
    const id = ids[pick % Math.max(ids.length, 1)] ?? "ed";
    return { file: src.file, text: renameId(src.text, id, name), what: `${id} renamed ${name}` };
  }),
  fc.tuple(source, fc.constantFrom(...Object.values(ODD))).map(([src, odd]) => ({
    file: src.file,
    text: `extends: ${JSON.stringify(odd)}\n${src.text.replace(/^extends:.*$/m, "")}`,
    what: `extends ${odd}`,
  })),
);

/** The text with the id renamed wherever it is written as a word (ids, routes, milestones, keys). */
function renameId(text: string, id: string, name: string): string {
  return text.replace(new RegExp(`(?<![\\w.-])${id}(?![\\w-])`, "g"), name);
}

describe("fuzzing the scenario loader: hostile families", () => {
  it(`refuses with located messages, or loads, every hostile mutant in bounded time (${HOSTILE_RUNS} mutants)`, {
    timeout: 120_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(hostileMutant, async (m) => {
        const began = performance.now();
        const result = await load(m);
        const elapsed = performance.now() - began;
        expect(elapsed, m.what).toBeLessThan(HOSTILE_BUDGET_MS);
        if (result instanceof ScenarioError) checkMessages(result, m);
        expect(Object.getPrototypeOf({}), m.what).toBe(Object.prototype);
      }),
      { seed: SEED, numRuns: HOSTILE_RUNS },
    );
  });

  it("a scenario whose ids are renamed to JavaScript's property names loads the same", async () => {
    // (A file that extends another would need its base renamed too.)
    for (const src of SOURCES.filter((s) => !/^extends:/m.test(s.text))) {
      const spec = await load({ file: src.file, text: src.text });
      if (spec instanceof ScenarioError) throw new Error(`${src.file} is not valid: ${spec.format()}`);
      for (const name of PROTOTYPE_NAMES) {
        const first = spec.microsystems[0]?.id ?? "";
        const renamed = await load({ file: src.file, text: renameId(src.text, first, name) });
        if (renamed instanceof ScenarioError)
          throw new Error(`${src.file}, ${first} → ${name}: ${renamed.format()}`);
        expect(renamed.microsystems.map((m) => m.id)).toEqual(
          spec.microsystems.map((m) => (m.id === first ? name : m.id)),
        );
      }
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The hostile families as a user meets them: the built program, in a child process

interface Ran {
  status: number | null;
  signal: NodeJS.Signals | null;
  err: string;
  ms: number;
}

/** Runs the built program with a heap bound; kills it (and fails) past `timeout` ms. */
function runBounded(args: string[], timeout = CHILD_TIMEOUT_MS): Promise<Ran> {
  return new Promise((resolve) => {
    const began = performance.now();
    const child = spawn(process.execPath, [`--max-old-space-size=${CHILD_HEAP_MB}`, builtBin(), ...args], {
      cwd: ROOT,
      stdio: ["pipe", "ignore", "pipe"],
    });
    child.stdin.end();
    let err = "";
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
      // Enough to judge the message; a runaway message must not fill the test's memory.
      if (err.length < 1_000_000) err += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeout);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, err, ms: performance.now() - began });
    });
  });
}

const STACK = /^\s+at /m;
const LOCATED = /^\S.*:\d+:\d+ \S/;

/** Every case: the arguments after the program, and a fragment of the first line of stderr. */
function childCases(): { name: string; args: string[]; message: string }[] {
  const dir = mkdtempSync(path.join(tmpdir(), "handoff-sim-hostile-"));
  const file = (name: string, text: string): string => {
    const at = path.join(dir, name);
    writeFileSync(at, text);
    return at;
  };
  const scenario = "scenarios/teaching/seven-steps.yaml";
  const valid = "name: x\nmicrosystems: [{ id: ed, time: 1 }]\n";
  return [
    ...HOSTILE_CASES.map((c, i) => ({
      name: c.name,
      args: ["validate", file(`case-${i}.yaml`, c.text)],
      message: c.message,
    })),
    ...Object.entries(ODD)
      .filter(([name]) => name !== "an empty file")
      .flatMap(([name, odd]) => [
        { name: `the scenario argument is ${name}`, args: ["validate", odd], message: odd },
        {
          name: `extends ${name}`,
          args: [
            "validate",
            file(`extends-${name.replaceAll(/\W/g, "-")}.yaml`, `extends: ${JSON.stringify(odd)}\n${valid}`),
          ],
          message: "extends: ",
        },
      ]),
    {
      name: "arrivals.per_day 1000001",
      args: ["validate", file("rate-huge.yaml", `${valid}arrivals: { per_day: 1000001 }\n`)],
      message: "at most 1000000",
    },
    { name: "--patients 1e12", args: ["run", scenario, "--patients", "1e12"], message: "--patients" },
    { name: "--workers 100000", args: ["run", scenario, "--workers", "100000"], message: "--workers" },
    { name: "--seed -1", args: ["run", scenario, "--seed", "-1"], message: "--seed" },
    {
      name: "--shard 1/1e20",
      args: ["run", scenario, "--shard", "1/100000000000000000000", "--partial", "p.json"],
      message: "--shard",
    },
    { name: "--set patients=1e12", args: ["run", scenario, "--set", "patients=1e12"], message: "patients" },
    {
      name: "--set a value 20,000 lists deep",
      args: ["run", scenario, "--set", `description=${"[".repeat(20_000)}`],
      message: "nested too deep",
    },
  ];
}

// One child at a time, so that each case's time is its own.
describe("fuzzing the scenario loader: hostile families, run by the built program", () => {
  const cases = childCases();
  const times: string[] = [];

  it.each(cases)(
    "$name: exit 2, a located message, no stack trace, within the time and heap bounds",
    { timeout: CHILD_TIMEOUT_MS * 3 },
    async ({ name, args, message }) => {
      const ran = await runBounded(args);
      times.push(`${Math.round(ran.ms).toString().padStart(6)} ms  ${name}`);
      expect({ status: ran.status, signal: ran.signal }, ran.err.slice(0, 300)).toEqual({
        status: 2,
        signal: null,
      });
      expect(ran.err).not.toMatch(STACK);
      // Nothing is echoed in bulk: at most 201 lines of a few hundred characters.
      expect(ran.err.length).toBeLessThan(100_000);
      const first = ran.err.split("\n")[0] ?? "";
      expect(first).toContain(message);
      if (args[0] === "validate")
        for (const line of ran.err.trimEnd().split("\n")) expect(line).toMatch(LOCATED);
      else expect(ran.err).toMatch(/^(error: option '--|--set ")/);
    },
  );

  // The workload estimate (src/model/workload.ts) refuses this valid scenario as it loads: run, it
  // grew without bound (6.8 GB before the issue's OOM).
  it("arrivals.per_day 1e-300 is refused before it runs, with the numbers", {
    timeout: CHILD_TIMEOUT_MS * 3,
  }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "handoff-sim-rate-"));
    const file = path.join(dir, "rate.yaml");
    writeFileSync(file, "name: x\narrivals: { per_day: 1e-300 }\nmicrosystems: [{ id: ed, time: 1 }]\n");
    // A refusal takes well under a second; the run it replaces is stopped after 3 s.
    const run = ["run", file, "--workers", "1", "--no-charts", "--out", path.join(dir, "out")];
    const ran = await runBounded(run, 3000);
    expect({ status: ran.status, signal: ran.signal }).toEqual({ status: 2, signal: null });
    expect(ran.err).toContain("simulated days");
  });

  afterAll(() => {
    if (REPORT) console.log(`hostile cases, child process, heap ${CHILD_HEAP_MB} MB:\n${times.join("\n")}`);
  });
});

// Fuzzing the loader with mutated valid scenarios: fields dropped, list items duplicated, values
// retyped, numbers perturbed, keys misspelt, ids swapped, and raw text spliced. Two properties:
// 1. loading never throws anything but a ScenarioError, and its messages are located and readable;
// 2. a scenario that loads runs to completion (200 patients) within the visit guard and a time budget.
//
// Run count (fixed seed, so CI is deterministic): 2000 mutants loaded (LOAD_RUNS) and 300 more
// loaded and, when valid (about a third are), simulated (RUN_RUNS) — about 7 s on its own. Explore
// further with other seeds and more runs (the run property takes 15% of FUZZ_RUNS):
//   FUZZ_SEED=$RANDOM FUZZ_RUNS=20000 npx vitest run test/scenario/fuzz.test.ts
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { runModel } from "../../src/analysis/run.js";
import type { RunSummary } from "../../src/analysis/summary.js";
import type { JourneyMonitor } from "../../src/model/events.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioText } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";

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
  expect(error.format().split("\n")).toHaveLength(error.issues.length);
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
        const { completed, dropped, guard_stopped } = s.outcomes;
        // Every counted journey ended one of the three ways: none is left hanging.
        expect(completed + dropped + guard_stopped).toBe(s.patients);
        expect(s.patients).toBe(200);
      }),
      { seed: SEED, numRuns: RUN_RUNS },
    );
    // Mutants are mostly invalid; enough must be valid (and run) for the property to say something.
    expect(valid).toBeGreaterThan(RUN_RUNS / 10);
  });
});

// Every problem at once: the checks of the journey graph (can every journey end, is every listed
// handoff an edge, do routes sum to 1) do not wait for unrelated fields to be fixed. A property over
// the bundled scenarios: break fields the graph is not made of (a missing time, a bad share, a
// negative harm, a capacity of 0, …) on top of an optional change to the graph, and the graph's
// findings are exactly those of the graph change alone — none hidden, none made up.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { loadScenarioText } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { issuesOf, lines } from "./helpers.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const SOURCES = [
  "scenarios/ami-baseline.yaml",
  "scenarios/teaching/readmission-loop.yaml",
  "scenarios/teaching/branching.yaml",
  "scenarios/teaching/seven-steps.yaml",
  "test/fixtures/scenarios/ami.yaml",
  "test/fixtures/scenarios/minimal.yaml",
].map((file) => ({ file: path.join(ROOT, file), text: readFileSync(path.join(ROOT, file), "utf8") }));

type Tree = Record<string, unknown> & { microsystems: Record<string, unknown>[] };

/** The findings of the checks that walk the journey graph. */
const GRAPH =
  /no end of the journey can be reached|no route or goto from|route probabilities|no route out of|missing p: several routes/;

async function graphFindings(tree: Tree, file: string): Promise<string[]> {
  try {
    await loadScenarioText(stringify(tree), file);
    return [];
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return error.findings
      .filter((f) => GRAPH.test(f.message))
      .map((f) => `${f.path}: ${f.message}`)
      .sort();
  }
}

/** Changes to the graph itself: a route to any microsystem (often a loop), or an end removed. */
const graphChange = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant("route"), from: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant("no-end"), from: fc.nat(), to: fc.nat() }),
);

function changeGraph(tree: Tree, change: { kind: string; from: number; to: number } | null): void {
  if (change === null) return;
  const ms = tree.microsystems;
  const to = ms[change.to % ms.length]!.id;
  if (change.kind === "route") {
    ms[change.from % ms.length]!.next = [{ to }];
    return;
  }
  for (const m of ms) if (Array.isArray(m.next) && m.next.length === 0) m.next = [{ to }];
}

/** Fields the graph is not made of, each broken in a way the schema refuses. */
const BREAKS: ((tree: Tree, i: number) => void)[] = [
  (t, i) => delete at(t.microsystems, i).time,
  (t, i) => (at(t.microsystems, i).time = "-5 min"),
  (t, i) => (at(t.microsystems, i).time = { median: "5 min" }),
  (t, i) => (at(t.microsystems, i).capacity = 0),
  (t, i) => (at(t.microsystems, i).name = 7),
  (t, i) => (at(t.microsystems, i).off_hours_delay = "soon"),
  (t, i) => (at(t.microsystems, i).hours = { open: "7am", close: "19:00" }),
  (t, i) => modeOf(t, i, (m) => (m.harm = -1)),
  (t, i) => modeOf(t, i, (m) => (m.name = 5)),
  (t, i) => modeOf(t, i, (m) => (m.delay = { median: 1 })),
  (t, i) => modeOf(t, i, (m) => (m.recover_time = "later")),
  (t, i) => setIn(t.classes, i, "share", "half"),
  (t, i) => setIn(t.metrics, i, "to", "nowhere"),
  (t, i) => setIn(t.handoffs, i, "time", "x"),
  (t) => (t.handoff_defaults = { ...(t.handoff_defaults as object), time: "x" }),
  (t) => (t.patients = 0),
  (t) => (t.seed = -1),
  (t) => (t.outcomes = { mortality: { base: 2 } }),
];

function at(list: unknown, i: number): Record<string, unknown> {
  const items = list as Record<string, unknown>[];
  return items[i % items.length]!;
}

/** Sets a key of item i of a list, when the scenario has the list. */
function setIn(list: unknown, i: number, key: string, value: unknown): void {
  if (Array.isArray(list) && list.length > 0) at(list, i)[key] = value;
}

function modeOf(tree: Tree, i: number, f: (mode: Record<string, unknown>) => void): void {
  const modes = tree.microsystems.flatMap((m) => (Array.isArray(m.failures) ? m.failures : []));
  if (modes.length > 0) f(at(modes, i));
}

const breaks = fc.array(fc.tuple(fc.nat({ max: BREAKS.length - 1 }), fc.nat()), {
  minLength: 1,
  maxLength: 4,
});

describe("every problem at once", () => {
  it("reports a journey with no end beside a missing time, in one pass", async () => {
    const issues = await issuesOf(
      lines(
        "name: t",
        "microsystems:",
        "  - id: ed",
        "    next: [{ to: ward }]",
        "  - id: ward",
        "    time: 2 h",
        "    next: [{ to: ed }]",
      ),
    );
    expect(issues).toEqual([
      "s.yaml:3:5 microsystems[0].time: missing, expected a time distribution: a time, {median, p90}, {mean}, {min, mode, max}, {min, max} or {mean, sd}",
      's.yaml:4:11 microsystems[0].next: no end of the journey can be reached from "ed"',
      's.yaml:7:11 microsystems[1].next: no end of the journey can be reached from "ward"',
    ]);
  });

  it("reads the default handoffs' drop even when their time is invalid", async () => {
    // The drop on every handoff is the only way out of the loop: no "no end" finding.
    const issues = await issuesOf(
      lines(
        "name: t",
        "microsystems:",
        "  - { id: a, time: 1, next: [{ to: b }] }",
        "  - { id: b, time: 1, next: [{ to: a }] }",
        "handoff_defaults: { time: soon, failures: [{ id: lost, p: 0.1, drop: true }] }",
      ),
    );
    expect(issues).toEqual([
      's.yaml:5:27 handoff_defaults.time: found "soon", expected a non-negative time: minutes, or a number with a unit such as "45 s", "30 min", "1.5 h", "3 d", "2 wk"',
    ]);
  });

  it("the graph's findings do not depend on broken fields the graph is not made of", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...SOURCES), graphChange, breaks, async (src, change, broken) => {
        const changed = parse(src.text) as Tree;
        changeGraph(changed, change);
        const expected = await graphFindings(changed, src.file);
        const both = structuredClone(changed);
        for (const [k, i] of broken) BREAKS[k]!(both, i);
        expect(await graphFindings(both, src.file)).toEqual(expected);
      }),
      { seed: 20261125, numRuns: 300 },
    );
  });
});

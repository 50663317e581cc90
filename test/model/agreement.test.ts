// The simulation against the exact analysis on random scenarios: chains, branches, class-specific
// routes, loops (readmissions), detection, drop and goto.
//
// Many intervals are checked, so a plain 95% interval would fail by chance now and then. Each
// check uses z = 4.5 (two-sided p ≈ 7e-6 per check: a family of a few thousand checks still fails
// by chance less than 2% of the time), and fast-check runs with a fixed seed, so the suite is
// deterministic: the same scenarios, the same simulated numbers, every run.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analytic.js";
import { runModel } from "../../src/analysis/run.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { arbSpec } from "../fixtures/specs.js";

const Z = 4.5;
const PATIENTS = 20_000;

function within(estimate: number, exact: number, sd: number): boolean {
  return Math.abs(estimate - exact) <= Z * sd + 1e-12;
}

/** Checks reliability (overall, per class), drops and visits; returns the failures found. */
function disagreements(spec: ModelSpec): string[] {
  const exact = analyze(spec);
  const s = runModel({ ...spec, maxVisits: 10_000 }, { patients: PATIENTS, seed: 11 });
  const bad: string[] = [];
  const share = (label: string, estimate: number, p: number, n: number) => {
    if (!within(estimate, p, Math.sqrt((p * (1 - p)) / Math.max(n, 1))))
      bad.push(`${label}: ${estimate} vs exact ${p}`);
  };
  share("reliability", s.reliability.estimate, exact.overall.defectFree, s.patients);
  for (const [id, c] of Object.entries(s.reliability.by_class)) {
    share(`reliability[${id}]`, c.estimate, exact.byClass[id]!.defectFree, c.patients);
  }
  share("dropped", s.outcomes.dropped / s.patients, exact.overall.dropped, s.patients);
  for (const m of s.microsystems) {
    const expected = exact.overall.visits[m.id]!;
    // Visits per journey are counts, not shares: bound their sd by the mean's sd under a
    // generous variance (expected·(1+expected)), which holds for the geometric loops generated here.
    const sd = Math.sqrt((expected * (1 + expected) * 4) / s.patients);
    if (!within(m.visits / s.patients, expected, sd))
      bad.push(`visits[${m.id}]: ${m.visits / s.patients} vs ${expected}`);
  }
  return bad;
}

describe("simulation agrees with the exact analysis", () => {
  it("on random acyclic scenarios (branches, classes, detection, drop, goto)", () => {
    fc.assert(
      fc.property(arbSpec(), (spec) => {
        expect(disagreements(spec)).toEqual([]);
      }),
      { seed: 20261125, numRuns: 40 },
    );
  });

  it("on random scenarios with loops (readmissions)", () => {
    fc.assert(
      fc.property(arbSpec({ cyclic: true }), (spec) => {
        expect(disagreements(spec)).toEqual([]);
      }),
      { seed: 42, numRuns: 40 },
    );
  });
});

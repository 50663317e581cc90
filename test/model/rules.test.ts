// The journey rules, written once (src/model/rules.ts): the exact analysis uses their probability
// form, the simulator their defect-by-defect form; the two must be the same rule.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appliesTo,
  defectProbability,
  elementOutcome,
  elementReliability,
  eligibleRoutes,
  handoffTargets,
  keptGoto,
  type ModeRule,
} from "../../src/model/rules.js";

const mode = fc.record({
  p: fc.double({ min: 0, max: 1, noNaN: true }),
  detect: fc.double({ min: 0, max: 1, noNaN: true }),
  drop: fc.boolean(),
  goto: fc.option(fc.integer({ min: 0, max: 2 }), { nil: null }),
  classes: fc.option(fc.subarray(["a", "b"]), { nil: null }),
});

describe("journey rules", () => {
  it("the simulator's defect-by-defect outcome has exactly the analysis's probabilities", () => {
    fc.assert(
      fc.property(
        fc.array(mode, { maxLength: 6 }),
        fc.constantFrom("a", "b"),
        (modes: ModeRule<number>[], cls) => {
          const exact = elementOutcome(modes, cls);
          // Every combination of defects among the modes that apply, with its probability, walked the
          // way journey.ts walks one visit: drop if any dropped, else the goto keptGoto keeps.
          const applicable = modes.filter((m) => appliesTo(m, cls));
          const got = { survive: 0, drop: 0, pass: 0, gotos: new Map<number, number>() };
          for (let mask = 0; mask < 1 << applicable.length; mask++) {
            let probability = 1;
            let drop = false;
            let goto = -1;
            applicable.forEach((m, i) => {
              const q = defectProbability(m);
              if (mask & (1 << i)) {
                probability *= q;
                drop ||= m.drop;
                goto = keptGoto(goto, { drop: m.drop, goto: m.goto ?? -1 });
              } else probability *= 1 - q;
            });
            if (mask === 0) got.survive += probability;
            if (drop) got.drop += probability;
            else if (goto >= 0) got.gotos.set(goto, (got.gotos.get(goto) ?? 0) + probability);
            else got.pass += probability;
          }
          expect(exact.survive).toBeCloseTo(got.survive, 12);
          expect(exact.drop).toBeCloseTo(got.drop, 12);
          expect(exact.pass).toBeCloseTo(got.pass, 12);
          for (const target of new Set([...exact.gotos.keys(), ...got.gotos.keys()]))
            expect(exact.gotos.get(target) ?? 0).toBeCloseTo(got.gotos.get(target) ?? 0, 12);
          expect(elementReliability(modes, cls)).toBeCloseTo(got.survive, 12);
        },
      ),
      { seed: 11, numRuns: 300 },
    );
  });

  it("routes: reserved ones for the class, else the unreserved; null and undefined both mean every class", () => {
    const routes = [
      { to: "x", classes: ["a"] },
      { to: "y", classes: null },
      { to: "z", classes: undefined },
    ];
    expect(eligibleRoutes(routes, "a").map((r) => r.to)).toEqual(["x"]);
    expect(eligibleRoutes(routes, "b").map((r) => r.to)).toEqual(["y", "z"]);
    expect(eligibleRoutes([{ to: "x", classes: ["a"] }], "b")).toEqual([]);
    expect(appliesTo({ classes: ["a"] }, "b")).toBe(false);
    expect(appliesTo({}, "b")).toBe(true);
  });

  it("handoff edges: route targets, then goto targets, each once", () => {
    expect(
      handoffTargets([{ to: "b" }, { to: "c" }], [{ goto: "d" }, { goto: null }, { goto: "b" }, {}]),
    ).toEqual(["b", "c", "d"]);
    expect(defectProbability({ p: 0.2, detect: 0.5 })).toBeCloseTo(0.1, 15);
  });
});

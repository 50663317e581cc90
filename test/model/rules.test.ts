// The journey rules, written once (src/model/rules.ts): the exact analysis uses their probability
// form, the simulator their defect-by-defect form; the two must be the same rule.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  appliesTo,
  classProbability,
  conditionHolds,
  defectProbability,
  drawnShares,
  elementOutcome,
  elementReliability,
  eligibleRoutes,
  handoffTargets,
  keptGoto,
  type ModeRule,
  suppressed,
  type VisitContext,
  visitProbability,
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

  it("with unless: the exact outcome is the simulator's walk, and the defect-free share keeps the product rule", () => {
    // Modes with `unless` lists naming earlier positions.
    const modes = fc
      .array(mode, { minLength: 1, maxLength: 6 })
      .chain((list) =>
        fc.tuple(fc.constant(list), fc.tuple(...list.map((_, i) => fc.subarray([...Array(i).keys()])))),
      )
      .map(([list, unless]) => list.map((m, i) => ({ ...m, unlessAt: unless[i] as number[] })));
    fc.assert(
      fc.property(modes, fc.constantFrom("a", "b"), (list: ModeRule<number>[], cls) => {
        const exact = elementOutcome(list, cls);
        // The walk of journey.ts: in list order, a suppressed mode is not drawn; the others are a
        // defect (q) or not (1 − q). Every path of that walk, with its probability.
        const got = { survive: 0, drop: 0, pass: 0, gotos: new Map<number, number>() };
        const drawn = list.map(() => 0);
        const walk = (i: number, p: number, defects: boolean[], drop: boolean, goto: number): void => {
          if (p === 0) return;
          if (i === list.length) {
            if (!defects.includes(true)) got.survive += p;
            if (drop) got.drop += p;
            else if (goto >= 0) got.gotos.set(goto, (got.gotos.get(goto) ?? 0) + p);
            else got.pass += p;
            return;
          }
          const m = list[i]!;
          if (!appliesTo(m, cls) || suppressed(m.unlessAt, (at) => defects[at] === true)) {
            walk(i + 1, p, [...defects, false], drop, goto);
            return;
          }
          drawn[i]! += p;
          const q = defectProbability(m);
          walk(i + 1, p * (1 - q), [...defects, false], drop, goto);
          walk(
            i + 1,
            p * q,
            [...defects, true],
            drop || m.drop,
            keptGoto(goto, { drop: m.drop, goto: m.goto ?? -1 }),
          );
        };
        walk(0, 1, [], false, -1);
        drawnShares(list, cls).forEach((share, i) => {
          expect(share).toBeCloseTo(drawn[i]!, 12);
        });
        expect(exact.survive).toBeCloseTo(got.survive, 12);
        expect(exact.drop).toBeCloseTo(got.drop, 12);
        expect(exact.pass).toBeCloseTo(got.pass, 12);
        for (const target of new Set([...exact.gotos.keys(), ...got.gotos.keys()]))
          expect(exact.gotos.get(target) ?? 0).toBeCloseTo(got.gotos.get(target) ?? 0, 12);
        // Product rule: a visit with no defect drew every mode.
        expect(elementReliability(list, cls)).toBeCloseTo(got.survive, 12);
        expect(exact.drop + exact.pass + [...exact.gotos.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(
          1,
          12,
        );
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it("when: the first condition that holds sets p; all of a condition's keys must hold", () => {
    const ctx = (over: Partial<VisitContext>): VisitContext => ({
      classId: "a",
      offHours: false,
      load: 0,
      waited: 0,
      ...over,
    });
    const m = {
      p: 0.1,
      when: [
        { offHours: true, classes: ["b"], p: 0.9 },
        { offHours: true, p: 0.4 },
        { loadAtLeast: 1, p: 0.3 },
        { waitedAtLeast: 60, p: 0.2 },
      ],
    };
    expect(visitProbability(m, ctx({}))).toEqual({ p: 0.1, condition: -1 });
    expect(visitProbability(m, ctx({ offHours: true }))).toEqual({ p: 0.4, condition: 1 });
    expect(visitProbability(m, ctx({ offHours: true, classId: "b" }))).toEqual({ p: 0.9, condition: 0 });
    expect(visitProbability(m, ctx({ load: 1 }))).toEqual({ p: 0.3, condition: 2 });
    expect(visitProbability(m, ctx({ load: 0.99, waited: 60 }))).toEqual({ p: 0.2, condition: 3 });
    expect(conditionHolds({ offHours: false, p: 0 }, ctx({}))).toBe(true);
    expect(conditionHolds({ offHours: false, p: 0 }, ctx({ offHours: true }))).toBe(false);
  });

  it("when: a class alone decides p only up to the first condition that asks about the visit", () => {
    const m = {
      p: 0.1,
      when: [
        { classes: ["a"], p: 0.5 },
        { offHours: true, p: 0.4 },
        { classes: ["b"], p: 0.2 },
      ],
    };
    expect(classProbability(m, "a")).toBe(0.5);
    expect(classProbability(m, "b")).toBeNull();
    expect(classProbability({ p: 0.1, when: [{ offHours: true, classes: ["a"], p: 0.4 }] }, "b")).toBe(0.1);
    expect(classProbability({ p: 0.1 }, "b")).toBe(0.1);
  });

  it("when: p decided before the visit (class and known context) is the p of every visit that fits", () => {
    const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
    const condition = fc.record({
      offHours: maybe(fc.boolean()),
      loadAtLeast: maybe(fc.constantFrom(0, 0.5, 1)),
      waitedAtLeast: maybe(fc.constantFrom(0, 30)),
      classes: maybe(fc.subarray(["a", "b"])),
      p: fc.constantFrom(0.1, 0.2, 0.3, 0.4),
    });
    const known = fc.record({
      offHours: maybe(fc.boolean()),
      load: maybe(fc.constant(0)),
      waited: maybe(fc.constant(0)),
    });
    const visit = fc.record({
      offHours: fc.boolean(),
      load: fc.constantFrom(0, 0.5, 1, 2),
      waited: fc.constantFrom(0, 30, 90),
    });
    fc.assert(
      fc.property(
        fc.array(condition, { maxLength: 4 }),
        known,
        fc.constantFrom("a", "b"),
        fc.array(visit, { minLength: 1, maxLength: 8 }),
        (when, k, classId, visits) => {
          const m = { p: 0.05, when };
          const decided = classProbability(m, classId, k);
          if (decided === null) return;
          for (const v of visits) {
            // A visit as the known context says it must be.
            const ctx: VisitContext = {
              classId,
              offHours: k.offHours ?? v.offHours,
              load: k.load ?? v.load,
              waited: k.waited ?? v.waited,
            };
            expect(visitProbability(m, ctx).p).toBe(decided);
          }
        },
      ),
      { seed: 17, numRuns: 500 },
    );
  });
});

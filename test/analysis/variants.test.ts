// The exact figures of variants (a failure mode removed or halved, an element made perfect) from
// one factorisation per class and rank-one updates must be those of a whole new analysis of each
// variant, within 1e-12, on random models with loops, gotos, drops and certain failures; and the
// sparse solver behind both must solve what a dense one solves.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { analyze, classSystem } from "../../src/analysis/analytic.js";
import { analyzeOrNull } from "../../src/analysis/run.js";
import { components, solveDense } from "../../src/analysis/sparse.js";
import {
  changedModel,
  type ElementChange,
  perfectElementGains,
  variantDefectFree,
} from "../../src/analysis/variants.js";
import { recordOf } from "../../src/engine/records.js";
import type { MilestoneEvent, ModelSpec } from "../../src/model/spec.js";
import { arbSpec, buildSpec } from "../fixtures/specs.js";

/** Every mode of every element removed, halved and doubled (capped at 1), and every element perfect. */
function changesOf(spec: ModelSpec): ElementChange[] {
  const out: ElementChange[] = [];
  const elements = [
    ...spec.microsystems.map((m, at) => ({ kind: "microsystem" as const, at, failures: m.failures })),
    ...spec.handoffs.map((h, at) => ({ kind: "handoff" as const, at, failures: h.failures })),
  ];
  for (const el of elements) {
    if (el.failures.length > 0) out.push({ ...el, failures: [] });
    el.failures.forEach((_, k) => {
      for (const factor of [0, 0.5, 2])
        out.push({
          ...el,
          failures: el.failures.map((f, i) => (i === k ? { ...f, p: Math.min(1, f.p * factor) } : f)),
        });
    });
  }
  return out;
}

/**
 * Whether some probability is within a hair of 0 or 1 without being it. A loop whose only way out
 * has a probability of 1e-13 is "singular" to the whole analysis (its pivot threshold) and a
 * value of about 1e-13 to the update: both right to 1e-12, but one is null. Such models are left
 * out; exact zeros and ones (certain failures, removed ones) are kept.
 */
function nearlyCertain(spec: ModelSpec): boolean {
  const modes = [
    ...spec.microsystems.flatMap((m) => m.failures),
    ...spec.handoffs.flatMap((h) => h.failures),
  ];
  const hair = (x: number): boolean => (x > 0 && x < 1e-6) || (x < 1 && x > 1 - 1e-6);
  return modes.some((f) => hair(f.p) || hair(f.detect) || hair(2 * f.p) || hair(f.p / 2));
}

function checkVariants(spec: ModelSpec): void {
  fc.pre(!nearlyCertain(spec));
  if (analyzeOrNull(spec) === null) return;
  const changes = changesOf(spec);
  const fast = variantDefectFree(spec, changes);
  changes.forEach((change, i) => {
    const whole = analyzeOrNull(changedModel(spec, change))?.overall.defectFree ?? null;
    const got = fast[i] ?? null;
    if (whole === null || got === null) {
      expect(got, `change ${i}: ${JSON.stringify(change)}`).toBe(whole);
      return;
    }
    expect(Math.abs(got - whole), `change ${i}: ${got} vs ${whole}`).toBeLessThanOrEqual(1e-12);
  });
}

describe("variants from one factorisation equal a whole analysis of each variant", () => {
  it("on random acyclic models", () => {
    fc.assert(fc.property(arbSpec(), checkVariants), { numRuns: 200 });
  });

  it("on random models with loops", () => {
    fc.assert(fc.property(arbSpec({ cyclic: true, maxMicrosystems: 6 }), checkVariants), { numRuns: 300 });
  });

  it("with failures up to certainty (p = 1), where removing one makes new steps reachable", () => {
    fc.assert(fc.property(arbSpec({ cyclic: true, maxP: 1, maxMicrosystems: 5 }), checkVariants), {
      numRuns: 300,
    });
  });

  it("an element whose perfection closes a loop has no exact answer, and is left out of the levers", () => {
    // a ⇄ b, and the only way out is a drop at b: without it no journey ends.
    const spec = buildSpec({
      microsystems: [
        { id: "a", next: [{ to: "b" }] },
        { id: "b", failures: [{ id: "d", p: 0.1, drop: true }], next: [{ to: "a" }] },
      ],
    });
    expect(analyze(spec).overall.dropped).toBeCloseTo(1, 12);
    expect(variantDefectFree(spec, [{ kind: "microsystem", at: 1, failures: [] }])).toEqual([null]);
    expect(perfectElementGains(spec)).toEqual([]);
  });
});

describe("the sparse solver", () => {
  it("orders components after the components they lead to, and finds loops", () => {
    // 0 → 1 ⇄ 2 → 3, and 4 alone.
    const rows = [
      new Map([[1, 0.5]]),
      new Map([[2, 0.5]]),
      new Map([
        [1, 0.5],
        [3, 0.5],
      ]),
      new Map<number, number>(),
      new Map<number, number>(),
    ];
    const order = components(rows, [0, 1, 2, 3, 4]).map((c) => c.states);
    expect(order).toEqual([[3], [1, 2], [0], [4]]);
  });

  it("a chain of 50,000 states is ordered without recursion", () => {
    const n = 50_000;
    const rows = Array.from({ length: n }, (_, i) => new Map(i + 1 < n ? [[i + 1, 1]] : []));
    const order = components(
      rows,
      rows.map((_, i) => i),
    );
    expect(order).toHaveLength(n);
    expect(order[0]!.states).toEqual([n - 1]);
  });

  it("solveDense needs partial pivoting (zero on the diagonal) and solves exactly", () => {
    expect(
      solveDense(
        [
          [0, 1],
          [1, 0],
        ],
        [2, 3],
      ),
    ).toEqual([3, 2]);
  });
});

/** The model with its 30-day death drawn at `event` of microsystem `k` (issue 13), at `risk` for every class. */
function withDeathAt(spec: ModelSpec, k: number, event: MilestoneEvent, risk: number): ModelSpec {
  const m = spec.microsystems[k % spec.microsystems.length]!;
  return {
    ...spec,
    mortality: {
      base: recordOf(spec.classes.map((c) => [c.id, risk])),
      delays: [],
      decidedAt: { kind: "microsystem", id: m.id, event },
    },
  };
}

describe("a death at decided_at in the sparse chain (the states doubled by the draw)", () => {
  const arbDeath = fc.tuple(
    arbSpec({ cyclic: true, maxMicrosystems: 6 }),
    fc.nat(),
    fc.constantFrom<MilestoneEvent>("arrive", "start", "end"),
    fc.double({ min: 0, max: 1, noNaN: true }),
  );

  it("solves what a dense solve of the doubled chain gives, and every journey ends once", () => {
    fc.assert(
      fc.property(arbDeath, ([spec, k, event, risk]) => {
        const model = withDeathAt(spec, k, event, risk);
        const a = analyzeOrNull(model);
        if (a === null) return;
        expect(Math.abs(a.overall.completed + a.overall.dropped + a.overall.died - 1)).toBeLessThan(1e-9);
        for (const c of model.classes) {
          const { sc, states, start } = classSystem(model, c.id);
          const at = states.indexOf(start);
          const q = (i: number, j: number, of: "next" | "cleanNext"): number => sc.rows[i]![of].get(j) ?? 0;
          const clean = solveDense(
            states.map((i, r) => states.map((j, col) => (r === col ? 1 : 0) - q(i, j, "cleanNext"))),
            states.map((i) => sc.rows[i]!.cleanEnd),
          );
          const arrivals = solveDense(
            states.map((j, r) => states.map((i, col) => (r === col ? 1 : 0) - q(i, j, "next"))),
            states.map((i) => (i === start ? 1 : 0)),
          );
          const died = states.reduce((sum, s, r) => sum + arrivals[r]! * sc.died[s]!, 0);
          const got = a.byClass[c.id]!;
          expect(Math.abs(Math.min(1, Math.max(0, clean[at]!)) - got.defectFree)).toBeLessThanOrEqual(1e-12);
          expect(Math.abs(died - got.died)).toBeLessThanOrEqual(1e-12);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("with a risk of 0 gives every figure of the model without it", () => {
    fc.assert(
      fc.property(arbDeath, ([spec, k, event]) => {
        const plain = analyzeOrNull(spec);
        const drawn = analyzeOrNull(withDeathAt(spec, k, event, 0));
        if (plain === null || drawn === null) {
          expect(drawn === null).toBe(plain === null);
          return;
        }
        expect(drawn.overall.died).toBe(0);
        for (const key of ["defectFree", "dropped", "completed"] as const)
          expect(Math.abs(drawn.overall[key] - plain.overall[key])).toBeLessThanOrEqual(1e-12);
        for (const m of spec.microsystems)
          expect(Math.abs(drawn.overall.visits[m.id]! - plain.overall.visits[m.id]!)).toBeLessThanOrEqual(
            1e-12,
          );
      }),
      { numRuns: 200 },
    );
  });

  it("a loop through the drawing state: an element met before and after the draw (both rows change)", () => {
    // a → b ⇄ a, b → c; the death is drawn at b, so a is visited before the draw and after it.
    const spec = buildSpec({
      microsystems: [
        { id: "a", failures: [{ id: "fa", p: 0.2 }], next: [{ to: "b" }] },
        {
          id: "b",
          failures: [{ id: "fb", p: 0.1 }],
          next: [
            { to: "a", p: 0.5 },
            { to: "c", p: 0.5 },
          ],
        },
        { id: "c", failures: [{ id: "fc", p: 0.05 }] },
      ],
      handoffs: [{ from: "b", to: "a", failures: [{ id: "h", p: 0.1, detect: 0.5 }] }],
    });
    for (const event of ["arrive", "start", "end"] as const)
      for (const k of [0, 1, 2]) {
        const model = withDeathAt(spec, k, event, 0.3);
        const changes = changesOf(model);
        const fast = variantDefectFree(model, changes);
        changes.forEach((change, i) => {
          const whole = analyze(changedModel(model, change)).overall.defectFree;
          expect(Math.abs(fast[i]! - whole), `${event} at ${k}, change ${i}`).toBeLessThanOrEqual(1e-12);
        });
      }
  });

  it("its variants (two rows changed per element) are those of a whole analysis of each", () => {
    fc.assert(
      fc.property(arbDeath, ([spec, k, event, risk]) => {
        checkVariants(withDeathAt(spec, k, event, risk));
      }),
      { numRuns: 300 },
    );
  });

  it("its variants with failures up to certainty (p = 1) and certain deaths", () => {
    const certain = fc.tuple(
      arbSpec({ cyclic: true, maxP: 1, maxMicrosystems: 5 }),
      fc.nat(),
      fc.constantFrom<MilestoneEvent>("arrive", "start", "end"),
      fc.constantFrom(0, 0.3, 1),
    );
    fc.assert(
      fc.property(certain, ([spec, k, event, risk]) => {
        checkVariants(withDeathAt(spec, k, event, risk));
      }),
      { numRuns: 300 },
    );
  });
});

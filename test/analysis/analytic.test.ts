import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AnalysisError, analyze, mainPath } from "../../src/analysis/analytic.js";
import { solveDense as solveLinear } from "../../src/analysis/sparse.js";
import { perfectElementGains } from "../../src/analysis/variants.js";
import { type FailureMode, handoffKey, type ModelSpec } from "../../src/model/spec.js";
import { arbSpec, buildSpec, chainSpec } from "../fixtures/specs.js";

// ---------------------------------------------------------------------------------------------
// Brute force: follow every journey, branching on each failure mode's outcome (defect or not) and
// on each route, exactly as docs/semantics.md words it. Independent of src/analysis/markov.ts.

interface Tally {
  defectFree: number;
  dropped: number;
  completed: number;
  visits: Map<string, number>;
  transfers: Map<string, number>;
}

const applies = (f: FailureMode, c: string): boolean => f.classes === null || f.classes.includes(c);

/** Every combination of outcomes of the modes: which of them are defects, and its probability. */
function outcomes(modes: FailureMode[]): { defects: FailureMode[]; prob: number }[] {
  let combos: { defects: FailureMode[]; prob: number }[] = [{ defects: [], prob: 1 }];
  for (const f of modes) {
    // No defect = the failure does not occur, or it occurs and is caught.
    const clean = 1 - f.p + f.p * f.detect;
    combos = combos.flatMap((c) => [
      { defects: c.defects, prob: c.prob * clean },
      { defects: [...c.defects, f], prob: c.prob * (1 - clean) },
    ]);
  }
  return combos.filter((c) => c.prob > 0);
}

function enumerate(spec: ModelSpec, classId: string): Tally {
  const t: Tally = { defectFree: 0, dropped: 0, completed: 0, visits: new Map(), transfers: new Map() };
  const add = (m: Map<string, number>, k: string, v: number): void => {
    m.set(k, (m.get(k) ?? 0) + v);
  };
  const micro = new Map(spec.microsystems.map((m) => [m.id, m]));
  const handoff = new Map(spec.handoffs.map((h) => [handoffKey(h.from, h.to), h]));
  const visit = (id: string, prob: number, clean: boolean): void => {
    const m = micro.get(id)!;
    add(t.visits, id, prob);
    for (const o of outcomes(m.failures.filter((f) => applies(f, classId)))) {
      const p = prob * o.prob;
      const ok = clean && o.defects.length === 0;
      if (o.defects.some((f) => f.drop)) {
        t.dropped += p;
        continue;
      }
      const go = o.defects.find((f) => f.goto !== null);
      if (go) {
        transfer(id, go.goto!, p, ok);
        continue;
      }
      const reserved = m.next.filter((r) => r.classes?.includes(classId));
      const routes = reserved.length > 0 ? reserved : m.next.filter((r) => r.classes === null);
      if (routes.length === 0) {
        t.completed += p;
        if (ok) t.defectFree += p;
      }
      for (const r of routes) transfer(id, r.to, p * (r.p ?? 1), ok);
    }
  };
  const transfer = (from: string, to: string, prob: number, clean: boolean): void => {
    add(t.transfers, handoffKey(from, to), prob);
    const h = handoff.get(handoffKey(from, to))!;
    for (const o of outcomes(h.failures.filter((f) => applies(f, classId)))) {
      const p = prob * o.prob;
      if (o.defects.some((f) => f.drop)) {
        t.dropped += p;
        continue;
      }
      const go = o.defects.find((f) => f.goto !== null);
      visit(go ? go.goto! : to, p, clean && o.defects.length === 0);
    }
  };
  visit(spec.classes.find((c) => c.id === classId)!.start, 1, true);
  return t;
}

function expectClose(actual: number, expected: number, what: string): void {
  if (Math.abs(actual - expected) > 1e-12) {
    throw new Error(`${what}: analytic ${actual} vs brute force ${expected}`);
  }
}

function checkAgainstBruteForce(spec: ModelSpec): void {
  const a = analyze(spec);
  const overall = { defectFree: 0, dropped: 0, visits: new Map<string, number>() };
  for (const c of spec.classes) {
    const t = enumerate(spec, c.id);
    const got = a.byClass[c.id]!;
    expectClose(got.defectFree, t.defectFree, `${c.id} defect-free`);
    expectClose(got.dropped, t.dropped, `${c.id} dropped`);
    expectClose(got.completed, t.completed, `${c.id} completed`);
    for (const m of spec.microsystems)
      expectClose(got.visits[m.id]!, t.visits.get(m.id) ?? 0, `${c.id} visits ${m.id}`);
    for (const h of spec.handoffs) {
      const k = handoffKey(h.from, h.to);
      expectClose(got.transfers[k]!, t.transfers.get(k) ?? 0, `${c.id} transfers ${k}`);
    }
    overall.defectFree += c.share * t.defectFree;
    overall.dropped += c.share * t.dropped;
    for (const m of spec.microsystems) {
      overall.visits.set(m.id, (overall.visits.get(m.id) ?? 0) + c.share * (t.visits.get(m.id) ?? 0));
    }
  }
  expectClose(a.overall.defectFree, overall.defectFree, "overall defect-free");
  expectClose(a.overall.dropped, overall.dropped, "overall dropped");
  for (const m of spec.microsystems)
    expectClose(a.overall.visits[m.id]!, overall.visits.get(m.id)!, `visits ${m.id}`);
}

describe("analyze agrees with brute-force path enumeration", () => {
  it("on random acyclic scenarios (branches, class routes, detection, drop, goto)", () => {
    fc.assert(
      fc.property(arbSpec(), (spec) => {
        checkAgainstBruteForce(spec);
      }),
      { numRuns: 300 },
    );
  });

  it("with failures up to certainty (p = 1)", () => {
    fc.assert(
      fc.property(arbSpec({ maxP: 1, maxMicrosystems: 4 }), (spec) => {
        checkAgainstBruteForce(spec);
      }),
      { numRuns: 150 },
    );
  });

  it("gives each element's reliability as the product of (1 − p·(1 − detect)) over the class's modes", () => {
    fc.assert(
      fc.property(arbSpec(), (spec) => {
        const a = analyze(spec);
        for (const c of spec.classes) {
          for (const m of spec.microsystems) {
            const expected = m.failures
              .filter((f) => applies(f, c.id))
              .reduce((r, f) => r * (1 - f.p + f.p * f.detect), 1);
            expectClose(a.byClass[c.id]!.reliability.microsystems[m.id]!, expected, `${c.id} ${m.id}`);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe("analyze on random scenarios with loops", () => {
  it("ends every journey (completed + dropped = 1) and never makes defect-free exceed completed", () => {
    fc.assert(
      fc.property(arbSpec({ cyclic: true }), (spec) => {
        const a = analyze(spec);
        for (const c of Object.values(a.byClass)) {
          expectClose(c.completed + c.dropped, 1, `${c.classId} absorption`);
          expect(c.defectFree).toBeLessThanOrEqual(c.completed + 1e-12);
          expect(c.defectFree).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe("hand-checked cases", () => {
  it("seven steps at 95% give 0.95^7 = 0.6983…", () => {
    const a = analyze(chainSpec([0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]));
    expect(a.overall.defectFree).toBeCloseTo(0.6983372960937497, 14);
    expect(a.overall.visits.s4).toBeCloseTo(1, 14);
    expect(a.overall.completed).toBeCloseTo(1, 14);
  });

  it("seven steps at 95% and six handoffs at 90% give 0.95^7 · 0.9^6 = 0.3711…", () => {
    const a = analyze(chainSpec([0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95], 0.9));
    expect(a.overall.defectFree).toBeCloseTo(0.95 ** 7 * 0.9 ** 6, 14);
    expect(a.overall.defectFree).toBeCloseTo(0.371125, 6);
    expect(a.overall.reliability.handoffs["s1->s2"]).toBeCloseTo(0.9, 14);
  });

  it("a 20% failure caught half the time is a 10% defect: reliability 0.9", () => {
    const spec = buildSpec({ microsystems: [{ id: "ward", failures: [{ p: 0.2, detect: 0.5 }] }] });
    const a = analyze(spec);
    expect(a.overall.defectFree).toBeCloseTo(0.9, 15);
    expect(a.overall.reliability.microsystems.ward).toBeCloseTo(0.9, 15);
  });

  it("a readmission loop sums the geometric series in closed form", () => {
    // hospital (s_a) → home (s_b) → readmitted with probability r, else recovered.
    // x = s_a·s_b·(1 − r) / (1 − r·s_a·s_b); visits to hospital = 1 / (1 − r).
    const [sa, sb, r] = [0.95, 0.9, 0.2];
    const spec = buildSpec({
      microsystems: [
        { id: "hospital", failures: [{ p: 1 - sa }] },
        {
          id: "home",
          failures: [{ p: 1 - sb }],
          next: [
            { to: "hospital", p: r },
            { to: "recovered", p: 1 - r },
          ],
        },
        { id: "recovered" },
      ],
    });
    const a = analyze(spec);
    expect(a.overall.defectFree).toBeCloseTo((sa * sb * (1 - r)) / (1 - r * sa * sb), 14);
    expect(a.overall.visits.hospital).toBeCloseTo(1 / (1 - r), 14);
    expect(a.overall.transfers["home->hospital"]).toBeCloseTo(r / (1 - r), 14);
    expect(a.byClass.all!.defectFreeFrom.home).toBeCloseTo(
      sb * (1 - r + (r * sa * sb * (1 - r)) / (1 - r * sa * sb)),
      14,
    );
  });

  it("a goto back on a defect loops until the step succeeds", () => {
    // Surgery fails 30% and sends the patient back to itself: visits = 1/0.7, never defect-free
    // after a failure, so defect-free = 0.7.
    const spec = buildSpec({
      microsystems: [{ id: "surgery", failures: [{ p: 0.3, goto: "surgery" }], next: [] }],
    });
    const a = analyze(spec);
    expect(a.overall.visits.surgery).toBeCloseTo(1 / 0.7, 14);
    expect(a.overall.defectFree).toBeCloseTo(0.7, 14);
    expect(a.overall.transfers["surgery->surgery"]).toBeCloseTo(0.3 / 0.7, 14);
  });

  it("drop wins over goto, and a handoff goto lands at its target without a second transfer", () => {
    const spec = buildSpec({
      microsystems: [
        {
          id: "ed",
          failures: [
            { id: "both", p: 0.1, drop: true, goto: "icu" },
            { id: "detour", p: 0.2, goto: "icu" },
          ],
        },
        { id: "ward" },
        { id: "icu", next: [] },
      ],
      handoffs: [{ from: "ed", to: "ward", failures: [{ p: 0.5, goto: "icu" }] }],
    });
    const a = analyze(spec);
    expect(a.overall.dropped).toBeCloseTo(0.1, 15);
    expect(a.overall.transfers["ed->icu"]).toBeCloseTo(0.9 * 0.2, 15);
    expect(a.overall.transfers["ed->ward"]).toBeCloseTo(0.9 * 0.8, 15);
    expect(a.overall.visits.ward).toBeCloseTo(0.9 * 0.8 * 0.5, 15);
    expect(a.overall.transfers["ward->icu"]).toBeCloseTo(0.9 * 0.8 * 0.5, 15);
    expect(a.overall.visits.icu).toBeCloseTo(0.9 * 0.2 + 0.9 * 0.8, 15);
    expect(a.overall.defectFree).toBeCloseTo(0.9 * 0.8 * 0.5, 15);
  });

  it("weighs classes by share and uses class-specific routes and modes", () => {
    const spec = buildSpec({
      classes: [
        { id: "stemi", share: 0.25 },
        { id: "other", share: 0.75 },
      ],
      microsystems: [
        {
          id: "ed",
          failures: [{ p: 0.2, classes: ["stemi"] }],
          next: [
            { to: "cath", classes: ["stemi"] },
            { to: "ward", p: 1 },
          ],
        },
        { id: "cath", failures: [{ p: 0.1 }], next: [] },
        { id: "ward", failures: [{ p: 0.4 }], next: [] },
      ],
    });
    const a = analyze(spec);
    expect(a.byClass.stemi!.defectFree).toBeCloseTo(0.8 * 0.9, 15);
    expect(a.byClass.other!.defectFree).toBeCloseTo(0.6, 15);
    expect(a.overall.defectFree).toBeCloseTo(0.25 * 0.72 + 0.75 * 0.6, 15);
    expect(a.overall.visits.cath).toBeCloseTo(0.25, 15);
    // Overall element reliability weighs each class by its visits there: 0.25·0.8 + 0.75·1.
    expect(a.overall.reliability.microsystems.ed).toBeCloseTo(0.95, 15);
  });

  it("refuses a journey that can never end", () => {
    const spec = buildSpec({
      microsystems: [{ id: "a", failures: [{ p: 1, goto: "a" }], next: [] }],
    });
    expect(() => analyze(spec)).toThrow(AnalysisError);
  });

  it("ignores an unreachable closed loop", () => {
    const spec = buildSpec({
      microsystems: [
        { id: "a", failures: [{ p: 0.1 }], next: [] },
        { id: "b", next: [{ to: "b" }] },
      ],
    });
    expect(analyze(spec).overall.defectFree).toBeCloseTo(0.9, 15);
    expect(analyze(spec).overall.visits.b).toBe(0);
  });
});

describe("mainPath", () => {
  it("gives the cumulative defect-free share after each step of a chain", () => {
    const path = mainPath(chainSpec([0.95, 0.95, 0.95], 0.9));
    expect(path.map((s) => s.element)).toEqual(["s1", "s1->s2", "s2", "s2->s3", "s3"]);
    expect(path.map((s) => s.kind)).toEqual([
      "microsystem",
      "handoff",
      "microsystem",
      "handoff",
      "microsystem",
    ]);
    expect(path.at(-1)!.cumulative).toBeCloseTo(0.95 ** 3 * 0.9 ** 2, 15);
    expect(path[1]!.cumulative).toBeCloseTo(0.95 * 0.9, 15);
  });

  it("follows the most likely route of the class and stops before a repeat", () => {
    const spec = buildSpec({
      classes: [
        { id: "a", share: 0.4 },
        { id: "b", share: 0.6 },
      ],
      microsystems: [
        {
          id: "ed",
          next: [
            { to: "ccu", p: 0.3 },
            { to: "tele", p: 0.7 },
            { to: "cath", classes: ["a"] },
          ],
        },
        { id: "ccu", next: [] },
        {
          id: "tele",
          next: [
            { to: "ed", p: 0.6 },
            { to: "ccu", p: 0.4 },
          ],
        },
        { id: "cath", next: [] },
      ],
    });
    expect(mainPath(spec, "a").map((s) => s.element)).toEqual(["ed", "ed->cath", "cath"]);
    // Without a class: the largest class (b); tele → ed (0.6) returns to the start, so it stops.
    expect(mainPath(spec).map((s) => s.element)).toEqual(["ed", "ed->tele", "tele"]);
  });
});

describe("perfectElementGains", () => {
  it("ranks the element whose repair gains the most first, with exact gains", () => {
    const spec = chainSpec([0.9, 0.6, 0.95]);
    const levers = perfectElementGains(spec);
    expect(levers.map((l) => l.element)).toEqual(["s2", "s1", "s3"]);
    expect(levers[0]!.defectFreeIfPerfect).toBeCloseTo(0.9 * 0.95, 15);
    expect(levers[0]!.gain).toBeCloseTo(0.9 * 0.95 - 0.9 * 0.6 * 0.95, 15);
  });
});

describe("solveLinear", () => {
  it("needs partial pivoting (zero on the diagonal) and solves exactly", () => {
    expect(
      solveLinear(
        [
          [0, 1],
          [1, 0],
        ],
        [2, 3],
      ),
    ).toEqual([3, 2]);
  });

  it("matches A·x = b on random well-conditioned systems", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }).chain((n) =>
          fc.tuple(
            fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }), {
              minLength: n,
              maxLength: n,
            }),
            fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: n, maxLength: n }),
          ),
        ),
        ([rows, b]) => {
          // Diagonal dominance keeps the system well conditioned.
          const a = rows.map((r, i) => r.map((v, j) => (i === j ? v + 2 * r.length : v)));
          const x = solveLinear(a, b);
          a.forEach((row, i) => {
            expectClose(
              row.reduce((s, v, j) => s + v * x[j]!, 0),
              b[i]!,
              `row ${i}`,
            );
          });
        },
      ),
    );
  });
});

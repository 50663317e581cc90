// Failures that depend on context and outcomes that behave like patients (issue 13), against exact
// answers: a death at a milestone, several time-to-treatment terms, `unless`, `off_hours` over a
// uniform week and `load_at_least` on an M/M/c queue (Erlang C). As in agreement.test.ts, every
// simulated figure must lie within z = 4.5 standard errors of the exact one, over a fixed set of
// seeds, so the suite is deterministic and fails by chance with probability ≈ 1e-5 per check.
import { describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analytic.js";
import { exact } from "../../src/analysis/exact.js";
import { runModel } from "../../src/analysis/run.js";
import { MINUTES_PER_WEEK } from "../../src/model/calendar.js";
import type { JourneyEvent, JourneyMonitor } from "../../src/model/events.js";
import type { FailureMode, Milestone, ModeCondition, ModelSpec, StaffedHours } from "../../src/model/spec.js";
import { buildSpec, fixed } from "../fixtures/specs.js";
import { erlangC } from "../queueing/formulas.js";

const Z = 4.5;
const SEEDS = [1, 2, 3];

/** |estimate − exact| ≤ Z·sd (a small slack for rounding). */
function expectWithin(label: string, estimate: number, exactValue: number, sd: number): void {
  // SHOW_FIGURES=1 npx vitest run test/model/context.test.ts prints every comparison (for reports).
  if (process.env.SHOW_FIGURES) console.log(`${label}: simulated ${estimate}, exact ${exactValue}, sd ${sd}`);
  expect(
    Math.abs(estimate - exactValue),
    `${label}: ${estimate} vs exact ${exactValue} (sd ${sd})`,
  ).toBeLessThanOrEqual(Z * sd + 1e-12);
}

const shareSd = (p: number, n: number): number => Math.sqrt((p * (1 - p)) / Math.max(n, 1));

const at = (id: string, event: "arrive" | "start" | "end"): Milestone => ({ kind: "microsystem", id, event });

function mode(spec: ModelSpec, element: string, id: string): FailureMode {
  const el = [
    ...spec.microsystems.map((m) => ({ key: m.id, f: m.failures })),
    ...spec.handoffs.map((h) => ({ key: `${h.from}->${h.to}`, f: h.failures })),
  ].find((e) => e.key === element)!;
  return el.f.find((f) => f.id === id)!;
}

// ---------------------------------------------------------------------------------------------

/** a → b → (c 80% | a 20%) → d, two classes with different base risks; no harm, no delay term. */
function deathSpec(event: "arrive" | "start" | "end" | null): ModelSpec {
  const spec = buildSpec({
    classes: [
      { id: "k1", share: 0.4 },
      { id: "k2", share: 0.6 },
    ],
    microsystems: [
      { id: "a", failures: [{ id: "x", p: 0.1 }] },
      {
        id: "b",
        failures: [{ id: "y", p: 0.15, drop: true }],
        next: [
          { to: "c", p: 0.8 },
          { to: "a", p: 0.2 },
        ],
      },
      { id: "c", failures: [{ id: "z", p: 0.2, goto: "d" }], next: [{ to: "d" }] },
      { id: "d", failures: [{ id: "w", p: 0.05 }], next: [] },
    ],
    handoffDefaults: { failures: [{ id: "h", p: 0.03 }] },
  });
  return {
    ...spec,
    mortality: { base: { k1: 0.1, k2: 0.25 }, delays: [], decidedAt: event === null ? null : at("b", event) },
  };
}

describe("a death at decided_at with a risk fixed per class (an exit of the exact chain)", () => {
  const without = analyze(deathSpec(null));

  it.each(["arrive", "start", "end"] as const)(
    "b.%s: removes exactly its share of the later visits, and the simulation agrees",
    (event) => {
      const spec = deathSpec(event);
      const a = analyze(spec);
      for (const c of ["k1", "k2"]) {
        const base = spec.mortality!.base[c]!;
        const before = without.byClass[c]!;
        const after = a.byClass[c]!;
        // Every visit after the first arrival at b happens to a survivor: ×(1 − base) exactly.
        for (const id of ["c", "d"])
          expect(after.visits[id]).toBeCloseTo(before.visits[id]! * (1 - base), 12);
        // b itself (every journey reaches it once): a death at arrival or start gives no care there,
        // so all of b's visits scale; at the end the first visit happened, the later ones scale.
        if (event === "end") expect(after.visits.b).toBeCloseTo(1 + (before.visits.b! - 1) * (1 - base), 12);
        else expect(after.visits.b).toBeCloseTo(before.visits.b! * (1 - base), 12);
        expect(after.died).toBeCloseTo(base, 12);
        // Death is an exit: the shares of the ways out add up to 1.
        expect(after.died + after.dropped + after.completed).toBeCloseTo(1, 12);
      }
      expect(exact(spec).note).toBeNull();
      for (const seed of SEEDS) {
        const s = runModel(spec, { patients: 20_000, seed });
        expectWithin(
          "reliability",
          s.reliability.estimate,
          a.overall.defectFree,
          shareSd(a.overall.defectFree, s.patients),
        );
        expect(s.reliability.analytic).toBe(a.overall.defectFree);
        expect(s.outcomes.died_share!.estimate).toBe(s.outcomes.died / s.patients);
        expectWithin(
          "died",
          s.outcomes.died / s.patients,
          a.overall.died,
          shareSd(a.overall.died, s.patients),
        );
        expectWithin(
          "dropped",
          s.outcomes.dropped / s.patients,
          a.overall.dropped,
          shareSd(a.overall.dropped, s.patients),
        );
        for (const m of s.microsystems) {
          const v = a.overall.visits[m.id]!;
          expectWithin(
            `visits[${m.id}]`,
            m.visits / s.patients,
            v,
            Math.sqrt((v * (1 + v) * 4) / s.patients),
          );
        }
        for (const h of s.handoffs) {
          const v = a.overall.transfers[`${h.from}->${h.to}`]!;
          expectWithin(
            `transfers[${h.from}->${h.to}]`,
            h.transfers / s.patients,
            v,
            Math.sqrt((v * (1 + v) * 4) / s.patients),
          );
        }
        // The sampled deaths are the died journeys plus the deaths drawn at the end of journeys
        // that never reached b (none here: every journey reaches b).
        expect(s.outcomes.died).toBe(
          Math.round((s.outcomes.mortality_per_1000!.sampled * s.patients) / 1000),
        );
      }
    },
  );

  it("has no exact answer when the risk at the milestone varies: a harm before it, or a delay term", () => {
    const harmed = deathSpec("start");
    mode(harmed, "a", "x").harm = 2;
    expect(exact(harmed).reliability).toBeNull();
    expect(exact(harmed).note).toContain('"x"');
    expect(exact(harmed).cascade).toEqual([]);
    // A harm only after the milestone keeps it exact.
    const later = deathSpec("start");
    mode(later, "c", "z").harm = 2;
    expect(exact(later).note).toBeNull();
    const timed = deathSpec("end");
    timed.mortality!.delays = [
      { from: { kind: "journey.start" }, to: at("b", "start"), reference: 0, rrPer30Min: 1.1 },
    ];
    expect(exact(timed).note).toContain("time-to-treatment");
    const s = runModel(timed, { patients: 2000 });
    expect(s.reliability.analytic).toBeNull();
    expect(s.reliability.analytic_note).toContain("time-to-treatment");
  });
});

// ---------------------------------------------------------------------------------------------

describe("time-to-treatment terms", () => {
  /** Fixed times: a 30 min, transfer 5 min, b 60 min, c never visited. */
  function timed(decidedAt: Milestone | null): ModelSpec {
    const spec = buildSpec({
      microsystems: [
        { id: "a", time: fixed(30) },
        { id: "b", time: fixed(60), next: [] },
        { id: "c", time: fixed(10), next: [] },
      ],
      handoffDefaults: { time: fixed(5) },
    });
    return {
      ...spec,
      mortality: {
        base: { all: 0.05 },
        delays: [
          { from: { kind: "journey.start" }, to: at("a", "end"), reference: 10, rrPer30Min: 1.2 },
          { from: at("a", "end"), to: at("b", "end"), reference: 0, rrPer30Min: 1.1 },
          // Never reached (c is never visited): a factor of 1.
          { from: at("a", "end"), to: at("c", "start"), reference: 0, rrPer30Min: 3 },
        ],
        decidedAt,
      },
    };
  }

  /** Every journey's risk, from the finish events. */
  function risks(spec: ModelSpec): number[] {
    const out: number[] = [];
    const monitor: JourneyMonitor = {
      event(_p, e: JourneyEvent) {
        if (e.kind === "finish") out.push(e.risk);
      },
    };
    runModel(spec, { patients: 500, monitor });
    return out;
  }

  it("two terms on fixed times give the product of their factors, for every patient", () => {
    const expected = 0.05 * 1.2 ** ((30 - 10) / 30) * 1.1 ** ((5 + 60 - 0) / 30);
    const all = risks(timed(null));
    expect(all).toHaveLength(500);
    for (const r of all) expect(r / expected).toBeCloseTo(1, 13);
    const s = runModel(timed(null), { patients: 500 });
    expect(s.outcomes.mortality_per_1000!.expected / (1000 * expected)).toBeCloseTo(1, 12);
  });

  it("a term whose second milestone comes after decided_at contributes 1", () => {
    const expected = 0.05 * 1.2 ** ((30 - 10) / 30);
    for (const r of risks(timed(at("b", "start")))) expect(r / expected).toBeCloseTo(1, 13);
  });
});

// ---------------------------------------------------------------------------------------------

describe("unless", () => {
  /** A: p .3 caught 20%; B: p .5, unless A, goto c; C: p .2, unless A and B, drops. */
  function spec(): ModelSpec {
    const s = buildSpec({
      microsystems: [
        {
          id: "a",
          failures: [
            { id: "A", p: 0.3, detect: 0.2 },
            { id: "B", p: 0.5, goto: "c" },
            { id: "C", p: 0.2, drop: true },
          ],
        },
        { id: "b", failures: [{ id: "D", p: 0.1 }] },
        { id: "c", next: [] },
      ],
    });
    mode(s, "a", "B").unless = ["A"];
    mode(s, "a", "C").unless = ["A", "B"];
    return s;
  }
  const qA = 0.3 * 0.8;

  it("gives the conditional occurrence counts and the product-rule reliability", () => {
    const model = spec();
    const a = analyze(model);
    // The product rule: a defect-free visit drew every mode.
    expect(a.overall.reliability.microsystems.a).toBeCloseTo((1 - qA) * (1 - 0.5) * (1 - 0.2), 15);
    // drop = C's defect (needs A and B clean); goto c = B's (needs A clean).
    const drop = (1 - qA) * (1 - 0.5) * 0.2;
    const toC = (1 - qA) * 0.5;
    expect(a.overall.dropped).toBeCloseTo(drop, 15);
    expect(a.overall.visits.b).toBeCloseTo(1 - drop - toC, 15);
    const defectFree = (1 - qA) * 0.5 * 0.8 * 0.9;
    expect(a.overall.defectFree).toBeCloseTo(defectFree, 15);
    // The exact expected cost counts only the draws `unless` lets happen.
    mode(model, "a", "B").cost = 100;
    mode(model, "a", "A").caughtCost = 10;
    const cost = (1 - qA) * 0.5 * 100 + 0.3 * 0.2 * 10;
    for (const seed of SEEDS) {
      const s = runModel(model, { patients: 20_000, seed });
      const n = s.patients;
      expect(s.costs!.per_patient.analytic).toBeCloseTo(cost, 12);
      const sdCost = Math.sqrt(((1 - qA) * 0.5 * (1 - (1 - qA) * 0.5) * 100 ** 2 + 0.06 * 0.94 * 100) / n);
      expectWithin("cost per patient", s.costs!.per_patient.mean, cost, sdCost);
      const occurrences = s.microsystems[0]!.failures;
      expectWithin("A", occurrences.A! / n, 0.3, shareSd(0.3, n));
      expectWithin(
        "B (only without a defect of A)",
        occurrences.B! / n,
        (1 - qA) * 0.5,
        shareSd((1 - qA) * 0.5, n),
      );
      const pC = (1 - qA) * 0.5 * 0.2;
      expectWithin("C (only without a defect of A or B)", occurrences.C! / n, pC, shareSd(pC, n));
      expectWithin("reliability", s.reliability.estimate, defectFree, shareSd(defectFree, n));
      expectWithin("dropped", s.outcomes.dropped / n, drop, shareSd(drop, n));
    }
  });
});

// ---------------------------------------------------------------------------------------------

describe("off_hours over journeys that start uniformly over the week", () => {
  const weekdays: StaffedHours = { open: 8 * 60, close: 16 * 60, days: [0, 1, 2, 3, 4] };
  const nights: StaffedHours = { open: 20 * 60, close: 6 * 60, days: [0, 1, 2, 3, 4, 5, 6] };
  /** The share of the week inside the hours, by counting minutes. */
  const staffedShare = (h: StaffedHours): number => {
    const perDay = (h.close > h.open ? h.close - h.open : 1440 - h.open + h.close) / 1440;
    return (perDay * h.days.length) / 7;
  };

  it("gives the weighted average of the on- and off-hours p, at a microsystem and at a handoff with its own hours", () => {
    const model = buildSpec({
      microsystems: [
        { id: "a", time: fixed(60), failures: [{ id: "x", p: 0.1 }] },
        { id: "b", next: [] },
      ],
      handoffs: [{ from: "a", to: "b", failures: [{ id: "y", p: 0.05 }] }],
    });
    model.microsystems[0]!.hours = weekdays;
    mode(model, "a", "x").when = [
      { offHours: true, loadAtLeast: null, waitedAtLeast: null, classes: null, p: 0.4 },
    ];
    model.handoffs[0]!.hours = nights;
    mode(model, "a->b", "y").when = [
      { offHours: false, loadAtLeast: null, waitedAtLeast: null, classes: null, p: 0.25 },
    ];
    const on = staffedShare(weekdays);
    expect(on).toBeCloseTo(40 / 168, 15);
    const px = on * 0.1 + (1 - on) * 0.4;
    // The handoff starts 60 min after a uniform start: still uniform over the week.
    const onNight = staffedShare(nights);
    const py = onNight * 0.25 + (1 - onNight) * 0.05;
    expect(exact(model).reliability).toBeNull();
    expect(exact(model).note).toContain("outside staffed hours");
    for (const seed of SEEDS) {
      const s = runModel(model, { patients: 40_000, seed });
      expect(s.microsystems[0]!.visits).toBe(s.patients);
      expectWithin("x", s.microsystems[0]!.failures.x! / s.patients, px, shareSd(px, s.patients));
      expectWithin("y", s.handoffs[0]!.failures.y! / s.patients, py, shareSd(py, s.patients));
    }
    expect(MINUTES_PER_WEEK).toBe(7 * 1440);
  });
});

describe("conditions every visit answers the same way", () => {
  const cond = (c: Partial<ModeCondition> & { p: number }): ModeCondition => ({
    offHours: null,
    loadAtLeast: null,
    waitedAtLeast: null,
    classes: null,
    ...c,
  });

  it("no staffed hours, no arrivals: off_hours, load and wait are known, so the chain stays exact", () => {
    const model = buildSpec({
      microsystems: [
        {
          id: "a",
          time: fixed(60),
          failures: [
            { id: "x", p: 0.1 },
            { id: "y", p: 0.05 },
          ],
        },
        { id: "b", next: [] },
      ],
      handoffs: [{ from: "a", to: "b", failures: [{ id: "z", p: 0.02 }] }],
    });
    // Never off-hours (no hours), load and wait 0 (no arrivals): x keeps its own p...
    mode(model, "a", "x").when = [
      cond({ offHours: true, p: 0.9 }),
      cond({ loadAtLeast: 0.5, p: 0.8 }),
      cond({ waitedAtLeast: 60, p: 0.7 }),
    ];
    // ...and y's first condition always holds: p = 0.2; so does the handoff's (the sending a's hours).
    mode(model, "a", "y").when = [cond({ offHours: false, p: 0.2 })];
    mode(model, "a->b", "z").when = [cond({ offHours: false, loadAtLeast: 0, p: 0.3 })];
    const defectFree = 0.9 * 0.8 * 0.7;
    const e = exact(model);
    expect(e.note).toBeNull();
    expect(e.reliability).toBeCloseTo(defectFree, 15);
    for (const seed of SEEDS) {
      const s = runModel(model, { patients: 20_000, seed });
      expect(s.reliability.analytic).toBeCloseTo(defectFree, 15);
      expectWithin("reliability", s.reliability.estimate, defectFree, shareSd(defectFree, s.patients));
      expectWithin("x", s.microsystems[0]!.failures.x! / s.patients, 0.1, shareSd(0.1, s.patients));
      expectWithin("y", s.microsystems[0]!.failures.y! / s.patients, 0.2, shareSd(0.2, s.patients));
      expectWithin("z", s.handoffs[0]!.failures.z! / s.patients, 0.3, shareSd(0.3, s.patients));
    }
    // Hours around the clock ("00:00" to "24:00" every day) are as good as none.
    const allWeek = structuredClone(model);
    allWeek.microsystems[0]!.hours = { open: 0, close: 1440, days: [0, 1, 2, 3, 4, 5, 6] };
    expect(exact(allWeek).reliability).toBeCloseTo(defectFree, 15);
    // Staffed hours at a, or a handoff with hours of its own: the moment decides, no exact figure.
    const staffed = structuredClone(model);
    staffed.handoffs[0]!.hours = { open: 8 * 60, close: 16 * 60, days: [0, 1, 2, 3, 4] };
    expect(exact(staffed).reliability).toBeNull();
    expect(exact(staffed).note).toContain("outside staffed hours");
  });
});

// ---------------------------------------------------------------------------------------------

describe("load_at_least on an M/M/c queue", () => {
  /** Poisson arrivals, exponential service, c places: a = λ/μ. */
  function queue(c: number, a: number, mean: number): ModelSpec {
    const perDay = (a / mean) * 1440;
    const model = buildSpec({
      microsystems: [
        {
          id: "q",
          time: { kind: "exponential", mean },
          capacity: c,
          failures: [
            { id: "full", p: 0 },
            { id: "waited", p: 0 },
          ],
          next: [],
        },
      ],
    });
    mode(model, "q", "full").when = [
      { offHours: null, loadAtLeast: 1, waitedAtLeast: null, classes: null, p: 1 },
    ];
    mode(model, "q", "waited").when = [
      { offHours: null, loadAtLeast: null, waitedAtLeast: 1e-9, classes: null, p: 1 },
    ];
    return {
      ...model,
      arrivals: { perDay, byHour: null, warmup: 3 * 1440 },
      replications: 20,
      patients: 100_000,
    };
  }

  /** The share of each replication's counted arrivals for which a mode occurred. */
  function perReplication(spec: ModelSpec, modeId: string): number[] {
    const counts = new Map<number, { n: number; k: number }>();
    const monitor: JourneyMonitor = {
      event(p, e) {
        if (!p.counted) return;
        const r = counts.get(p.replication) ?? { n: 0, k: 0 };
        counts.set(p.replication, r);
        if (e.kind === "arrive") r.n++;
        if (e.kind === "defect" && e.mode === modeId) r.k++;
      },
    };
    runModel(spec, { monitor });
    return [...counts.values()].map((r) => r.k / r.n);
  }

  it.each([
    [2, 1],
    [3, 2.4],
  ])(
    "c = %i, a = %f: the share of arrivals finding load ≥ 1 (and the share who wait) is Erlang C",
    (c, a) => {
      const spec = queue(c, a, 30);
      expect(exact(spec).note).toContain("how busy");
      const expected = erlangC(c, a);
      for (const id of ["full", "waited"]) {
        const shares = perReplication(spec, id);
        expect(shares).toHaveLength(20);
        const m = shares.reduce((x, y) => x + y, 0) / shares.length;
        const sd = Math.sqrt(
          shares.reduce((x, y) => x + (y - m) ** 2, 0) / (shares.length - 1) / shares.length,
        );
        expectWithin(`${id} (Erlang C ${expected})`, m, expected, sd);
      }
    },
  );

  it("counts other patients' places and queue (background): Erlang C of the total offered load", () => {
    // c = 2; the pathway offers 0.6 erlangs and other patients 0.6 more, same exponential service:
    // by PASTA a pathway arrival finds load ≥ 1 (every place taken) with probability C(2, 1.2).
    const spec = queue(2, 0.6, 30);
    spec.microsystems[0]!.background = {
      perDay: (0.6 / 30) * 1440,
      time: { kind: "exponential", mean: 30 },
      byHour: null,
      byDay: null,
      priority: 0,
    };
    const expected = erlangC(2, 1.2);
    const shares = perReplication(spec, "full");
    const m = shares.reduce((x, y) => x + y, 0) / shares.length;
    const sd = Math.sqrt(shares.reduce((x, y) => x + (y - m) ** 2, 0) / (shares.length - 1) / shares.length);
    expectWithin(`full (Erlang C ${expected})`, m, expected, sd);
    // Without counting the others it would be C(2, 0.6) = 0.225, far outside.
    expect(Math.abs(m - erlangC(2, 0.6))).toBeGreaterThan(10 * sd);
  });
});

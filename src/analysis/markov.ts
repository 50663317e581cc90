// The absorbing Markov chain of one patient class's journey (docs/semantics.md points 3–5). States
// are microsystems; the two absorbing outcomes (completed, dropped) are kept as per-state exit
// probabilities instead of extra states (and a death drawn at `decided_at` as a third: `stateChain`).
// The matrices are sparse (src/analysis/sparse.ts solves them): a row holds the few microsystems a
// visit can lead to.

import {
  classProbability,
  elementOutcome,
  elementReliability,
  eligibleRoutes as eligibleFor,
  type KnownContext,
  knownContext,
  type ModeRule,
  routeShare,
} from "../model/rules.js";
import {
  type FailureMode,
  type Handoff,
  handoffKey,
  type Microsystem,
  type ModelSpec,
} from "../model/spec.js";

/** Raised when the analytic engine cannot give an answer (e.g. a journey that can never end). */
export class AnalysisError extends Error {
  override name = "AnalysisError";
}

/** Routes eligible for a class leaving `m` (point 4), with `p` filled in (a lone route's null = 1). */
export function eligibleRoutes(m: Microsystem, classId: string): { to: string; p: number }[] {
  return eligibleFor(m.next, classId).map((r) => ({ to: r.to, p: routeShare(r) }));
}

/** Row i of a sparse matrix indexed like `spec.microsystems`: column → value. */
export type Row = Map<number, number>;

/** What one visit to a microsystem leads to, for one class: one row of each of the chain's matrices. */
export interface VisitRow {
  /** Microsystem → probability that the visit is followed by a visit there. */
  next: Row;
  /** Microsystem k → probability that the visit is followed by a transfer over handoff m→k. */
  transfer: Row;
  /** Microsystem → probability that the visit and the following transfer are defect-free and lead there. */
  cleanNext: Row;
  /** Probability that the visit is defect-free and the journey ends there (completed). */
  cleanEnd: number;
  drop: number;
  complete: number;
  /** The visit's own reliability for the class. */
  reliability: number;
}

/** The class's chain, as sparse matrices indexed like `spec.microsystems`. */
export interface ClassChain {
  ids: string[];
  /** Position of each microsystem id in `ids`. */
  index: Map<string, number>;
  rows: VisitRow[];
  /** Reliability of each handoff for this class, by handoff key. */
  handoffReliability: Map<string, number>;
}

/**
 * A list of failure modes as the rules see them for one class: `p` as the class decides it
 * (docs/semantics.md §3 `when`), `unless` as positions in the list. A `p` that depends on the visit
 * (time, load, wait) has no exact value: AnalysisError, unless `lenient` (then the mode's own `p`,
 * for the shape of the most common path only, never for a figure called exact).
 */
export function modeRules(
  failures: readonly FailureMode[],
  classId: string,
  lenient = false,
  known: KnownContext = {},
): ModeRule<string>[] {
  return failures.map((f) => {
    const p = classProbability(f, classId, known);
    if (p === null && !lenient)
      throw new AnalysisError(
        `the probability of "${f.name}" depends on the visit, which only a simulation can follow`,
      );
    const unlessAt = (f.unless ?? []).map((id) => failures.findIndex((m) => m.id === id));
    return { p: p ?? f.p, detect: f.detect, drop: f.drop, goto: f.goto, classes: f.classes, unlessAt };
  });
}

/** What every visit of microsystem `m` is known to find (rules.ts `knownContext`). */
export function microsystemKnown(spec: ModelSpec, m: Microsystem): KnownContext {
  return knownContext(m, m.hours, (spec.arrivals ?? null) !== null);
}

/** What every transfer over `h` is known to find: the sending microsystem's visit, the handoff's hours. */
export function handoffKnown(spec: ModelSpec, h: Handoff): KnownContext {
  const from = spec.microsystems.find((m) => m.id === h.from);
  if (from === undefined) return {};
  return sendingKnown(from, h, (spec.arrivals ?? null) !== null);
}

function sendingKnown(from: Microsystem, h: Handoff, arrivals: boolean): KnownContext {
  return knownContext(from, h.hours ?? from.hours, arrivals);
}

/** How a chain finds its microsystems and handoffs (the same for every class of a model). */
export interface ChainLookup {
  at(id: string): number;
  handoff(from: string, to: string): Handoff;
  /** Whether patients arrive over time (then load and waits can vary: rules.ts `knownContext`). */
  arrivals: boolean;
  /** A p that depends on the visit takes the mode's own p (`modeRules`): for the main path only. */
  lenient: boolean;
}

export function chainLookup(spec: ModelSpec, lenient = false): ChainLookup {
  const index = new Map(spec.microsystems.map((m, i) => [m.id, i]));
  const handoffs = new Map(spec.handoffs.map((h) => [handoffKey(h.from, h.to), h]));
  return {
    at(id) {
      const i = index.get(id);
      if (i === undefined) throw new AnalysisError(`unknown microsystem "${id}"`);
      return i;
    },
    handoff(from, to) {
      const h = handoffs.get(handoffKey(from, to));
      if (h === undefined) throw new AnalysisError(`no handoff ${handoffKey(from, to)} in the model`);
      return h;
    },
    arrivals: (spec.arrivals ?? null) !== null,
    lenient,
  };
}

/** The rules of a transfer over `h` out of `from`, for a class. */
function handoffRules(
  from: Microsystem,
  h: Handoff,
  classId: string,
  lookup: ChainLookup,
): ModeRule<string>[] {
  return modeRules(h.failures, classId, lookup.lenient, sendingKnown(from, h, lookup.arrivals));
}

/** Builds the chain for one class: every visit's outcome, then every transfer's outcome. */
export function buildChain(spec: ModelSpec, classId: string, lookup = chainLookup(spec)): ClassChain {
  const ids = spec.microsystems.map((m) => m.id);
  const byId = new Map(spec.microsystems.map((m) => [m.id, m]));
  return {
    ids,
    index: new Map(ids.map((id, i) => [id, i])),
    rows: spec.microsystems.map((m) => visitRow(m, classId, lookup)),
    handoffReliability: new Map(
      spec.handoffs.map((h) => {
        const from = byId.get(h.from);
        const rules =
          from === undefined
            ? modeRules(h.failures, classId, lookup.lenient)
            : handoffRules(from, h, classId, lookup);
        return [handoffKey(h.from, h.to), elementReliability(rules, classId)];
      }),
    ),
  };
}

function add(row: Row, k: number, p: number): void {
  row.set(k, (row.get(k) ?? 0) + p);
}

/**
 * One visit to `m` for a class. `failures` replaces the microsystem's failure modes and `handoff`
 * may answer for a changed handoff: the leverage ranking builds a variant's row this way.
 */
export function visitRow(
  m: Microsystem,
  classId: string,
  lookup: ChainLookup,
  failures: readonly FailureMode[] = m.failures,
): VisitRow {
  const visit = elementOutcome(
    modeRules(failures, classId, lookup.lenient, knownContext(m, m.hours, lookup.arrivals)),
    classId,
  );
  const row: VisitRow = {
    next: new Map(),
    transfer: new Map(),
    cleanNext: new Map(),
    cleanEnd: 0,
    drop: visit.drop,
    complete: 0,
    reliability: visit.survive,
  };
  const routes = eligibleRoutes(m, classId);
  if (routes.length === 0) {
    row.complete = visit.pass;
    row.cleanEnd = visit.survive;
  }
  // Transfers: normal routes (after a clean-enough visit) and microsystem gotos, which travel
  // through handoff m → goto target (point 5).
  const transfers: [string, number][] = routes.map((r) => [r.to, visit.pass * r.p]);
  for (const [target, p] of visit.gotos) transfers.push([target, p]);
  for (const [to, p] of transfers) {
    const k = lookup.at(to);
    add(row.transfer, k, p);
    const h = elementOutcome(handoffRules(m, lookup.handoff(m.id, to), classId, lookup), classId);
    row.drop += p * h.drop;
    add(row.next, k, p * h.pass);
    // A handoff goto lands the patient at its target directly: no second transfer.
    for (const [target, pg] of h.gotos) add(row.next, lookup.at(target), p * pg);
  }
  for (const r of routes) {
    const hs = elementReliability(handoffRules(m, lookup.handoff(m.id, r.to), classId, lookup), classId);
    add(row.cleanNext, lookup.at(r.to), visit.survive * r.p * hs);
  }
  return row;
}

/**
 * A death drawn at the first `event` ("arrive" | "start" | "end") of microsystem `at`, with a
 * probability `risk` that is the same for every patient of the class (docs/semantics.md §7).
 */
export interface DeathExit {
  at: number;
  event: "arrive" | "start" | "end";
  risk: number;
}

/**
 * The class's chain over states, where a death exit doubles the microsystems: states 0…n−1 are
 * "the death not yet drawn" (state `at` is the first arrival there, where it is drawn) and n…2n−1
 * "drawn, survived". Without a death exit the states are the microsystems (and `rows` the chain's).
 * Each row's `next` and `cleanNext` lead to states; its `transfer` is over handoff micro(s) → k.
 */
export interface StateChain {
  /** The microsystem of each state. */
  micro: number[];
  rows: VisitRow[];
  /** Probability that the journey ends in state s by the death drawn there. */
  died: number[];
  /** Share of arrivals in state s that are counted as a visit (a death at arrival or start gives no care). */
  visitWeight: number[];
}

function scaledRow(row: Row, scale: number, offset: number): Row {
  const out: Row = new Map();
  for (const [j, p] of row) out.set(offset + j, scale * p);
  return out;
}

export function stateChain(chain: ClassChain, death: DeathExit | null): StateChain {
  const n = chain.ids.length;
  if (death === null)
    return {
      micro: chain.ids.map((_, i) => i),
      rows: chain.rows,
      died: new Array<number>(n).fill(0),
      visitWeight: new Array<number>(n).fill(1),
    };
  const S = 2 * n;
  const live = 1 - death.risk;
  const out: StateChain = {
    micro: Array.from({ length: S }, (_, s) => s % n),
    rows: [],
    died: new Array<number>(S).fill(0),
    visitWeight: new Array<number>(S).fill(1),
  };
  for (let s = 0; s < S; s++) {
    const i = s % n;
    const row = chain.rows[i]!;
    const drawnHere = s === death.at;
    // Before the draw, moves stay in the first copy (reaching `at` is its drawing state); from the
    // drawing state and after it, in the second.
    const offset = s < n && !drawnHere ? 0 : n;
    const scale = drawnHere ? live : 1;
    const state: VisitRow = {
      next: scaledRow(row.next, scale, offset),
      transfer: scaledRow(row.transfer, scale, 0),
      cleanNext: scaledRow(row.cleanNext, scale, offset),
      cleanEnd: scale * row.cleanEnd,
      drop: scale * row.drop,
      complete: scale * row.complete,
      reliability: row.reliability,
    };
    if (drawnHere) {
      out.died[s] = death.risk;
      // Dying at arrival or start: no care there, so defect-free so far; at the end: after the visit's draws.
      state.cleanEnd += death.risk * (death.event === "end" ? row.reliability : 1);
      out.visitWeight[s] = death.event === "end" ? 1 : live;
    }
    out.rows.push(state);
  }
  return out;
}

/** States reachable from `start` along transitions of positive probability (start included), sorted. */
export function reachable(rows: readonly VisitRow[], start: number): number[] {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const i = stack.pop()!;
    for (const [j, p] of rows[i]!.next) {
      if (p > 0 && !seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
    }
  }
  return [...seen].sort((a, b) => a - b);
}

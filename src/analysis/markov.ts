// The absorbing Markov chain of one patient class's journey (docs/semantics.md points 3–5). States
// are microsystems; the two absorbing outcomes (completed, dropped) are kept as per-state exit
// probabilities instead of extra states. The matrices are sparse (src/analysis/sparse.ts solves
// them): a row holds the few microsystems a visit can lead to.

import {
  elementOutcome,
  elementReliability,
  eligibleRoutes as eligibleFor,
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

/** How a chain finds its microsystems and handoffs (the same for every class of a model). */
export interface ChainLookup {
  at(id: string): number;
  handoff(from: string, to: string): Handoff;
}

export function chainLookup(spec: ModelSpec): ChainLookup {
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
  };
}

/** Builds the chain for one class: every visit's outcome, then every transfer's outcome. */
export function buildChain(spec: ModelSpec, classId: string, lookup = chainLookup(spec)): ClassChain {
  const ids = spec.microsystems.map((m) => m.id);
  return {
    ids,
    index: new Map(ids.map((id, i) => [id, i])),
    rows: spec.microsystems.map((m) => visitRow(m, classId, lookup)),
    handoffReliability: new Map(
      spec.handoffs.map((h) => [handoffKey(h.from, h.to), elementReliability(h.failures, classId)]),
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
  const visit = elementOutcome(failures, classId);
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
    const h = elementOutcome(lookup.handoff(m.id, to).failures, classId);
    row.drop += p * h.drop;
    add(row.next, k, p * h.pass);
    // A handoff goto lands the patient at its target directly: no second transfer.
    for (const [target, pg] of h.gotos) add(row.next, lookup.at(target), p * pg);
  }
  for (const r of routes) {
    const hs = elementReliability(lookup.handoff(m.id, r.to).failures, classId);
    add(row.cleanNext, lookup.at(r.to), visit.survive * r.p * hs);
  }
  return row;
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

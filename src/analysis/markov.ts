// The absorbing Markov chain of one patient class's journey (docs/semantics.md points 3–5), and the
// small dense linear algebra it needs. States are microsystems; the two absorbing outcomes
// (completed, dropped) are kept as per-state exit probabilities instead of extra states.

import {
  elementOutcome,
  elementReliability,
  eligibleRoutes as eligibleFor,
  routeShare,
} from "../model/rules.js";
import { type Handoff, handoffKey, type Microsystem, type ModelSpec } from "../model/spec.js";

/** Raised when the analytic engine cannot give an answer (e.g. a journey that can never end). */
export class AnalysisError extends Error {
  override name = "AnalysisError";
}

/** Routes eligible for a class leaving `m` (point 4), with `p` filled in (a lone route's null = 1). */
export function eligibleRoutes(m: Microsystem, classId: string): { to: string; p: number }[] {
  return eligibleFor(m.next, classId).map((r) => ({ to: r.to, p: routeShare(r) }));
}

/** The class's chain, as dense matrices indexed like `spec.microsystems`. */
export interface ClassChain {
  ids: string[];
  /** P[m][n]: probability that a visit to m is followed by a visit to n. */
  next: number[][];
  /** T[m][k]: probability that a visit to m is followed by a transfer over handoff m→k. */
  transfer: number[][];
  /** Q[m][n]: probability that a visit to m and the following transfer are defect-free and lead to n. */
  cleanNext: number[][];
  /** Probability that a visit to m is defect-free and the journey ends there (completed). */
  cleanEnd: number[];
  drop: number[];
  complete: number[];
  microsystemReliability: number[];
  /** Reliability of each handoff for this class, by handoff key. */
  handoffReliability: Map<string, number>;
}

function zeros(n: number): number[][] {
  return Array.from({ length: n }, () => new Array<number>(n).fill(0));
}

function handoffIndex(spec: ModelSpec): Map<string, Handoff> {
  return new Map(spec.handoffs.map((h) => [handoffKey(h.from, h.to), h]));
}

/** Builds the chain for one class: every visit's outcome, then every transfer's outcome. */
export function buildChain(spec: ModelSpec, classId: string): ClassChain {
  const ids = spec.microsystems.map((m) => m.id);
  const index = new Map(ids.map((id, i) => [id, i]));
  const handoffs = handoffIndex(spec);
  const n = ids.length;
  const chain: ClassChain = {
    ids,
    next: zeros(n),
    transfer: zeros(n),
    cleanNext: zeros(n),
    cleanEnd: new Array<number>(n).fill(0),
    drop: new Array<number>(n).fill(0),
    complete: new Array<number>(n).fill(0),
    microsystemReliability: new Array<number>(n).fill(1),
    handoffReliability: new Map(spec.handoffs.map((h) => [handoffKey(h.from, h.to), 1])),
  };
  const at = (id: string): number => {
    const i = index.get(id);
    if (i === undefined) throw new AnalysisError(`unknown microsystem "${id}"`);
    return i;
  };
  const handoff = (from: string, to: string): Handoff => {
    const h = handoffs.get(handoffKey(from, to));
    if (h === undefined) throw new AnalysisError(`no handoff ${handoffKey(from, to)} in the model`);
    return h;
  };
  spec.microsystems.forEach((m, i) => {
    fillMicrosystem(chain, m, i, classId, at, handoff);
  });
  for (const [key, h] of handoffs) chain.handoffReliability.set(key, elementReliability(h.failures, classId));
  return chain;
}

function fillMicrosystem(
  chain: ClassChain,
  m: Microsystem,
  i: number,
  classId: string,
  at: (id: string) => number,
  handoff: (from: string, to: string) => Handoff,
): void {
  const visit = elementOutcome(m.failures, classId);
  chain.microsystemReliability[i] = visit.survive;
  chain.drop[i] = visit.drop;
  const routes = eligibleRoutes(m, classId);
  if (routes.length === 0) {
    chain.complete[i] = visit.pass;
    chain.cleanEnd[i] = visit.survive;
  }
  // Transfers: normal routes (after a clean-enough visit) and microsystem gotos, which travel
  // through handoff m → goto target (point 5).
  const transfers: [string, number][] = routes.map((r) => [r.to, visit.pass * r.p]);
  for (const [target, p] of visit.gotos) transfers.push([target, p]);
  for (const [to, p] of transfers) {
    const k = at(to);
    chain.transfer[i]![k]! += p;
    const h = elementOutcome(handoff(m.id, to).failures, classId);
    chain.drop[i]! += p * h.drop;
    chain.next[i]![k]! += p * h.pass;
    // A handoff goto lands the patient at its target directly: no second transfer.
    for (const [target, pg] of h.gotos) chain.next[i]![at(target)]! += p * pg;
  }
  for (const r of routes) {
    const hs = elementReliability(handoff(m.id, r.to).failures, classId);
    chain.cleanNext[i]![at(r.to)]! += visit.survive * r.p * hs;
  }
}

/** States reachable from `start` along transitions of positive probability (start included). */
export function reachable(next: number[][], start: number): number[] {
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const i = stack.pop()!;
    next[i]!.forEach((p, j) => {
      if (p > 0 && !seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
    });
  }
  return [...seen].sort((a, b) => a - b);
}

/** Below this a pivot counts as zero: the chain has a closed loop the journey can never leave. */
const SINGULAR = 1e-13;

/** Solves A·x = b by Gaussian elimination with partial pivoting. A and b are not modified. */
export function solveLinear(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(m[r]![col]!) > Math.abs(m[pivot]![col]!)) pivot = r;
    if (Math.abs(m[pivot]![col]!) < SINGULAR) throw new AnalysisError("singular system");
    [m[col], m[pivot]] = [m[pivot]!, m[col]!];
    const top = m[col]!;
    for (let r = col + 1; r < n; r++) {
      const row = m[r]!;
      const f = row[col]! / top[col]!;
      if (f === 0) continue;
      for (let c = col; c <= n; c++) row[c]! -= f * top[c]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = m[r]!;
    let s = row[n]!;
    for (let c = r + 1; c < n; c++) s -= row[c]! * x[c]!;
    x[r] = s / row[r]!;
  }
  return x;
}

/** I − M restricted to the given states (optionally transposed). */
export function identityMinus(mat: number[][], states: number[], transpose = false): number[][] {
  return states.map((i, r) =>
    states.map((j, c) => (r === c ? 1 : 0) - (transpose ? mat[j]![i]! : mat[i]![j]!)),
  );
}

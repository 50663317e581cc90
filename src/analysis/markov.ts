// The absorbing Markov chain of one patient class's journey (docs/semantics.md points 3–5), and the
// small dense linear algebra it needs. States are microsystems; the two absorbing outcomes
// (completed, dropped) are kept as per-state exit probabilities instead of extra states.

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
  return knownContext(from, h.hours ?? from.hours, (spec.arrivals ?? null) !== null);
}

/** Builds the chain for one class: every visit's outcome, then every transfer's outcome. */
export function buildChain(spec: ModelSpec, classId: string, lenient = false): ClassChain {
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
  const handoffRules = (h: Handoff) => modeRules(h.failures, classId, lenient, handoffKnown(spec, h));
  spec.microsystems.forEach((m, i) => {
    const visitRules = modeRules(m.failures, classId, lenient, microsystemKnown(spec, m));
    fillMicrosystem(chain, m, i, classId, at, (from, to) => handoffRules(handoff(from, to)), visitRules);
  });
  for (const [key, h] of handoffs)
    chain.handoffReliability.set(key, elementReliability(handoffRules(h), classId));
  return chain;
}

function fillMicrosystem(
  chain: ClassChain,
  m: Microsystem,
  i: number,
  classId: string,
  at: (id: string) => number,
  handoffModes: (from: string, to: string) => ModeRule<string>[],
  visitModes: ModeRule<string>[],
): void {
  const visit = elementOutcome(visitModes, classId);
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
    const h = elementOutcome(handoffModes(m.id, to), classId);
    chain.drop[i]! += p * h.drop;
    chain.next[i]![k]! += p * h.pass;
    // A handoff goto lands the patient at its target directly: no second transfer.
    for (const [target, pg] of h.gotos) chain.next[i]![at(target)]! += p * pg;
  }
  for (const r of routes) {
    const hs = elementReliability(handoffModes(m.id, r.to), classId);
    chain.cleanNext[i]![at(r.to)]! += visit.survive * r.p * hs;
  }
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
 * "drawn, survived". Without a death exit the states are the microsystems.
 */
export interface StateChain
  extends Pick<ClassChain, "next" | "transfer" | "cleanNext" | "cleanEnd" | "drop" | "complete"> {
  // As in ClassChain, indexed by state; transfer[s][k] is over handoff micro(s) → k.
  /** The microsystem of each state. */
  micro: number[];
  start: number;
  /** Probability that the journey ends in state s by the death drawn there. */
  died: number[];
  /** Share of arrivals in state s that are counted as a visit (a death at arrival or start gives no care). */
  visitWeight: number[];
}

export function stateChain(chain: ClassChain, start: number, death: DeathExit | null): StateChain {
  const n = chain.ids.length;
  if (death === null)
    return {
      micro: chain.ids.map((_, i) => i),
      start,
      next: chain.next,
      transfer: chain.transfer,
      cleanNext: chain.cleanNext,
      cleanEnd: chain.cleanEnd,
      drop: chain.drop,
      complete: chain.complete,
      died: new Array<number>(n).fill(0),
      visitWeight: new Array<number>(n).fill(1),
    };
  const S = 2 * n;
  const d = death.at;
  const live = 1 - death.risk;
  const out: StateChain = {
    micro: Array.from({ length: S }, (_, s) => s % n),
    start,
    next: zeros(S),
    transfer: Array.from({ length: S }, () => new Array<number>(n).fill(0)),
    cleanNext: zeros(S),
    cleanEnd: new Array<number>(S).fill(0),
    drop: new Array<number>(S).fill(0),
    complete: new Array<number>(S).fill(0),
    died: new Array<number>(S).fill(0),
    visitWeight: new Array<number>(S).fill(1),
  };
  for (let s = 0; s < S; s++) {
    const i = s % n;
    const drawnHere = s === d;
    // Before the draw, moves stay in the first copy (reaching `d` is its drawing state); from the
    // drawing state and after it, in the second.
    const offset = s < n && !drawnHere ? 0 : n;
    const scale = drawnHere ? live : 1;
    for (let j = 0; j < n; j++) {
      out.next[s]![offset + j] = scale * chain.next[i]![j]!;
      out.cleanNext[s]![offset + j] = scale * chain.cleanNext[i]![j]!;
      out.transfer[s]![j] = scale * chain.transfer[i]![j]!;
    }
    out.drop[s] = scale * chain.drop[i]!;
    out.complete[s] = scale * chain.complete[i]!;
    out.cleanEnd[s] = scale * chain.cleanEnd[i]!;
    if (drawnHere) {
      out.died[s] = death.risk;
      // Dying at arrival or start: no care there, so defect-free so far; at the end: after the visit's draws.
      const cleanSoFar = death.event === "end" ? chain.microsystemReliability[i]! : 1;
      out.cleanEnd[s]! += death.risk * cleanSoFar;
      out.visitWeight[s] = death.event === "end" ? 1 : live;
    }
  }
  return out;
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

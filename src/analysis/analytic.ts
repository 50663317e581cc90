// Exact reliability of a model, without simulation: the absorbing Markov chain of the routing
// (docs/semantics.md), solved per patient class and weighted by class share. The visit guard
// (`maxVisits`) is ignored on purpose (semantics point 8): the analytic figures describe journeys
// as if they could loop without limit; the simulator reports guard stops separately.

import { recordOf } from "../engine/records.js";
import { renegingPossible } from "../model/rules.js";
import { handoffKey, type ModelSpec } from "../model/spec.js";
import {
  AnalysisError,
  buildChain,
  type ClassChain,
  chainLookup,
  eligibleRoutes,
  reachable,
} from "./markov.js";
import { AbsorbingSystem, transpose } from "./sparse.js";

export { AnalysisError, eligibleRoutes } from "./markov.js";

/** Effective reliability (probability of no defect per visit or transfer) of each element. */
export interface ElementReliabilities {
  /** By microsystem id. */
  microsystems: Record<string, number>;
  /** By handoff key "from->to". */
  handoffs: Record<string, number>;
}

/** The figures computed for one class, or for all patients together. */
export interface AnalysisFigures {
  /** Probability of a journey with no defect at all ("all-or-none"). */
  defectFree: number;
  /** Probability that the journey ends in a drop (lost to follow-up). */
  dropped: number;
  /** Probability that the journey ends at a microsystem with no route onward. */
  completed: number;
  /** Expected visits per journey to each microsystem (every id present; 0 = never reached). */
  visits: Record<string, number>;
  /** Expected transfers per journey over each handoff, by key "from->to" (every handoff present). */
  transfers: Record<string, number>;
  /**
   * Per class: Π over the modes that apply to the class of (1 − p·(1 − detect)).
   * Overall: the class values weighted by each class's expected visits (transfers) there, i.e. what
   * the simulation's 1 − defects/visits converges to; for an element no class reaches, the
   * share-weighted mean of the class values.
   */
  reliability: ElementReliabilities;
}

export interface ClassAnalysis extends AnalysisFigures {
  classId: string;
  share: number;
  start: string;
  /**
   * Probability that the rest of the journey is defect-free, from arriving at each microsystem
   * (only the microsystems this class can reach).
   */
  defectFreeFrom: Record<string, number>;
}

export interface Analysis {
  overall: AnalysisFigures;
  byClass: Record<string, ClassAnalysis>;
}

/**
 * Exact analytic figures per class and overall. Throws AnalysisError if a journey can never end.
 * Every record keyed by ids has no prototype (engine/records.ts): a class `__proto__` is a class.
 */
export function analyze(spec: ModelSpec): Analysis {
  checkSize(spec);
  exactDespiteCapacity(spec);
  const lookup = chainLookup(spec);
  const classes = spec.classes.map((c) => analyzeClass(spec, c.id, lookup));
  return { overall: combine(spec, classes), byClass: recordOf(classes.map((c) => [c.classId, c])) };
}

/**
 * Figures the analysis writes at most (classes × elements): each class gets a record of every
 * microsystem and handoff. A real scenario has a few thousand; past this the exact answer is
 * refused (the simulation still runs) rather than filling gigabytes.
 */
export const MAX_ANALYSIS_FIGURES = 4_000_000;

function checkSize(spec: ModelSpec): void {
  const figures = spec.classes.length * (spec.microsystems.length + spec.handoffs.length);
  if (figures > MAX_ANALYSIS_FIGURES)
    throw new AnalysisError(
      `${spec.classes.length} classes × ${spec.microsystems.length + spec.handoffs.length} microsystems and handoffs are too many for the exact answer (at most ${MAX_ANALYSIS_FIGURES} figures)`,
    );
}

/**
 * Capacity (issue 12) changes when things happen, not whether they fail: waits, shifts,
 * priorities, blocking, shared places and other patients leave every figure here exact. Reneging
 * does not: who leaves a queue after `max_wait` depends on the queues, which only the simulation
 * follows. So there is no exact answer wherever someone can renege (model/rules.ts says when).
 */
function exactDespiteCapacity(spec: ModelSpec): void {
  const reneging = spec.microsystems.filter((m) => renegingPossible(m, spec.arrivals !== null));
  if (reneging.length === 0) return;
  const names = reneging.map((m) => `"${m.id}"`).join(", ");
  throw new AnalysisError(
    `patients can leave the queue at ${names} after max_wait, and how many do depends on the queues, ` +
      "which only the simulation follows (reneging changes failures and routes)",
  );
}

function classStart(spec: ModelSpec, classId: string): string {
  const c = spec.classes.find((k) => k.id === classId);
  if (c === undefined) throw new AnalysisError(`unknown patient class "${classId}"`);
  return c.start;
}

/** The chain of a class, the states it can reach, and its start among them. */
export interface ClassSystem {
  chain: ClassChain;
  start: number;
  /** Microsystems the class can reach from its start (sorted). */
  states: number[];
}

export function classSystem(spec: ModelSpec, classId: string, lookup = chainLookup(spec)): ClassSystem {
  const chain = buildChain(spec, classId, lookup);
  const start = classStart(spec, classId);
  const s = chain.index.get(start);
  if (s === undefined) throw new AnalysisError(`class "${classId}" starts at unknown microsystem "${start}"`);
  // Only states the class can reach enter the systems: an unreachable closed loop must not make
  // them singular.
  return { chain, start: s, states: reachable(chain.rows, s) };
}

/**
 * The clean system x = cleanEnd + Q·x of a class: x[i] = P(the rest of the journey is defect-free
 * | at i). With `inverses` (for variants: analysis/variants.ts) its loops are those of every
 * possible transition, not only the clean ones, so they hold for a variant too.
 */
export function cleanSystem(system: ClassSystem, classId: string, inverses = false): AbsorbingSystem {
  const rows = system.chain.rows;
  const clean = rows.map((r) => r.cleanNext);
  const structure = inverses ? rows.map((r) => r.next) : clean;
  return explained(() => new AbsorbingSystem(clean, system.states, inverses, structure), classId);
}

// Elimination can overshoot a probability by an ulp (1.0000000000000002): keep them in [0, 1].
export const probability = (x: number): number => Math.min(1, Math.max(0, x));

function analyzeClass(
  spec: ModelSpec,
  classId: string,
  lookup: ReturnType<typeof chainLookup>,
): ClassAnalysis {
  const system = classSystem(spec, classId, lookup);
  const { chain, states, start: s } = system;
  // Expected visits: v = e_s + Pᵀ·v, over the states the class can reach.
  const visits = explained(
    () =>
      new AbsorbingSystem(
        transpose(
          chain.rows.map((r) => r.next),
          states,
        ),
        states,
      ).solve((i) => (i === s ? 1 : 0)),
    classId,
  );
  const clean = cleanSystem(system, classId).solve((i) => chain.rows[i]!.cleanEnd);
  return {
    classId,
    share: spec.classes.find((c) => c.id === classId)!.share,
    start: chain.ids[s]!,
    defectFree: probability(clean[s]!),
    ...absorption(chain, visits),
    visits: recordOf(chain.ids.map((id, i) => [id, visits[i]!])),
    transfers: expectedTransfers(spec, chain, visits),
    reliability: classReliabilities(chain),
    defectFreeFrom: recordOf(states.map((i) => [chain.ids[i]!, probability(clean[i]!)])),
  };
}

/** Runs a solve, saying in the class's terms why it has no answer. */
function explained<T>(solve: () => T, classId: string): T {
  try {
    return solve();
  } catch (e) {
    if (!(e instanceof AnalysisError)) throw e;
    if (e.message !== "singular system") throw new AnalysisError(`class "${classId}": ${e.message}`);
    throw new AnalysisError(
      `class "${classId}": some journeys can never end (a loop with no way out); no exact answer exists`,
    );
  }
}

function absorption(chain: ClassChain, visits: Float64Array): { dropped: number; completed: number } {
  let dropped = 0;
  let completed = 0;
  visits.forEach((v, i) => {
    dropped += v * chain.rows[i]!.drop;
    completed += v * chain.rows[i]!.complete;
  });
  return { dropped, completed };
}

function expectedTransfers(spec: ModelSpec, chain: ClassChain, visits: Float64Array): Record<string, number> {
  return recordOf(
    spec.handoffs.map((h) => {
      const i = chain.index.get(h.from);
      const k = chain.index.get(h.to);
      const transfer =
        i === undefined || k === undefined ? 0 : visits[i]! * (chain.rows[i]!.transfer.get(k) ?? 0);
      return [handoffKey(h.from, h.to), transfer];
    }),
  );
}

function classReliabilities(chain: ClassChain): ElementReliabilities {
  return {
    microsystems: recordOf(chain.ids.map((id, i) => [id, chain.rows[i]!.reliability])),
    handoffs: recordOf(chain.handoffReliability),
  };
}

/** Share-weighted sum of one figure over the classes. */
function weighted(classes: ClassAnalysis[], f: (c: ClassAnalysis) => number): number {
  return classes.reduce((sum, c) => sum + c.share * f(c), 0);
}

function combine(spec: ModelSpec, classes: ClassAnalysis[]): AnalysisFigures {
  const visits = recordOf(spec.microsystems.map((m) => [m.id, weighted(classes, (c) => c.visits[m.id]!)]));
  const keys = spec.handoffs.map((h) => handoffKey(h.from, h.to));
  const transfers = recordOf(keys.map((k) => [k, weighted(classes, (c) => c.transfers[k]!)]));
  const reliabilityOf = (get: (c: ClassAnalysis) => [number, number]): number => {
    const exposure = weighted(classes, (c) => get(c)[1]);
    if (exposure === 0) return weighted(classes, (c) => get(c)[0]);
    return weighted(classes, (c) => get(c)[0] * get(c)[1]) / exposure;
  };
  return {
    defectFree: Math.min(
      1,
      weighted(classes, (c) => c.defectFree),
    ),
    dropped: weighted(classes, (c) => c.dropped),
    completed: weighted(classes, (c) => c.completed),
    visits,
    transfers,
    reliability: {
      microsystems: recordOf(
        spec.microsystems.map((m) => [
          m.id,
          reliabilityOf((c) => [c.reliability.microsystems[m.id]!, c.visits[m.id]!]),
        ]),
      ),
      handoffs: recordOf(
        keys.map((k) => [k, reliabilityOf((c) => [c.reliability.handoffs[k]!, c.transfers[k]!])]),
      ),
    },
  };
}

/** One step of the main path, with the share of patients on that path still defect-free after it. */
export interface PathStep {
  kind: "microsystem" | "handoff";
  /** Microsystem id, or handoff key "from->to". */
  element: string;
  /** Effective reliability of this element for the class. */
  reliability: number;
  /** Product of the reliabilities of this and every earlier step. */
  cumulative: number;
}

/**
 * The most likely route sequence from the class's start: at each microsystem the eligible route
 * with the largest `p` (first in list order on a tie), stopping at a microsystem with no route
 * onward or before returning to one already on the path. `cumulative` is the defect-free share of
 * patients who follow exactly this path (product of effective reliabilities so far); it ignores
 * goto and drop detours. Without `classId`, the class with the largest share (first on a tie).
 */
export function mainPath(spec: ModelSpec, classId?: string): PathStep[] {
  const cls = classId ?? largestClass(spec);
  const chain = buildChain(spec, cls);
  const byId = new Map(spec.microsystems.map((m) => [m.id, m]));
  const steps: PathStep[] = [];
  const seen = new Set<string>();
  let cumulative = 1;
  const push = (kind: PathStep["kind"], element: string, reliability: number): void => {
    cumulative *= reliability;
    steps.push({ kind, element, reliability, cumulative });
  };
  let at: string | undefined = classStart(spec, cls);
  while (at !== undefined) {
    seen.add(at);
    push("microsystem", at, chain.rows[chain.index.get(at)!]!.reliability);
    const best = mostLikely(eligibleRoutes(byId.get(at)!, cls));
    if (best === undefined || seen.has(best)) break;
    const key = handoffKey(at, best);
    push("handoff", key, chain.handoffReliability.get(key) ?? 1);
    at = best;
  }
  return steps;
}

function largestClass(spec: ModelSpec): string {
  const first = spec.classes[0];
  if (first === undefined) throw new AnalysisError("the model has no patient class");
  return spec.classes.reduce((best, c) => (c.share > best.share ? c : best), first).id;
}

function mostLikely(routes: { to: string; p: number }[]): string | undefined {
  let best: { to: string; p: number } | undefined;
  for (const r of routes) if (best === undefined || r.p > best.p) best = r;
  return best?.to;
}

/** How much the whole-system defect-free share would rise if one element never failed. */
export interface Lever {
  kind: "microsystem" | "handoff";
  /** Microsystem id, or handoff key "from->to". */
  element: string;
  /** Overall defect-free probability with this element made perfect. */
  defectFreeIfPerfect: number;
  /** defectFreeIfPerfect minus the current overall defect-free probability. */
  gain: number;
}

// Exact reliability of a model, without simulation: the absorbing Markov chain of the routing
// (docs/semantics.md), solved per patient class and weighted by class share. The visit guard
// (`maxVisits`) is ignored on purpose (semantics point 8): the analytic figures describe journeys
// as if they could loop without limit; the simulator reports guard stops separately.

import { own, recordOf } from "../engine/records.js";
import { appliesTo, classProbability, type KnownContext, renegingPossible } from "../model/rules.js";
import { type FailureMode, handoffKey, type ModelSpec } from "../model/spec.js";
import {
  AnalysisError,
  buildChain,
  type ClassChain,
  chainLookup,
  type DeathExit,
  eligibleRoutes,
  handoffKnown,
  microsystemKnown,
  reachable,
  type StateChain,
  stateChain,
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
  /** Probability that the journey ends by the death drawn at `decided_at` (0 without one). */
  died: number;
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
 * Exact analytic figures per class and overall. Throws AnalysisError if a journey can never end,
 * or if the scenario has no exact answer (`exactnessNote`). Every record keyed by ids has no
 * prototype (engine/records.ts): a class `__proto__` is a class.
 */
export function analyze(spec: ModelSpec): Analysis {
  checkSize(spec);
  const note = exactnessNote(spec);
  if (note !== null) throw new AnalysisError(note);
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
function renegingNote(spec: ModelSpec): string | null {
  const reneging = spec.microsystems.filter((m) => renegingPossible(m, spec.arrivals !== null));
  if (reneging.length === 0) return null;
  const names = reneging.map((m) => `"${m.id}"`).join(", ");
  return (
    `patients can leave the queue at ${names} after max_wait, and how many do depends on the queues, ` +
    "which only the simulation follows (reneging changes failures and routes)"
  );
}

/**
 * Why the scenario has no exact answer although its routing may: reneging (capacity), a failure
 * mode whose probability depends on the visit (its time, the load, the wait), or a death drawn at
 * `decided_at` whose risk is not the same for every patient of a class there. Null when the chain
 * is exact.
 */
export function exactnessNote(spec: ModelSpec): string | null {
  return renegingNote(spec) ?? contextNote(spec) ?? deathNote(spec);
}

function contextNote(spec: ModelSpec): string | null {
  const names = new Map(spec.microsystems.map((m) => [m.id, m.name]));
  const elements = [
    ...spec.microsystems.map((m) => ({
      where: m.name,
      failures: m.failures,
      known: microsystemKnown(spec, m),
    })),
    ...spec.handoffs.map((h) => ({
      where: `${names.get(h.from) ?? h.from} → ${names.get(h.to) ?? h.to}`,
      failures: h.failures,
      known: handoffKnown(spec, h),
    })),
  ];
  for (const { where, failures, known } of elements) {
    for (const f of failures) {
      const cls = spec.classes.find((c) => appliesTo(f, c.id) && classProbability(f, c.id, known) === null);
      if (cls === undefined) continue;
      const on = (f.when ?? []).flatMap((c) => [
        ...(c.offHours === null ? [] : ["whether the visit falls outside staffed hours"]),
        ...(c.loadAtLeast === null ? [] : ["how busy the microsystem is"]),
        ...(c.waitedAtLeast === null ? [] : ["how long the patient waited"]),
      ]);
      return (
        `how often "${f.name}" (${where}) happens depends on ${[...new Set(on)].join(" and ")}, ` +
        "which only the simulation follows patient by patient"
      );
    }
  }
  return null;
}

function deathNote(spec: ModelSpec): string | null {
  const m = spec.mortality;
  const at = m?.decidedAt ?? null;
  if (m === null || m === undefined || at === null || at.kind !== "microsystem") return null;
  const where = `${at.id}.${at.event}`;
  if (m.delays.length > 0)
    return (
      `the 30-day death drawn at ${where} ends journeys, and its risk there depends on ` +
      "time-to-treatment, which only the simulation follows patient by patient"
    );
  for (const c of spec.classes) {
    const harmful = harmBefore(spec, c.id, at.id, at.event === "end");
    if (harmful !== null)
      return (
        `the 30-day death drawn at ${where} ends journeys, and its risk there depends on whether ` +
        `"${harmful}" (a defect that multiplies the risk) happened before, so it is not the same for every patient`
      );
  }
  return null;
}

/**
 * The name of a failure mode with harm ≠ 1 that a patient of the class can meet before first
 * reaching microsystem `d` (or during that visit, when `andThere`), if any.
 */
function harmBefore(spec: ModelSpec, classId: string, d: string, andThere: boolean): string | null {
  const chain = buildChain(spec, classId, chainLookup(spec, true));
  const start = chain.index.get(classStart(spec, classId))!;
  const target = chain.index.get(d)!;
  const handoffs = new Map(spec.handoffs.map((h) => [handoffKey(h.from, h.to), h]));
  // (Called once contextNote found every p decided before the visit: classProbability is not null.)
  const harms = (failures: readonly FailureMode[], known: KnownContext): string | null =>
    failures.find(
      (f) => f.harm !== 1 && appliesTo(f, classId) && (classProbability(f, classId, known) ?? f.p) > 0,
    )?.name ?? null;
  const visitHarms = (i: number) =>
    harms(spec.microsystems[i]!.failures, microsystemKnown(spec, spec.microsystems[i]!));
  const seen = new Set<number>([start]);
  const stack = [start];
  while (stack.length > 0) {
    const i = stack.pop()!;
    if (i === target) {
      if (andThere) {
        const found = visitHarms(i);
        if (found !== null) return found;
      }
      continue;
    }
    const found = visitHarms(i);
    if (found !== null) return found;
    for (const [k, p] of chain.rows[i]!.transfer) {
      if (p <= 0) continue;
      const h = handoffs.get(handoffKey(chain.ids[i]!, chain.ids[k]!));
      const viaHandoff = h === undefined ? null : harms(h.failures, handoffKnown(spec, h));
      if (viaHandoff !== null) return viaHandoff;
    }
    for (const [j, p] of chain.rows[i]!.next) {
      if (p > 0 && !seen.has(j)) {
        seen.add(j);
        stack.push(j);
      }
    }
  }
  return null;
}

/** The death exit of a class's chain: its constant risk at `decided_at`; null without one. */
function deathExit(spec: ModelSpec, chain: ClassChain, classId: string): DeathExit | null {
  const at = spec.mortality?.decidedAt ?? null;
  if (at === null || at.kind !== "microsystem") return null;
  const risk = Math.min(1, own(spec.mortality!.base, classId) ?? 0);
  return { at: chain.index.get(at.id)!, event: at.event, risk };
}

function classStart(spec: ModelSpec, classId: string): string {
  const c = spec.classes.find((k) => k.id === classId);
  if (c === undefined) throw new AnalysisError(`unknown patient class "${classId}"`);
  return c.start;
}

/**
 * The chain of a class, its states (the microsystems, doubled by a death exit: markov.ts
 * `stateChain`), the states it can reach, and its start among them.
 */
export interface ClassSystem {
  chain: ClassChain;
  sc: StateChain;
  /** The death drawn at `decided_at` that ends journeys in the chain (then states ≠ microsystems). */
  death: DeathExit | null;
  start: number;
  /** States the class can reach from its start (sorted). */
  states: number[];
}

export function classSystem(spec: ModelSpec, classId: string, lookup = chainLookup(spec)): ClassSystem {
  const chain = buildChain(spec, classId, lookup);
  const start = classStart(spec, classId);
  const s = chain.index.get(start);
  if (s === undefined) throw new AnalysisError(`class "${classId}" starts at unknown microsystem "${start}"`);
  const death = deathExit(spec, chain, classId);
  const sc = stateChain(chain, death);
  // Only states the class can reach enter the systems: an unreachable closed loop must not make
  // them singular.
  return { chain, sc, death, start: s, states: reachable(sc.rows, s) };
}

/**
 * The clean system x = cleanEnd + Q·x of a class: x[i] = P(the rest of the journey is defect-free
 * | at i). With `inverses` (for variants: analysis/variants.ts) its loops are those of every
 * possible transition, not only the clean ones, so they hold for a variant too.
 */
export function cleanSystem(system: ClassSystem, classId: string, inverses = false): AbsorbingSystem {
  const rows = system.sc.rows;
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
  const { chain, sc, states, start: s } = system;
  // Expected arrivals in each state: a = e_s + Pᵀ·a, over the states the class can reach.
  const arrivals = explained(
    () =>
      new AbsorbingSystem(
        transpose(
          sc.rows.map((r) => r.next),
          states,
        ),
        states,
      ).solve((i) => (i === s ? 1 : 0)),
    classId,
  );
  const clean = cleanSystem(system, classId).solve((i) => sc.rows[i]!.cleanEnd);
  const visits = new Float64Array(chain.ids.length);
  arrivals.forEach((v, state) => {
    visits[sc.micro[state]!]! += v * sc.visitWeight[state]!;
  });
  // From each microsystem's first state the class reaches (before a death draw, if any).
  const defectFreeFrom = recordOf<number>();
  for (const i of states) {
    const id = chain.ids[sc.micro[i]!]!;
    if (!Object.hasOwn(defectFreeFrom, id)) defectFreeFrom[id] = probability(clean[i]!);
  }
  return {
    classId,
    share: spec.classes.find((c) => c.id === classId)!.share,
    start: chain.ids[s]!,
    defectFree: probability(clean[s]!),
    ...absorption(sc, arrivals),
    visits: recordOf(chain.ids.map((id, i) => [id, visits[i]!])),
    transfers: expectedTransfers(spec, chain, sc, arrivals),
    reliability: classReliabilities(chain),
    defectFreeFrom,
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

function absorption(
  sc: StateChain,
  arrivals: Float64Array,
): { dropped: number; completed: number; died: number } {
  let dropped = 0;
  let completed = 0;
  let died = 0;
  arrivals.forEach((v, s) => {
    dropped += v * sc.rows[s]!.drop;
    completed += v * sc.rows[s]!.complete;
    died += v * sc.died[s]!;
  });
  return { dropped, completed, died };
}

function expectedTransfers(
  spec: ModelSpec,
  chain: ClassChain,
  sc: StateChain,
  arrivals: Float64Array,
): Record<string, number> {
  // The states of each microsystem (one, or two with a death exit).
  const statesOf = chain.ids.map((): number[] => []);
  sc.micro.forEach((i, s) => {
    statesOf[i]!.push(s);
  });
  return recordOf(
    spec.handoffs.map((h) => {
      const i = chain.index.get(h.from);
      const k = chain.index.get(h.to);
      let transfer = 0;
      if (i !== undefined && k !== undefined)
        for (const s of statesOf[i]!) transfer += arrivals[s]! * (sc.rows[s]!.transfer.get(k) ?? 0);
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
    died: weighted(classes, (c) => c.died),
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
  // Lenient: a p that depends on the visit takes the mode's own p here, so the path exists for the
  // simulated cascade; exact figures never come from it then (exact() and summarize check first).
  const chain = buildChain(spec, cls, chainLookup(spec, true));
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

// The explanation of a model's reliability math as data: every number `explain` tells, in one plain
// JSON-ready object (`explain --json`). The text in explain.ts is rendered from it, so the two can
// never disagree.

import { own, recordOf } from "../engine/records.js";
import { appliesTo, defectProbability, handoffTargets } from "../model/rules.js";
import { type FailureMode, handoffKey, type ModelSpec } from "../model/spec.js";
import { type Analysis, analyze, eligibleRoutes, type Lever, mainPath, type PathStep } from "./analytic.js";
import { IHI_LEVELS, type ReliabilityLevel, type ReliabilityLevelId, reliabilityLevel } from "./ihi.js";
import { type RunOptions, run } from "./run.js";
import type { RunSummary } from "./summary.js";
import { perfectElementGains } from "./variants.js";

export interface ExplainedMode {
  id: string;
  name: string;
  p: number;
  detect: number;
  /** p · (1 − detect). */
  defect: number;
  /** Classes it applies to; null = all. */
  classes: string[] | null;
}

export interface ExplainedElement {
  kind: "microsystem" | "handoff";
  /** Microsystem id, or handoff key "from->to". */
  id: string;
  name: string;
  modes: ExplainedMode[];
  /** Over all patients (weighted by each class's visits there). */
  reliability: number;
  /** Per class. */
  byClass: Record<string, number>;
  level: ReliabilityLevelId;
  /** Expected visits (microsystem) or transfers (handoff) per journey, over all patients. */
  perJourney: number;
}

export interface ExplainedRoute {
  to: string;
  p: number;
  /** Reliability of the handoff taken on this route. */
  handoff: number;
  /** Probability that the rest of the journey is defect-free from `to`. */
  after: number;
}

/** A microsystem where a class's patients split: R(at) = own × Σ p × handoff × R(to). */
export interface ExplainedBranch {
  classId: string;
  at: string;
  own: number;
  routes: ExplainedRoute[];
  /** R(at): probability that the rest of the journey is defect-free from `at`. */
  after: number;
}

export interface ExplainedClass {
  id: string;
  share: number;
  start: string;
  defectFree: number;
  dropped: number;
  level: ReliabilityLevelId;
  /** The most common route, with the share still defect-free after each step. */
  path: PathStep[];
  /** Whether the most common route stops because it would return to a step already on it. */
  pathLoops: boolean;
  branches: ExplainedBranch[];
}

export interface SimulatedComparison {
  patients: number;
  estimate: number;
  ci95: [number, number];
  analytic: number;
  /** Whether the analytic value lies inside the simulated 95% interval. */
  inside: boolean;
  byClass: Record<string, { estimate: number; ci95: [number, number]; analytic: number; inside: boolean }>;
  guardStopped: number;
}

export interface Explanation {
  scenario: string;
  description: string;
  /** Every microsystem of the scenario, with its name. */
  microsystems: { id: string; name: string }[];
  /** The simulation's visit guard (the exact math has none). */
  maxVisits: number;
  /** Whether some failure mode can end the journey or send the patient elsewhere. */
  detours: boolean;
  levels: readonly ReliabilityLevel[];
  /** Elements some patient reaches, microsystems first, in scenario order. */
  elements: ExplainedElement[];
  classes: ExplainedClass[];
  /** Whether some journey can come back to a microsystem it already visited. */
  loops: boolean;
  whole: { defectFree: number; dropped: number; level: ReliabilityLevelId };
  /** The death drawn at `decided_at` as an exit of the chain (its risk is fixed per class); null without one. */
  death: { milestone: string; died: number } | null;
  /** Nolan & Berwick: all-or-none vs the mean of the item-by-item shares of the elements that can fail. */
  allOrNone: { defectFree: number; itemAverage: number | null; items: number };
  /** Every element that can fail, by gain if made perfect, largest first. */
  levers: Lever[];
  simulated: SimulatedComparison | null;
}

/**
 * The explanation of `model` (what `explain --json` prints): the exact math, and beside it a
 * simulation unless `simulate` is false. Throws AnalysisError when the routing has no exact answer.
 */
export async function explain(
  model: ModelSpec,
  options: RunOptions & { simulate?: boolean } = {},
): Promise<Explanation> {
  const analysis = analyze(model);
  const simulated = options.simulate === false ? undefined : await run(model, options);
  return explainJson(model, analysis, simulated);
}

/** Every number the explanation tells, as one plain JSON-ready object. */
export function explainJson(spec: ModelSpec, analysis: Analysis, simulated?: RunSummary): Explanation {
  const elements = explainElements(spec, analysis);
  const failing = elements.filter((e) => e.modes.length > 0);
  return {
    scenario: spec.name,
    description: spec.description,
    microsystems: spec.microsystems.map((m) => ({ id: m.id, name: m.name })),
    maxVisits: spec.maxVisits,
    detours: hasDetours(spec),
    levels: IHI_LEVELS,
    elements,
    classes: spec.classes.map((c) => explainClass(spec, analysis, c.id)),
    loops: hasLoop(spec),
    whole: {
      defectFree: analysis.overall.defectFree,
      dropped: analysis.overall.dropped,
      level: reliabilityLevel(analysis.overall.defectFree).id,
    },
    death: deathExit(spec, analysis),
    allOrNone: {
      defectFree: analysis.overall.defectFree,
      itemAverage:
        failing.length === 0 ? null : failing.reduce((s, e) => s + e.reliability, 0) / failing.length,
      items: failing.length,
    },
    levers: perfectElementGains(spec, analysis),
    simulated: simulated === undefined ? null : compareSimulated(analysis, simulated),
  };
}

function explainMode(f: FailureMode): ExplainedMode {
  return {
    id: f.id,
    name: f.name,
    p: f.p,
    detect: f.detect,
    defect: defectProbability(f),
    classes: f.classes,
  };
}

/** Only modes that apply to some class: a mode limited to absent classes never happens. */
function liveModes(spec: ModelSpec, modes: FailureMode[]): ExplainedMode[] {
  return modes.filter((f) => spec.classes.some((c) => appliesTo(f, c.id))).map(explainMode);
}

function explainElements(spec: ModelSpec, a: Analysis): ExplainedElement[] {
  const names = new Map(spec.microsystems.map((m) => [m.id, m.name]));
  const perClass = (get: (c: Analysis["byClass"][string]) => number): Record<string, number> =>
    recordOf(spec.classes.map((c) => [c.id, get(a.byClass[c.id]!)]));
  const micro = spec.microsystems.map(
    (m): ExplainedElement => ({
      kind: "microsystem",
      id: m.id,
      name: m.name,
      modes: liveModes(spec, m.failures),
      reliability: a.overall.reliability.microsystems[m.id]!,
      byClass: perClass((c) => c.reliability.microsystems[m.id]!),
      level: reliabilityLevel(a.overall.reliability.microsystems[m.id]!).id,
      perJourney: a.overall.visits[m.id]!,
    }),
  );
  const hand = spec.handoffs.map((h): ExplainedElement => {
    const key = handoffKey(h.from, h.to);
    return {
      kind: "handoff",
      id: key,
      name: `${names.get(h.from) ?? h.from} → ${names.get(h.to) ?? h.to}`,
      modes: liveModes(spec, h.failures),
      reliability: a.overall.reliability.handoffs[key]!,
      byClass: perClass((c) => c.reliability.handoffs[key]!),
      level: reliabilityLevel(a.overall.reliability.handoffs[key]!).id,
      perJourney: a.overall.transfers[key]!,
    };
  });
  return [...micro, ...hand].filter((e) => e.perJourney > 0);
}

function explainClass(spec: ModelSpec, a: Analysis, classId: string): ExplainedClass {
  const c = a.byClass[classId]!;
  const path = mainPath(spec, classId);
  const last = path.at(-1)!;
  const lastRoutes = eligibleRoutes(spec.microsystems.find((m) => m.id === last.element)!, classId);
  return {
    id: classId,
    share: c.share,
    start: c.start,
    defectFree: c.defectFree,
    dropped: c.dropped,
    level: reliabilityLevel(c.defectFree).id,
    path,
    pathLoops: lastRoutes.length > 0,
    branches: explainBranches(spec, a, classId),
  };
}

function explainBranches(spec: ModelSpec, a: Analysis, classId: string): ExplainedBranch[] {
  const c = a.byClass[classId]!;
  const branches: ExplainedBranch[] = [];
  for (const m of spec.microsystems) {
    const after = own(c.defectFreeFrom, m.id);
    const routes = eligibleRoutes(m, classId);
    if (after === undefined || routes.length < 2) continue;
    branches.push({
      classId,
      at: m.id,
      own: c.reliability.microsystems[m.id]!,
      routes: routes.map((r) => ({
        to: r.to,
        p: r.p,
        handoff: own(c.reliability.handoffs, handoffKey(m.id, r.to)) ?? 1,
        after: own(c.defectFreeFrom, r.to) ?? 0,
      })),
      after,
    });
  }
  return branches;
}

function deathExit(spec: ModelSpec, a: Analysis): Explanation["death"] {
  const at = spec.mortality?.decidedAt ?? null;
  if (at === null || at.kind !== "microsystem") return null;
  return { milestone: `${at.id}.${at.event}`, died: a.overall.died };
}

/** Whether any failure mode can end the journey or send the patient elsewhere. */
function hasDetours(spec: ModelSpec): boolean {
  const modes = [
    ...spec.microsystems.flatMap((m) => m.failures),
    ...spec.handoffs.flatMap((h) => h.failures),
  ];
  return modes.some((f) => f.drop || f.goto !== null);
}

/** Whether the graph of routes and gotos (microsystem and handoff) has a cycle. */
function hasLoop(spec: ModelSpec): boolean {
  const out = new Map<string, Set<string>>(
    spec.microsystems.map((m) => [m.id, new Set(handoffTargets(m.next, m.failures))]),
  );
  for (const h of spec.handoffs) for (const f of h.failures) if (f.goto) out.get(h.from)?.add(f.goto);
  const state = new Map<string, "open" | "done">();
  const visit = (id: string): boolean => {
    if (state.get(id) === "open") return true;
    if (state.get(id) === "done") return false;
    state.set(id, "open");
    const found = [...(out.get(id) ?? [])].some(visit);
    state.set(id, "done");
    return found;
  };
  return spec.microsystems.some((m) => visit(m.id));
}

function compareSimulated(a: Analysis, s: RunSummary): SimulatedComparison {
  const inside = (x: number, ci: [number, number]): boolean => x >= ci[0] && x <= ci[1];
  const byClass: SimulatedComparison["byClass"] = recordOf();
  for (const [id, c] of Object.entries(s.reliability.by_class)) {
    const analytic = own(a.byClass, id)?.defectFree;
    if (analytic === undefined) continue;
    byClass[id] = { estimate: c.estimate, ci95: c.ci95, analytic, inside: inside(analytic, c.ci95) };
  }
  return {
    patients: s.patients,
    estimate: s.reliability.estimate,
    ci95: s.reliability.ci95,
    analytic: a.overall.defectFree,
    inside: inside(a.overall.defectFree, s.reliability.ci95),
    byClass,
    guardStopped: s.outcomes.guard_stopped,
  };
}

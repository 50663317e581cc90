// The journey graph as the simulator will walk it (docs/semantics.md points 4 and 5), built from
// the view for the checks: routes (written or implied), gotos and ends. The rules themselves
// (eligibility per class, which modes apply, defect probability, handoff edges) are the model's
// (src/model/rules.ts), applied here to the file's raw tree.

import { appliesTo, defectProbability, eligibleRoutes, handoffTargets } from "../../model/rules.js";
import { handoffKey } from "../../model/spec.js";
import type { FailureModeInput, MicrosystemInput } from "../format.js";
import type { Path } from "../issues.js";
import { probabilityOrNull } from "../uncertain.js";
import { parseProbability } from "../units.js";
import { type Entry, originalIndex, type ScenarioView } from "../view.js";

export interface RouteRef {
  to: string;
  p: number | undefined;
  classes: string[] | undefined;
  /** The route's path; for an implied route (no `next`), the microsystem's id. */
  path: Path;
}

/** Routes out of a microsystem: its `next`, else the next microsystem in the list, else none. */
export function routesOf(view: ScenarioView, entry: Entry<MicrosystemInput>): RouteRef[] {
  const base: Path = ["microsystems", entry.index];
  if (entry.value.next === undefined) {
    const following = view.ids.microsystems[entry.index + 1];
    return following === undefined
      ? []
      : [{ to: following, p: undefined, classes: undefined, path: [...base, "id"] }];
  }
  return entry.value.next.map((route, j) => ({
    to: route.to,
    p: route.p === undefined ? undefined : (parseProbability(route.p) ?? undefined),
    classes: route.classes,
    path: [...base, "next", originalIndex(entry, "next", j)],
  }));
}

/** The probability that the mode, as written, produces a defect (the rule on its parsed numbers). */
function defectChance(mode: FailureModeInput): number {
  return defectProbability({
    p: probabilityOrNull(mode.p) ?? 0,
    detect: probabilityOrNull(mode.detect) ?? 0,
  });
}

/** Whether the mode can produce a defect: p·(1 − detect) > 0. */
export function canCauseDefect(mode: FailureModeInput): boolean {
  return defectChance(mode) > 0;
}

/**
 * Lookups by id over a view, built once per view: a check asks for the handoff of every edge and
 * the start of every class, and a linear search each time made 4,000 listed handoffs cost 2.7 s.
 */
interface ViewIndex {
  /** The first listed handoff of each edge "from->to". */
  handoffs: Map<string, FailureModeInput[] | undefined>;
  /** The first class of each id: its own start. */
  starts: Map<string, string | undefined>;
}

const indexes = new WeakMap<ScenarioView, ViewIndex>();

function indexOf(view: ScenarioView): ViewIndex {
  let index = indexes.get(view);
  if (index === undefined) {
    index = { handoffs: new Map(), starts: new Map() };
    for (const h of view.handoffs) {
      const key = handoffKey(h.value.from, h.value.to);
      if (!index.handoffs.has(key)) index.handoffs.set(key, h.value.failures);
    }
    for (const c of view.classes ?? [])
      if (!index.starts.has(c.value.id)) index.starts.set(c.value.id, c.value.start);
    indexes.set(view, index);
  }
  return index;
}

/** The failure modes of the handoff `from → to`: listed ones, else those of handoff_defaults. */
export function handoffFailures(view: ScenarioView, from: string, to: string): FailureModeInput[] {
  const listed = indexOf(view).handoffs.get(handoffKey(from, to));
  return listed ?? view.defaultFailures;
}

/** Microsystem where journeys of a class start: its own start, the scenario's, the first one. */
export function classStart(view: ScenarioView, cls: string): string | undefined {
  const own = indexOf(view).starts.get(cls);
  return own ?? view.top.start ?? view.ids.microsystems[0];
}

/** Every handoff edge: route targets and microsystem-level goto targets. */
export function handoffEdges(view: ScenarioView): Set<string> {
  const edges = new Set<string>();
  for (const entry of view.microsystems) {
    const from = entry.value.id;
    for (const to of handoffTargets(
      routesOf(view, entry),
      entry.value.failures ?? [],
      renegeGoto(entry.value),
    ))
      edges.add(handoffKey(from, to));
  }
  return edges;
}

export interface Step {
  /** Microsystems a patient of the class can go to next. */
  next: Set<string>;
  /** Whether a journey of the class can end here (no route onward, or a drop here or on the way out). */
  ends: boolean;
}

/** The journey graph of one class. */
export function journeyGraph(view: ScenarioView, cls: string): Map<string, Step> {
  const graph = new Map<string, Step>();
  for (const entry of view.microsystems) graph.set(entry.value.id, stepOf(view, entry, cls));
  return graph;
}

function stepOf(view: ScenarioView, entry: Entry<MicrosystemInput>, cls: string): Step {
  const from = entry.value.id;
  const defects = (entry.value.failures ?? []).filter((m) => appliesTo(m, cls) && canCauseDefect(m));
  const routes = eligibleRoutes(routesOf(view, entry), cls)
    .filter((r) => r.p !== 0)
    .map((r) => r.to);
  const gotos = defects.flatMap((m) => (m.goto === undefined ? [] : [m.goto]));
  const renege = renegeGoto(entry.value);
  const next = new Set([...routes, ...gotos, ...(renege === null ? [] : [renege])]);
  // Without a route onward the journey ends here, unless a goto defect is certain to send it on:
  // a goto happens only on a defect, so a possible goto does not stop the journey from ending.
  const certainGoto = defects.some((m) => m.goto !== undefined && defectChance(m) === 1);
  let ends = (routes.length === 0 && !certainGoto) || defects.some((m) => m.drop);
  for (const to of [...next]) {
    const onTheWay = handoffFailures(view, from, to).filter((m) => appliesTo(m, cls) && canCauseDefect(m));
    ends ||= onTheWay.some((m) => m.drop);
    for (const m of onTheWay) if (m.goto !== undefined) next.add(m.goto);
  }
  return { next, ends };
}

/** Where a patient who waited `max_wait` goes (`then: { goto }`), or null. */
export function renegeGoto(m: MicrosystemInput): string | null {
  return m.max_wait !== undefined && m.then !== undefined && m.then !== "leave" ? m.then.goto : null;
}

/** Microsystems reachable from `starts` in `graph` (the starts included). */
export function reachableFrom(graph: ReadonlyMap<string, Step>, starts: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const queue = [...starts];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(graph.get(id)?.next ?? []));
  }
  return seen;
}

/** Microsystems from which an end can be reached in `graph`. */
export function canEnd(graph: ReadonlyMap<string, Step>): Set<string> {
  const incoming = new Map<string, string[]>();
  for (const [from, step] of graph)
    for (const to of step.next) {
      const list = incoming.get(to);
      if (list === undefined) incoming.set(to, [from]);
      else list.push(from);
    }
  // A route to an unknown microsystem is reported as such; counting it as an end avoids a second,
  // misleading "no end" error for the same typo.
  const ends = [...graph]
    .filter(([, step]) => step.ends || [...step.next].some((to) => !graph.has(to)))
    .map(([id]) => id);
  const seen = new Set<string>();
  const queue = [...ends];
  for (let id = queue.pop(); id !== undefined; id = queue.pop()) {
    if (seen.has(id)) continue;
    seen.add(id);
    queue.push(...(incoming.get(id) ?? []));
  }
  return seen;
}

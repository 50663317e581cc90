// The rules of a journey (docs/semantics.md points 3–5), each written once. The simulator
// (compiled.ts, journey.ts), the exact analysis (analysis/markov.ts) and the scenario checks
// (scenario/checks/graph.ts, scenario/compile.ts) all apply these functions. They are generic over
// the least structure they need, so the checks can apply them to a scenario file's raw tree (where
// a missing `classes` is undefined) as well as to the model (where it is null).
//
// A new rule of the journey (capacity, a death at a milestone…) belongs here too.

/** Something reserved for some patient classes; none listed (null or undefined) = every class. */
export interface ClassLimited {
  readonly classes?: readonly string[] | null;
}

/** §3: a failure mode applies to a class when it lists no classes or lists this one. */
export function appliesTo(item: ClassLimited, classId: string): boolean {
  return item.classes === null || item.classes === undefined || item.classes.includes(classId);
}

/**
 * §4: the routes a class may take out of a microsystem: those reserved for it (listing it) if there
 * are any, otherwise those for every class. None = the journey ends there.
 */
export function eligibleRoutes<R extends ClassLimited>(routes: readonly R[], classId: string): R[] {
  const reserved = routes.filter((r) => r.classes?.includes(classId));
  return reserved.length > 0 ? reserved : routes.filter((r) => r.classes === null || r.classes === undefined);
}

/** §4: the share of eligible patients taking a route; a lone route may leave it out (= 1). */
export function routeShare(route: { readonly p?: number | null }): number {
  return route.p ?? 1;
}

/** §3: the probability that one draw of a mode is a defect: it occurs and is not caught. */
export function defectProbability(mode: { readonly p: number; readonly detect: number }): number {
  return mode.p * (1 - mode.detect);
}

/** A failure mode as the rules see it. */
export interface ModeRule<G> extends ClassLimited {
  readonly p: number;
  readonly detect: number;
  readonly drop: boolean;
  /** Where a defect sends the patient; null = nowhere. */
  readonly goto: G | null;
}

/** §3: per-visit (per-transfer) reliability for a class: Π over applicable modes of (1 − p·(1 − detect)). */
export function elementReliability(modes: readonly ModeRule<unknown>[], classId: string): number {
  let r = 1;
  for (const mode of modes) if (appliesTo(mode, classId)) r *= 1 - defectProbability(mode);
  return r;
}

/**
 * What one visit (or transfer) does to a journey of a class, as probabilities summing to 1 (§4):
 * `drop` (any defect that drops the journey), `gotos` (no drop, and the first goto defect in list
 * order sends the patient to that target), `pass` (no drop or goto defect: the journey goes on
 * normally). `survive` = no defect at all. Modes are independent.
 */
export interface ElementOutcome<G> {
  survive: number;
  drop: number;
  gotos: Map<G, number>;
  pass: number;
}

export function elementOutcome<G>(modes: readonly ModeRule<G>[], classId: string): ElementOutcome<G> {
  const applicable = modes.filter((m) => appliesTo(m, classId));
  // A drop wins over a goto, so a mode with both counts only as a drop.
  let noDrop = 1;
  for (const m of applicable) if (m.drop) noDrop *= 1 - defectProbability(m);
  const gotos = new Map<G, number>();
  // The first goto defect in list order decides; earlier goto modes must all have stayed clean.
  let noGotoYet = noDrop;
  for (const m of applicable) {
    if (m.drop || m.goto === null) continue;
    const q = defectProbability(m);
    gotos.set(m.goto, (gotos.get(m.goto) ?? 0) + noGotoYet * q);
    noGotoYet *= 1 - q;
  }
  return { survive: elementReliability(applicable, classId), drop: 1 - noDrop, gotos, pass: noGotoYet };
}

/**
 * §4 as the simulator applies it, defect by defect: the goto target kept so far (−1 = none) after
 * a defect of `mode`. The first goto defect of a step wins; a mode that drops sends nowhere (the
 * drop wins, and the journey ends before any goto is followed).
 */
export function keptGoto(kept: number, mode: { readonly drop: boolean; readonly goto: number }): number {
  return kept >= 0 || mode.drop ? kept : mode.goto;
}

/**
 * §5: the handoffs out of a microsystem, by target: its route targets, then the targets of its own
 * failure modes' gotos (a goto travels through handoff m → target), each once, in that order.
 */
export function handoffTargets(
  routes: readonly { readonly to: string }[],
  modes: readonly { readonly goto?: string | null }[],
): string[] {
  const targets = [...routes.map((r) => r.to)];
  for (const m of modes) if (m.goto !== null && m.goto !== undefined) targets.push(m.goto);
  return [...new Set(targets)];
}

/**
 * A relative risk on a probability (a variant's effect, docs/semantics.md §9): `p × relativeRisk`,
 * at most 1, rounded to 15 significant digits so that 0.2 × 0.77 is the 0.154 a person writes, not
 * 0.15400000000000003 (floating-point noise, far below any draw's resolution).
 */
export function scaledProbability(p: number, relativeRisk: number): number {
  return Math.min(1, Number((p * relativeRisk).toPrecision(15)));
}

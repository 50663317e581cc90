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
  renegeGoto: string | null | undefined = null,
): string[] {
  const targets = [...routes.map((r) => r.to)];
  for (const m of modes) if (m.goto !== null && m.goto !== undefined) targets.push(m.goto);
  // A patient who waited too long (`max_wait` with `then: { goto }`) travels through m → target too.
  if (renegeGoto !== null && renegeGoto !== undefined) targets.push(renegeGoto);
  return [...new Set(targets)];
}

/**
 * The mean minutes the failures of one visit (transfer) of a class add to it: the delay of a
 * defect (p·(1 − detect)), the recovery of a near miss (p·detect). At a microsystem this time
 * holds capacity (§2), so offered load counts it with the service time.
 */
export function meanFailureMinutes(
  modes: readonly (ModeRule<unknown> & { readonly delayMean: number; readonly recoverMean: number })[],
  classId: string,
): number {
  let total = 0;
  for (const m of modes) {
    if (!appliesTo(m, classId)) continue;
    total += m.p * (1 - m.detect) * m.delayMean + m.p * m.detect * m.recoverMean;
  }
  return total;
}

/**
 * A relative risk on a probability (a variant's effect, docs/semantics.md §9): `p × relativeRisk`,
 * at most 1, rounded to 15 significant digits so that 0.2 × 0.77 is the 0.154 a person writes, not
 * 0.15400000000000003 (floating-point noise, far below any draw's resolution).
 */
export function scaledProbability(p: number, relativeRisk: number): number {
  return Math.min(1, Number((p * relativeRisk).toPrecision(15)));
}

// ---------------------------------------------------------------------------------------------
// Capacity (docs/semantics.md, "Capacity"): the week covered by staffing shifts and staffed hours,
// the queue priority of a class, and when waiting can make a patient leave.

const DAY = 1440;
const WEEK = 7 * DAY;

/** A span repeated on some days of the week: a shift (`from`–`to`) or staffed hours (`open`–`close`). */
export interface WeeklySpan {
  /** Minutes from midnight. */
  readonly from: number;
  /** Minutes from midnight; at or before `from` runs past midnight (equal = 24 hours). */
  readonly to: number;
  /** Days (0 = Monday … 6 = Sunday) on which the span starts. */
  readonly days: readonly number[];
}

/** [start, end) minutes of the week a span covers, in day order, split where the week ends. */
export function weeklyIntervals(span: WeeklySpan): [number, number][] {
  const length = span.to > span.from ? span.to - span.from : DAY - span.from + span.to;
  const out: [number, number][] = [];
  for (const day of span.days) {
    const start = day * DAY + span.from;
    const end = start + length;
    if (end <= WEEK) out.push([start, end]);
    else out.push([start, WEEK], [0, end - WEEK]);
  }
  return out;
}

/** How a list of spans covers the week: the stretches no span covers, and the first overlap. */
export interface WeekCoverage {
  gaps: [number, number][];
  /** Two spans (indices, the earlier first) covering the same minute `at`; null when none overlap. */
  overlap: { first: number; second: number; at: number } | null;
}

export function weekCoverage(spans: readonly WeeklySpan[]): WeekCoverage {
  const pieces = spans
    .flatMap((span, i) => weeklyIntervals(span).map(([start, end]) => ({ start, end, i })))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const gaps: [number, number][] = [];
  let overlap: WeekCoverage["overlap"] = null;
  let reach = 0;
  let owner = -1;
  for (const piece of pieces) {
    if (piece.start > reach) gaps.push([reach, piece.start]);
    else if (piece.start < reach && overlap === null && piece.end > piece.start) {
      overlap = {
        first: Math.min(owner, piece.i),
        second: Math.max(owner, piece.i),
        at: piece.start,
      };
    }
    if (piece.end > reach) {
      reach = piece.end;
      owner = piece.i;
    }
  }
  if (reach < WEEK) gaps.push([reach, WEEK]);
  return { gaps, overlap };
}

/** The longest stretch of the week (wrapping round) that no span covers: Infinity when none covers any. */
export function longestUncovered(spans: readonly WeeklySpan[]): number {
  const { gaps } = weekCoverage(spans);
  if (gaps.length === 1 && gaps[0]![0] === 0 && gaps[0]![1] === WEEK) return Number.POSITIVE_INFINITY;
  let longest = 0;
  for (const [a, b] of gaps) longest = Math.max(longest, b - a);
  // A gap at the week's end and one at its start are one stretch across Sunday midnight.
  const first = gaps[0];
  const last = gaps[gaps.length - 1];
  if (first !== undefined && last !== undefined && first !== last && first[0] === 0 && last[1] === WEEK)
    longest = Math.max(longest, first[1] - first[0] + last[1] - last[0]);
  return longest;
}

/** Staffed hours as a weekly span. */
export function hoursSpan(hours: { open: number; close: number; days: readonly number[] }): WeeklySpan {
  return { from: hours.open, to: hours.close, days: hours.days };
}

/** A class's queue priority at a microsystem: the microsystem's override, else the class's, else 0. */
export function queuePriority(
  microsystem: { readonly priority?: Readonly<Record<string, number>> | null },
  cls: { readonly id: string; readonly priority?: number },
): number {
  const own = microsystem.priority;
  if (own !== null && own !== undefined && Object.hasOwn(own, cls.id)) return own[cls.id]!;
  return cls.priority ?? 0;
}

/**
 * Whether a patient can ever renege at this microsystem, i.e. wait `max_wait` for a place. A wait
 * for a place needs a limit on places (a capacity, shifts or a shared resource), and limits
 * apply only when patients arrive over time; a wait for the opening (`until_open`) lasts at most
 * the longest closed stretch of the week. When neither can reach `max_wait`, nobody reneges and
 * the routing's exact answer still holds.
 */
export function renegingPossible(
  m: {
    readonly maxWait?: { readonly after: number } | null;
    readonly capacity: number | null;
    readonly shifts?: readonly unknown[] | null;
    readonly uses?: string | null;
    readonly untilOpen?: boolean;
    readonly hours: { open: number; close: number; days: readonly number[] } | null;
  },
  arrivals: boolean,
): boolean {
  const maxWait = m.maxWait?.after;
  if (maxWait === undefined) return false;
  const limited = m.capacity !== null || (m.shifts?.length ?? 0) > 0 || (m.uses ?? null) !== null;
  if (arrivals && limited) return true;
  if (m.untilOpen === true && m.hours !== null) return longestUncovered([hoursSpan(m.hours)]) >= maxWait;
  return false;
}

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
  /** §3 `unless`: positions, in the same element's list, of the earlier modes that suppress this one. */
  readonly unlessAt?: readonly number[];
}

/** §3: per-visit (per-transfer) reliability for a class: Π over applicable modes of (1 − p·(1 − detect)). */
export function elementReliability(modes: readonly ModeRule<unknown>[], classId: string): number {
  let r = 1;
  // `unless` keeps the product rule: on a visit with no defect every mode was drawn.
  for (const mode of modes) if (appliesTo(mode, classId)) r *= 1 - defectProbability(mode);
  return r;
}

/**
 * §3 `unless`: a mode is drawn only when none of the earlier modes it names produced a defect on
 * this visit (`hadDefect(position)`).
 */
export function suppressed(
  unlessAt: readonly number[] | undefined,
  hadDefect: (at: number) => boolean,
): boolean {
  if (unlessAt === undefined) return false;
  for (const at of unlessAt) if (hadDefect(at)) return true;
  return false;
}

/**
 * What one visit (or transfer) does to a journey of a class, as probabilities summing to 1 (§4):
 * `drop` (any defect that drops the journey), `gotos` (no drop, and the first goto defect in list
 * order sends the patient to that target), `pass` (no drop or goto defect: the journey goes on
 * normally). `survive` = no defect at all. Modes are independent, except that a mode with `unless`
 * is not drawn after a defect of a mode it names.
 */
export interface ElementOutcome<G> {
  survive: number;
  drop: number;
  gotos: Map<G, number>;
  pass: number;
}

export function elementOutcome<G>(modes: readonly ModeRule<G>[], classId: string): ElementOutcome<G> {
  if (modes.some((m) => (m.unlessAt?.length ?? 0) > 0)) return conditionalOutcome(modes, classId);
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
 * Most distinct modes of one element that `unless` lists may name: the exact outcome of a visit
 * then enumerates at most 2^12 combinations of their defects (docs/semantics.md §3).
 */
export const MAX_UNLESS_TARGETS = 12;

/**
 * The visit's outcome when some modes have `unless`: an exact walk over the modes in list order,
 * keeping the probability of every combination of (defects of the modes still named by a later
 * `unless`, dropped, first goto target). Each mode either is suppressed, or splits each
 * combination into a defect (p·(1 − detect)) and no defect.
 */
function conditionalOutcome<G>(modes: readonly ModeRule<G>[], classId: string): ElementOutcome<G> {
  const named = new Set(modes.flatMap((m) => m.unlessAt ?? []));
  if (named.size > MAX_UNLESS_TARGETS)
    throw new RangeError(`unless names ${named.size} modes of one element, at most ${MAX_UNLESS_TARGETS}`);
  const bit = new Map([...named].sort((a, b) => a - b).map((at, i) => [at, 1 << i]));
  interface State {
    mask: number;
    dropped: boolean;
    goto: G | null;
    p: number;
  }
  let states = new Map<string, State>([["0", { mask: 0, dropped: false, goto: null, p: 1 }]]);
  const add = (into: Map<string, State>, s: Omit<State, "p">, p: number, gotoKey: number): void => {
    if (p === 0) return;
    const key = `${s.mask}|${s.dropped ? 1 : 0}|${gotoKey}`;
    const found = into.get(key);
    if (found === undefined) into.set(key, { ...s, p });
    else found.p += p;
  };
  const gotoKeys = new Map<G, number>();
  const gotoKey = (g: G | null): number => {
    if (g === null) return -1;
    if (!gotoKeys.has(g)) gotoKeys.set(g, gotoKeys.size);
    return gotoKeys.get(g)!;
  };
  modes.forEach((m, at) => {
    if (!appliesTo(m, classId)) return;
    const q = defectProbability(m);
    const next = new Map<string, State>();
    for (const s of states.values()) {
      if (suppressed(m.unlessAt, (k) => (s.mask & (bit.get(k) ?? 0)) !== 0)) {
        add(next, s, s.p, gotoKey(s.goto));
        continue;
      }
      add(next, s, s.p * (1 - q), gotoKey(s.goto));
      const hit = {
        mask: s.mask | (bit.get(at) ?? 0),
        dropped: s.dropped || m.drop,
        goto: s.goto !== null || m.drop ? s.goto : m.goto,
      };
      add(next, hit, s.p * q, gotoKey(hit.goto));
    }
    states = next;
  });
  let drop = 0;
  let pass = 0;
  const gotos = new Map<G, number>();
  for (const s of states.values()) {
    if (s.dropped) drop += s.p;
    else if (s.goto === null) pass += s.p;
    else gotos.set(s.goto, (gotos.get(s.goto) ?? 0) + s.p);
  }
  return { survive: elementReliability(modes, classId), drop, gotos, pass };
}

/**
 * For each mode of the list, the probability that it is drawn on a visit of the class (not
 * suppressed by `unless`): 1 without `unless`; otherwise the share of the walk's combinations, at
 * its position, where none of the modes it names produced a defect. (0 for a mode that does not
 * apply to the class.) Its occurrences per visit are then drawn × p.
 */
export function drawnShares(modes: readonly ModeRule<unknown>[], classId: string): number[] {
  const named = [...new Set(modes.flatMap((m) => m.unlessAt ?? []))].sort((a, b) => a - b);
  if (named.length > MAX_UNLESS_TARGETS)
    throw new RangeError(`unless names ${named.length} modes of one element, at most ${MAX_UNLESS_TARGETS}`);
  const bit = new Map(named.map((at, i) => [at, 1 << i]));
  // Probability of each combination of defects of the named modes, walking the list in order.
  let masks = new Map<number, number>([[0, 1]]);
  return modes.map((m, at) => {
    if (!appliesTo(m, classId)) return 0;
    let drawn = 0;
    const q = defectProbability(m);
    const next = new Map<number, number>();
    const add = (mask: number, p: number) => next.set(mask, (next.get(mask) ?? 0) + p);
    for (const [mask, p] of masks) {
      if (suppressed(m.unlessAt, (k) => (mask & (bit.get(k) ?? 0)) !== 0)) {
        add(mask, p);
        continue;
      }
      drawn += p;
      const b = bit.get(at) ?? 0;
      if (b === 0) add(mask, p);
      else {
        add(mask, p * (1 - q));
        add(mask | b, p * q);
      }
    }
    masks = next;
    return drawn;
  });
}

// --- §3 `when`: the visit's context sets p ---------------------------------------------------

/** What a `when` condition may ask about the visit (docs/semantics.md §3). */
export interface VisitContext {
  classId: string;
  /** Outside the element's staffed hours when its service starts (capacity gained). */
  offHours: boolean;
  /** (patients in service + waiting) / capacity found on arrival, before joining; 0 = unlimited. */
  load: number;
  /** Minutes waited for capacity before this visit's service. */
  waited: number;
}

/** A `when` condition: every key given (not null/undefined) must hold; then `p` applies. */
export interface ConditionRule {
  readonly offHours?: boolean | null;
  readonly loadAtLeast?: number | null;
  readonly waitedAtLeast?: number | null;
  readonly classes?: readonly string[] | null;
  readonly p: number;
}

const given = <T>(x: T | null | undefined): x is T => x !== null && x !== undefined;

/** Whether a condition holds for a visit: all of its keys do. */
export function conditionHolds(c: ConditionRule, ctx: VisitContext): boolean {
  return (
    (!given(c.offHours) || c.offHours === ctx.offHours) &&
    (!given(c.loadAtLeast) || ctx.load >= c.loadAtLeast) &&
    (!given(c.waitedAtLeast) || ctx.waited >= c.waitedAtLeast) &&
    (!given(c.classes) || c.classes.includes(ctx.classId))
  );
}

/**
 * §3: the mode's probability for this visit: the `p` of the first condition that holds, else the
 * mode's own `p`. `condition` is that condition's position (−1 = none).
 */
export function visitProbability(
  mode: { readonly p: number; readonly when?: readonly ConditionRule[] | null },
  ctx: VisitContext,
): { p: number; condition: number } {
  const when = mode.when ?? [];
  for (let i = 0; i < when.length; i++)
    if (conditionHolds(when[i]!, ctx)) return { p: when[i]!.p, condition: i };
  return { p: mode.p, condition: -1 };
}

/**
 * What every visit of an element has in common before any simulation: a value every visit has, or
 * undefined when it varies from visit to visit (docs/semantics.md §3, "Exactness").
 */
export interface KnownContext {
  offHours?: boolean;
  load?: number;
  waited?: number;
}

/** The microsystem fields that decide what its visits are known to find. */
export interface PlacesOf {
  readonly capacity: number | null;
  readonly shifts?: readonly unknown[] | null;
  readonly uses?: string | null;
  readonly untilOpen?: boolean;
  readonly hours: StaffedHoursLike | null;
}

type StaffedHoursLike = { open: number; close: number; days: readonly number[] };

/** A limit on places: a capacity, shifts, or a shared resource. */
function limited(m: PlacesOf): boolean {
  return m.capacity !== null || (m.shifts?.length ?? 0) > 0 || (m.uses ?? null) !== null;
}

/**
 * What the visits of microsystem `m` are known to find (for a handoff: the sending microsystem's
 * visit, with the handoff's own `hours` if it has them): no staffed hours (or hours around the
 * clock), never off-hours; no
 * arrivals or no limit on places, a load of 0 — and no wait, unless it waits for an opening.
 */
export function knownContext(m: PlacesOf, hours: StaffedHoursLike | null, arrivals: boolean): KnownContext {
  const known: KnownContext = {};
  // No hours, or hours that staff the whole week ("00:00" to "24:00" every day): never off-hours.
  if (hours === null || longestUncovered([hoursSpan(hours)]) === 0) known.offHours = false;
  if (!arrivals || !limited(m)) {
    known.load = 0;
    if (!(m.untilOpen === true && m.hours !== null)) known.waited = 0;
  }
  return known;
}

/** Whether the condition holds for every visit (true), for none (false), or varies (null). */
function knownHolds(c: ConditionRule, classId: string, known: KnownContext): boolean | null {
  if (given(c.classes) && !c.classes.includes(classId)) return false;
  const keys: [boolean, boolean | undefined][] = [
    [given(c.offHours), known.offHours === undefined ? undefined : c.offHours === known.offHours],
    [given(c.loadAtLeast), known.load === undefined ? undefined : known.load >= c.loadAtLeast!],
    [given(c.waitedAtLeast), known.waited === undefined ? undefined : known.waited >= c.waitedAtLeast!],
  ];
  let varies = false;
  for (const [asked, holds] of keys) {
    if (!asked) continue;
    if (holds === false) return false;
    if (holds === undefined) varies = true;
  }
  return varies ? null : true;
}

/**
 * The mode's probability for every visit of a class when it is decided before the visit: by the
 * class (conditions on `classes` only), or by what every visit of the element is known to find
 * (`known`: e.g. an `off_hours` condition where there are no staffed hours never holds). Null when
 * it depends on the visit's moment, load or wait: then no exact figure exists.
 */
export function classProbability(
  mode: { readonly p: number; readonly when?: readonly ConditionRule[] },
  classId: string,
  known: KnownContext = {},
): number | null {
  for (const c of mode.when ?? []) {
    const holds = knownHolds(c, classId, known);
    if (holds === null) return null;
    if (holds) return c.p;
  }
  return mode.p;
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
  if (arrivals && limited(m)) return true;
  if (m.untilOpen === true && m.hours !== null) return longestUncovered([hoursSpan(m.hours)]) >= maxWait;
  return false;
}

// A valid scenario compiled to the model the simulator runs: every time in minutes, every default
// filled in, a handoff for every edge. Only called once the schema and the checks found no error.

import { handoffTargets } from "../model/rules.js";
import {
  type Arrivals,
  type Background,
  type CapacityShift,
  type Distribution,
  type FailureMode,
  type Handoff,
  handoffKey,
  type Metric,
  type Microsystem,
  type Milestone,
  type MilestoneEvent,
  type ModeCondition,
  type ModelSpec,
  type Mortality,
  type PatientClass,
  type Route,
  type SharedResource,
  type StaffedHours,
} from "../model/spec.js";
import type {
  BackgroundInput,
  CapacityInput,
  ConditionInput,
  DistributionInput,
  FailureModeInput,
  HandoffInput,
  MetricInput,
  MicrosystemInput,
  ResourceInput,
  Scenario,
  StepTimeInput,
} from "./format.js";
import { MAX_VISITS } from "./limits.js";
import { emptyRecord } from "./source-map.js";
import {
  compileParameters,
  isProbabilityObject,
  plainMultiplier,
  plainProbability,
  scaledProbability,
} from "./uncertain.js";
import { DAY_NAMES, dayIndex, parseClock, parseProbability, parseTime } from "./units.js";
import { DEFAULT_CLASS } from "./view.js";

/** Replications when the file does not say: several with arrivals (for queue CIs), else one. */
const DEFAULT_REPLICATIONS_WITH_ARRIVALS = 10;

export function compileScenario(s: Scenario): ModelSpec {
  const start = s.start ?? s.microsystems[0]?.id ?? "";
  const classes = compileClasses(s, start);
  const classIds = classes.map((c) => c.id);
  const microsystems = s.microsystems.map((m, i) =>
    compileMicrosystem(m, s.microsystems[i + 1]?.id, classIds),
  );
  const arrivals = s.arrivals ? compileArrivals(s.arrivals) : null;
  const handoffs = compileHandoffs(s, microsystems, classIds);
  return {
    name: s.name,
    description: s.description ?? "",
    seed: s.seed,
    patients: s.patients,
    classes,
    arrivals,
    replications: s.replications ?? (arrivals ? Math.min(DEFAULT_REPLICATIONS_WITH_ARRIVALS, s.patients) : 1),
    microsystems,
    handoffs,
    mortality: compileMortality(s, classes),
    metrics: (s.metrics ?? []).map(compileMetric),
    maxVisits: s.max_visits ?? defaultMaxVisits(microsystems.length),
    economics: compileEconomics(s),
    parameters: compileParameters(s, microsystems, handoffs),
    ...(s.resources === undefined ? {} : { resources: s.resources.map(compileResource) }),
  };
}

/**
 * The visit guard when the file sets none. A journey along a simple path visits each microsystem
 * at most once, so the longest simple path has at most as many visits as there are
 * microsystems; ten visits per microsystem leave room for every loop a real pathway takes, and
 * the old fixed 100 is kept for the small pathways it was made for. (A fixed 100 cut a chain of
 * 1,000 microsystems after its 100th: 82.4% "reliable" against the exact 13.5%, no journey
 * completed.) Capped at the key's own bound.
 */
export function defaultMaxVisits(microsystems: number): number {
  return Math.min(MAX_VISITS, Math.max(100, 10 * microsystems));
}

function compileMicrosystem(
  m: MicrosystemInput,
  following: string | undefined,
  classIds: readonly string[],
): Microsystem {
  const time = stepTime(m.time, classIds);
  return {
    id: m.id,
    name: m.name ?? m.id,
    time: time.time,
    capacity: typeof m.capacity === "number" ? m.capacity : null,
    hours: m.hours ? compileHours(m.hours) : null,
    offHoursDelay: m.off_hours_delay === "until_open" ? null : optionalDistribution(m.off_hours_delay),
    failures: (m.failures ?? []).map(compileFailureMode),
    next: compileRoutes(m.next, following),
    // Costs only where the file has them, so a model without costs is what it was before them.
    ...(m.cost
      ? {
          cost: {
            perVisit: m.cost.per_visit ?? 0,
            perHour: m.cost.per_hour ?? 0,
            perHourWaiting: m.cost.per_hour_waiting ?? 0,
          },
        }
      : {}),
    ...capacityKeys(m, time.byClass),
  };
}

function compileEconomics(s: Scenario): NonNullable<ModelSpec["economics"]> {
  const programme = s.programme_cost;
  return {
    currency: s.currency ?? null,
    volumePerYear: s.volume_per_year ?? null,
    programme: programme
      ? { perYear: programme.per_year ?? 0, perPatient: programme.per_patient ?? 0 }
      : null,
  };
}

// --- capacity (issue 12): only the keys a file uses, so a model without them is as before ------------

function capacityKeys(
  m: MicrosystemInput,
  timeByClass: Record<string, Distribution> | null,
): Partial<Microsystem> {
  const out: Partial<Microsystem> = {};
  if (m.off_hours_delay === "until_open") out.untilOpen = true;
  if (Array.isArray(m.capacity)) out.shifts = compileShifts(m.capacity);
  if (m.uses !== undefined) out.uses = m.uses;
  if (m.blocking === true) out.blocking = true;
  if (m.priority !== undefined) out.priority = { ...m.priority };
  if (timeByClass !== null) out.timeByClass = timeByClass;
  if (m.background !== undefined) out.background = compileBackground(m.background);
  if (m.max_wait !== undefined) {
    out.maxWait = {
      after: minutes(m.max_wait),
      goto: m.then === undefined || m.then === "leave" ? null : m.then.goto,
      defect: m.defect ?? true,
    };
  }
  return out;
}

function compileShifts(shifts: Exclude<CapacityInput, number>): CapacityShift[] {
  return shifts.map((sh) => ({
    from: clock(sh.from),
    to: clock(sh.to),
    n: sh.n,
    days: [...new Set((sh.days ?? DAY_NAMES).map(dayIndex))].sort((a, b) => a - b),
  }));
}

function compileResource(r: ResourceInput): SharedResource {
  return {
    id: r.id,
    name: r.name ?? r.id,
    capacity: typeof r.capacity === "number" ? r.capacity : null,
    shifts: typeof r.capacity === "number" ? null : compileShifts(r.capacity),
  };
}

function compileBackground(b: BackgroundInput): Background {
  return {
    perDay: b.per_day,
    time: distribution(b.time),
    byHour: b.by_hour ?? null,
    byDay: b.by_day ?? null,
    priority: b.priority ?? 0,
  };
}

/**
 * A time that may depend on the class: the default (`default`, or when every class is listed the
 * first class's, used where one figure is needed) and the listed classes' own.
 */
function stepTime(
  t: StepTimeInput,
  classIds: readonly string[],
): { time: Distribution; byClass: Record<string, Distribution> | null } {
  if (typeof t !== "object" || !("by_class" in t)) return { time: distribution(t), byClass: null };
  const byClass: Record<string, Distribution> = Object.create(null);
  for (const [key, d] of Object.entries(t.by_class)) if (key !== "default") byClass[key] = distribution(d);
  const fallback = Object.hasOwn(t.by_class, "default") ? t.by_class.default : t.by_class[classIds[0] ?? ""];
  if (fallback === undefined) throw new Error("internal error: by_class without a default passed validation");
  return { time: distribution(fallback), byClass };
}

/** `next` as written; omitted = the next microsystem in the list (none after the last). */
function compileRoutes(next: MicrosystemInput["next"], following: string | undefined): Route[] {
  if (next === undefined) return following === undefined ? [] : [{ to: following, p: null, classes: null }];
  return next.map((r) => ({
    to: r.to,
    p: r.p === undefined ? null : probability(r.p),
    classes: r.classes ?? null,
  }));
}

function compileHours(h: NonNullable<MicrosystemInput["hours"]>): StaffedHours {
  const days = h.days ?? DAY_NAMES;
  return {
    open: clock(h.open),
    close: clock(h.close, true),
    days: [...new Set(days.map(dayIndex))].sort((a, b) => a - b),
  };
}

function compileFailureMode(f: FailureModeInput): FailureMode {
  const p = plainProbability(f.p);
  const mode: FailureMode = {
    id: f.id,
    name: f.name ?? f.id,
    p,
    classes: f.classes ?? null,
    detect: plainProbability(f.detect),
    recoverTime: optionalDistribution(f.recover_time),
    delay: optionalDistribution(f.delay),
    harm: plainMultiplier(f.harm),
    drop: f.drop,
    goto: f.goto ?? null,
    unless: f.unless ?? [],
    when: (f.when ?? []).map(compileCondition),
    // Left out when the file gives none (= DEFAULT_SEVERITY), so reports can tell a stated severity.
    ...(f.severity === undefined ? {} : { severity: f.severity }),
  };
  if (f.relative_risk !== undefined) {
    mode.relativeRisk = plainMultiplier(f.relative_risk);
    mode.baseP = p;
    mode.p = scaledProbability(p, mode.relativeRisk);
    // A change's effect scales the probability in every context, the conditions' too.
    const rr = mode.relativeRisk;
    mode.when = (mode.when ?? []).map((c) => ({ ...c, baseP: c.p, p: scaledProbability(c.p, rr) }));
  }
  if (f.cost !== undefined) mode.cost = f.cost;
  if (f.caught_cost !== undefined) mode.caughtCost = f.caught_cost;
  return mode;
}

function compileCondition(c: ConditionInput): ModeCondition {
  return {
    offHours: c.off_hours ?? null,
    loadAtLeast: c.load_at_least ?? null,
    waitedAtLeast: c.waited_at_least === undefined ? null : minutes(c.waited_at_least),
    classes: c.classes ?? null,
    p: probability(c.p),
  };
}

function compileClasses(s: Scenario, start: string): PatientClass[] {
  if (!s.classes) return [{ id: DEFAULT_CLASS, share: 1, start }];
  return s.classes.map((c) => ({
    id: c.id,
    share: probability(c.share),
    start: c.start ?? start,
    ...(c.priority === undefined ? {} : { priority: c.priority }),
  }));
}

function compileArrivals(a: NonNullable<Scenario["arrivals"]>): Arrivals {
  const byDay = a.by_day === undefined ? {} : { byDay: a.by_day };
  // No warm-up in the file: the run chooses one (model/warmup.ts); a written one, 0 included, wins.
  if (a.warmup === undefined)
    return { perDay: a.per_day, byHour: a.by_hour ?? null, warmup: 0, warmupAuto: true, ...byDay };
  return { perDay: a.per_day, byHour: a.by_hour ?? null, warmup: minutes(a.warmup), ...byDay };
}

/**
 * One handoff per edge, in microsystem order: route targets, then microsystem-level goto targets.
 * A listed handoff takes from handoff_defaults only what it leaves out; an unlisted one takes them whole.
 */
function compileHandoffs(s: Scenario, microsystems: Microsystem[], classIds: readonly string[]): Handoff[] {
  const listed = new Map((s.handoffs ?? []).map((h) => [handoffKey(h.from, h.to), h]));
  const edges = new Map<string, { from: string; to: string }>();
  for (const m of microsystems) {
    for (const to of handoffTargets(m.next, m.failures, m.maxWait?.goto))
      edges.set(handoffKey(m.id, to), { from: m.id, to });
  }
  return [...edges].map(([key, edge]) => compileHandoff(edge, listed.get(key), s.handoff_defaults, classIds));
}

function compileHandoff(
  edge: { from: string; to: string },
  listed: HandoffInput | undefined,
  defaults: Scenario["handoff_defaults"],
  classIds: readonly string[],
): Handoff {
  const time = listed?.time ?? defaults?.time;
  const step = time === undefined ? null : stepTime(time, classIds);
  return {
    from: edge.from,
    to: edge.to,
    time: step === null ? { kind: "fixed", value: 0 } : step.time,
    failures: (listed?.failures ?? defaults?.failures ?? []).map(compileFailureMode),
    declared: listed !== undefined,
    hours: listed?.hours ? compileHours(listed.hours) : null,
    ...handoffCost(listed?.cost ?? defaults?.cost),
    ...(step?.byClass ? { timeByClass: step.byClass } : {}),
  };
}

function handoffCost(cost: HandoffInput["cost"]): Pick<Handoff, "cost"> {
  return cost ? { cost: { perTransfer: cost.per_transfer ?? 0 } } : {};
}

function compileMortality(s: Scenario, classes: PatientClass[]): Mortality | null {
  const mortality = s.outcomes?.mortality;
  if (!mortality) return null;
  // Keyed by class id: a null-prototype record, so that a class `__proto__` keeps its risk.
  const base = emptyRecord() as Record<string, number>;
  for (const c of classes) {
    const b = mortality.base;
    const risk =
      typeof b === "object" && !isProbabilityObject(b) ? (Object.hasOwn(b, c.id) ? b[c.id] : undefined) : b;
    base[c.id] = risk === undefined ? 0 : plainProbability(risk);
  }
  const delay = mortality.delay;
  const terms = delay === undefined ? [] : Array.isArray(delay) ? delay : [delay];
  return {
    base,
    delays: terms.map((d) => ({
      from: milestone(d.from),
      to: milestone(d.to),
      reference: minutes(d.reference),
      rrPer30Min: plainMultiplier(d.rr_per_30min),
    })),
    decidedAt: mortality.decided_at === undefined ? null : milestone(mortality.decided_at),
  };
}

function compileMetric(m: MetricInput): Metric {
  return {
    id: m.id,
    name: m.name ?? m.id,
    from: milestone(m.from),
    to: milestone(m.to),
    target: m.target === undefined ? null : minutes(m.target),
    ...(m.classes === undefined ? {} : { classes: m.classes }),
  };
}

export function milestone(text: string): Milestone {
  if (text === "journey.start") return { kind: "journey.start" };
  const dot = text.lastIndexOf(".");
  return { kind: "microsystem", id: text.slice(0, dot), event: text.slice(dot + 1) as MilestoneEvent };
}

export function distribution(d: DistributionInput): Distribution {
  if (typeof d === "number" || typeof d === "string") return { kind: "fixed", value: minutes(d) };
  if ("median" in d) return { kind: "lognormal", median: minutes(d.median), p90: minutes(d.p90) };
  if ("mode" in d)
    return { kind: "triangular", min: minutes(d.min), mode: minutes(d.mode), max: minutes(d.max) };
  if ("sd" in d) return { kind: "gamma", mean: minutes(d.mean), sd: minutes(d.sd) };
  if ("mean" in d) return { kind: "exponential", mean: minutes(d.mean) };
  return { kind: "uniform", min: minutes(d.min), max: minutes(d.max) };
}

function optionalDistribution(d: DistributionInput | undefined): Distribution | null {
  return d === undefined ? null : distribution(d);
}

// The schema has accepted every value compiled here, so these conversions cannot fail; a failure
// would be a bug in the schema, reported as such rather than compiled into NaN.
function minutes(t: number | string): number {
  return valid(parseTime(t), t, "time");
}
function probability(p: number | string): number {
  return valid(parseProbability(p), p, "probability");
}
function clock(c: string, close = false): number {
  return valid(parseClock(c, close), c, "clock time");
}
function valid(x: number | null, written: unknown, what: string): number {
  if (x === null) throw new Error(`internal error: ${what} ${String(written)} passed validation`);
  return x;
}

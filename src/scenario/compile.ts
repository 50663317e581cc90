// A valid scenario compiled to the model the simulator runs: every time in minutes, every default
// filled in, a handoff for every edge. Only called once the schema and the checks found no error.

import { handoffTargets } from "../model/rules.js";
import {
  type Arrivals,
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
  type StaffedHours,
} from "../model/spec.js";
import type {
  ConditionInput,
  DistributionInput,
  FailureModeInput,
  HandoffInput,
  MetricInput,
  MicrosystemInput,
  Scenario,
} from "./format.js";
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
  const microsystems = s.microsystems.map((m, i) => compileMicrosystem(m, s.microsystems[i + 1]?.id));
  const start = s.start ?? s.microsystems[0]?.id ?? "";
  const classes = compileClasses(s, start);
  const arrivals = s.arrivals ? compileArrivals(s.arrivals) : null;
  const handoffs = compileHandoffs(s, microsystems);
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
    maxVisits: s.max_visits,
    economics: compileEconomics(s),
    parameters: compileParameters(s, microsystems, handoffs),
  };
}

function compileMicrosystem(m: MicrosystemInput, following: string | undefined): Microsystem {
  return {
    id: m.id,
    name: m.name ?? m.id,
    time: distribution(m.time),
    capacity: m.capacity ?? null,
    hours: m.hours ? compileHours(m.hours) : null,
    offHoursDelay: optionalDistribution(m.off_hours_delay),
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
    close: clock(h.close),
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
  return s.classes.map((c) => ({ id: c.id, share: probability(c.share), start: c.start ?? start }));
}

function compileArrivals(a: NonNullable<Scenario["arrivals"]>): Arrivals {
  return { perDay: a.per_day, byHour: a.by_hour ?? null, warmup: minutes(a.warmup) };
}

/**
 * One handoff per edge, in microsystem order: route targets, then microsystem-level goto targets.
 * A listed handoff takes from handoff_defaults only what it leaves out; an unlisted one takes them whole.
 */
function compileHandoffs(s: Scenario, microsystems: Microsystem[]): Handoff[] {
  const listed = new Map((s.handoffs ?? []).map((h) => [handoffKey(h.from, h.to), h]));
  const edges = new Map<string, { from: string; to: string }>();
  for (const m of microsystems) {
    for (const to of handoffTargets(m.next, m.failures)) edges.set(handoffKey(m.id, to), { from: m.id, to });
  }
  return [...edges].map(([key, edge]) => compileHandoff(edge, listed.get(key), s.handoff_defaults));
}

function compileHandoff(
  edge: { from: string; to: string },
  listed: HandoffInput | undefined,
  defaults: Scenario["handoff_defaults"],
): Handoff {
  const time = listed?.time ?? defaults?.time;
  return {
    from: edge.from,
    to: edge.to,
    time: time === undefined ? { kind: "fixed", value: 0 } : distribution(time),
    failures: (listed?.failures ?? defaults?.failures ?? []).map(compileFailureMode),
    declared: listed !== undefined,
    hours: listed?.hours ? compileHours(listed.hours) : null,
    ...handoffCost(listed?.cost ?? defaults?.cost),
  };
}

function handoffCost(cost: HandoffInput["cost"]): Pick<Handoff, "cost"> {
  return cost ? { cost: { perTransfer: cost.per_transfer ?? 0 } } : {};
}

function compileMortality(s: Scenario, classes: PatientClass[]): Mortality | null {
  const mortality = s.outcomes?.mortality;
  if (!mortality) return null;
  const base: Record<string, number> = {};
  for (const c of classes) {
    const b = mortality.base;
    const risk = typeof b === "object" && !isProbabilityObject(b) ? b[c.id] : b;
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
function clock(c: string): number {
  return valid(parseClock(c), c, "clock time");
}
function valid(x: number | null, written: unknown, what: string): number {
  if (x === null) throw new Error(`internal error: ${what} ${String(written)} passed validation`);
  return x;
}

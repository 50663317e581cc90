// The work a run will do, estimated from the compiled model before it starts: the journeys it
// will simulate (warm-up and cool-down included), the simulated days they span, the patients in
// the pathway at once (Little's law) and the visits a journey makes (loops included, the visit
// guard applied). A scenario can be valid and still ask for more than any machine has:
// `arrivals.per_day: 1e-300` spreads 10,000 patients over 10^304 days, `per_day: 1e6` with a
// one-day stay keeps a million patients in memory at once. Such a run is refused with the
// numbers, instead of being discovered in memory.
//
// Pure and cheap (a few million steps at most). The loader applies it to every scenario
// (src/scenario/parse.ts: refusals are findings at `arrivals.per_day` or `patients`, warnings are
// warnings), and a run's overrides (`--patients`, `replications`) are checked again where they
// are applied (model/simulate.ts withOverrides), so the same limits hold for flags as for keys.

import { mean } from "../engine/distributions.js";
import { appliesTo, defectProbability, eligibleRoutes, routeShare } from "./rules.js";
import type { FailureMode, Handoff, Microsystem, ModelSpec } from "./spec.js";
import { handoffKey } from "./spec.js";

/** A run a model asks for that no machine could finish, refused with the numbers. */
export class WorkloadError extends Error {
  override name = "WorkloadError";
}

/** Patients of one run: the most a scenario's `patients` may ask for (scenario/limits.ts). */
const MAX_PATIENTS = 1e9;

/**
 * Longest span of simulated time one replication may cover: 1,000 years. Far past any study (the
 * heart-attack pathway at 1.6 patients a day takes 340 years for 2,000,000 patients in 10
 * replications), and it bounds what grows with the span: the weekly series of a run (52,000
 * weeks at most) and the clock, which stays exact to far below a minute.
 */
export const MAX_SPAN_DAYS = 365_000;
/** Journeys of one run, all counted: as many as the file's `patients` may ask for. */
export const MAX_JOURNEYS = MAX_PATIENTS;
/** Patients in the pathway at once: each is kept in memory; a whole health system has far fewer. */
export const MAX_CONCURRENT = 100_000;
/** Events past which a run is warned about: hours of work on one core. */
export const WARN_EVENTS = 1e10;
/** Steps (edges walked) the visit estimate may spend, over all classes. */
const VISIT_BUDGET = 5_000_000;

export interface Workload {
  /** Journeys the run simulates: the counted patients plus, with arrivals, warm-ups and cool-downs. */
  journeys: number;
  /** With arrivals: simulated days of one replication (the warm-up, then the counted arrivals). */
  days: number;
  /** With arrivals: patients in the pathway at once on average (Little's law); else 1. */
  concurrent: number;
  /** Mean simulated minutes of one journey (service, transfers, delays; waits for capacity not counted). */
  journeyMinutes: number;
  /** Expected visits of one journey, the visit guard applied: exact, or an upper bound (`visitsExact`). */
  visits: number;
  visitsExact: boolean;
  /** Events the run processes, about (an arrival, a stay and a transfer per visit). */
  events: number;
  /** Journeys started during the warm-ups (0 without arrivals). */
  warmupJourneys: number;
}

/** Estimates the work of running `spec` as it is (no --patients override). */
export function estimateWorkload(spec: ModelSpec): Workload {
  const budget = { steps: VISIT_BUDGET };
  let visits = 0;
  let journeyMinutes = 0;
  let visitsExact = true;
  const graph = {
    index: new Map(spec.microsystems.map((m, i) => [m.id, i])),
    handoffs: new Map(spec.handoffs.map((h) => [handoffKey(h.from, h.to), h])),
  };
  // A class no route or failure mode names walks like any other such class from its start.
  const named = new Set<string>();
  for (const m of spec.microsystems)
    for (const x of [...m.next, ...m.failures]) for (const id of x.classes ?? []) named.add(id);
  for (const h of spec.handoffs) for (const f of h.failures) for (const id of f.classes ?? []) named.add(id);
  const shared = new Map<string, ReturnType<typeof classFlow>>();
  for (const c of spec.classes) {
    const known = named.has(c.id) ? undefined : shared.get(c.start);
    const flow = known ?? classFlow(spec, graph, c.id, c.start, budget);
    if (!named.has(c.id)) shared.set(c.start, flow);
    visits += c.share * flow.visits;
    journeyMinutes += c.share * flow.minutes;
    visitsExact &&= flow.exact;
  }
  const arrivals = spec.arrivals;
  if (arrivals === null) {
    return {
      journeys: spec.patients,
      days: 0,
      concurrent: 1,
      journeyMinutes,
      visits,
      visitsExact,
      events: events(spec.patients, visits),
      warmupJourneys: 0,
    };
  }
  const perMinute = arrivals.perDay / 1440;
  const concurrent = perMinute * journeyMinutes;
  const warmupJourneys = perMinute * arrivals.warmup;
  // Arrivals go on while counted patients are still in the pathway: about `concurrent` more.
  const journeys = spec.patients + spec.replications * (warmupJourneys + concurrent);
  const days = arrivals.warmup / 1440 + spec.patients / spec.replications / arrivals.perDay;
  return {
    journeys,
    days,
    concurrent,
    journeyMinutes,
    visits,
    visitsExact,
    events: events(journeys, visits),
    warmupJourneys: spec.replications * warmupJourneys,
  };
}

function events(journeys: number, visits: number): number {
  return journeys * (1 + 3 * visits);
}

/** One reason to refuse or warn about a run, and the key of the scenario it is about. */
export interface WorkloadProblem {
  /** `arrivals.per_day`, `arrivals.warmup` or `patients`. */
  field: "per_day" | "warmup" | "patients";
  message: string;
}

/** What the estimate says about the run: reasons to refuse it, and to warn. */
export function workloadProblems(w: Workload): { refuse: WorkloadProblem[]; warn: WorkloadProblem[] } {
  const refuse: WorkloadProblem[] = [];
  const warn: WorkloadProblem[] = [];
  if (w.days > MAX_SPAN_DAYS)
    refuse.push({
      field: "per_day",
      message: `the arrivals span ${figure(w.days)} simulated days per replication: at most ${MAX_SPAN_DAYS} (1,000 years); raise per_day or lower patients`,
    });
  if (w.concurrent > MAX_CONCURRENT)
    refuse.push({
      field: "per_day",
      message: `about ${figure(w.concurrent)} patients would be in the pathway at once (arrivals per minute × a journey of ${figure(w.journeyMinutes)} min): at most ${MAX_CONCURRENT}`,
    });
  if (w.journeys > MAX_JOURNEYS)
    refuse.push({
      field: w.warmupJourneys > w.journeys / 2 ? "warmup" : "patients",
      message: `the run would simulate ${figure(w.journeys)} journeys, warm-up included: at most ${MAX_JOURNEYS}`,
    });
  if (refuse.length === 0 && w.events > WARN_EVENTS)
    warn.push({
      field: "patients",
      message: `the run would process about ${figure(w.events)} events (${figure(w.journeys)} journeys of ${figure(w.visits)} visits${w.visitsExact ? "" : " at most"}): expect hours`,
    });
  return { refuse, warn };
}

/** Throws a WorkloadError when no run of `spec` could finish (see workloadProblems). */
export function checkWorkload(spec: ModelSpec): void {
  const { refuse } = workloadProblems(estimateWorkload(spec));
  if (refuse.length > 0) throw new WorkloadError(refuse.map((p) => p.message).join("; "));
}

/** 1234567 → "1.23e+6"; small figures as they are, rounded. */
function figure(x: number): string {
  return Math.abs(x) >= 1e6 ? x.toPrecision(3) : String(Math.round(x * 100) / 100);
}

// ---------------------------------------------------------------------------------------------
// Visits and time of one class's journey

interface Step {
  to: number;
  p: number;
  /** Mean minutes of the transfer. */
  minutes: number;
}

/**
 * Expected visits and minutes of a journey of the class, on the routing chain: each visit leads on
 * by the class's routes, or by a goto on a defect. Drops are left out, so the figures are upper
 * bounds where drops end journeys early (and exact where they do not). The guard stops a journey
 * after `maxVisits` visits, so the walk stops there too; past the step budget, the mass still
 * walking is counted as walking to the guard (an upper bound again).
 */
function classFlow(
  spec: ModelSpec,
  { index, handoffs }: { index: ReadonlyMap<string, number>; handoffs: ReadonlyMap<string, Handoff> },
  classId: string,
  start: string,
  budget: { steps: number },
): { visits: number; minutes: number; exact: boolean } {
  // Each class costs a pass over the model: past the budget, the rest are bounded, not walked.
  if (budget.steps <= 0)
    return { visits: spec.maxVisits, minutes: spec.maxVisits * longestVisit(spec), exact: false };
  budget.steps -= spec.microsystems.length;
  const steps = spec.microsystems.map((m) => stepsOf(m, classId, index, handoffs));
  const perVisit = spec.microsystems.map((m) => mean(m.time) + failureMinutes(m.failures, classId));
  // The longest a visit can take with its transfer: what the mass still walking is charged.
  const longest = perVisit.reduce((most, t, i) => Math.max(most, t + maxMinutes(steps[i] ?? [])), 0);
  let mass = new Float64Array(spec.microsystems.length);
  const first = index.get(start);
  if (first === undefined) return { visits: 0, minutes: 0, exact: true };
  mass[first] = 1;
  let visits = 0;
  let minutes = 0;
  for (let t = 0; t < spec.maxVisits; t++) {
    let walking = 0;
    for (const x of mass) walking += x;
    if (walking < 1e-12) return { visits, minutes, exact: true };
    if (budget.steps <= 0) {
      const left = walking * (spec.maxVisits - t);
      return { visits: visits + left, minutes: minutes + left * longest, exact: false };
    }
    budget.steps -= mass.length;
    const next = new Float64Array(mass.length);
    for (const [i, x] of mass.entries()) {
      if (x === 0) continue;
      visits += x;
      minutes += x * (perVisit[i] as number);
      for (const s of steps[i] ?? []) {
        next[s.to] = (next[s.to] as number) + x * s.p;
        minutes += x * s.p * s.minutes;
      }
      budget.steps -= steps[i]?.length ?? 0;
    }
    mass = next;
  }
  return { visits, minutes, exact: true };
}

function maxMinutes(steps: readonly Step[]): number {
  return steps.reduce((most, s) => Math.max(most, s.minutes), 0);
}

/** An upper bound on the minutes of any visit with its transfer (failures and delays included). */
function longestVisit(spec: ModelSpec): number {
  let most = 0;
  for (const m of spec.microsystems) {
    const failures = m.failures.reduce(
      (t, f) => t + (f.delay ? mean(f.delay) : 0) + (f.recoverTime ? mean(f.recoverTime) : 0),
      0,
    );
    most = Math.max(most, mean(m.time) + failures);
  }
  const transfer = spec.handoffs.reduce((t, h) => Math.max(t, mean(h.time)), 0);
  return most + transfer;
}

/** Where a visit leads: a goto on a defect, else the class's routes (shares of what is left). */
function stepsOf(
  m: Microsystem,
  classId: string,
  index: ReadonlyMap<string, number>,
  handoffs: ReadonlyMap<string, Handoff>,
): Step[] {
  const out: Step[] = [];
  const step = (to: string, p: number): void => {
    const i = index.get(to);
    const h = handoffs.get(handoffKey(m.id, to));
    if (i !== undefined && p > 0) out.push({ to: i, p, minutes: h ? mean(h.time) : 0 });
  };
  let onward = 1;
  for (const mode of m.failures) {
    if (mode.goto === null || !appliesTo(mode, classId)) continue;
    const p = onward * defectProbability(mode);
    step(mode.goto, p);
    onward -= p;
  }
  for (const r of eligibleRoutes(m.next, classId)) step(r.to, onward * routeShare(r));
  return out;
}

/** Mean minutes a visit's failures add: delays of defects, recovery of near misses. */
function failureMinutes(modes: readonly FailureMode[], classId: string): number {
  let total = 0;
  for (const mode of modes) {
    if (!appliesTo(mode, classId)) continue;
    if (mode.delay) total += mode.p * (1 - mode.detect) * mean(mode.delay);
    if (mode.recoverTime) total += mode.p * mode.detect * mean(mode.recoverTime);
  }
  return total;
}

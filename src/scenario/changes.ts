// What a variant changed, computed from the two models: each model written back in the scenario
// file's words (times with a unit, probabilities as numbers in [0, 1], clock times, day names,
// milestones), then compared by the one diff of scenario trees (diff.ts), so `compare` and the studio
// name a change the same way: by its `--set` path, with the values as a user reads them.
//
// The comparison is of what runs, not of what the files say: a change inherited through `extends`,
// made with `--set` or coming from `handoff_defaults` shows on every element it reaches (a default
// handoff time changed shows on each handoff that takes it, each path one `--set` can change).

import type {
  CapacityShift,
  Distribution,
  FailureMode,
  Handoff,
  Metric,
  Microsystem,
  Milestone,
  ModeCondition,
  ModelSpec,
  StaffedHours,
} from "../model/spec.js";
import { DEFAULT_SEVERITY } from "../model/spec.js";
import { byKey, type DiffRules, MERGE_RULES, treeChanges } from "./diff.js";
import { clockText, DAY_NAMES, plainNumber, timeText } from "./units.js";

/** One value that differs between a baseline and a variant; null where one of them has none. */
export interface ModelChange {
  /** Where, as `--set` writes it: `handoffs[ccu->telemetry].failures[med_list_lost].p`. */
  path: string;
  /** As a scenario file writes it: `0.2`, `"30 min"`, `{ median: "4 h", p90: "8 h" }`. */
  baseline: unknown;
  variant: unknown;
}

/** The extends rules, and routes compared by destination (`microsystems[ed].next[ccu].p`). */
const MODEL_RULES: DiffRules = {
  ...MERGE_RULES,
  lists: new Map([...MERGE_RULES.lists, ["microsystems.*.next", byKey("to")]]),
};

/** Every value that differs between the two models, in the scenario's order. */
export function modelChanges(baseline: ModelSpec, variant: ModelSpec): ModelChange[] {
  return treeChanges(describeModel(baseline), describeModel(variant), MODEL_RULES).map((c) => ({
    path: c.path,
    baseline: c.before ?? null,
    variant: c.after ?? null,
  }));
}

type Tree = Record<string, unknown>;

/** Keys with no value are left out, as a file leaves them out. */
function written(entries: Record<string, unknown>): Tree {
  return Object.fromEntries(Object.entries(entries).filter(([, v]) => v !== null && v !== undefined));
}

/**
 * The model in the file's words: what it simulates, every default filled in (the name and
 * description are not compared: they label the scenarios, they do not change what happens).
 */
export function describeModel(m: ModelSpec): Tree {
  return written({
    seed: m.seed,
    patients: m.patients,
    replications: m.replications,
    classes: m.classes.map((c) =>
      written({ id: c.id, share: plainNumber(c.share), start: c.start, priority: c.priority ?? null }),
    ),
    arrivals:
      m.arrivals === null
        ? null
        : written({
            per_day: m.arrivals.perDay,
            by_hour: m.arrivals.byHour,
            warmup: m.arrivals.warmupAuto === true ? "chosen by the run" : timeText(m.arrivals.warmup),
            by_day: m.arrivals.byDay ?? null,
          }),
    resources:
      m.resources === undefined || m.resources.length === 0
        ? null
        : m.resources.map((r) =>
            written({ id: r.id, name: r.name, capacity: places(r.capacity, r.shifts ?? null) }),
          ),
    microsystems: m.microsystems.map(microsystem),
    handoffs: m.handoffs.map(handoff),
    outcomes:
      m.mortality === null
        ? null
        : {
            mortality: written({
              base: Object.fromEntries(Object.entries(m.mortality.base).map(([k, p]) => [k, plainNumber(p)])),
              delay:
                m.mortality.delays.length === 0
                  ? null
                  : m.mortality.delays.map((d) => ({
                      from: milestone(d.from),
                      to: milestone(d.to),
                      reference: timeText(d.reference),
                      rr_per_30min: d.rrPer30Min,
                    })),
              decided_at:
                m.mortality.decidedAt === null || m.mortality.decidedAt === undefined
                  ? null
                  : milestone(m.mortality.decidedAt),
            }),
          },
    metrics: m.metrics.map(metric),
    max_visits: m.maxVisits,
    currency: m.economics?.currency ?? null,
    volume_per_year: m.economics?.volumePerYear ?? null,
    programme_cost:
      m.economics?.programme === null || m.economics?.programme === undefined
        ? null
        : { per_year: m.economics.programme.perYear, per_patient: m.economics.programme.perPatient },
  });
}

function microsystem(m: Microsystem): Tree {
  return written({
    id: m.id,
    name: m.name,
    time: timeOf(m.time, m.timeByClass),
    capacity: places(m.capacity, m.shifts ?? null),
    uses: m.uses ?? null,
    hours: m.hours === null ? null : hours(m.hours),
    off_hours_delay:
      m.untilOpen === true ? "until_open" : m.offHoursDelay === null ? null : distribution(m.offHoursDelay),
    blocking: m.blocking === true ? true : null,
    priority: m.priority ?? null,
    background:
      m.background === null || m.background === undefined
        ? null
        : written({
            per_day: m.background.perDay,
            time: distribution(m.background.time),
            by_hour: m.background.byHour,
            by_day: m.background.byDay,
            priority: m.background.priority,
          }),
    max_wait: m.maxWait === null || m.maxWait === undefined ? null : timeText(m.maxWait.after),
    // biome-ignore lint/suspicious/noThenProperty: the scenario key; its value is not a function
    then:
      m.maxWait === null || m.maxWait === undefined
        ? null
        : m.maxWait.goto === null
          ? "leave"
          : { goto: m.maxWait.goto },
    defect: m.maxWait === null || m.maxWait === undefined ? null : m.maxWait.defect,
    failures: m.failures.map(failureMode),
    next: m.next.map((r) =>
      written({ to: r.to, p: r.p === null ? null : plainNumber(r.p), classes: r.classes }),
    ),
    cost:
      m.cost === null || m.cost === undefined
        ? null
        : { per_visit: m.cost.perVisit, per_hour: m.cost.perHour, per_hour_waiting: m.cost.perHourWaiting },
  });
}

function handoff(h: Handoff): Tree {
  return written({
    from: h.from,
    to: h.to,
    time: timeOf(h.time, h.timeByClass),
    hours: h.hours === null || h.hours === undefined ? null : hours(h.hours),
    failures: h.failures.map(failureMode),
    cost: h.cost === null || h.cost === undefined ? null : { per_transfer: h.cost.perTransfer },
  });
}

function failureMode(f: FailureMode): Tree {
  return written({
    id: f.id,
    name: f.name,
    p: plainNumber(f.p),
    classes: f.classes,
    detect: plainNumber(f.detect),
    recover_time: f.recoverTime === null ? null : distribution(f.recoverTime),
    delay: f.delay === null ? null : distribution(f.delay),
    harm: f.harm,
    drop: f.drop,
    goto: f.goto,
    cost: f.cost ?? null,
    caught_cost: f.caughtCost ?? null,
    unless: f.unless === undefined || f.unless.length === 0 ? null : f.unless,
    when: f.when === undefined || f.when.length === 0 ? null : f.when.map(condition),
    severity: f.severity ?? DEFAULT_SEVERITY,
  });
}

/** A `when` condition with the keys it asks about. */
function condition(c: ModeCondition): Tree {
  return written({
    off_hours: c.offHours,
    load_at_least: c.loadAtLeast === null ? null : plainNumber(c.loadAtLeast),
    waited_at_least: c.waitedAtLeast === null ? null : timeText(c.waitedAtLeast),
    classes: c.classes,
    p: plainNumber(c.p),
  });
}

function metric(m: Metric): Tree {
  return written({
    id: m.id,
    name: m.name,
    from: milestone(m.from),
    to: milestone(m.to),
    target: m.target === null ? null : timeText(m.target),
    classes: m.classes ?? null,
  });
}

/** A time, or one per class (`{ by_class: { …, default } }`) as the file writes it. */
function timeOf(time: Distribution, byClass: Record<string, Distribution> | null | undefined): unknown {
  if (byClass === null || byClass === undefined) return distribution(time);
  const classes = Object.entries(byClass).map(([id, d]) => [id, distribution(d)]);
  return { by_class: Object.fromEntries([...classes, ["default", distribution(time)]]) };
}

/** Places: a number, shifts as the file writes them, or null (unlimited). */
function places(capacity: number | null, shifts: CapacityShift[] | null): unknown {
  if (shifts === null || shifts.length === 0) return capacity;
  return shifts.map((s) => ({
    from: clockText(s.from),
    to: clockText(s.to),
    n: s.n,
    days: s.days.map((d) => DAY_NAMES[d]),
  }));
}

function hours(h: StaffedHours): Tree {
  return { open: clockText(h.open), close: clockText(h.close), days: h.days.map((d) => DAY_NAMES[d]) };
}

function milestone(m: Milestone): string {
  return m.kind === "journey.start" ? "journey.start" : `${m.id}.${m.event}`;
}

/** A distribution by the keys that choose it, as a file writes it. */
export function distribution(d: Distribution): unknown {
  switch (d.kind) {
    case "fixed":
      return timeText(d.value);
    case "lognormal":
      return { median: timeText(d.median), p90: timeText(d.p90) };
    case "exponential":
      return { mean: timeText(d.mean) };
    case "triangular":
      return { min: timeText(d.min), mode: timeText(d.mode), max: timeText(d.max) };
    case "uniform":
      return { min: timeText(d.min), max: timeText(d.max) };
    case "gamma":
      return { mean: timeText(d.mean), sd: timeText(d.sd) };
  }
}

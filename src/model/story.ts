// One patient's journey replayed (replay.ts) and described as plain data: the typed events, how it
// ended, and every figure the story tells (its own metric intervals, the factors of its risk) with
// the names the scenario gives places and failure modes. `tellStory` (report/story.ts) only phrases
// this; it never looks at the model.
import { own } from "../engine/records.js";
import type { Ending, JourneyEvent } from "./events.js";
import {
  type FindKind,
  type FindOptions,
  findJourney,
  type JourneyRecord,
  milestoneInterval,
  milestoneKey,
  milestoneOf,
  milestones,
} from "./replay.js";
import {
  type FailureMode,
  handoffKey,
  type Milestone,
  type ModeCondition,
  type ModelSpec,
  type Severity,
} from "./spec.js";

export type { FindKind, FindOptions } from "./replay.js";
export { FIND_KINDS, StoryError } from "./replay.js";
export type { Milestone, Severity } from "./spec.js";

/** A microsystem or handoff as the story names it, with the names of its failure modes. */
export interface StoryPlace {
  /** Microsystem id or handoff key "from->to". */
  id: string;
  /** The microsystem's name, or "From name → To name". */
  name: string;
  modes: StoryMode[];
}

/** A failure mode as the story names it. */
export interface StoryMode {
  id: string;
  name: string;
  /** Its own probability, and the conditions that may set another for a visit (defects say which held). */
  p: number;
  when: ModeCondition[];
  /** The severity the scenario gives it; null when it gives none. */
  severity: Severity | null;
}

/** One of the scenario's metrics, measured on this patient. */
export interface StoryMetric {
  id: string;
  name: string;
  from: Milestone;
  to: Milestone;
  /** Minutes; null without a target. */
  target: number | null;
  /** This patient's interval in minutes; null when the journey did not reach both milestones in order. */
  minutes: number | null;
}

/** One time-to-treatment term of the mortality model, measured on this patient. */
export interface StoryDelay {
  from: Milestone;
  to: Milestone;
  reference: number;
  rr_per_30min: number;
  /** This patient's interval when the risk was set; null when not reached by then (no factor applies). */
  minutes: number | null;
  /** rr^((minutes − reference)/30); null when not reached. */
  factor: number | null;
}

/** The patient's 30-day risk as factors: base × each defect's harm × each time-to-treatment factor. */
export interface StoryRisk {
  /** Base risk of the patient's class. */
  base: number;
  /** Each defect that multiplied the risk before it was set, in order. */
  harms: { element: string; mode: string; harm: number }[];
  /** The time-to-treatment terms (empty when the scenario has none). */
  delays: StoryDelay[];
  /** The scenario's `decided_at` milestone; null = the outcome is drawn at the end of the journey. */
  decided_at: Milestone | null;
  /** When this patient's outcome was drawn (minutes): at `decided_at` when reached, else at the end. */
  decided_time: number;
  /** Whether it was drawn at `decided_at` (false: the journey ended before reaching it, or there is none). */
  decided_at_reached: boolean;
}

export interface Story {
  scenario: string;
  seed: number;
  /** Patients arrive over time and share capacity (replications and warm-up apply). */
  arrivals: boolean;
  warmup_minutes: number;
  patient: number;
  replication: number;
  counted: boolean;
  class: string;
  /** How many patient classes the scenario has. */
  classes: number;
  /** `find` as asked, and the patient the search started from. */
  find: FindKind | null;
  from: number;
  /** No patient was asked for: this is the run's first counted patient (that matches `find`). */
  first_counted: boolean;
  /** Every event of the journey, typed, in time order. */
  events: JourneyEvent[];
  ending: Ending;
  defects: number;
  near_misses: number;
  /** 30-day mortality risk at the end, exactly as the run counts it. */
  risk: number;
  /** The run's one keyed draw for this patient: dies within 30 days. */
  died: boolean;
  /** Every microsystem and handoff, named. */
  places: StoryPlace[];
  metrics: StoryMetric[];
  /** Null when the scenario has no mortality model. */
  mortality: StoryRisk | null;
}

export interface StoryOptions extends FindOptions {}

/** Patient K (or, with `find`, the first matching patient from K on), replayed exactly as `run` does. */
export function story(model: ModelSpec, options: StoryOptions = {}): Story {
  const found = findJourney(model, options);
  const { spec, record } = found;
  const times = milestones(record.events);
  return {
    scenario: spec.name,
    seed: spec.seed,
    arrivals: spec.arrivals !== null,
    warmup_minutes: spec.arrivals?.warmup ?? 0,
    patient: record.patient,
    replication: record.replication,
    counted: record.counted,
    class: record.class,
    classes: spec.classes.length,
    find: found.find,
    from: found.from,
    first_counted: found.firstCounted,
    events: record.events,
    ending: record.ending,
    defects: record.defects,
    near_misses: record.events.filter((e) => e.kind === "near_miss").length,
    risk: record.risk,
    died: record.died,
    places: places(spec),
    metrics: spec.metrics.map((m) => ({
      id: m.id,
      name: m.name,
      from: m.from,
      to: m.to,
      target: m.target,
      minutes: milestoneInterval(times, m.from, m.to),
    })),
    mortality: riskFactors(spec, record),
  };
}

function places(spec: ModelSpec): StoryPlace[] {
  const name = new Map(spec.microsystems.map((m) => [m.id, m.name]));
  const modes = (failures: FailureMode[]): StoryMode[] =>
    failures.map((f) => ({
      id: f.id,
      name: f.name,
      p: f.p,
      when: f.when ?? [],
      severity: f.severity ?? null,
    }));
  return [
    ...spec.microsystems.map((m) => ({ id: m.id, name: m.name, modes: modes(m.failures) })),
    ...spec.handoffs.map((h) => ({
      id: handoffKey(h.from, h.to),
      name: `${name.get(h.from) ?? h.from} → ${name.get(h.to) ?? h.to}`,
      modes: modes(h.failures),
    })),
  ];
}

function riskFactors(spec: ModelSpec, record: JourneyRecord): StoryRisk | null {
  const mortality = spec.mortality;
  if (mortality === null) return null;
  const decidedAt = mortality.decidedAt ?? null;
  const reached = decisionIndex(record.events, decidedAt === null ? null : milestoneKey(decidedAt));
  const cut = reached ?? record.events.length - 1;
  const before = record.events.slice(0, cut + 1);
  const times = milestones(before);
  const harms = before.flatMap((e) =>
    e.kind === "defect" && e.harm !== 1 ? [{ element: e.element, mode: e.mode, harm: e.harm }] : [],
  );
  return {
    base: own(mortality.base, record.class) ?? 0,
    harms,
    delays: mortality.delays.map((d) => {
      const minutes = milestoneInterval(times, d.from, d.to);
      return {
        from: d.from,
        to: d.to,
        reference: d.reference,
        rr_per_30min: d.rrPer30Min,
        minutes,
        factor: minutes === null ? null : d.rrPer30Min ** ((minutes - d.reference) / 30),
      };
    }),
    decided_at: decidedAt,
    decided_time: record.events[cut]?.time ?? 0,
    decided_at_reached: reached !== null,
  };
}

/**
 * The event at which the 30-day outcome was drawn at `decided_at`: the death that ended the journey
 * there, or the first event reaching that milestone; null when it was drawn at the end.
 */
function decisionIndex(events: readonly JourneyEvent[], key: string | null): number | null {
  if (key === null) return null;
  const i = events.findIndex((e) => (e.kind === "death" && e.milestone === key) || milestoneOf(e) === key);
  return i < 0 ? null : i;
}

// One patient's journey replayed (replay.ts) and described as plain data: the typed events, how it
// ended, and every figure the story tells (its own metric intervals, the factors of its risk) with
// the names the scenario gives places and failure modes. `tellStory` (report/story.ts) only phrases
// this; it never looks at the model.
import type { Ending, JourneyEvent } from "./events.js";
import {
  type FindKind,
  type FindOptions,
  findJourney,
  type JourneyRecord,
  milestoneInterval,
  milestones,
} from "./replay.js";
import { handoffKey, type Milestone, type ModelSpec } from "./spec.js";

export type { FindKind, FindOptions } from "./replay.js";
export { FIND_KINDS, StoryError } from "./replay.js";
export type { Milestone } from "./spec.js";

/** A microsystem or handoff as the story names it, with the names of its failure modes. */
export interface StoryPlace {
  /** Microsystem id or handoff key "from->to". */
  id: string;
  /** The microsystem's name, or "From name → To name". */
  name: string;
  modes: { id: string; name: string }[];
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

/** The patient's 30-day risk as factors: base × each defect's harm × the time-to-treatment factor. */
export interface StoryRisk {
  /** Base risk of the patient's class. */
  base: number;
  /** Each defect that multiplied the risk, in order. */
  harms: { element: string; mode: string; harm: number }[];
  /** The time-to-treatment effect; null when the scenario has none. */
  delay: {
    from: Milestone;
    to: Milestone;
    reference: number;
    rr_per_30min: number;
    /** This patient's interval; null when not reached (then no factor applies). */
    minutes: number | null;
    /** rr^((minutes − reference)/30); null when not reached. */
    factor: number | null;
  } | null;
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
    mortality: riskFactors(spec, record, times),
  };
}

function places(spec: ModelSpec): StoryPlace[] {
  const name = new Map(spec.microsystems.map((m) => [m.id, m.name]));
  const modes = (failures: { id: string; name: string }[]) =>
    failures.map((f) => ({ id: f.id, name: f.name }));
  return [
    ...spec.microsystems.map((m) => ({ id: m.id, name: m.name, modes: modes(m.failures) })),
    ...spec.handoffs.map((h) => ({
      id: handoffKey(h.from, h.to),
      name: `${name.get(h.from) ?? h.from} → ${name.get(h.to) ?? h.to}`,
      modes: modes(h.failures),
    })),
  ];
}

function riskFactors(spec: ModelSpec, record: JourneyRecord, times: Map<string, number>): StoryRisk | null {
  const mortality = spec.mortality;
  if (mortality === null) return null;
  const harms = record.events.flatMap((e) =>
    e.kind === "defect" && e.harm !== 1 ? [{ element: e.element, mode: e.mode, harm: e.harm }] : [],
  );
  const d = mortality.delay;
  const minutes = d === null ? null : milestoneInterval(times, d.from, d.to);
  return {
    base: mortality.base[record.class] ?? 0,
    harms,
    delay:
      d === null
        ? null
        : {
            from: d.from,
            to: d.to,
            reference: d.reference,
            rr_per_30min: d.rrPer30Min,
            minutes,
            factor: minutes === null ? null : d.rrPer30Min ** ((minutes - d.reference) / 30),
          },
  };
}

// What happens in a journey, as typed records: the simulator emits one `JourneyEvent` per step to a
// `JourneyMonitor` when one is attached (none = monitoring off: the hot loop then builds no event
// at all). The trace file, `story`, the calibration and any other program read these fields; nothing
// is ever written as text and parsed back.
//
// Times are minutes on the simulated calendar (model/calendar.ts: 0 = Monday 00:00 of week 1). An
// `element` is a microsystem id ("ed") or a handoff key ("ed->cathlab"). Within one journey the
// events come in non-decreasing time, in the order of docs/semantics.md.
//
// Adding a kind: add its interface here, add it to `JourneyEvent` and `EVENT_KINDS`, emit it where it
// happens (model/journey.ts or a driver); every `switch (e.kind)` that must handle it then fails to
// type-check until it does (see `assertNever`).

import type { Severity } from "./spec.js";

/**
 * How a journey ended: no route onward, lost (a drop defect), stopped by the visit guard, left a
 * queue after waiting `max_wait` (`then: leave`), or ended by the 30-day death drawn at the
 * mortality model's `decided_at` milestone.
 */
export type Ending = "completed" | "dropped" | "guard" | "reneged" | "died";

/** The journey an event belongs to. Only valid during the `event` call: copy what you keep. */
export interface PatientRef {
  /** 0 without arrivals. */
  readonly replication: number;
  /** Index in its replication: with arrivals, in arrival order from 0, warm-up included. */
  readonly index: number;
  /** Patient class id. */
  readonly classId: string;
  /** Counted in the run's statistics (false for warm-up and cool-down journeys). */
  readonly counted: boolean;
}

interface At {
  /** Minutes on the simulated calendar. */
  time: number;
  /** Microsystem id or handoff key "from->to". */
  element: string;
}

/** A journey begins (its first contact), at the class's start microsystem. */
export interface StartEvent extends At {
  kind: "start";
}

/** Arrival at a microsystem (before any wait for capacity). */
export interface ArriveEvent extends At {
  kind: "arrive";
}

/** Care starts at a microsystem, after `wait` minutes for capacity and any off-hours delay. */
export interface ServiceStartEvent extends At {
  kind: "service_start";
  /** Minutes waited for a free place (0 without queues). */
  wait: number;
}

/** Capacity was gained outside staffed hours: the on-call delay before care starts. */
export interface OffHoursDelayEvent extends At {
  kind: "off_hours_delay";
  /** Minutes. */
  delay: number;
}

/** The patient leaves a microsystem over the handoff `element` = "from->to". */
export interface HandoffEvent extends At {
  kind: "handoff";
  from: string;
  /** The planned destination (a goto defect on the way may redirect it). */
  to: string;
}

/** A failure that occurred and was caught in time: no harm, `recover` minutes to put right. */
export interface NearMissEvent extends At {
  kind: "near_miss";
  /** Failure-mode id. */
  mode: string;
  recover: number;
}

/** A failure that was not caught. */
export interface DefectEvent extends At {
  kind: "defect";
  /** Failure-mode id. */
  mode: string;
  /** Minutes it added to the stay or transfer. */
  delay: number;
  /** Multiplier on the patient's 30-day risk (1 = none). */
  harm: number;
  /** The mode ends the journey (lost to follow-up). */
  drop: boolean;
  /** The microsystem the mode sends the patient to, or null. A drop wins over a goto, and the
   * first goto defect of a step wins over later ones (docs/semantics.md §4). */
  goto: string | null;
  /** The probability the mode had on this visit (its `p`, or the `p` of the condition that held). */
  p: number;
  /** Position in the mode's `when` of the condition that set `p`; null = the mode's own `p`. */
  condition: number | null;
  /** The mode's severity (AHRQ harm scale). */
  severity: Severity;
}

/** The stay at a microsystem ends (after service and the time failures cost). */
export interface EndEvent extends At {
  kind: "end";
}

/**
 * Blocking after service: the stay at `element` is over but the next microsystem `to` has no
 * place yet, so the patient keeps its place here. The `handoff` event that follows says when it
 * got one (and left).
 */
export interface BlockedEvent extends At {
  kind: "blocked";
  /** The microsystem it waits for. */
  to: string;
}

/** Reneging: after waiting `wait` minutes for a place at `element` (`max_wait`), the patient left the queue. */
export interface RenegedEvent extends At {
  kind: "reneged";
  wait: number;
  /** Where it goes instead (`then: { goto }`), or null when the journey ends (`then: leave`). */
  goto: string | null;
}

/** The run's one keyed draw for this patient says: dies within 30 days. Emitted just before
 * `finish`, at the same time and element: at the `decided_at` milestone (the death ends the
 * journey there, ending `died`), or at the journey's end when it never reached that milestone. */
export interface DeathEvent extends At {
  kind: "death";
  /** The 30-day risk the draw was made with. */
  risk: number;
  /** Where it was drawn: the `decided_at` milestone ("telemetry.end"), or null for the end of the journey. */
  milestone: string | null;
}

/** The journey is over: always its last event; `element` is where it ended. */
export interface FinishEvent extends At {
  kind: "finish";
  ending: Ending;
  /** Defects along the way. */
  defects: number;
  /** 30-day mortality risk as the run counts it: at `decided_at` if reached, else at the end (0 without a mortality model). */
  risk: number;
}

export type JourneyEvent =
  | StartEvent
  | ArriveEvent
  | ServiceStartEvent
  | OffHoursDelayEvent
  | HandoffEvent
  | NearMissEvent
  | DefectEvent
  | EndEvent
  | BlockedEvent
  | RenegedEvent
  | DeathEvent
  | FinishEvent;

export type JourneyEventKind = JourneyEvent["kind"];

/** Every kind, in the order a visit produces them. */
export const EVENT_KINDS: readonly JourneyEventKind[] = [
  "start",
  "arrive",
  "off_hours_delay",
  "service_start",
  "near_miss",
  "defect",
  "end",
  "blocked",
  "reneged",
  "handoff",
  "death",
  "finish",
];

/** Receives every event of every journey. Interchangeable sinks: a trace file, a story, a chart. */
export interface JourneyMonitor {
  event(patient: PatientRef, e: JourneyEvent): void;
}

/** For exhaustive switches over event kinds: a new kind makes the call site fail to compile. */
export function assertNever(x: never): never {
  throw new Error(`unexpected event ${JSON.stringify(x)}`);
}

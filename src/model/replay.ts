// Replaying journeys exactly as a run simulates them, with a monitor attached, to look at single
// patients: `story` (one patient), the calibration (every counted patient), tests. Patient K here is
// patient K of the run and of its `--trace`, because every draw is keyed by (seed, replication,
// patient):
// - without arrivals journeys are independent: patient K is simulated alone through the same driver;
// - with arrivals patients compete for beds, so replication 0 is simulated whole and only the wanted
//   patients' events are kept. K counts the patients of replication 0 in arrival order from 0,
//   warm-up included (a warm-up patient is simulated like any other but left out of the statistics).
import { seedKey } from "../engine/random.js";
import { compile } from "./compiled.js";
import type { Ending, JourneyEvent, JourneyMonitor, PatientRef } from "./events.js";
import { simulateIndependent } from "./independent.js";
import { simulateReplication } from "./queued.js";
import { type Overrides, units, withOverrides } from "./simulate.js";
import type { Milestone, ModelSpec } from "./spec.js";
import { Tally } from "./tally.js";
import { resolveWarmup } from "./warmup.js";

/** A whole journey with how it ended. */
export interface JourneyRecord {
  replication: number;
  /** Index of the patient in its replication (arrival order, warm-up included). */
  patient: number;
  class: string;
  /** Counted in the run's statistics (false for warm-up and cool-down journeys). */
  counted: boolean;
  /** Every event, in the order the model emitted them (non-decreasing time). */
  events: JourneyEvent[];
  ending: Ending;
  defects: number;
  /** 30-day mortality risk as the run counts it (at `decided_at` when reached, else at the end). */
  risk: number;
  /** The run's one keyed draw for this patient: dies within 30 days. */
  died: boolean;
}

/**
 * Keeps the events of the journeys `wanted` selects (by replication and patient index) and calls
 * `onJourney` with each one when it ends. Journeys interleave when patients share capacity, so
 * events are grouped per patient until the journey's `finish`.
 */
export class JourneyCollector implements JourneyMonitor {
  private readonly open = new Map<string, JourneyEvent[]>();

  constructor(
    private readonly onJourney: (record: JourneyRecord) => void,
    private readonly wanted: (replication: number, patient: number) => boolean = () => true,
  ) {}

  event(p: PatientRef, e: JourneyEvent): void {
    if (!this.wanted(p.replication, p.index)) return;
    const key = `${p.replication}:${p.index}`;
    let events = this.open.get(key);
    if (events === undefined) {
      events = [];
      this.open.set(key, events);
    }
    events.push(e);
    if (e.kind !== "finish") return;
    this.open.delete(key);
    this.onJourney({
      replication: p.replication,
      patient: p.index,
      class: p.classId,
      counted: p.counted,
      events,
      ending: e.ending,
      defects: e.defects,
      risk: e.risk,
      died: events.some((x) => x.kind === "death"),
    });
  }
}

/** "journey.start", or "<microsystem>.arrive|start|end": how metrics and the mortality model name milestones. */
export function milestoneKey(m: Milestone): string {
  return m.kind === "journey.start" ? "journey.start" : `${m.id}.${m.event}`;
}

const MILESTONE_EVENTS: Partial<Record<JourneyEvent["kind"], string>> = {
  arrive: "arrive",
  service_start: "start",
  end: "end",
};

/** The milestone an event reaches ("ed.arrive", "journey.start"), keyed as `milestoneKey` names it; null for none. */
export function milestoneOf(e: JourneyEvent): string | null {
  const event = MILESTONE_EVENTS[e.kind];
  return e.kind === "start" ? "journey.start" : event === undefined ? null : `${e.element}.${event}`;
}

/**
 * First time of each milestone of a journey (first visit only, as the model's metrics count them),
 * keyed as `milestoneKey` names them.
 */
export function milestones(events: readonly JourneyEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    const key = milestoneOf(e);
    if (key !== null && !out.has(key)) out.set(key, e.time);
  }
  return out;
}

/** The interval between two milestones of a journey, or null when one was not reached (or they came in the other order). */
export function milestoneInterval(
  times: ReadonlyMap<string, number>,
  from: Milestone,
  to: Milestone,
): number | null {
  const a = times.get(milestoneKey(from));
  const b = times.get(milestoneKey(to));
  return a === undefined || b === undefined || b < a ? null : b - a;
}

/** What `find` looks for; `smooth` = no defect and no near miss. */
export const FIND_KINDS = ["defect", "drop", "death", "near-miss", "smooth"] as const;
export type FindKind = (typeof FIND_KINDS)[number];

/** Whether a journey is the kind `find` looks for. */
export function matches(record: JourneyRecord, kind: FindKind): boolean {
  const has = (k: JourneyEvent["kind"]): boolean => record.events.some((e) => e.kind === k);
  switch (kind) {
    case "defect":
      return has("defect");
    case "drop":
      return record.ending === "dropped";
    case "death":
      return record.died;
    case "near-miss":
      return has("near_miss");
    case "smooth":
      return !has("defect") && !has("near_miss");
  }
}

export interface FindOptions extends Overrides {
  /**
   * The patient to replay, or where `find` starts searching. Default: the first counted patient
   * (with arrivals, the warm-up's patients are left out of every figure, so a story of one of them
   * would illustrate nothing the run reports); with `find`, the first counted one that matches.
   */
  patient?: number;
  find?: FindKind;
}

export interface Found {
  /** The scenario as run (seed and patients overridden). */
  spec: ModelSpec;
  record: JourneyRecord;
  /** The patient the search started from. */
  from: number;
  find: FindKind | null;
  /** No patient was asked for: the first counted patient (that matches `find`) was taken. */
  firstCounted: boolean;
}

/** Thrown when the patient asked for is not in the run (bad input, unlike a search that finds none). */
export class StoryError extends Error {
  override name = "StoryError";
}

/** Replays patient K (or, with `find`, the first matching patient from K on) exactly as the run does. */
export function findJourney(scenario: ModelSpec, options: FindOptions = {}): Found {
  // The warm-up the run would choose, so a patient is counted (or not) exactly as in the run.
  const spec = resolveWarmup(withOverrides(scenario, options)).model;
  const firstCounted = options.patient === undefined;
  const from = options.patient ?? 0;
  const find = options.find ?? null;
  const test = (r: JourneyRecord): boolean =>
    (!firstCounted || r.counted) && (find === null || matches(r, find));
  const record =
    spec.arrivals === null
      ? searchIndependent(spec, from, test)
      : searchReplication(spec, from, find !== null || firstCounted, test);
  if (record === null && find === null)
    throw new StoryError(
      firstCounted
        ? `no counted patient in this run (${patientRange(spec)})`
        : `no patient ${from} in this run (${patientRange(spec)})`,
    );
  if (record === null)
    throw new Error(
      `no ${firstCounted ? "counted " : ""}patient from ${from} on matches --find ${find} (${patientRange(spec)})`,
    );
  return { spec, record, from, find, firstCounted };
}

function patientRange(spec: ModelSpec): string {
  return spec.arrivals === null
    ? `patients 0 to ${spec.patients - 1}`
    : "replication 0, patients in arrival order from 0, warm-up included";
}

/** Independent journeys: each patient alone, from `from` up to the run's last patient. */
function searchIndependent(
  spec: ModelSpec,
  from: number,
  test: (r: JourneyRecord) => boolean,
): JourneyRecord | null {
  const model = compile(spec);
  const seed = seedKey(spec.seed);
  const last: { record: JourneyRecord | null } = { record: null };
  const collector = new JourneyCollector((r) => {
    last.record = r;
  });
  for (let k = from; k < spec.patients; k++) {
    simulateIndependent(model, seed, k, k + 1, new Tally(model), collector);
    if (last.record !== null && test(last.record)) return last.record;
  }
  return null;
}

/**
 * Queued journeys: replication 0 exactly as the run simulates it (same counted journeys, so the same
 * arrivals while they last); keeps the lowest-numbered matching patient from `from` on (journeys
 * end out of arrival order, so the whole replication runs).
 */
function searchReplication(
  spec: ModelSpec,
  from: number,
  searching: boolean,
  test: (r: JourneyRecord) => boolean,
): JourneyRecord | null {
  const model = compile(spec);
  const unit = units(spec)[0]!;
  const best: { record: JourneyRecord | null } = { record: null };
  const wanted = (r: number, k: number): boolean => r === 0 && (searching ? k >= from : k === from);
  const collector = new JourneyCollector((r) => {
    if (test(r) && (best.record === null || r.patient < best.record.patient)) best.record = r;
  }, wanted);
  simulateReplication(model, seedKey(spec.seed), 0, unit.to - unit.from, new Tally(model), collector);
  return best.record;
}

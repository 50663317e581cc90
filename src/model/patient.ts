// One patient's journey state. Objects are pooled and reset, not reallocated: a run of millions of
// journeys then creates no garbage per patient.
import type { CompiledModel } from "./compiled.js";
import type { PatientRef } from "./events.js";

export class Patient implements PatientRef {
  /** Replication and index within it: with the seed, the key of all this patient's random draws. */
  replication = 0;
  index = 0;
  key = 0;
  classIndex = 0;
  /** Counted in the statistics (false for warm-up and cool-down journeys). */
  counted = true;
  start = 0;
  /** Current microsystem; during a transfer, the one being left. */
  at = 0;
  /** Destination of the current transfer. */
  destination = 0;
  /** Handoff index (in `model.handoffs`) of the current or last transfer. */
  via = 0;
  arrivedAt = 0;
  visits = 0;
  harm = 1;
  defects = 0;
  nearMisses = 0;
  /** What this journey has cost so far (analysis/costs.ts: the per-patient spread of the cost). */
  cost = 0;
  /** Set by failures at the current element: ends the journey / redirects it (-1 = no). */
  drop = false;
  goto = -1;
  /** Load found on arrival at the current microsystem, and the wait for capacity there (`when`). */
  load = 0;
  wait = 0;
  /** The 30-day death has been drawn (at `decided_at`, or at the end): `risk` and `died` hold it. */
  decided = false;
  died = false;
  risk = 0;
  /** Index in SEVERITIES of the worst defect so far; -1 = none. */
  worstSeverity = -1;
  /** Left the queue of the current microsystem after waiting `max_wait` (set until `leave`). */
  reneged = false;
  // The queued driver's record of where this patient stands for places (model/queued.ts).
  /** 0 = holds nothing it waits for; 1 = waits in the queue of `at`; 2 = blocked at `at`, waiting for `wants`. */
  waiting = 0;
  wants = -1;
  /** Pool of the place held at `at` (-1 = none), and of a place held ahead at the destination of a transfer. */
  holds = -1;
  holdsAhead = -1;
  blockedSince = 0;
  /** Changes whenever the patient joins a queue: a reneging timer of an earlier wait is then void. */
  queueToken = 0;
  /** Visit number per element (microsystems then handoffs), for keyed draws. */
  readonly visitCounts: Uint32Array;
  /** First-visit milestone times, NaN until reached. */
  readonly milestones: Float64Array;

  private readonly classIds: readonly string[];

  constructor(model: CompiledModel) {
    this.classIds = model.classIds;
    this.visitCounts = new Uint32Array(model.elementCount);
    this.milestones = new Float64Array(model.slotCount);
  }

  reset(replication: number, index: number, key: number, classIndex: number, start: number): void {
    this.replication = replication;
    this.index = index;
    this.key = key;
    this.classIndex = classIndex;
    this.counted = true;
    this.start = start;
    this.visits = 0;
    this.harm = 1;
    this.defects = 0;
    this.nearMisses = 0;
    this.cost = 0;
    this.drop = false;
    this.goto = -1;
    this.load = 0;
    this.wait = 0;
    this.decided = false;
    this.died = false;
    this.risk = 0;
    this.worstSeverity = -1;
    this.reneged = false;
    this.waiting = 0;
    this.wants = -1;
    this.holds = -1;
    this.holdsAhead = -1;
    this.queueToken++;
    this.visitCounts.fill(0);
    this.milestones.fill(Number.NaN);
  }

  get classId(): string {
    return this.classIds[this.classIndex]!;
  }

  /** Time of a milestone slot (-1 = journey start); NaN if not reached. */
  milestone(slot: number): number {
    return slot < 0 ? this.start : this.milestones[slot]!;
  }

  /** Records a first-visit milestone. */
  reach(slot: number, t: number): void {
    if (slot >= 0 && Number.isNaN(this.milestones[slot]!)) this.milestones[slot] = t;
  }
}

// What a simulation counts: additive tallies only (counts, sums, sketches), so that blocks of
// patients, replications, workers and shards merge exactly by adding in a fixed order.
import { Sketch, type SketchJSON } from "../engine/sketch.js";
import type { CompiledModel } from "./compiled.js";
import {
  addOutputSums,
  type OutputSums,
  type OutputSumsJSON,
  outputSumsFromJSON,
  outputSumsToJSON,
  type ReplicationOutput,
  ratioFigures,
} from "./output.js";
import { SEVERITIES } from "./spec.js";

/** Per-replication figures, for intervals when queues make journeys dependent. */
export interface ReplicationTally {
  replication: number;
  patients: number;
  defectFree: number;
  riskSum: number;
  /** Utilisation window (first to last measured arrival) and busy unit-minutes per microsystem. */
  window: number;
  busy: number[];
  // Capacity (issue 12); present only when the model uses it, so earlier tallies read the same.
  /** Place-minutes used by background patients per microsystem, over the window. */
  background?: number[];
  /** Place-minutes available (capacity integrated over the window) per microsystem; 0 = unlimited. */
  available?: number[];
  /** Per shared resource (`resources`): pathway busy, background busy and available place-minutes. */
  resources?: { busy: number; background: number; available: number }[];
  /** Batch figures for output analysis (queued runs; model/output.ts). */
  output?: ReplicationOutput;
}

export class Tally {
  patients: Float64Array;
  defectFree: Float64Array;
  completed = 0;
  dropped = 0;
  guardStopped = 0;
  nearMisses = 0;
  /** Visits (microsystems) or transfers (handoffs), per element index. */
  visits: Float64Array;
  defects: Float64Array;
  /** The same per patient class: index class × elementCount + element (each class's own reliabilities). */
  classVisits: Float64Array;
  classDefects: Float64Array;
  offHours: Float64Array;
  /** Minutes of stay per microsystem (from gaining a place to leaving), for per-hour costs. */
  stay: Float64Array;
  occurrences: Float64Array;
  caught: Float64Array;
  riskSum = 0;
  riskSquares = 0;
  /** Σ and Σ² of each finished counted journey's own cost (the cost's per-patient interval). */
  costSum = 0;
  costSquares = 0;
  deaths = 0;
  metrics: Sketch[];
  /** Σ x² of each metric's intervals (the mean's interval for independent journeys). */
  metricSquares: Float64Array;
  withinTarget: Float64Array;
  waits: Sketch[];
  /** Journeys that ended reneged (`max_wait` with `then: leave`). */
  reneged = 0;
  /** Per microsystem: patients who left its queue after `max_wait`. */
  renegedVisits: Float64Array;
  /** Per microsystem with `blocking`: visits that kept their place after the stay (> 0 minutes). */
  blockedVisits: Float64Array;
  /** Per microsystem, when any has `blocking` (else none): minutes kept after the stay, per visit. */
  blocked: Sketch[];
  /** weekly[week] = [journeys started, defect-free]. */
  weekly: [number, number][] = [];
  replications: ReplicationTally[] = [];
  events = 0;
  /** Journeys ended by the 30-day death drawn at `decided_at` (ending `died`). */
  died = 0;
  /** worstSeverity[level] = journeys whose worst defect has that severity (index in SEVERITIES). */
  worstSeverity: Float64Array;
  /** Final-batch figures added over replications (queued runs; model/output.ts). */
  output: OutputSums | null = null;

  constructor(model: CompiledModel) {
    const classes = model.classIds.length;
    this.patients = new Float64Array(classes);
    this.defectFree = new Float64Array(classes);
    this.visits = new Float64Array(model.elementCount);
    this.defects = new Float64Array(model.elementCount);
    this.classVisits = new Float64Array(classes * model.elementCount);
    this.classDefects = new Float64Array(classes * model.elementCount);
    this.offHours = new Float64Array(model.microsystems.length);
    this.stay = new Float64Array(model.microsystems.length);
    this.occurrences = new Float64Array(model.modeCount);
    this.caught = new Float64Array(model.modeCount);
    this.metrics = model.metricSlots.map(() => new Sketch());
    this.withinTarget = new Float64Array(model.metricSlots.length);
    this.metricSquares = new Float64Array(model.metricSlots.length);
    this.waits = model.microsystems.map(() => new Sketch());
    this.worstSeverity = new Float64Array(SEVERITIES.length);
    this.renegedVisits = new Float64Array(model.microsystems.length);
    this.blockedVisits = new Float64Array(model.microsystems.length);
    // A sketch is 272 KiB: only models with blocking get these.
    this.blocked = model.microsystems.some((m) => m.blocking)
      ? model.microsystems.map(() => new Sketch())
      : [];
  }

  addWeek(week: number, defectFree: boolean): void {
    while (this.weekly.length <= week) this.weekly.push([0, 0]);
    const w = this.weekly[week]!;
    w[0]++;
    if (defectFree) w[1]++;
  }

  /** Adds `other` into this tally. Merging in a fixed order gives bit-identical sums. */
  merge(other: Tally): void {
    addInto(this.patients, other.patients);
    addInto(this.defectFree, other.defectFree);
    this.completed += other.completed;
    this.dropped += other.dropped;
    this.guardStopped += other.guardStopped;
    this.nearMisses += other.nearMisses;
    addInto(this.visits, other.visits);
    addInto(this.defects, other.defects);
    addInto(this.classVisits, other.classVisits);
    addInto(this.classDefects, other.classDefects);
    addInto(this.offHours, other.offHours);
    addInto(this.stay, other.stay);
    addInto(this.occurrences, other.occurrences);
    addInto(this.caught, other.caught);
    this.riskSum += other.riskSum;
    this.riskSquares += other.riskSquares;
    this.costSum += other.costSum;
    this.costSquares += other.costSquares;
    this.deaths += other.deaths;
    this.metrics.forEach((s, i) => {
      s.merge(other.metrics[i]!);
    });
    addInto(this.withinTarget, other.withinTarget);
    addInto(this.metricSquares, other.metricSquares);
    this.waits.forEach((s, i) => {
      s.merge(other.waits[i]!);
    });
    this.reneged += other.reneged;
    addInto(this.renegedVisits, other.renegedVisits);
    addInto(this.blockedVisits, other.blockedVisits);
    this.blocked.forEach((s, i) => {
      s.merge(other.blocked[i]!);
    });
    other.weekly.forEach(([n, ok], week) => {
      while (this.weekly.length <= week) this.weekly.push([0, 0]);
      this.weekly[week]![0] += n;
      this.weekly[week]![1] += ok;
    });
    this.replications.push(...other.replications);
    this.replications.sort((a, b) => a.replication - b.replication);
    this.events += other.events;
    this.died += other.died;
    addInto(this.worstSeverity, other.worstSeverity);
    this.output = addOutputSums(this.output, other.output);
  }

  /**
   * Adds a unit's tally as JSON, exactly as `merge(tallyFromJSON(model, json))` does (the same
   * additions in the same order) but without building the unit's sketches: what the core does with
   * each unit a worker sends back, so merging allocates nothing per unit but the JSON itself.
   * Throws, changing nothing, if the JSON does not fit the model.
   */
  mergeJSON(model: CompiledModel, json: TallyJSON): void {
    checkFits(this, json);
    const output = outputSumsFromJSON(json.output, ratioFigures(model).length);
    for (const f of ARRAY_FIELDS) {
      const mine = this[f];
      const theirs = json.arrays[f];
      for (let i = 0; i < mine.length; i++) mine[i]! += theirs[i]!;
    }
    for (const f of SCALAR_FIELDS) this[f] += Number(json.scalars[f]);
    json.metrics.forEach((s, i) => {
      this.metrics[i]!.mergeJSON(s);
    });
    json.waits.forEach((s, i) => {
      this.waits[i]!.mergeJSON(s);
    });
    (json.blocked ?? []).forEach((s, i) => {
      this.blocked[i]!.mergeJSON(s);
    });
    json.weekly.forEach(([n, ok], week) => {
      while (this.weekly.length <= week) this.weekly.push([0, 0]);
      this.weekly[week]![0] += n;
      this.weekly[week]![1] += ok;
    });
    this.replications.push(...json.replications);
    this.replications.sort((a, b) => a.replication - b.replication);
    this.output = addOutputSums(this.output, output);
  }

  /** Empties the tally for reuse (a worker's scratch: no sketch allocated per unit). */
  reset(): void {
    for (const f of ARRAY_FIELDS) this[f].fill(0);
    for (const f of SCALAR_FIELDS) this[f] = 0;
    for (const s of this.metrics) s.reset();
    for (const s of this.waits) s.reset();
    // Blocked minutes too: kept from the last unit, they were counted again in every later unit the
    // same worker ran (results then depended on which worker ran which unit).
    for (const s of this.blocked) s.reset();
    // Fresh arrays, not emptied ones: JSON made from this tally may still hold the old ones.
    this.weekly = [];
    this.replications = [];
    this.output = null;
  }
}

/** Throws unless the JSON's arrays and sketches have the model's shape. */
function checkFits(t: Tally, json: TallyJSON): void {
  for (const f of ARRAY_FIELDS) {
    const values = json.arrays?.[f];
    if (!Array.isArray(values) || values.length !== t[f].length)
      throw new Error(`tally field ${f} does not fit the model`);
  }
  if (
    json.metrics.length !== t.metrics.length ||
    json.waits.length !== t.waits.length ||
    (json.blocked ?? []).length !== t.blocked.length
  ) {
    throw new Error("tally sketches do not fit the model");
  }
}

/** A tally as plain JSON: what workers send back and what shard files hold. */
export interface TallyJSON {
  arrays: Record<ArrayField, number[]>;
  scalars: Record<ScalarField, number>;
  metrics: SketchJSON[];
  waits: SketchJSON[];
  weekly: [number, number][];
  replications: ReplicationTally[];
  /** Blocked minutes per microsystem (absent: no blocking). */
  blocked?: SketchJSON[];
  /** Absent in tallies of runs without arrivals. */
  output?: OutputSumsJSON | null;
}

export const ARRAY_FIELDS = [
  "patients",
  "defectFree",
  "visits",
  "defects",
  "classVisits",
  "classDefects",
  "offHours",
  "stay",
  "occurrences",
  "caught",
  "withinTarget",
  "worstSeverity",
  "renegedVisits",
  "blockedVisits",
  "metricSquares",
] as const;
type ArrayField = (typeof ARRAY_FIELDS)[number];
export const SCALAR_FIELDS = [
  "completed",
  "dropped",
  "guardStopped",
  "nearMisses",
  "riskSum",
  "riskSquares",
  "costSum",
  "costSquares",
  "deaths",
  "events",
  "died",
  "reneged",
] as const;
type ScalarField = (typeof SCALAR_FIELDS)[number];

export function tallyToJSON(t: Tally): TallyJSON {
  return {
    arrays: Object.fromEntries(ARRAY_FIELDS.map((f) => [f, Array.from(t[f])])) as Record<
      ArrayField,
      number[]
    >,
    scalars: Object.fromEntries(SCALAR_FIELDS.map((f) => [f, t[f]])) as Record<ScalarField, number>,
    metrics: t.metrics.map((s) => s.toJSON()),
    waits: t.waits.map((s) => s.toJSON()),
    weekly: t.weekly,
    replications: t.replications,
    ...(t.blocked.length > 0 ? { blocked: t.blocked.map((s) => s.toJSON()) } : {}),
    output: outputSumsToJSON(t.output),
  };
}

/** Rebuilds a tally for `model`; throws if the JSON does not fit the model (a shard of another run). */
export function tallyFromJSON(model: CompiledModel, json: TallyJSON): Tally {
  const t = new Tally(model);
  checkFits(t, json);
  for (const f of ARRAY_FIELDS) t[f].set(json.arrays[f]);
  for (const f of SCALAR_FIELDS) t[f] = Number(json.scalars[f]);
  t.metrics = json.metrics.map((s) => Sketch.fromJSON(s));
  t.waits = json.waits.map((s) => Sketch.fromJSON(s));
  const blocked = json.blocked ?? [];
  if (blocked.length !== t.blocked.length) throw new Error("tally sketches do not fit the model");
  t.blocked = blocked.map((s) => Sketch.fromJSON(s));
  t.weekly = json.weekly.map(([n, ok]) => [n, ok]);
  t.replications = json.replications;
  t.output = outputSumsFromJSON(json.output, ratioFigures(model).length);
  return t;
}

function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
}

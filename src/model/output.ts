// What output analysis needs from a replication of a queued run (docs/design.md, "Output
// analysis"): the figures of consecutive batches of counted patients, in arrival order.
//
// Patients who share capacity are not independent, so an interval for a queue-dependent figure
// (a mean wait, a utilisation, the expected mortality) needs independent units: replications when
// there are two or more, otherwise batches of one replication (the method of batch means). Every
// such figure is a ratio of two sums — the waits and the visits, busy and available unit-minutes,
// the risks and the patients — so a batch keeps the two sums (y, x) per figure, and figures merge
// by adding. A replication's counted patients are cut into `micro` equal micro-batches (up to 480,
// at least 10 patients each), so the batch size can be grown until the batch means are no longer
// correlated, and into K ≤ 30 final batches (each 2^levels micro-batches) for the interval.
// Quantiles (the p90 of waits, a metric's median and p90) do not add up; with one replication
// each final batch keeps a small histogram (engine/coarse-sketch.ts) and sends back its quantiles.
import { CoarseSketch } from "../engine/coarse-sketch.js";
import type { CompiledModel, CompiledPool } from "./compiled.js";
import type { Ending } from "./events.js";
import type { Patient } from "./patient.js";

/** Final batches of the interval: few enough for big batches, enough for a stable t (Schmeiser 1982). */
export const FINAL_BATCHES = 30;
/** Micro-batches = final batches × 2^MAX_LEVELS (480): enough to test lag-1 correlation at 120–480. */
export const MAX_LEVELS = 4;
/** A batch has at least this many patients. */
export const MIN_BATCH_PATIENTS = 10;

/** How one replication of `patients` counted journeys is cut into batches. */
export interface BatchPlan {
  /** Final batches, K. */
  batches: number;
  /** Micro-batches per final batch = 2^levels. */
  levels: number;
  /** Micro-batches, K · 2^levels. */
  micro: number;
}

/** The plan for replications of `patients` counted journeys (the same for every replication of a run). */
export function batchPlan(patients: number): BatchPlan {
  const batches = Math.max(1, Math.min(FINAL_BATCHES, Math.floor(patients / MIN_BATCH_PATIENTS)));
  let levels = 0;
  while (levels < MAX_LEVELS && batches * 2 ** (levels + 1) * MIN_BATCH_PATIENTS <= patients) levels++;
  return { batches, levels, micro: batches * 2 ** levels };
}

/** The plan of a run: its replications share `patients`; the smallest one decides. */
export function runBatchPlan(model: CompiledModel): BatchPlan {
  return batchPlan(Math.floor(model.spec.patients / Math.max(1, model.spec.replications)));
}

export type RatioKind =
  | "wait"
  | "utilization"
  | "metric_mean"
  | "within_target"
  | "mortality"
  | "completed"
  | "dropped"
  | "died";
export type QuantileKind = "wait_p90" | "metric_median" | "metric_p90";

/** One figure of the layout: its kind and the microsystem or metric index it belongs to (−1 = none). */
export interface Figure<K> {
  kind: K;
  of: number;
}

/**
 * The figures of a model, in the order of every array of this module: per microsystem its mean wait,
 * then per microsystem its utilisation, per metric its mean, per metric its share within target,
 * then mortality (mean risk), the completed and the dropped shares, and the share death cut short
 * (`decided_at`, issue 13).
 */
export function ratioFigures(model: CompiledModel): Figure<RatioKind>[] {
  const M = model.microsystems.length;
  const K = model.metricSlots.length;
  const of = (kind: RatioKind, n: number) => Array.from({ length: n }, (_, i) => ({ kind, of: i }));
  return [
    ...of("wait", M),
    ...of("utilization", M),
    ...of("metric_mean", K),
    ...of("within_target", K),
    { kind: "mortality", of: -1 },
    { kind: "completed", of: -1 },
    { kind: "dropped", of: -1 },
    { kind: "died", of: -1 },
  ];
}

/** Quantile figures: per microsystem the p90 of waits, per metric its median, per metric its p90. */
export function quantileFigures(model: CompiledModel): Figure<QuantileKind>[] {
  const M = model.microsystems.length;
  const K = model.metricSlots.length;
  const of = (kind: QuantileKind, n: number) => Array.from({ length: n }, (_, i) => ({ kind, of: i }));
  return [...of("wait_p90", M), ...of("metric_median", K), ...of("metric_p90", K)];
}

/** What one replication sends back for output analysis (plain JSON). */
export interface ReplicationOutput {
  /** Counted patients. */
  patients: number;
  /** Per ratio figure (ratioFigures order): the replication's two sums. */
  y: number[];
  x: number[];
  /** Per quantile figure (quantileFigures order): the replication's value; null when it has none. */
  q: (number | null)[];
  /** Per ratio figure, its two sums over the earlier and the later half of the final batches ([f·2 + half]). */
  halves?: { y: number[]; x: number[] };
  /** With one replication only: per quantile figure, then per final batch (row-major); null = none. */
  batchQ?: (number | null)[];
  /** With one replication only: per ratio figure, then per micro-batch (row-major), the two sums. */
  microY?: number[];
  microX?: number[];
}

/** Final-batch sums added over replications (batch b of every replication together). */
export interface OutputSums {
  batches: number;
  /** Per ratio figure, then per final batch (row-major). */
  y: Float64Array;
  x: Float64Array;
}

export interface OutputSumsJSON {
  batches: number;
  y: number[];
  x: number[];
}

export function addOutputSums(into: OutputSums | null, other: OutputSums | null): OutputSums | null {
  if (other === null) return into;
  if (into === null) return { batches: other.batches, y: other.y.slice(), x: other.x.slice() };
  if (into.batches !== other.batches || into.y.length !== other.y.length)
    throw new Error("output batches of different runs cannot be merged");
  for (let i = 0; i < into.y.length; i++) {
    into.y[i]! += other.y[i]!;
    into.x[i]! += other.x[i]!;
  }
  return into;
}

export function outputSumsToJSON(s: OutputSums | null): OutputSumsJSON | null {
  return s === null ? null : { batches: s.batches, y: Array.from(s.y), x: Array.from(s.x) };
}

export function outputSumsFromJSON(
  json: OutputSumsJSON | null | undefined,
  figures: number,
): OutputSums | null {
  if (json === null || json === undefined) return null;
  const n = figures * json.batches;
  if (!Array.isArray(json.y) || !Array.isArray(json.x) || json.y.length !== n || json.x.length !== n)
    throw new Error("tally output batches do not fit the model");
  return { batches: json.batches, y: Float64Array.from(json.y), x: Float64Array.from(json.x) };
}

/** What the queued driver tells output analysis as a replication runs (journey.ts and queued.ts call it). */
export interface OutputSink {
  /**
   * The `j`-th counted patient (0-based, arrival order) arrived at `now` as patient `index`,
   * finding `inPathway` patients already in the pathway; `busyTime(m, now)` reads the place-minutes
   * held at microsystem m so far (by pathway and background patients).
   */
  arrival(
    index: number,
    j: number,
    now: number,
    inPathway: number,
    busyTime: (m: number, now: number) => number,
  ): void;
  /** A counted patient waited `w` minutes for capacity at microsystem `m`. */
  wait(p: Patient, m: number, w: number): void;
  /** A counted patient's interval `x` of metric `i`. */
  metric(p: Patient, i: number, x: number): void;
  /** A counted journey ended (its 30-day risk, 0 without a mortality model). */
  finish(p: Patient, ending: Ending, risk: number): void;
}

/** A replication's batches, as the replication runs. */
export class OutputRecorder implements OutputSink {
  private readonly F: number;
  private readonly M: number;
  private readonly plan: BatchPlan;
  private readonly y: Float64Array;
  private readonly x: Float64Array;
  /** Arrival time and busy unit-minutes (per microsystem) at each micro-batch's first arrival, and at the last. */
  private readonly snapTime: Float64Array;
  private readonly snapBusy: Float64Array;
  private readonly sketches: CoarseSketch[] | null;
  private readonly targets: (number | null)[];
  /** Each microsystem's pool of places (shifts and shared resources included). */
  private readonly pools: CompiledPool[];
  private first = 0;
  private current = -1;
  /** Micro-batches per counted patient. */
  private readonly perPatient: number;
  /** First row of the metric means, the within-target shares and the outcomes in `y` and `x`. */
  private readonly base: { mean: number; within: number; risk: number };

  constructor(
    readonly model: CompiledModel,
    /** Counted patients of this replication. */
    readonly patients: number,
    /** Whether to keep what a one-replication run needs: batch quantiles and micro-batches. */
    readonly single: boolean = model.spec.replications === 1,
    /** Told the share of counted patients arrived, at each micro-batch (progress within a replication). */
    private readonly onProgress: ((fraction: number) => void) | null = null,
  ) {
    this.plan = runBatchPlan(model);
    this.perPatient = patients > 0 ? this.plan.micro / patients : 0;
    this.M = model.microsystems.length;
    this.F = ratioFigures(model).length;
    const micro = this.plan.micro;
    this.y = new Float64Array(this.F * micro);
    this.x = new Float64Array(this.F * micro);
    this.snapTime = new Float64Array(micro + 1);
    this.snapBusy = new Float64Array((micro + 1) * this.M);
    const K = model.metricSlots.length;
    this.sketches = single
      ? Array.from({ length: (this.M + K) * this.plan.batches }, () => new CoarseSketch())
      : null;
    this.targets = model.spec.metrics.map((m) => m.target);
    this.pools = model.microsystems.map((m) => model.pools[m.pool]!);
    this.base = { mean: 2 * this.M, within: 2 * this.M + K, risk: 2 * this.M + 2 * K };
  }

  /**
   * Micro-batch of the j-th counted patient: equal shares of the replication's patients. A multiply
   * by a precomputed ratio, not a division: this runs at every wait of every counted patient.
   */
  private microOf(j: number): number {
    const b = Math.floor(j * this.perPatient);
    return b < this.plan.micro ? b : this.plan.micro - 1;
  }

  private microOfPatient(p: Patient): number {
    return this.microOf(p.index - this.first);
  }

  arrival(
    index: number,
    j: number,
    now: number,
    _inPathway: number,
    busyTime: (m: number, now: number) => number,
  ): void {
    if (j === 0) this.first = index;
    const micro = this.microOf(j);
    if (micro !== this.current) {
      this.current = micro;
      this.snapshot(micro, now, busyTime);
      if (this.onProgress !== null && micro > 0) this.onProgress(micro / this.plan.micro);
    }
    // The utilisation window closes at the last counted arrival (the counted period only).
    if (j === this.patients - 1) this.snapshot(this.plan.micro, now, busyTime);
  }

  private snapshot(at: number, now: number, busyTime: (m: number, now: number) => number): void {
    this.snapTime[at] = now;
    for (let m = 0; m < this.M; m++) this.snapBusy[at * this.M + m] = busyTime(m, now);
  }

  wait(p: Patient, m: number, w: number): void {
    const micro = this.microOfPatient(p);
    const cell = m * this.plan.micro + micro;
    this.y[cell]! += w;
    this.x[cell]! += 1;
    if (this.sketches !== null) this.sketches[m * this.plan.batches + (micro >> this.plan.levels)]!.add(w);
  }

  metric(p: Patient, i: number, value: number): void {
    const micro = this.microOfPatient(p);
    const n = this.plan.micro;
    const mean = (this.base.mean + i) * n + micro;
    this.y[mean]! += value;
    this.x[mean]! += 1;
    const target = this.targets[i];
    if (target !== null && target !== undefined) {
      const within = (this.base.within + i) * n + micro;
      if (value <= target) this.y[within]! += 1;
      this.x[within]! += 1;
    }
    if (this.sketches !== null)
      this.sketches[(this.M + i) * this.plan.batches + (micro >> this.plan.levels)]!.add(value);
  }

  finish(p: Patient, ending: Ending, risk: number): void {
    const micro = this.microOfPatient(p);
    const n = this.plan.micro;
    const r = this.base.risk * n + micro;
    this.y[r]! += risk;
    this.x[r]! += 1;
    this.y[r + n]! += ending === "completed" ? 1 : 0;
    this.x[r + n]! += 1;
    this.y[r + 2 * n]! += ending === "dropped" ? 1 : 0;
    this.x[r + 2 * n]! += 1;
    this.y[r + 3 * n]! += ending === "died" ? 1 : 0;
    this.x[r + 3 * n]! += 1;
  }

  /**
   * Utilisation sums per micro-batch: place-minutes held (other patients' included) over the
   * place-minutes available in the batch's period — the pool's capacity integrated over it, so
   * shifts and shared resources count as in the point estimate (analysis/summarize.ts).
   */
  private fillUtilisation(): void {
    const n = this.plan.micro;
    for (let m = 0; m < this.M; m++) {
      const places = this.pools[m]!.capacity;
      if (places.max === Number.POSITIVE_INFINITY) continue;
      const row = (this.M + m) * n;
      // Snapshot b is micro-batch b's first arrival; snapshot n the last counted arrival.
      for (let b = 0; b < n; b++) {
        this.y[row + b] = this.snapBusy[(b + 1) * this.M + m]! - this.snapBusy[b * this.M + m]!;
        const from = this.snapTime[b]!;
        const to = this.snapTime[b + 1]!;
        this.x[row + b] = places.isConstant ? places.max * (to - from) : places.integral(from, to);
      }
    }
  }

  /**
   * The replication's output, given its unit tally's fine sketches (the replication's own quantiles):
   * `ReplicationOutput` for its record, and its final-batch sums.
   */
  result(quantile: (figure: Figure<QuantileKind>) => number | null): {
    output: ReplicationOutput;
    sums: OutputSums;
  } {
    if (this.patients > 0) this.fillUtilisation();
    const { micro, batches, levels } = this.plan;
    const F = this.F;
    const y: number[] = new Array(F).fill(0);
    const x: number[] = new Array(F).fill(0);
    const sums: OutputSums = {
      batches,
      y: new Float64Array(F * batches),
      x: new Float64Array(F * batches),
    };
    for (let f = 0; f < F; f++) {
      for (let b = 0; b < micro; b++) {
        const vy = this.y[f * micro + b]!;
        const vx = this.x[f * micro + b]!;
        y[f]! += vy;
        x[f]! += vx;
        sums.y[f * batches + (b >> levels)]! += vy;
        sums.x[f * batches + (b >> levels)]! += vx;
      }
    }
    const halves = { y: new Array<number>(2 * F).fill(0), x: new Array<number>(2 * F).fill(0) };
    for (let f = 0; f < F; f++) {
      for (let b = 0; b < batches; b++) {
        const h = f * 2 + (b < Math.floor(batches / 2) ? 0 : 1);
        halves.y[h]! += sums.y[f * batches + b]!;
        halves.x[h]! += sums.x[f * batches + b]!;
      }
    }
    const figures = quantileFigures(this.model);
    const output: ReplicationOutput = { patients: this.patients, y, x, q: figures.map(quantile), halves };
    if (this.sketches !== null) {
      output.batchQ = figures.flatMap((f) => {
        const sketch = f.kind === "wait_p90" ? f.of : this.M + f.of;
        const p = f.kind === "metric_median" ? 0.5 : 0.9;
        return Array.from({ length: batches }, (_, b) => {
          const s = this.sketches![sketch * batches + b]!;
          return s.count === 0 ? null : s.quantile(p);
        });
      });
      output.microY = Array.from(this.y);
      output.microX = Array.from(this.x);
    }
    return { output, sums };
  }
}

// The warm-up of a queued run, chosen from the run's own output when the scenario sets none
// (docs/design.md, "Output analysis"). Every replication starts empty; statistics of its first
// journeys describe a pathway that is filling up, not the pathway in steady state (an M/M/1 at
// utilisation 0.95 started empty averaged 145 min of wait against the exact 180.5).
//
// MSER-5 (White 1997; Franklin & White 2008): of a series cut into batches of 5, drop the first d
// batches where d (at most half the series) minimises the squared standard error of the mean of the
// rest, Σ(Z_j − Z̄_d)² / (m − d)². It is applied to a pilot: the first P arrivals of the run's first
// replications (up to 10, their own random numbers), all of them observed and averaged over the
// replications patient by patient, on two series in arrival order — each
// patient's total wait for capacity (queues build up) and the number of patients already in the
// pathway when it arrives (downstream units fill up, which waits alone do not show when nothing
// queues). The later of the two truncations wins; the warm-up is the arrival time of the first
// patient kept. A truncation beyond a quarter of the pilot means the pilot has not seen the steady
// state: the pilot doubles, up to a cap; past it the choice is reported as unsettled.
import { seedKey } from "../engine/random.js";
import { type CompiledModel, compile } from "./compiled.js";
import type { Ending } from "./events.js";
import type { OutputSink } from "./output.js";
import type { Patient } from "./patient.js";
import { simulateReplication } from "./queued.js";
import type { ModelSpec } from "./spec.js";
import { Tally } from "./tally.js";

/** How a run's warm-up was decided (the summary's `warmup`). */
export interface WarmupChoice {
  minutes: number;
  /** "scenario": the file set it (a user's warm-up, 0 included, always wins); "MSER-5": chosen. */
  method: "scenario" | "MSER-5" | "none";
  /** MSER-5 only: patients of each pilot replication, the replications averaged, and how many of
   * the first patients the truncation dropped. */
  pilot_patients?: number;
  pilot_replications?: number;
  truncated_patients?: number;
  /** MSER-5 only: false when even the longest pilot truncated beyond a quarter of itself. */
  settled?: boolean;
}

/** Batch size of MSER-5. */
const MSER_BATCH = 5;
/**
 * Pilot patients: a replication's length, but at least PILOT_MIN (MSER needs a series long against
 * the transient) and at most PILOT_MAX_FIRST (the pilot is work the run does twice); doubled while
 * unsettled, up to PILOT_GROWTH times the first length (and no more than the run's patients).
 */
const PILOT_MIN = 4096;
const PILOT_MAX_FIRST = 16_384;
const PILOT_GROWTH = 4;

/**
 * MSER-`batch` truncation of `series`: the number of leading observations to drop (a multiple of
 * `batch`, at most half the series), and the batches it was chosen among.
 */
export function mser(series: ArrayLike<number>, batch = MSER_BATCH): { drop: number; batches: number } {
  const m = Math.floor(series.length / batch);
  if (m < 2) return { drop: 0, batches: m };
  const z = new Float64Array(m);
  for (let j = 0; j < m; j++) {
    let s = 0;
    for (let k = 0; k < batch; k++) s += series[j * batch + k]!;
    z[j] = s / batch;
  }
  // Suffix sums make each candidate O(1). Centring on the overall mean first keeps the sums of
  // squares from cancelling catastrophically when the series sits far from 0.
  let centre = 0;
  for (const v of z) centre += v / m;
  let sum = 0;
  let squares = 0;
  const suffixSum = new Float64Array(m + 1);
  const suffixSquares = new Float64Array(m + 1);
  for (let j = m - 1; j >= 0; j--) {
    const v = z[j]! - centre;
    sum += v;
    squares += v * v;
    suffixSum[j] = sum;
    suffixSquares[j] = squares;
  }
  let best = 0;
  let bestValue = Number.POSITIVE_INFINITY;
  for (let d = 0; d <= Math.floor(m / 2); d++) {
    const k = m - d;
    const mean = suffixSum[d]! / k;
    const value = Math.max(0, suffixSquares[d]! - k * mean * mean) / (k * k);
    if (value < bestValue) {
      bestValue = value;
      best = d;
    }
  }
  return { drop: best * batch, batches: m };
}

/** The pilot's two series, per counted (= every) patient in arrival order. */
class PilotSeries implements OutputSink {
  readonly waits: Float64Array;
  readonly inPathway: Float64Array;
  readonly arrivals: Float64Array;
  private first = 0;

  constructor(patients: number) {
    this.waits = new Float64Array(patients);
    this.inPathway = new Float64Array(patients);
    this.arrivals = new Float64Array(patients);
  }

  arrival(index: number, j: number, now: number, inPathway: number): void {
    if (j === 0) this.first = index;
    this.arrivals[j] = now;
    this.inPathway[j] = inPathway;
  }

  wait(p: Patient, _m: number, w: number): void {
    this.waits[p.index - this.first]! += w;
  }

  metric(): void {}

  finish(_p: Patient, _ending: Ending, _risk: number): void {}
}

/**
 * Pilot replications averaged: the run's first ones, at most this many, and no more than the
 * run's own patients pay for (a pilot of a tiny run costs what the run costs, not 40,000 patients).
 */
const PILOT_REPLICATIONS = 10;

/**
 * The warm-up MSER-5 chooses for `model` (which must have arrivals), from pilots of its first
 * replications (their own random numbers), series averaged over them: R replications estimate a
 * mean √R times more precisely than one, so the start-up's bias must be judged against the
 * average of several (Welch's method of averaging replications, with MSER's truncation rule).
 */
export function chooseWarmup(model: ModelSpec): WarmupChoice {
  const arrivals = model.arrivals!;
  const pilotModel: CompiledModel = compile({
    ...model,
    arrivals: { ...arrivals, warmup: 0, warmupAuto: false },
  });
  const perReplication = Math.floor(model.patients / Math.max(1, model.replications));
  const firstLength = Math.min(
    PILOT_MAX_FIRST,
    Math.max(PILOT_MIN, perReplication),
    Math.max(model.patients, 1024),
  );
  const cap = Math.max(firstLength, Math.min(PILOT_GROWTH * firstLength, model.patients));
  const budget = Math.max(model.patients, PILOT_MIN);
  const pilots = Math.max(
    1,
    Math.min(model.replications, PILOT_REPLICATIONS, Math.floor(budget / firstLength)),
  );
  const seed = seedKey(model.seed);
  // One scratch tally for every pilot replication (the pilot's figures are its two series).
  const scratch = new Tally(pilotModel);
  for (let patients = firstLength; ; patients = Math.min(cap, 2 * patients)) {
    const waits = new Float64Array(patients);
    const inPathway = new Float64Array(patients);
    const arrivalTimes = new Float64Array(patients);
    for (let r = 0; r < pilots; r++) {
      const series = new PilotSeries(patients);
      scratch.reset();
      simulateReplication(pilotModel, seed, r, patients, scratch, null, series);
      for (let j = 0; j < patients; j++) {
        waits[j]! += series.waits[j]! / pilots;
        inPathway[j]! += series.inPathway[j]! / pilots;
        arrivalTimes[j]! += series.arrivals[j]! / pilots;
      }
    }
    const drop = Math.max(mser(waits).drop, mser(inPathway).drop);
    const settled = drop <= patients / 4;
    if (settled || patients >= cap) {
      return {
        minutes: drop === 0 ? 0 : arrivalTimes[drop]!,
        method: "MSER-5",
        pilot_patients: patients,
        pilot_replications: pilots,
        truncated_patients: drop,
        settled,
      };
    }
  }
}

/**
 * The model with its warm-up decided: a scenario's own warm-up as it is, otherwise (with arrivals
 * and no `warmup` in the file) the one MSER-5 chooses. The result's `warmupAuto` is false, so
 * resolving it again (a worker, a shard) changes nothing.
 */
export function resolveWarmup(model: ModelSpec): { model: ModelSpec; warmup: WarmupChoice } {
  const arrivals = model.arrivals;
  if (arrivals === null) return { model, warmup: { minutes: 0, method: "none" } };
  if (arrivals.warmupAuto !== true)
    return { model, warmup: { minutes: arrivals.warmup, method: "scenario" } };
  const warmup = chooseWarmup(model);
  return {
    model: { ...model, arrivals: { ...arrivals, warmup: warmup.minutes, warmupAuto: false } },
    warmup,
  };
}

// Splits a run into units of work and runs them. A unit is a fixed block of patients (independent
// journeys) or one replication (queued journeys). Units are the grain of parallelism: each fills
// its own tally, and tallies merge in unit order, so the result is identical whether the units ran
// in one thread, in many workers, or in shards on many machines.
import { seedKey } from "../engine/random.js";
import { type CompiledModel, compile } from "./compiled.js";
import type { JourneyMonitor } from "./events.js";
import { simulateIndependent } from "./independent.js";
import { OutputRecorder } from "./output.js";
import { simulateReplication } from "./queued.js";
import type { ModelSpec } from "./spec.js";
import { Tally } from "./tally.js";
import { checkWorkload, WorkloadError } from "./workload.js";

/** Patients per unit for independent journeys: large enough to amortise a tally, small enough to share out. */
export const BLOCK_SIZE = 65_536;
/** Independent journeys between two progress reports within a unit. */
const PROGRESS_SLICE = 8192;

export interface Unit {
  index: number;
  /** Independent journeys: patients [from, to). Queued: replication `index` with `to - from` counted journeys. */
  from: number;
  to: number;
}

/** What a run may override of a scenario (the command line's --patients and --seed). */
export interface Overrides {
  /** Journeys to count (default: the scenario's `patients`). */
  patients?: number;
  /** Random seed (default: the scenario's `seed`). */
  seed?: number;
  /** Replications when patients arrive over time (default: the scenario's `replications`). */
  replications?: number;
}

/**
 * The scenario with a run's overrides applied. Overrides that change the work (patients,
 * replications) get the loader's plausibility check again (model/workload.ts): `--patients`
 * is bound by the same limits as `patients:` in the file. Throws a WorkloadError.
 */
export function withOverrides(spec: ModelSpec, options: Overrides): ModelSpec {
  const patients = options.patients ?? spec.patients;
  const out = {
    ...spec,
    patients,
    seed: options.seed ?? spec.seed,
    // Replications share the patients: never more replications than patients.
    replications: Math.min(options.replications ?? spec.replications, patients),
  };
  if (out.patients !== spec.patients || out.replications !== spec.replications) {
    try {
      checkWorkload(out);
    } catch (error) {
      if (!(error instanceof WorkloadError)) throw error;
      throw new WorkloadError(`with ${out.patients} patients: ${error.message}`);
    }
  }
  return out;
}

export function units(spec: ModelSpec): Unit[] {
  const out: Unit[] = [];
  if (spec.arrivals === null) {
    for (let from = 0, i = 0; from < spec.patients; from += BLOCK_SIZE, i++) {
      out.push({ index: i, from, to: Math.min(from + BLOCK_SIZE, spec.patients) });
    }
    return out;
  }
  // `patients` is shared between replications; the first ones take the remainder.
  const R = spec.replications;
  const base = Math.floor(spec.patients / R);
  let from = 0;
  for (let r = 0; r < R; r++) {
    const n = base + (r < spec.patients % R ? 1 : 0);
    out.push({ index: r, from, to: from + n });
    from += n;
  }
  return out;
}

/** Told the share of a unit done so far (0 to 1), a few dozen times per unit: progress within long units. */
export type UnitProgress = (fraction: number) => void;

/**
 * Simulates one unit into a new tally, or into `into` (emptied first: a worker reuses one scratch
 * tally, so no sketch is allocated per unit).
 */
export function runUnit(
  model: CompiledModel,
  unit: Unit,
  monitor: JourneyMonitor | null = null,
  into: Tally | null = null,
  onProgress: UnitProgress | null = null,
): Tally {
  const tally = into ?? new Tally(model);
  if (into !== null) into.reset();
  const seed = seedKey(model.spec.seed);
  if (model.spec.arrivals === null) {
    // Slices, so progress costs nothing per patient.
    const slice = onProgress === null ? unit.to - unit.from : PROGRESS_SLICE;
    for (let from = unit.from; from < unit.to; from += slice) {
      simulateIndependent(model, seed, from, Math.min(unit.to, from + slice), tally, monitor);
      onProgress?.((Math.min(unit.to, from + slice) - unit.from) / (unit.to - unit.from));
    }
    return tally;
  }
  const recorder = new OutputRecorder(model, unit.to - unit.from, undefined, onProgress);
  simulateReplication(model, seed, unit.index, unit.to - unit.from, tally, monitor, recorder);
  // The unit's tally holds this replication only: its sketches give the replication's quantiles.
  const { output, sums } = recorder.result((f) => {
    const sketch = f.kind === "wait_p90" ? tally.waits[f.of]! : tally.metrics[f.of]!;
    return sketch.count === 0 ? null : sketch.quantile(f.kind === "metric_median" ? 0.5 : 0.9);
  });
  tally.replications.at(-1)!.output = output;
  tally.output = sums;
  return tally;
}

export interface SimulateOptions {
  /** Receives every event of every journey (monitoring costs nothing when absent). */
  monitor?: JourneyMonitor | null;
  /** Called after each unit with (done, total), for progress bars. */
  onProgress?: (done: number, total: number) => void;
}

/** Runs the whole scenario in this thread. */
export function simulate(
  spec: ModelSpec,
  options: SimulateOptions = {},
): { model: CompiledModel; tally: Tally } {
  const model = compile(spec);
  const all = units(spec);
  // Merge each unit as soon as it is done: memory stays flat however many patients run.
  const total = new Tally(model);
  all.forEach((u, i) => {
    total.merge(runUnit(model, u, options.monitor ?? null));
    options.onProgress?.(i + 1, all.length);
  });
  return { model, tally: total };
}

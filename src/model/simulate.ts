// Splits a run into units of work and runs them. A unit is a fixed block of patients (independent
// journeys) or one replication (queued journeys). Units are the grain of parallelism: each fills
// its own tally, and tallies merge in unit order, so the result is identical whether the units ran
// in one thread, in many workers, or in shards on many machines.
import { seedKey } from "../engine/random.js";
import { type CompiledModel, compile } from "./compiled.js";
import { simulateIndependent } from "./independent.js";
import type { Tracer } from "./journey.js";
import { simulateReplication } from "./queued.js";
import type { ModelSpec } from "./spec.js";
import { Tally } from "./tally.js";

/** Patients per unit for independent journeys: large enough to amortise a tally, small enough to share out. */
export const BLOCK_SIZE = 65_536;

export interface Unit {
  index: number;
  /** Independent journeys: patients [from, to). Queued: replication `index` with `to - from` counted journeys. */
  from: number;
  to: number;
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

export function runUnit(model: CompiledModel, unit: Unit, tracer: Tracer | null = null): Tally {
  const tally = new Tally(model);
  const seed = seedKey(model.spec.seed);
  if (model.spec.arrivals === null) simulateIndependent(model, seed, unit.from, unit.to, tally, tracer);
  else simulateReplication(model, seed, unit.index, unit.to - unit.from, tally, tracer);
  return tally;
}

export interface SimulateOptions {
  tracer?: Tracer | null;
  /** Called after each unit with (done, total), for progress bars. */
  progress?: (done: number, total: number) => void;
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
    total.merge(runUnit(model, u, options.tracer ?? null));
    options.progress?.(i + 1, all.length);
  });
  return { model, tally: total };
}

// The worker-thread executor (piscina): runs units of work in parallel threads and hands each
// tally back as it finishes. The core (analysis/run.ts) merges them in unit order, so results are
// identical for any number of workers.
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { Piscina } from "piscina";
import {
  type RunOptions,
  simulateUnit,
  type TallyJSON,
  type UnitExecutor,
  yieldToEventLoop,
} from "../analysis/run.js";
import type { Unit } from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { estimateWorkload } from "../model/workload.js";
import type { UnitTask } from "./worker.js";

/** The model as far as one unit goes: its patients (one replication's, with arrivals). */
function unitModel(model: ModelSpec, unit: Unit): ModelSpec {
  return { ...model, patients: unit.to - unit.from, replications: 1 };
}

/** The default number of worker threads: the machine's cores. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * The options with the worker pool as executor, unless the caller chose one. One worker is one
 * thread too: a unit running in the main thread would keep it from hearing Ctrl-C until the unit
 * ends (minutes, for a long loop), while the main thread waiting on a worker hears it at once.
 */
export function withWorkers<T extends RunOptions>(options: T): T {
  if (options.executeUnits !== undefined || options.monitor !== undefined) return options;
  return { ...options, executeUnits: workerPool(options.workers ?? defaultWorkers()) };
}

/**
 * The interrupt word of every worker (model/interrupt.ts): set by `interruptUnits`, it stops the
 * units under way in every thread within a few milliseconds.
 */
const INTERRUPT = new Int32Array(new SharedArrayBuffer(4));

/** The shared interrupt word itself, for threads started elsewhere (the traced run's). */
export function interruptWord(): Int32Array {
  return INTERRUPT;
}

/** Stops every unit of work under way in the workers (the command line's signal handler calls it). */
export function interruptUnits(): void {
  Atomics.store(INTERRUPT, 0, 1);
}

/** Work small enough (events, about) to run in this thread rather than start a thread for it. */
const IN_THREAD_EVENTS = 2_000_000;

/**
 * Workers run compiled JavaScript only (Node cannot load TypeScript in a worker): from the sources
 * (tests) use the build in dist/, which `npm test` and `npm install` produce.
 */
function workerFile(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/src/node/worker.js", here) : new URL("./worker.js", here);
}

/**
 * An executor that runs units in `workers` threads. One small unit (under IN_THREAD_EVENTS
 * events, by the workload estimate) runs in this thread instead: starting a thread would cost more
 * than it saves, and it ends within a fraction of a second anyway.
 */
export function workerPool(workers: number): UnitExecutor {
  return async (model, units, onUnit, signal) => {
    if (units.length === 1 && estimateWorkload(unitModel(model, units[0]!)).events < IN_THREAD_EVENTS) {
      for (const u of units) {
        signal?.throwIfAborted();
        onUnit(u, simulateUnit(model, u));
        await yieldToEventLoop();
      }
      return;
    }
    const pool = poolOf(workers);
    const runId = randomUUID();
    try {
      await Promise.all(
        units.map(async (unit) => onUnit(unit, await pool.run({ runId, spec: model, unit }, { signal }))),
      );
    } catch (error) {
      // A failed or aborted task may leave the pool in any state: start afresh next time.
      pools.delete(workers);
      await pool.destroy();
      throw error;
    }
  };
}

/**
 * Pools live as long as the process, one per thread count. Starting threads and letting the JIT
 * warm them up costs ~0.1 s, which `compare` and `sensitivity` (dozens of runs) would otherwise pay
 * every run. Piscina unrefs idle threads, so a kept pool never holds the process open.
 */
const pools = new Map<number, Piscina<UnitTask, TallyJSON>>();

function poolOf(workers: number): Piscina<UnitTask, TallyJSON> {
  let pool = pools.get(workers);
  if (pool === undefined) {
    pool = new Piscina<UnitTask, TallyJSON>({
      filename: workerFile().href,
      minThreads: workers,
      maxThreads: workers,
      workerData: { interrupt: INTERRUPT },
    });
    pools.set(workers, pool);
  }
  return pool;
}

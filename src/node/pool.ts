// The worker-thread executor (piscina): runs units of work in parallel threads and hands each
// tally back as it finishes. The core (analysis/run.ts) merges them in unit order, so results are
// identical for any number of workers.
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { MessageChannel } from "node:worker_threads";
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
import { drawPool } from "./draw-pool.js";
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
  const workers = options.workers ?? defaultWorkers();
  return { ...options, executeUnits: workerPool(workers), executeDraws: drawPool(workers) };
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

/** Units a worker pool keeps ahead of the first one not yet handed back, per worker. */
const AHEAD_PER_WORKER = 2;

/**
 * An executor that runs units in `workers` threads. One small unit (under IN_THREAD_EVENTS
 * events, by the workload estimate) runs in this thread instead: starting a thread would cost more
 * than it saves, and it ends within a fraction of a second anyway.
 *
 * Bounded reordering: units start in order, and unit i only once every unit before
 * i − 2·workers has come back. The core merges in unit order, so whatever waits for an earlier
 * unit is at most 2·workers units, and memory stays flat for any number of units (version 1 queued
 * every unit at once: a 20 M-patient run peaked at 685 MB). Each task gets a message port on
 * which its worker posts how far the unit has got, so progress moves within long units.
 */
export function workerPool(workers: number): UnitExecutor {
  return async (model, units, onUnit, signal, onUnitProgress) => {
    if (units.length === 1 && estimateWorkload(unitModel(model, units[0]!)).events < IN_THREAD_EVENTS) {
      for (const u of units) {
        signal?.throwIfAborted();
        const progress = onUnitProgress === undefined ? undefined : (f: number) => onUnitProgress(u, f);
        onUnit(u, simulateUnit(model, u, progress));
        await yieldToEventLoop();
      }
      return;
    }
    const pool = poolOf(workers);
    const runId = randomUUID();
    try {
      await inOrderWindow(units.length, AHEAD_PER_WORKER * workers, async (i) => {
        const unit = units[i]!;
        const tally = await runTask(pool, { runId, spec: model, unit }, signal, onUnitProgress);
        onUnit(unit, tally);
      });
    } catch (error) {
      // A failed or aborted task may leave the pool in any state: start afresh next time.
      pools.delete(workers);
      await pool.destroy();
      throw error;
    }
  };
}

/**
 * Runs task(0 … n−1), starting each in order and task i only when every task before i − window
 * has finished; rejects on the first failure (starting nothing more).
 */
export function inOrderWindow(n: number, window: number, task: (i: number) => Promise<void>): Promise<void> {
  return new Promise((resolve, reject) => {
    const finished = new Uint8Array(n);
    let started = 0;
    let frontier = 0;
    let failed = false;
    const startMore = (): void => {
      while (!failed && started < n && started < frontier + window) {
        const i = started++;
        task(i).then(
          () => {
            finished[i] = 1;
            while (frontier < n && finished[frontier] === 1) frontier++;
            if (frontier === n) resolve();
            else startMore();
          },
          (error: unknown) => {
            failed = true;
            reject(error);
          },
        );
      }
    };
    if (n === 0) resolve();
    else startMore();
  });
}

/** One unit in the pool, its progress posted back on a port of its own. */
async function runTask(
  pool: Piscina<UnitTask, TallyJSON>,
  task: Omit<UnitTask, "progress">,
  signal: AbortSignal | undefined,
  onUnitProgress: ((unit: Unit, fraction: number) => void) | undefined,
): Promise<TallyJSON> {
  if (onUnitProgress === undefined) return pool.run(task, { signal });
  const { port1, port2 } = new MessageChannel();
  port1.on("message", (fraction: number) => onUnitProgress(task.unit, fraction));
  port1.unref();
  try {
    return await pool.run({ ...task, progress: port2 }, { signal, transferList: [port2] });
  } finally {
    port1.close();
  }
}

/**
 * Pools live as long as the process, one per thread count. Starting threads and letting the JIT
 * warm them up costs ~0.1 s, which `compare` and `sensitivity` (dozens of runs) would otherwise pay
 * every run. Piscina unrefs idle threads, so a kept pool never holds the process open.
 */
const pools = new Map<number, Piscina<UnitTask, TallyJSON>>();

export function poolOf(workers: number): Piscina<UnitTask, TallyJSON> {
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

/** Forgets and ends the pool of `workers` threads (after a failed or aborted task it may be in any state). */
export async function discardPool(workers: number): Promise<void> {
  const pool = pools.get(workers);
  pools.delete(workers);
  await pool?.destroy();
}

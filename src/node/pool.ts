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
import type { UnitTask } from "./worker.js";

/** The default number of worker threads: the machine's cores. */
export function defaultWorkers(): number {
  return availableParallelism();
}

/** The options with the worker pool as executor, unless the caller chose one (one worker = this thread). */
export function withWorkers<T extends RunOptions>(options: T): T {
  if (options.executeUnits !== undefined || options.monitor !== undefined) return options;
  const workers = options.workers ?? defaultWorkers();
  return workers > 1 ? { ...options, executeUnits: workerPool(workers) } : options;
}

/**
 * Workers run compiled JavaScript only (Node cannot load TypeScript in a worker): from the sources
 * (tests) use the build in dist/, which `npm test` and `npm install` produce.
 */
function workerFile(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts") ? new URL("../../dist/src/node/worker.js", here) : new URL("./worker.js", here);
}

/**
 * An executor that runs units in `workers` threads. With one worker, or one unit, the unit runs in
 * this thread instead (starting a thread would cost more than it saves).
 */
export function workerPool(workers: number): UnitExecutor {
  return async (model, units, onUnit, signal) => {
    if (workers <= 1 || units.length <= 1) {
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
    });
    pools.set(workers, pool);
  }
  return pool;
}

// Runs units of work in worker threads (piscina) and hands their tallies back in unit order, so
// that callers merge them in the same order as a single-threaded run: identical results for any
// number of workers.
import { randomUUID } from "node:crypto";
import { availableParallelism } from "node:os";
import { setImmediate } from "node:timers/promises";
import { Piscina } from "piscina";
import type { CompiledModel } from "../model/compiled.js";
import { runUnit, type Unit } from "../model/simulate.js";
import { type Tally, type TallyJSON, tallyFromJSON } from "../model/tally.js";
import type { UnitTask } from "./worker.js";

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Workers run compiled JavaScript only (Node cannot load TypeScript in a worker): from the sources
 * (tests) use the build in dist/, which `npm test` and `npm install` produce.
 */
function workerFile(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../../dist/src/parallel/worker.js", here)
    : new URL("./worker.js", here);
}

/**
 * Simulates `units` and calls `onUnit` for each, in the order given (whatever order the workers
 * finish in). With one worker, or one unit, everything runs in this thread.
 */
export async function forEachUnit(
  model: CompiledModel,
  units: Unit[],
  workers: number,
  onUnit: (unit: Unit, tally: Tally) => void,
): Promise<void> {
  if (workers <= 1 || units.length <= 1) {
    for (const u of units) {
      onUnit(u, runUnit(model, u));
      // Let the event loop turn between units: a Ctrl-C (src/cli/interrupt.ts) is handled there,
      // within one unit's time instead of at the end of the whole run.
      await setImmediate();
    }
    return;
  }
  const pool = poolOf(workers);
  const runId = randomUUID();
  const done = new Map<number, Tally>();
  let next = 0;
  try {
    await Promise.all(
      units.map(async (unit, i) => {
        const json = await pool.run({ runId, spec: model.spec, unit });
        done.set(i, tallyFromJSON(model, json));
        // Hand over every tally that is now next in line; later ones wait in `done`.
        for (let t = done.get(next); t !== undefined; t = done.get(next)) {
          done.delete(next);
          onUnit(units[next]!, t);
          next++;
        }
      }),
    );
  } catch (error) {
    // A failed task may leave the pool in any state: start afresh next time.
    pools.delete(workers);
    await pool.destroy();
    throw error;
  }
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

// The worker-thread executor of parameter sets (`--uncertainty`): one task = one whole set, so a
// task's answer is a few hundred numbers (analysis/draw.ts). The core orders the sets by index, so
// results are identical for any number of workers.
import { randomUUID } from "node:crypto";
import type { Piscina } from "piscina";
import type { DrawExecutor, DrawResult } from "../analysis/draw.js";
import type { DrawTask } from "./draw-task.js";
import { discardPool, inOrderWindow, poolOf } from "./pool.js";

/** Sets a pool keeps ahead of the first one not yet back, per worker (each is small). */
const AHEAD_PER_WORKER = 4;

/**
 * An executor that runs parameter sets in `workers` threads, one worker too (as `workerPool` does:
 * the main thread waiting on a worker hears Ctrl-C at once). Progress moves per set.
 */
export function drawPool(workers: number): DrawExecutor {
  return async (scenarios, requests, onDraw, signal) => {
    // The units' pool: the same warm threads; a draw task is called by its export's name.
    const pool = poolOf(workers) as unknown as Piscina<DrawTask, DrawResult>;
    const runId = randomUUID();
    const list = [...scenarios];
    try {
      await inOrderWindow(requests.length, AHEAD_PER_WORKER * workers, async (i) => {
        const task: DrawTask = { runId, scenarios: list, request: requests[i]! };
        onDraw(await pool.run(task, { signal, name: "simulateDrawTask" }));
      });
    } catch (error) {
      await discardPool(workers);
      throw error;
    }
  };
}

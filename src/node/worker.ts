// A worker thread's task: simulate one unit of a model and send its tally back as JSON.
import type { MessagePort } from "node:worker_threads";
import { workerData } from "piscina";
import { simulateUnit, type TallyJSON, type Unit } from "../analysis/run.js";
import { useInterruptWord } from "../model/interrupt.js";
import type { ModelSpec } from "../model/spec.js";

// The task of a whole parameter set (`--uncertainty`), run by name on the same threads.
export { simulateDrawTask } from "./draw-task.js";

export interface UnitTask {
  /** Identifies the run, so a worker compiles each model once, not once per unit. */
  runId: string;
  spec: ModelSpec;
  unit: Unit;
  /** Where to post the share of the unit done (a number from 0 to 1), when progress is wanted. */
  progress?: MessagePort;
}

// The pool's interrupt word (node/pool.ts): set, it stops the unit under way (model/interrupt.ts).
useInterruptWord((workerData as { interrupt?: Int32Array } | undefined)?.interrupt ?? null);

/** At most this many progress messages per unit (a message costs microseconds; a unit, milliseconds). */
const PROGRESS_STEPS = 50;

/** The model of the run this worker is serving: structured clones of it differ per task, ids do not. */
let current: { runId: string; spec: ModelSpec } | null = null;

export default function simulateUnitTask(task: UnitTask): TallyJSON {
  if (current?.runId !== task.runId) current = { runId: task.runId, spec: task.spec };
  const port = task.progress;
  if (port === undefined) return simulateUnit(current.spec, task.unit);
  let posted = 0;
  try {
    return simulateUnit(current.spec, task.unit, (fraction) => {
      if (fraction - posted < 1 / PROGRESS_STEPS) return;
      posted = fraction;
      port.postMessage(fraction);
    });
  } finally {
    port.close();
  }
}

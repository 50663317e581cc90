// A worker thread's task: simulate one unit of a model and send its tally back as JSON.
import { workerData } from "piscina";
import { simulateUnit, type TallyJSON, type Unit } from "../analysis/run.js";
import { useInterruptWord } from "../model/interrupt.js";
import type { ModelSpec } from "../model/spec.js";

export interface UnitTask {
  /** Identifies the run, so a worker compiles each model once, not once per unit. */
  runId: string;
  spec: ModelSpec;
  unit: Unit;
}

// The pool's interrupt word (node/pool.ts): set, it stops the unit under way (model/interrupt.ts).
useInterruptWord((workerData as { interrupt?: Int32Array } | undefined)?.interrupt ?? null);

/** The model of the run this worker is serving: structured clones of it differ per task, ids do not. */
let current: { runId: string; spec: ModelSpec } | null = null;

export default function simulateUnitTask(task: UnitTask): TallyJSON {
  if (current?.runId !== task.runId) current = { runId: task.runId, spec: task.spec };
  return simulateUnit(current.spec, task.unit);
}

// A worker thread's task: simulate one unit of a model and send its tally back as JSON.
import { type CompiledModel, compile } from "../model/compiled.js";
import { runUnit, type Unit } from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { type TallyJSON, tallyToJSON } from "../model/tally.js";

export interface UnitTask {
  /** Identifies the run, so a worker compiles each model once, not once per unit. */
  runId: string;
  spec: ModelSpec;
  unit: Unit;
}

let cached: { runId: string; model: CompiledModel } | null = null;

export default function simulateUnitTask(task: UnitTask): TallyJSON {
  if (cached?.runId !== task.runId) cached = { runId: task.runId, model: compile(task.spec) };
  return tallyToJSON(runUnit(cached.model, task.unit));
}

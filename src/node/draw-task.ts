// A worker thread's task for `--uncertainty`: simulate one whole parameter set (every scenario's
// inner run, analysis/draw.ts) and send its figures back. Exported by worker.ts, so the same pool
// (the same warm threads) runs units and draws.
import { type DrawRequest, type DrawResult, simulateDraw } from "../analysis/draw.js";
import type { ModelSpec } from "../model/spec.js";

export interface DrawTask {
  /** Identifies the run, so a worker keeps one copy of its scenarios (and their tallies) across draws. */
  runId: string;
  scenarios: ModelSpec[];
  request: DrawRequest;
}

/** The scenarios of the run this worker is serving: structured clones differ per task, ids do not. */
let current: { runId: string; scenarios: ModelSpec[] } | null = null;

export function simulateDrawTask(task: DrawTask): DrawResult {
  if (current?.runId !== task.runId) current = { runId: task.runId, scenarios: task.scenarios };
  return simulateDraw(current.scenarios, task.request);
}

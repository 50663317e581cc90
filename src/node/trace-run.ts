// A run with its event log written to a file: the journeys run in this thread (events cannot cross
// threads), every event streams to the trace, and the file appears only if the whole run succeeds.
import { type RunOptions, run } from "../analysis/run.js";
import type { RunSummary } from "../analysis/summary.js";
import type { ModelSpec } from "../model/spec.js";
import { TraceFileWriter } from "./trace-file.js";

export async function traceRun(
  model: ModelSpec,
  path: string,
  options: Omit<RunOptions, "monitor" | "executeUnits"> = {},
): Promise<{ summary: RunSummary; rows: number }> {
  const trace = new TraceFileWriter(path);
  try {
    const summary = await run(model, { ...options, monitor: trace });
    trace.commit();
    return { summary, rows: trace.rows };
  } finally {
    trace.abort();
  }
}

// A traced run's thread: the journeys run here (events cannot cross threads), every event streams
// to the trace's temporary file, and the summary goes back to the main thread, which renames the
// file into place (node/trace-run.ts). The main thread stays free meanwhile: Ctrl-C is heard at
// once, and the interrupt word stops this thread's unit within milliseconds.
import { parentPort, workerData } from "node:worker_threads";
import { type RunOptions, run } from "../analysis/run.js";
import type { RunWarning } from "../analysis/summary.js";
import { useInterruptWord } from "../model/interrupt.js";
import type { ModelSpec } from "../model/spec.js";
import { TraceFileWriter } from "./trace-file.js";

export interface TraceTask {
  spec: ModelSpec;
  /** The trace's name, and the temporary the rows go to. */
  path: string;
  temporary: string;
  options: Pick<RunOptions, "patients" | "seed" | "replications" | "uncertainty" | "innerPatients">;
  interrupt: Int32Array;
}

export type TraceMessage =
  | { kind: "progress"; done: number; total: number }
  | { kind: "warning"; warning: RunWarning }
  | { kind: "done"; summary: Awaited<ReturnType<typeof run>>; rows: number }
  | { kind: "failed"; message: string; name: string };

const task = workerData as TraceTask;
useInterruptWord(task.interrupt);
const post = (m: TraceMessage): void => parentPort!.postMessage(m);
const trace = new TraceFileWriter(task.path, task.temporary);
try {
  const summary = await run(task.spec, {
    ...task.options,
    monitor: trace,
    onProgress: (done, total) => post({ kind: "progress", done, total }),
    onWarning: (warning) => post({ kind: "warning", warning }),
  });
  trace.finish();
  post({ kind: "done", summary, rows: trace.rows });
} catch (error) {
  trace.abort();
  const e = error instanceof Error ? error : new Error(String(error));
  post({ kind: "failed", message: e.message, name: e.name });
}

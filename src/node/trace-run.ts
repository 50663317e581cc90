// A run with its event log written to a file. The journeys run in a thread of their own
// (node/trace-worker.ts: events cannot cross threads, so that thread writes them), and the file
// appears under its name only if the whole run succeeds: this thread renames it into place. This
// thread only waits, so Ctrl-C is heard at once (it was heard only when a traced unit of 65,536
// journeys, every event written, had ended) and removes the temporary.
import { renameSync, rmSync } from "node:fs";
import { Worker } from "node:worker_threads";
import type { RunOptions } from "../analysis/run.js";
import type { RunSummary } from "../analysis/summary.js";
import type { ModelSpec } from "../model/spec.js";
import { OutputError, outputFileProblem, trackTemporary, untrackTemporary } from "./files.js";
import { interruptWord } from "./pool.js";
import { traceTemporary } from "./trace-file.js";
import type { TraceMessage, TraceTask } from "./trace-worker.js";

export async function traceRun(
  model: ModelSpec,
  path: string,
  options: Omit<RunOptions, "monitor" | "executeUnits"> = {},
): Promise<{ summary: RunSummary; rows: number }> {
  const problem = outputFileProblem(path);
  if (problem !== null) throw new OutputError(problem);
  const temporary = traceTemporary(path);
  trackTemporary(temporary);
  try {
    const result = await inWorker(
      {
        spec: model,
        path,
        temporary,
        options: {
          patients: options.patients,
          seed: options.seed,
          replications: options.replications,
          uncertainty: options.uncertainty,
          innerPatients: options.innerPatients,
        },
        interrupt: interruptWord(),
      },
      options,
    );
    const again = outputFileProblem(path);
    if (again !== null) throw new OutputError(again);
    renameSync(temporary, path);
    return result;
  } finally {
    rmSync(temporary, { force: true });
    untrackTemporary(temporary);
  }
}

/** Workers run compiled JavaScript only: from the sources (tests) use the build in dist/. */
function workerFile(): URL {
  const here = import.meta.url;
  return here.endsWith(".ts")
    ? new URL("../../dist/src/node/trace-worker.js", here)
    : new URL("./trace-worker.js", here);
}

function inWorker(task: TraceTask, options: RunOptions): Promise<{ summary: RunSummary; rows: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerFile(), { workerData: task });
    const fail = (error: unknown): void => {
      void worker.terminate();
      reject(error);
    };
    const abort = (): void => fail(options.signal?.reason ?? new Error("aborted"));
    options.signal?.addEventListener("abort", abort, { once: true });
    worker.on("message", (m: TraceMessage) => {
      try {
        if (m.kind === "progress") options.onProgress?.(m.done, m.total);
        else if (m.kind === "warning") options.onWarning?.(m.warning);
        else if (m.kind === "done") resolve({ summary: m.summary, rows: m.rows });
        else fail(Object.assign(new Error(m.message), { name: m.name }));
      } catch (error) {
        fail(error);
      }
    });
    worker.on("error", fail);
    worker.on("exit", () => {
      options.signal?.removeEventListener("abort", abort);
      reject(new Error("the traced run's thread ended without a result"));
    });
  });
}

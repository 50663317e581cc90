// A small pool of Web Workers that runs a simulation's units of work: the page's UnitExecutor for
// the library's `run` and `compare`. Each worker gets the model once per run, then one unit at a
// time (the next as soon as it answers), so two cores stay busy however uneven the units are.
// Cancelling terminates the workers — a unit cannot be interrupted inside — and new ones start on
// the next run. Workers start from a blob: URL holding their bundled code (see studio/build.mjs).
import type { Unit, UnitExecutor } from "./api.js";
import type { FromWorker, ToWorker } from "./protocol.js";

/** Two workers on a two-core laptop, at most four: the page itself needs a core too. */
export function defaultWorkerCount(): number {
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 2));
}

let workerUrl: string | null = null;
function startWorker(): Worker {
  workerUrl ??= URL.createObjectURL(new Blob([__WORKER_SOURCE__], { type: "text/javascript" }));
  return new Worker(workerUrl);
}

export class WorkerPool {
  private workers: Worker[] = [];
  private runs = 0;

  constructor(private readonly size: number = defaultWorkerCount()) {}

  /** The executor the library's run/compare take. */
  readonly execute: UnitExecutor = (model, units, onUnit, signal) =>
    this.runUnits(model, units, onUnit, signal);

  private runUnits(
    model: unknown,
    units: Unit[],
    onUnit: (unit: Unit, tally: never) => void,
    signal?: AbortSignal,
  ): Promise<void> {
    const run = ++this.runs;
    while (this.workers.length < Math.min(this.size, Math.max(1, units.length)))
      this.workers.push(startWorker());
    const workers = this.workers.slice(0, Math.min(this.size, units.length));
    return new Promise<void>((resolve, reject) => {
      let next = 0;
      let done = 0;
      const finish = (error?: unknown) => {
        for (const w of workers) w.onmessage = null;
        signal?.removeEventListener("abort", abort);
        if (error === undefined) resolve();
        else reject(error);
      };
      const abort = () => {
        this.terminate();
        finish(signal?.reason ?? new DOMException("The run was cancelled", "AbortError"));
      };
      if (signal?.aborted) return abort();
      signal?.addEventListener("abort", abort, { once: true });
      const give = (w: Worker) => {
        if (next >= units.length) return;
        const slot = next++;
        w.postMessage({ kind: "unit", run, slot, unit: units[slot]! } satisfies ToWorker);
      };
      for (const w of workers) {
        w.onmessage = (event: MessageEvent<FromWorker>) => {
          const m = event.data;
          if (m.run !== run) return;
          if (m.kind === "error") {
            this.terminate();
            return finish(new Error(m.message));
          }
          onUnit(units[m.slot]!, m.tally as never);
          done++;
          if (done === units.length) return finish();
          give(w);
        };
        w.postMessage({ kind: "model", run, model } satisfies ToWorker);
        give(w);
      }
      if (units.length === 0) finish();
    });
  }

  terminate(): void {
    for (const w of this.workers) w.terminate();
    this.workers = [];
  }
}

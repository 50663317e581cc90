// A simulation worker: receives a model once per run, then units of work, and sends each unit's
// tally back. The same library function the command line's worker threads call (simulateUnit), so
// the page's figures are the command line's to the bit.
import { simulateUnit } from "./api.js";
import type { FromWorker, ToWorker } from "./protocol.js";

const scope = self as unknown as {
  onmessage: ((event: MessageEvent<ToWorker>) => void) | null;
  postMessage(message: FromWorker): void;
};

let current: { run: number; model: unknown } | null = null;

scope.onmessage = (event) => {
  const message = event.data;
  if (message.kind === "model") {
    current = { run: message.run, model: message.model };
    return;
  }
  if (current === null || current.run !== message.run) return;
  try {
    const tally = simulateUnit(current.model as Parameters<typeof simulateUnit>[0], message.unit);
    scope.postMessage({ kind: "tally", run: message.run, slot: message.slot, tally });
  } catch (error) {
    scope.postMessage({
      kind: "error",
      run: message.run,
      message: error instanceof Error ? error.message : String(error),
    });
  }
};

// Ctrl-C (SIGINT) and SIGTERM: stop cleanly. The process exits at once with 128 + the signal number
// (130 for Ctrl-C, as a shell reports it), one line on stderr, and no partial file left behind:
// - results are written as a set into a temporary folder and swapped in whole (src/node/files.ts),
//   so the output folder holds the old set or the complete new one;
// - a write under way is rolled back (or, if its swap is done, finished) and the temporaries of a
//   trace being written are removed here, synchronously, before exiting;
// - nothing else is touched: a run never deletes a file it did not write.
// JavaScript handles a signal only when the event loop turns. Simulations run in worker threads
// (one worker too, and `run --trace`: node/pool.ts, node/trace-run.ts), which leaves it free, so
// a Ctrl-C is handled at once; only a unit too small to be worth a thread runs here. The handler
// also sets the workers' interrupt word, which stops the units under way (model/interrupt.ts).

import { abandonWrites, interruptUnits } from "../node.js";
import { type Io, processIo } from "./io.js";

/** Exit status per signal handled: 128 + the signal's number. */
export const SIGNAL_STATUS = { SIGINT: 130, SIGTERM: 143 } as const;
export type HandledSignal = keyof typeof SIGNAL_STATUS;

/** The one line printed when a signal stops the program. */
export const INTERRUPTED = "handoff-sim: interrupted; stopped without leaving partial files";

export interface InterruptEffects {
  err: Io["err"];
  exit(status: number): void;
  /** Rolls back or finishes the writes under way and removes their temporaries (node/files.ts). */
  abandon(): readonly string[];
}

const processEffects: InterruptEffects = {
  err: processIo.err,
  exit: (status) => process.exit(status),
  abandon: () => {
    // Units under way in the workers stop at once (model/interrupt.ts); the writes roll back.
    interruptUnits();
    return abandonWrites();
  },
};

/** What a signal does: remove our temporaries, say so in one line, exit with 128 + its number. */
export function stopOnSignal(signal: HandledSignal, effects: InterruptEffects = processEffects): void {
  effects.abandon();
  effects.err(INTERRUPTED);
  effects.exit(SIGNAL_STATUS[signal]);
}

/**
 * Installs the handlers for the command-line program (bin/handoff-sim.js); returns a function that
 * removes them. Not installed by `main` itself: tests run `main` in-process many times.
 */
export function handleInterrupts(effects: InterruptEffects = processEffects): () => void {
  const handlers = (Object.keys(SIGNAL_STATUS) as HandledSignal[]).map((signal) => {
    const handler = (): void => stopOnSignal(signal, effects);
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => {
    for (const off of handlers) off();
  };
}

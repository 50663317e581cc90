// Stopping a unit of work from outside while it runs. A unit (a block of 65,536 journeys, or one
// replication) runs synchronously and can take minutes (a near-certain loop, a high max_visits):
// its thread cannot hear an abort until it returns. So the drivers look at an interrupt word now
// and then (every 4,096 journeys, every 65,536 events: nanoseconds a look), and stop the unit
// with an InterruptedError once it is set. The word is shared memory (Atomics): the command
// line's signal handler, or an executor's abort, sets it in one thread and the workers see it.

/** Thrown inside a unit of work when its interrupt word is set. */
export class InterruptedError extends Error {
  override name = "InterruptedError";
  constructor() {
    super("interrupted");
  }
}

/** The word this thread's units look at (set by the thread's executor); null = never interrupted. */
let word: Int32Array | null = null;

/** The interrupt word of this thread: a SharedArrayBuffer's Int32Array, non-zero = stop. */
export function useInterruptWord(shared: Int32Array | null): void {
  word = shared;
}

/** Stops the unit under way (throws InterruptedError) when the interrupt word is set. */
export function checkInterrupt(): void {
  if (word !== null && Atomics.load(word, 0) !== 0) throw new InterruptedError();
}

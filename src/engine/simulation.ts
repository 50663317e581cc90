// The simulated clock and its event loop. Domain-free: an event is (time, entity, kind) and the
// model's handler decides what it means.
import { EventQueue } from "./eventQueue.js";

export type EventHandler = (entity: number, kind: number, now: number) => void;

export class Simulation {
  /** The simulated clock, in the model's time unit. */
  now = 0;
  /** Events processed so far. */
  events = 0;
  private readonly queue = new EventQueue();

  /** Schedules an event at absolute time `time` (never before `now`). */
  schedule(time: number, entity: number, kind: number): void {
    this.queue.push(time, entity, kind);
  }

  /** Pops events in (time, insertion) order until none remain. */
  run(handle: EventHandler): void {
    const q = this.queue;
    while (q.pop()) {
      this.now = q.poppedTime;
      this.events++;
      handle(q.poppedEntity, q.poppedKind, this.now);
    }
  }
}

// The driver for scenarios without arrivals: journeys never share capacity, so each one runs
// straight through in a loop — no event heap, no queue. The result is exactly what the event-driven
// driver gives with unlimited capacity (a test checks it), at a fraction of the cost.
import { draw, entityKey } from "../engine/random.js";
import { MINUTES_PER_WEEK } from "./calendar.js";
import type { CompiledModel } from "./compiled.js";
import type { JourneyMonitor } from "./events.js";
import { checkInterrupt } from "./interrupt.js";
import { Journey } from "./journey.js";
import { Patient } from "./patient.js";
import type { Tally } from "./tally.js";

/** Simulates patients [from, to) of replication 0 into `tally`. */
export function simulateIndependent(
  model: CompiledModel,
  seed: number,
  from: number,
  to: number,
  tally: Tally,
  monitor: JourneyMonitor | null = null,
): void {
  const journey = new Journey(model, tally, monitor);
  const p = new Patient(model);
  for (let i = from; i < to; i++) {
    if ((i & 4095) === 0) checkInterrupt(); // a unit can take minutes: model/interrupt.ts
    const key = entityKey(seed, 0, i);
    // Without arrivals a journey starts at a uniformly random moment of the week.
    const start = draw(key, model.siteStart, 0, 0) * MINUTES_PER_WEEK;
    p.reset(0, i, key, journey.classOf(key), start);
    runJourney(journey, p);
    tally.events += 2 * p.visits;
  }
}

function runJourney(journey: Journey, p: Patient): void {
  let m = journey.startOf(p);
  let t = p.start;
  for (;;) {
    if (!journey.arrive(p, m, t)) return;
    if ((p.visits & 65535) === 0) checkInterrupt(); // one journey may make a million visits
    t += journey.serve(p, m, t);
    const next = journey.leave(p, m, t);
    if (next < 0) return;
    t += journey.transfer(p, m, next, t);
    if (p.drop) {
      journey.droppedOnTransfer(p, t);
      return;
    }
    m = p.destination;
  }
}

// The driver for scenarios with arrivals: patients arrive by a Poisson process and compete for
// capacity, so journeys interleave on the event heap. One call runs one replication.

import { draw, entityKey } from "../engine/random.js";
import { Resource } from "../engine/resource.js";
import { Simulation } from "../engine/simulation.js";
import { ArrivalProcess } from "./arrivals.js";
import { MINUTES_PER_WEEK } from "./calendar.js";
import type { CompiledModel } from "./compiled.js";
import type { JourneyMonitor } from "./events.js";
import { Journey } from "./journey.js";
import { Patient } from "./patient.js";
import type { Tally } from "./tally.js";

const NEW_PATIENT = 0;
const ARRIVE = 1;
const END_STAY = 2;

/**
 * Simulates replication `r` with `measured` counted journeys into `tally`. Journeys that start
 * during the warm-up, and those that arrive after the last counted one (kept coming while counted
 * journeys are still under way, so the system stays loaded until the end), are simulated but not
 * counted.
 */
export function simulateReplication(
  model: CompiledModel,
  seed: number,
  r: number,
  measured: number,
  tally: Tally,
  monitor: JourneyMonitor | null = null,
): void {
  const arrivals = model.spec.arrivals!;
  const arrivalProcess = new ArrivalProcess(arrivals);
  const sim = new Simulation();
  const journey = new Journey(model, tally, monitor);
  const resources = model.microsystems.map((ms) => new Resource(ms.capacity));
  const patients: Patient[] = [];
  const free: number[] = [];
  let seen = 0;
  let active = 0;
  let cumulativeIntensity = 0;
  let firstArrival = Number.NaN;
  let busyAtFirst: number[] = [];
  let window = 0;
  let busy: number[] = resources.map(() => 0);

  const admit = (i: number, now: number): void => {
    const key = entityKey(seed, r, i);
    const slot = free.length > 0 ? free.pop()! : patients.push(new Patient(model)) - 1;
    const p = patients[slot]!;
    p.reset(r, i, key, journey.classOf(key), now);
    p.counted = now >= arrivals.warmup && seen < measured;
    if (p.counted) {
      seen++;
      active++;
      if (seen === 1) {
        firstArrival = now;
        busyAtFirst = resources.map((res) => res.busyTime(now));
      }
      if (seen === measured) {
        window = now - firstArrival;
        busy = resources.map((res, m) => res.busyTime(now) - busyAtFirst[m]!);
      }
    }
    if (seen < measured || active > 0) {
      cumulativeIntensity -= Math.log(draw(entityKey(seed, r, i + 1), model.siteArrival, 0, 0));
      sim.schedule(arrivalProcess.timeAt(cumulativeIntensity), i + 1, NEW_PATIENT);
    }
    arriveAt(slot, p, journey.startOf(p), now);
  };

  const arriveAt = (slot: number, p: Patient, m: number, now: number): void => {
    if (!journey.arrive(p, m, now, loadFound(resources[m]!))) done(slot, p);
    else if (resources[m]!.request(slot, now)) beginStay(slot, p, m, now);
  };

  const beginStay = (slot: number, p: Patient, m: number, now: number): void => {
    sim.schedule(now + journey.serve(p, m, now), slot, END_STAY);
  };

  const endStay = (slot: number, p: Patient, now: number): void => {
    const m = p.at;
    const waiting = resources[m]!.release(now);
    if (waiting >= 0) beginStay(waiting, patients[waiting]!, m, now);
    const next = journey.leave(p, m, now);
    if (next < 0) done(slot, p);
    else sim.schedule(now + journey.transfer(p, m, next, now), slot, ARRIVE);
  };

  const done = (slot: number, p: Patient): void => {
    if (p.counted) {
      active--;
      tally.addWeek(Math.floor((p.start - arrivals.warmup) / MINUTES_PER_WEEK), p.defects === 0);
    }
    free.push(slot);
  };

  cumulativeIntensity = -Math.log(draw(entityKey(seed, r, 0), model.siteArrival, 0, 0));
  sim.schedule(arrivalProcess.timeAt(cumulativeIntensity), 0, NEW_PATIENT);
  sim.run((entity, kind, now) => {
    if (kind === NEW_PATIENT) return admit(entity, now);
    const p = patients[entity]!;
    if (kind === END_STAY) return endStay(entity, p, now);
    if (!p.drop) return arriveAt(entity, p, p.destination, now);
    journey.droppedOnTransfer(p, now);
    done(entity, p);
  });
  tally.events += sim.events;
  tally.replications.push({
    replication: r,
    patients: tally.patients.reduce((a, b) => a + b, 0),
    defectFree: tally.defectFree.reduce((a, b) => a + b, 0),
    riskSum: tally.riskSum,
    window,
    busy,
  });
}

/** (patients in service + waiting) / capacity, as an arriving patient finds it before joining; 0 when unlimited. */
function loadFound(resource: Resource): number {
  return Number.isFinite(resource.capacity) ? (resource.busy + resource.waiting) / resource.capacity : 0;
}

// The driver for scenarios with arrivals: patients arrive by a Poisson process and compete for
// places, so journeys interleave on the event heap. One call runs one replication.
//
// Places (docs/semantics.md, "Capacity"). Every microsystem draws its places from a pool: its
// own (a capacity, shifts, or unlimited) or a shared resource (`uses`). A pool has one queue, in
// priority order (engine/resources/server-pool.ts). Around the journey's steps (journey.ts) this
// driver decides when each step happens:
// - a patient arriving at m takes a place if one is free and m is open (`until_open`), else
//   waits in the pool's queue — and leaves it after `max_wait` (reneging);
// - when a place frees, it passes straight to the next request the pool serves;
// - at a blocking microsystem, a patient whose stay is over requests its next place and keeps
//   the one it has until it gets it (blocked); it travels holding the new one;
// - openings, shift changes and other patients (`background`) are events of their own.
// A deadlock (full microsystems whose patients all wait for each other) or a queue that never
// empties stops the replication with a SimulationError instead of running for ever.

import { draw, entityKey, mix } from "../engine/random.js";
import { deadlockedPools, type WaitFor } from "../engine/resources/deadlock.js";
import { Occupancy } from "../engine/resources/occupancy.js";
import { ServerPool } from "../engine/resources/server-pool.js";
import { Simulation } from "../engine/simulation.js";
import { ArrivalProcess } from "./arrivals.js";
import { describeTime, MINUTES_PER_WEEK } from "./calendar.js";
import type { CompiledModel, CompiledPool } from "./compiled.js";
import { SimulationError } from "./errors.js";
import type { JourneyMonitor } from "./events.js";
import { checkInterrupt } from "./interrupt.js";
import { Journey } from "./journey.js";
import type { OutputSink } from "./output.js";
import { Patient } from "./patient.js";
import type { ReplicationTally, Tally } from "./tally.js";

// Event kinds. The calendar's (openings, shift changes) repeat for as long as anything else is
// under way, and never keep a finished run alive.
const NEW_PATIENT = 0;
const ARRIVE = 1;
const END_STAY = 2;
const RENEGE = 3;
const BACKGROUND_ARRIVE = 4;
const BACKGROUND_END = 5;
const HOURS = 6;
const SHIFT = 7;

/**
 * The cool-down (arrivals after the last counted one, kept coming until every counted journey is
 * over) is normally short beside the run. One longer than this many arrivals, or than ten times
 * the run so far plus a year, means counted patients can never finish (a class starved by higher
 * priorities, say): the run stops instead of going on for ever.
 */
const COOL_DOWN_ARRIVALS = 1_000_000;
const COOL_DOWN_SPAN = 10;
const COOL_DOWN_EXTRA = 365 * 1440;
/** Patients waiting in one queue beyond which the pathway is hopelessly overloaded (and memory runs out). */
const MAX_WAITING = 100_000;
/** Simulated time with only the calendar moving, beyond which waiting patients are stuck. */
const IDLE_LIMIT = 2 * MINUTES_PER_WEEK;

/**
 * Simulates replication `r` with `measured` counted journeys into `tally`. Journeys that start
 * during the warm-up, and those that arrive after the last counted one (kept coming while counted
 * journeys are still under way, so the system stays loaded until the end), are simulated but not
 * counted. Throws a SimulationError when patients can never move again. `output` hears the
 * counted patients' arrivals, waits and endings for output analysis (model/output.ts, model/warmup.ts).
 */
export function simulateReplication(
  model: CompiledModel,
  seed: number,
  r: number,
  measured: number,
  tally: Tally,
  monitor: JourneyMonitor | null = null,
  output: OutputSink | null = null,
): void {
  new Replication(model, seed, r, measured, tally, monitor, output).run();
}

class Replication {
  private readonly sim = new Simulation();
  private readonly journey: Journey;
  private readonly arrivals: NonNullable<CompiledModel["spec"]["arrivals"]>;
  private readonly arrivalProcess: ArrivalProcess;
  private readonly pools: ServerPool[];
  /** Places held by pathway patients, and by background patients, per microsystem. */
  private readonly held: Occupancy[];
  private readonly heldByOthers: Occupancy[];
  private readonly patients: Patient[] = [];
  private readonly free: number[] = [];
  private seen = 0;
  private active = 0;
  private coolDown = 0;
  private cumulativeIntensity = 0;
  private firstArrival = Number.NaN;
  private lastArrival = Number.NaN;
  private window = 0;
  private atFirst: number[] = [];
  private othersAtFirst: number[] = [];
  private busy: number[];
  private others: number[];
  /** Non-calendar events in the heap, and when the last one happened. */
  private pending = 0;
  private lastProgress = 0;
  /** Reneging timers: the patient slot and the queue token each was set for. */
  private readonly timerSlot: number[] = [];
  private readonly timerToken: number[] = [];
  private readonly freeTimers: number[] = [];
  /** Patients blocked after service (slots). */
  private readonly blockedSlots = new Set<number>();
  /** Background patients: their microsystem and their index in its stream; per microsystem the running intensity and count. */
  private readonly jobAt: number[] = [];
  private readonly jobIndex: number[] = [];
  private readonly freeJobs: number[] = [];
  private readonly othersIntensity: Float64Array;
  private readonly othersSeen: Float64Array;
  private readonly othersRoot: Int32Array;

  constructor(
    private readonly model: CompiledModel,
    private readonly seed: number,
    private readonly r: number,
    private readonly measured: number,
    private readonly tally: Tally,
    monitor: JourneyMonitor | null,
    private readonly output: OutputSink | null,
  ) {
    this.arrivals = model.spec.arrivals!;
    this.arrivalProcess = new ArrivalProcess(this.arrivals);
    this.journey = new Journey(model, tally, monitor);
    this.journey.output = output;
    this.pools = model.pools.map((p) => new ServerPool(p.capacity.valueAt(0), p.members.length));
    const M = model.microsystems.length;
    this.held = Array.from({ length: M }, () => new Occupancy());
    this.heldByOthers = Array.from({ length: M }, () => new Occupancy());
    this.busy = new Array<number>(M).fill(0);
    this.others = new Array<number>(M).fill(0);
    this.othersIntensity = new Float64Array(M);
    this.othersSeen = new Float64Array(M);
    this.othersRoot = Int32Array.from(model.microsystems, (ms) =>
      ms.background === null ? 0 : mix(seed, ms.background.stream),
    );
  }

  run(): void {
    const { model, sim } = this;
    this.startCalendar();
    model.microsystems.forEach((ms, m) => {
      if (ms.background !== null) this.nextBackground(m);
    });
    this.cumulativeIntensity = -Math.log(draw(entityKey(this.seed, this.r, 0), model.siteArrival, 0, 0));
    this.at(this.arrivalProcess.timeAt(this.cumulativeIntensity), 0, NEW_PATIENT);
    sim.run((entity, kind, now) => {
      if ((sim.events & 65535) === 0) checkInterrupt(); // a replication can take minutes: model/interrupt.ts
      // The most frequent kinds first: a stay ending, a transfer ending, a new patient.
      if (kind === END_STAY || kind === ARRIVE) {
        this.pending--;
        this.lastProgress = now;
        const p = this.patients[entity]!;
        if (kind === END_STAY) this.endStay(entity, p, now);
        else this.transferEnds(entity, p, now);
        return;
      }
      if (kind === HOURS) return this.hoursChange(entity, now);
      if (kind === SHIFT) return this.shiftChange(entity, now);
      this.pending--;
      this.lastProgress = now;
      if (kind === NEW_PATIENT) return this.admit(entity, now);
      if (kind === BACKGROUND_ARRIVE) return this.backgroundArrives(entity, now);
      if (kind === BACKGROUND_END) return this.backgroundLeaves(entity, now);
      this.renegeTimer(entity, now);
    });
    this.record();
  }

  /** Place-minutes held at microsystem m so far, by pathway and background patients (utilisation's numerator). */
  private readonly placeMinutes = (m: number, now: number): number =>
    this.held[m]!.areaUntil(now) + this.heldByOthers[m]!.areaUntil(now);

  /** Schedules an event that is part of the run (not the calendar). */
  private at(time: number, entity: number, kind: number): void {
    this.pending++;
    this.sim.schedule(time, entity, kind);
  }

  // --- patients arriving --------------------------------------------------------------------------

  private admit(i: number, now: number): void {
    const { model, arrivals, measured } = this;
    const key = entityKey(this.seed, this.r, i);
    const slot = this.free.length > 0 ? this.free.pop()! : this.patients.push(new Patient(model)) - 1;
    const p = this.patients[slot]!;
    p.reset(this.r, i, key, this.journey.classOf(key), now);
    p.counted = now >= arrivals.warmup && this.seen < measured;
    if (p.counted) {
      this.seen++;
      this.active++;
      if (this.seen === 1) {
        this.firstArrival = now;
        this.atFirst = this.held.map((o) => o.areaUntil(now));
        this.othersAtFirst = this.heldByOthers.map((o) => o.areaUntil(now));
      }
      if (this.seen === measured) {
        this.lastArrival = now;
        this.window = now - this.firstArrival;
        this.busy = this.held.map((o, m) => o.areaUntil(now) - this.atFirst[m]!);
        this.others = this.heldByOthers.map((o, m) => o.areaUntil(now) - this.othersAtFirst[m]!);
      }
      this.output?.arrival(
        i,
        this.seen - 1,
        now,
        this.patients.length - this.free.length - 1,
        this.placeMinutes,
      );
    } else if (this.seen === measured && this.active > 0) {
      const tooLong = now > this.lastArrival * (1 + COOL_DOWN_SPAN) + COOL_DOWN_EXTRA;
      if (++this.coolDown > COOL_DOWN_ARRIVALS + 10 * measured || tooLong) this.stuck(now);
    }
    if (this.goingOn()) {
      this.cumulativeIntensity -= Math.log(
        draw(entityKey(this.seed, this.r, i + 1), model.siteArrival, 0, 0),
      );
      this.at(this.arrivalProcess.timeAt(this.cumulativeIntensity), i + 1, NEW_PATIENT);
    }
    this.arriveAt(slot, p, this.journey.startOf(p), now);
  }

  /** Arrivals (and background patients) keep coming while counted journeys are still under way. */
  private goingOn(): boolean {
    return this.seen < this.measured || this.active > 0;
  }

  private arriveAt(slot: number, p: Patient, m: number, now: number): void {
    if (!this.journey.arrive(p, m, now, this.loadFound(p, m))) {
      this.releaseAhead(p, now);
      this.done(slot, p);
      return;
    }
    if (p.holdsAhead >= 0) {
      // Arrived from a blocking microsystem already holding its place here.
      p.holds = p.holdsAhead;
      p.holdsAhead = -1;
      this.beginStay(slot, p, m, now);
    } else if (this.request(slot, p, m, now)) this.beginStay(slot, p, m, now);
  }

  /**
   * (patients in service + waiting) / capacity of m's places, as `p` finds them on arrival, before
   * joining (`load_at_least`, docs/semantics.md §3): other patients' places and a shared pool's
   * whole queue count; a place `p` already holds ahead (blocking) does not. Unlimited places: 0;
   * none at all (a shift of 0): full, whoever is there.
   */
  private loadFound(p: Patient, m: number): number {
    const pool = this.pools[this.model.microsystems[m]!.pool]!;
    if (pool.capacity === Number.POSITIVE_INFINITY) return 0;
    const found = pool.busy - (p.holdsAhead >= 0 ? 1 : 0) + pool.waiting;
    return pool.capacity > 0 ? found / pool.capacity : Number.POSITIVE_INFINITY;
  }

  /** A place at m now (taken, in `p.holds`), or a wait in the queue (false). */
  private request(slot: number, p: Patient, m: number, now: number): boolean {
    const ms = this.model.microsystems[m]!;
    const pool = this.pools[ms.pool]!;
    if (pool.hasRoom && pool.isOpen(ms.member)) {
      this.take(ms.pool, m, false, now);
      p.holds = ms.pool;
      return true;
    }
    pool.enqueue(slot, ms.member, ms.priority[p.classIndex]!);
    if (pool.waiting > MAX_WAITING) this.stuck(now);
    p.waiting = 1;
    p.queueToken++;
    if (ms.maxWait < Number.POSITIVE_INFINITY) this.setTimer(slot, p.queueToken, now + ms.maxWait);
    return false;
  }

  private beginStay(slot: number, p: Patient, m: number, now: number): void {
    this.at(now + this.journey.serve(p, m, now), slot, END_STAY);
  }

  private endStay(slot: number, p: Patient, now: number): void {
    const m = p.at;
    const ms = this.model.microsystems[m]!;
    if (!ms.blocking || p.reneged) {
      // The place passes on before this patient's own next step (the order of version 1).
      this.releaseHeld(p, m, now);
      this.onward(slot, p, m, this.journey.leave(p, m, now), now);
      return;
    }
    const next = this.journey.leave(p, m, now);
    if (next < 0 || this.reserve(slot, p, next, now)) {
      this.journey.recordBlocked(p, m, 0);
      this.releaseHeld(p, m, now);
      this.onward(slot, p, m, next, now);
      return;
    }
    // Blocked: it keeps its place here, waiting in the next microsystem's queue.
    p.waiting = 2;
    p.wants = next;
    p.blockedSince = now;
    this.blockedSlots.add(slot);
    this.journey.blocked(p, m, next, now);
    this.checkDeadlock(now);
  }

  /** Where the journey goes after m: the end, or a handoff to `next`. */
  private onward(slot: number, p: Patient, m: number, next: number, now: number): void {
    if (next < 0) this.done(slot, p);
    else this.at(now + this.journey.transfer(p, m, next, now), slot, ARRIVE);
  }

  private transferEnds(slot: number, p: Patient, now: number): void {
    // A place held ahead is for the planned destination: a goto on the way or a drop gives it back.
    if (p.holdsAhead >= 0 && (p.drop || p.destination !== p.wants)) this.releaseAhead(p, now);
    if (!p.drop) {
      this.arriveAt(slot, p, p.destination, now);
      return;
    }
    this.journey.droppedOnTransfer(p, now);
    this.done(slot, p);
  }

  private done(slot: number, p: Patient): void {
    if (p.counted) {
      this.active--;
      this.tally.addWeek(Math.floor((p.start - this.arrivals.warmup) / MINUTES_PER_WEEK), p.defects === 0);
    }
    this.free.push(slot);
  }

  // --- places -------------------------------------------------------------------------------------

  private take(pool: number, m: number, background: boolean, now: number): void {
    this.pools[pool]!.busy++;
    (background ? this.heldByOthers : this.held)[m]!.change(now, 1);
  }

  /** Releases a place of `pool` used at m: it passes straight to the next request served, if any. */
  private release(pool: number, m: number, background: boolean, now: number): void {
    const places = this.pools[pool]!;
    const from = (background ? this.heldByOthers : this.held)[m]!;
    if (places.busy - 1 < places.capacity && places.takeNext()) {
      const entity = places.entity;
      const to = this.model.pools[pool]!.members[places.group]!;
      const toOthers = entity < 0;
      // A handover within the same user changes no count (and so no floating-point sum).
      if (to !== m || toOthers !== background) {
        from.change(now, -1);
        (toOthers ? this.heldByOthers : this.held)[to]!.change(now, 1);
      }
      this.grant(entity, to, now);
      return;
    }
    places.busy--;
    from.change(now, -1);
  }

  private releaseHeld(p: Patient, m: number, now: number): void {
    if (p.holds < 0) return;
    const pool = p.holds;
    p.holds = -1;
    this.release(pool, m, false, now);
  }

  private releaseAhead(p: Patient, now: number): void {
    if (p.holdsAhead < 0) return;
    const pool = p.holdsAhead;
    p.holdsAhead = -1;
    this.release(pool, p.wants, false, now);
  }

  /** Serves the queue while places are free (after an opening or a shift's rise). */
  private dispatch(pool: number, now: number): void {
    const places = this.pools[pool]!;
    while (places.hasRoom && places.takeNext()) {
      const entity = places.entity;
      const m = this.model.pools[pool]!.members[places.group]!;
      this.take(pool, m, entity < 0, now);
      this.grant(entity, m, now);
    }
  }

  /** A request got its place at m (already counted as held): start what it was waiting for. */
  private grant(entity: number, m: number, now: number): void {
    if (entity < 0) {
      this.backgroundStarts(~entity, m, now);
      return;
    }
    const p = this.patients[entity]!;
    if (p.waiting === 2) {
      this.unblock(entity, p, now);
      return;
    }
    p.waiting = 0;
    p.queueToken++; // its reneging timer is void
    p.holds = this.model.microsystems[m]!.pool;
    this.beginStay(entity, p, m, now);
  }

  // --- blocking after service ---------------------------------------------------------------------

  /** A place at n for the patient about to leave for it (held ahead), or its request queued (false). */
  private reserve(slot: number, p: Patient, n: number, now: number): boolean {
    const ms = this.model.microsystems[n]!;
    const pool = this.pools[ms.pool]!;
    p.wants = n;
    if (pool.hasRoom && pool.isOpen(ms.member)) {
      this.take(ms.pool, n, false, now);
      p.holdsAhead = ms.pool;
      return true;
    }
    pool.enqueue(slot, ms.member, ms.priority[p.classIndex]!);
    return false;
  }

  /** A blocked patient got its next place: it gives up the one it kept, and leaves. */
  private unblock(slot: number, p: Patient, now: number): void {
    const m = p.at;
    this.blockedSlots.delete(slot);
    p.waiting = 0;
    p.holdsAhead = this.model.microsystems[p.wants]!.pool;
    this.journey.recordBlocked(p, m, now - p.blockedSince);
    this.releaseHeld(p, m, now);
    this.onward(slot, p, m, p.wants, now);
  }

  private checkDeadlock(now: number): void {
    const waits: WaitFor[] = [];
    for (const slot of this.blockedSlots) {
      const p = this.patients[slot]!;
      waits.push({ holds: p.holds, wants: this.model.microsystems[p.wants]!.pool });
    }
    const stuck = deadlockedPools(
      this.pools.map((p) => p.busy),
      this.model.pools.map((p) => p.maxCapacity),
      waits,
    );
    if (stuck.length === 0) return;
    const names = stuck.flatMap((pool) => this.poolNames(this.model.pools[pool]!));
    throw new SimulationError(
      `deadlock in replication ${this.r + 1} at ${describeTime(now)} (minute ${Math.round(now)}): ` +
        `${list(names)} ${names.length > 1 ? "are" : "is"} full and every patient there has finished ` +
        "but is blocked, waiting for a place in another of them. Add a place, or remove `blocking` " +
        "from one of them.",
    );
  }

  // --- reneging -----------------------------------------------------------------------------------

  private setTimer(slot: number, token: number, time: number): void {
    const timer = this.freeTimers.length > 0 ? this.freeTimers.pop()! : this.timerSlot.push(0) - 1;
    this.timerSlot[timer] = slot;
    this.timerToken[timer] = token;
    this.at(time, timer, RENEGE);
  }

  private renegeTimer(timer: number, now: number): void {
    const slot = this.timerSlot[timer]!;
    const token = this.timerToken[timer]!;
    this.freeTimers.push(timer);
    const p = this.patients[slot]!;
    if (p.waiting !== 1 || p.queueToken !== token) return; // served (or gone) since
    const m = p.at;
    const ms = this.model.microsystems[m]!;
    this.pools[ms.pool]!.remove(slot, ms.member);
    p.waiting = 0;
    this.onward(slot, p, m, this.journey.renege(p, m, now), now);
  }

  // --- other patients (background) ----------------------------------------------------------------

  private nextBackground(m: number): void {
    const bg = this.model.microsystems[m]!.background!;
    const j = this.othersSeen[m]!;
    const key = entityKey(this.othersRoot[m]!, this.r, j);
    this.othersIntensity[m] = this.othersIntensity[m]! - Math.log(draw(key, this.model.siteArrival, 0, 0));
    this.at(bg.arrivals.timeAt(this.othersIntensity[m]!), m, BACKGROUND_ARRIVE);
  }

  private backgroundArrives(m: number, now: number): void {
    const ms = this.model.microsystems[m]!;
    const j = this.freeJobs.length > 0 ? this.freeJobs.pop()! : this.jobAt.push(0) - 1;
    this.jobAt[j] = m;
    this.jobIndex[j] = this.othersSeen[m]!;
    this.othersSeen[m]!++;
    if (this.goingOn()) this.nextBackground(m);
    const pool = this.pools[ms.pool]!;
    if (pool.hasRoom && pool.isOpen(ms.member)) {
      this.take(ms.pool, m, true, now);
      this.backgroundStarts(j, m, now);
    } else {
      pool.enqueue(~j, ms.member, ms.background!.priority);
      if (pool.waiting > MAX_WAITING) this.stuck(now);
    }
  }

  private backgroundStarts(j: number, m: number, now: number): void {
    const bg = this.model.microsystems[m]!.background!;
    const key = entityKey(this.othersRoot[m]!, this.r, this.jobIndex[j]!);
    this.at(now + bg.time(key, bg.siteTime, 0), j, BACKGROUND_END);
  }

  private backgroundLeaves(j: number, now: number): void {
    const m = this.jobAt[j]!;
    this.freeJobs.push(j);
    this.release(this.model.microsystems[m]!.pool, m, true, now);
  }

  // --- the calendar: openings and shift changes ---------------------------------------------------

  private startCalendar(): void {
    this.model.microsystems.forEach((ms, m) => {
      if (ms.opening === null) return;
      this.pools[ms.pool]!.setOpen(ms.member, ms.opening.valueAt(0) >= 1);
      this.sim.schedule(ms.opening.nextChange(0), m, HOURS);
    });
    this.model.pools.forEach((pool, i) => {
      if (!pool.capacity.isConstant) this.sim.schedule(pool.capacity.nextChange(0), i, SHIFT);
    });
  }

  private hoursChange(m: number, now: number): void {
    const ms = this.model.microsystems[m]!;
    const open = ms.opening!.valueAt(now) >= 1;
    this.pools[ms.pool]!.setOpen(ms.member, open);
    if (open) this.dispatch(ms.pool, now);
    if (this.calendarGoesOn(now)) this.sim.schedule(ms.opening!.nextChange(now), m, HOURS);
  }

  private shiftChange(pool: number, now: number): void {
    const places = this.pools[pool]!;
    const before = places.capacity;
    places.capacity = this.model.pools[pool]!.capacity.valueAt(now);
    // A drop interrupts nobody: those in service finish, and no one starts until a place is free.
    if (places.capacity > before) this.dispatch(pool, now);
    if (this.calendarGoesOn(now))
      this.sim.schedule(this.model.pools[pool]!.capacity.nextChange(now), pool, SHIFT);
  }

  /** The calendar keeps turning while the run goes on or someone waits for an opening or a shift. */
  private calendarGoesOn(now: number): boolean {
    if (this.pending > 0) return true;
    if (!this.pools.some((p) => p.waiting > 0)) return false;
    if (now - this.lastProgress > IDLE_LIMIT) this.stuck(now);
    return true;
  }

  private stuck(now: number): never {
    const where = this.model.microsystems.flatMap((ms, m) => {
      const n = this.pools[ms.pool]!.waitingIn(ms.member);
      return n > 0 ? [`${this.model.spec.microsystems[m]!.name} (${n} waiting)`] : [];
    });
    throw new SimulationError(
      `replication ${this.r + 1}: at ${describeTime(now)} (minute ${Math.round(now)}) counted patients can ` +
        `still not finish${where.length > 0 ? ` — waiting: ${list(where)}` : ""}. The pathway is overloaded ` +
        "(arrivals or background demand beyond its places), or a class waits for ever behind higher priorities.",
    );
  }

  // --- what the replication leaves in the tally ----------------------------------------------------

  private record(): void {
    const { model, tally } = this;
    tally.events += this.sim.events;
    const rep: ReplicationTally = {
      replication: this.r,
      patients: tally.patients.reduce((a, b) => a + b, 0),
      defectFree: tally.defectFree.reduce((a, b) => a + b, 0),
      riskSum: tally.riskSum,
      window: this.window,
      busy: this.busy,
    };
    if (model.capacityFeatures) {
      const from = this.firstArrival;
      const to = from + this.window;
      const available = model.pools.map((p) =>
        p.capacity.max === Number.POSITIVE_INFINITY || !(this.window > 0) ? 0 : p.capacity.integral(from, to),
      );
      rep.background = this.others;
      rep.available = model.microsystems.map((ms) => available[ms.pool]!);
      const shared = model.pools.flatMap((p, i) => (p.shared ? [i] : []));
      if (shared.length > 0)
        rep.resources = shared.map((i) => ({
          busy: sumOver(model.pools[i]!.members, this.busy),
          background: sumOver(model.pools[i]!.members, this.others),
          available: available[i]!,
        }));
    }
    tally.replications.push(rep);
  }

  private poolNames(pool: CompiledPool): string[] {
    const names = pool.members.map((m) => this.model.spec.microsystems[m]!.name);
    return pool.shared ? [`${pool.key} (${list(names)})`] : names;
  }
}

function sumOver(indices: readonly number[], values: readonly number[]): number {
  let s = 0;
  for (const i of indices) s += values[i]!;
  return s;
}

/** "a", "a and b", "a, b and c". */
function list(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

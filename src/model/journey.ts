// The patient journey (docs/semantics.md): arrive → (wait) → off-hours delay → service → failure
// draws → routing → handoff → next arrival. The drivers (independent.ts, queued.ts) decide *when*
// each step happens; this module decides *what* happens and counts it.
//
// Monitoring: with a `JourneyMonitor` attached every step is also emitted as a typed event
// (events.ts). Without one (`monitor === null`, every normal run) no event object is ever built:
// each emission sits behind that test, so the hot loop allocates nothing.
import { draw } from "../engine/random.js";
import { isStaffed } from "./calendar.js";
import type { CompiledElement, CompiledModel } from "./compiled.js";
import type { Ending, JourneyMonitor } from "./events.js";
import type { OutputSink } from "./output.js";
import type { Patient } from "./patient.js";
import { keptGoto } from "./rules.js";
import type { Tally } from "./tally.js";

export type { Ending } from "./events.js";

export class Journey {
  private readonly maxVisits: number;
  private readonly M: number;
  private readonly logRr: number;
  private readonly reference: number;
  /** Hears counted patients' waits, metric intervals and endings (queued runs: output analysis). */
  output: OutputSink | null = null;

  constructor(
    readonly model: CompiledModel,
    readonly tally: Tally,
    readonly monitor: JourneyMonitor | null = null,
  ) {
    this.maxVisits = model.spec.maxVisits;
    this.M = model.microsystems.length;
    const delay = model.spec.mortality?.delay;
    this.logRr = delay ? Math.log(delay.rrPer30Min) : 0;
    this.reference = delay?.reference ?? 0;
  }

  /** The class and start microsystem of a new journey, drawn from the patient's key. */
  classOf(key: number): number {
    const u = draw(key, this.model.siteClass, 0, 0);
    const cum = this.model.classCumulative;
    let c = 0;
    while (u >= cum[c]!) c++;
    return c;
  }

  startOf(p: Patient): number {
    const m = this.model.classStart[p.classIndex]!;
    if (this.monitor !== null) {
      this.monitor.event(p, { kind: "start", time: p.start, element: this.model.microsystems[m]!.key });
    }
    return m;
  }

  /** Arrival at microsystem `m`; false when the visit guard ends the journey instead. */
  arrive(p: Patient, m: number, t: number): boolean {
    const ms = this.model.microsystems[m]!;
    if (p.visits >= this.maxVisits) {
      this.finish(p, t, "guard", ms);
      return false;
    }
    p.visits++;
    p.at = m;
    p.arrivedAt = t;
    p.reach(ms.slotArrive, t);
    if (this.monitor !== null) this.monitor.event(p, { kind: "arrive", time: t, element: ms.key });
    return true;
  }

  /**
   * Capacity gained at `t`: returns the length of the stay (a wait for the opening with
   * `until_open`, the off-hours delay, service, failures). A patient whose wait for the opening
   * would reach `max_wait` stays only until then: `p.reneged` is set and `leave` sends it on.
   */
  serve(p: Patient, m: number, t: number): number {
    const ms = this.model.microsystems[m]!;
    // `until_open`: no service starts while closed (docs/semantics.md, "Capacity").
    const lead = ms.opening === null ? 0 : ms.opening.nextTimeAtLeast(t, 1) - t;
    if (lead > 0 && t + lead - p.arrivedAt >= ms.maxWait) {
      p.reneged = true;
      return p.arrivedAt + ms.maxWait - t;
    }
    const visit = ++p.visitCounts[ms.index]!;
    const wait = t + lead - p.arrivedAt;
    p.cost += ms.costPerVisit + wait * ms.costPerWaitMinute;
    if (p.counted) {
      this.tally.visits[ms.index]!++;
      this.tally.classVisits[p.classIndex * this.model.elementCount + ms.index]!++;
      this.tally.waits[m]!.add(wait);
      if (this.output !== null) this.output.wait(p, m, wait);
    }
    let offDelay = 0;
    if (lead > 0) {
      if (p.counted) this.tally.offHours[m]!++;
    } else if (ms.offHours !== null && ms.hours !== null && !isStaffed(ms.hours, t)) {
      offDelay = ms.offHours(p.key, ms.siteOffHours, visit);
      if (p.counted) this.tally.offHours[m]!++;
      if (this.monitor !== null) {
        this.monitor.event(p, { kind: "off_hours_delay", time: t, element: ms.key, delay: offDelay });
      }
    }
    p.reach(ms.slotStart, t + lead + offDelay);
    const service = (ms.times === null ? ms.time : ms.times[p.classIndex]!)(p.key, ms.siteTime, visit);
    if (this.monitor !== null) {
      this.monitor.event(p, { kind: "service_start", time: t + lead + offDelay, element: ms.key, wait });
    }
    // Failures are drawn when service ends; their time is written t + (offDelay + service), the same
    // association as the stay's end t + (offDelay + service + cost), so that by the monotonicity of
    // floating-point addition a journey's events never go back in time (not even by one ulp).
    // (lead is 0 except with `until_open`, where offDelay is 0: 0 + x is x, the figures unchanged.)
    const stay = lead + offDelay + service;
    const length = stay + this.failures(p, ms, visit, t + stay);
    // The stay that costs per hour starts with service: a wait for the opening is a wait.
    if (p.counted) this.tally.stay[m]! += length - lead;
    p.cost += (length - lead) * ms.costPerStayMinute;
    return length;
  }

  /** The stay at `m` ends at `t`: returns the next microsystem, or -1 when the journey ends here. */
  leave(p: Patient, m: number, t: number): number {
    if (p.reneged) return this.renege(p, m, t);
    const ms = this.model.microsystems[m]!;
    p.reach(ms.slotEnd, t);
    if (this.monitor !== null) this.monitor.event(p, { kind: "end", time: t, element: ms.key });
    if (p.drop) {
      this.finish(p, t, "dropped", ms);
      return -1;
    }
    if (p.goto >= 0) {
      const g = p.goto;
      p.goto = -1;
      return g;
    }
    const table = ms.routes[p.classIndex];
    if (table === null || table === undefined) {
      this.finish(p, t, "completed", ms);
      return -1;
    }
    const targets = table.targets;
    // A single route needs no draw: it keeps pure chains fast and shifts no stream.
    if (targets.length === 1) return targets[0]!;
    const u = draw(p.key, ms.siteRoute, p.visitCounts[ms.index]!, 0);
    const cum = table.cumulative;
    let r = 0;
    while (u >= cum[r]!) r++;
    return targets[r]!;
  }

  /**
   * The handoff `from → to` starting at `t`: returns its duration and sets `p.destination`
   * (a goto defect redirects it). When it returns with `p.drop` set, the driver ends the journey
   * with `droppedOnTransfer` when the transfer is over.
   */
  transfer(p: Patient, from: number, to: number, t: number): number {
    const j = this.model.handoffAt[from * this.M + to]!;
    const h = this.model.handoffs[j]!;
    p.via = j;
    const visit = ++p.visitCounts[h.index]!;
    p.cost += h.costPerVisit;
    if (p.counted) {
      this.tally.visits[h.index]!++;
      this.tally.classVisits[p.classIndex * this.model.elementCount + h.index]!++;
    }
    if (this.monitor !== null) {
      const { microsystems } = this.model;
      this.monitor.event(p, {
        kind: "handoff",
        time: t,
        element: h.key,
        from: microsystems[from]!.key,
        to: microsystems[to]!.key,
      });
    }
    const time = (h.times === null ? h.time : h.times[p.classIndex]!)(p.key, h.siteTime, visit);
    const duration = time + this.failures(p, h, visit, t + time);
    p.destination = p.goto >= 0 ? p.goto : to;
    p.goto = -1;
    return duration;
  }

  /**
   * Reneging (`max_wait`): the patient who waited `max_wait` for a place at `m` leaves the queue at
   * `t`, never served there. Returns where it goes (`then: { goto }`), or -1 when the journey ends
   * (`then: leave`, ending `reneged`). Counted as a visit and, unless `defect: false`, a defect.
   */
  renege(p: Patient, m: number, t: number): number {
    const ms = this.model.microsystems[m]!;
    p.reneged = false;
    const wait = t - p.arrivedAt;
    p.cost += wait * ms.costPerWaitMinute;
    if (ms.renegeDefect) p.defects++;
    if (p.counted) {
      const tally = this.tally;
      tally.visits[ms.index]!++;
      tally.renegedVisits[m]!++;
      tally.waits[m]!.add(wait);
      if (this.output !== null) this.output.wait(p, m, wait);
      if (ms.renegeDefect) tally.defects[ms.index]!++;
    }
    const goto = ms.renegeGoto;
    if (this.monitor !== null) {
      this.monitor.event(p, {
        kind: "reneged",
        time: t,
        element: ms.key,
        wait,
        goto: goto < 0 ? null : this.model.microsystems[goto]!.key,
      });
    }
    if (goto >= 0) return goto;
    this.finish(p, t, "reneged", ms);
    return -1;
  }

  /** Blocking after service: the stay at `m` ended at `t` and `to` has no place for the patient yet. */
  blocked(p: Patient, m: number, to: number, t: number): void {
    if (this.monitor === null) return;
    const { microsystems } = this.model;
    this.monitor.event(p, {
      kind: "blocked",
      time: t,
      element: microsystems[m]!.key,
      to: microsystems[to]!.key,
    });
  }

  /** The time a patient kept its place at blocking microsystem `m` after its stay (0 = none). */
  recordBlocked(p: Patient, m: number, minutes: number): void {
    if (!p.counted) return;
    this.tally.blocked[m]!.add(minutes);
    // A blocked patient still holds its place: the stay that costs per hour runs on.
    this.tally.stay[m]! += minutes;
    p.cost += minutes * this.model.microsystems[m]!.costPerStayMinute;
    if (minutes > 0) this.tally.blockedVisits[m]!++;
  }

  /** Draws the element's failure modes (docs/semantics.md §3); returns the time they cost. */
  private failures(p: Patient, el: CompiledElement, visit: number, t: number): number {
    let cost = 0;
    let defective = false;
    const counted = p.counted;
    const tally = this.tally;
    for (const f of el.modes) {
      if (!f.appliesTo[p.classIndex] || draw(p.key, f.siteOccur, visit, 0) >= f.p) continue;
      if (counted) tally.occurrences[f.index]!++;
      if (f.detect > 0 && draw(p.key, f.siteDetect, visit, 0) < f.detect) {
        const recover = f.recover === null ? 0 : f.recover(p.key, f.siteRecover, visit);
        cost += recover;
        p.nearMisses++;
        p.cost += f.caughtCost;
        if (counted) tally.caught[f.index]!++;
        if (this.monitor !== null) {
          this.monitor.event(p, { kind: "near_miss", time: t, element: el.key, mode: f.id, recover });
        }
        continue;
      }
      const delay = f.delay === null ? 0 : f.delay(p.key, f.siteDelay, visit);
      cost += delay;
      defective = true;
      p.defects++;
      p.cost += f.cost;
      p.harm *= f.harm;
      if (f.drop) p.drop = true;
      p.goto = keptGoto(p.goto, f);
      if (this.monitor !== null) {
        this.monitor.event(p, {
          kind: "defect",
          time: t,
          element: el.key,
          mode: f.id,
          delay,
          harm: f.harm,
          drop: f.drop,
          goto: f.goto < 0 ? null : this.model.microsystems[f.goto]!.key,
        });
      }
    }
    if (defective && counted) {
      tally.defects[el.index]!++;
      tally.classDefects[p.classIndex * this.model.elementCount + el.index]!++;
    }
    return cost;
  }

  /** A drop defect on the transfer that ended at `t`: the journey ends there. */
  droppedOnTransfer(p: Patient, t: number): boolean {
    return this.finish(p, t, "dropped", this.model.handoffs[p.via]!);
  }

  /** Ends a journey at `t` at element `at`: outcome, metrics and counts. Returns whether it was defect-free. */
  finish(p: Patient, t: number, ending: Ending, at: CompiledElement): boolean {
    const ok = p.defects === 0;
    if (this.monitor !== null) this.emitFinish(p, t, ending, at.key);
    if (!p.counted) return ok;
    const tally = this.tally;
    const c = p.classIndex;
    tally.patients[c]!++;
    if (ok) tally.defectFree[c]!++;
    if (ending === "completed") tally.completed++;
    else if (ending === "dropped") tally.dropped++;
    else if (ending === "reneged") tally.reneged++;
    else tally.guardStopped++;
    tally.nearMisses += p.nearMisses;
    tally.costSum += p.cost;
    tally.costSquares += p.cost * p.cost;
    this.recordMetrics(p);
    let risk = 0;
    if (this.model.mortalityBase !== null) {
      risk = this.risk(p);
      tally.riskSum += risk;
      tally.riskSquares += risk * risk;
      if (draw(p.key, this.model.siteDeath, 0, 0) < risk) tally.deaths++;
    }
    if (this.output !== null) this.output.finish(p, ending, risk);
    return ok;
  }

  /** The last events of a journey: the sampled death (if any), then the finish. */
  private emitFinish(p: Patient, t: number, ending: Ending, element: string): void {
    const risk = this.risk(p);
    // The same keyed draw as the tally's sampled deaths (below), for counted journeys and others.
    if (this.model.mortalityBase !== null && draw(p.key, this.model.siteDeath, 0, 0) < risk) {
      this.monitor!.event(p, { kind: "death", time: t, element });
    }
    this.monitor!.event(p, { kind: "finish", time: t, element, ending, defects: p.defects, risk });
  }

  /** 30-day risk: base × Π harm × rr^((interval − reference)/30), capped at 1. */
  risk(p: Patient): number {
    const base = this.model.mortalityBase;
    if (base === null) return 0;
    let risk = base[p.classIndex]! * p.harm;
    const slots = this.model.delaySlots;
    if (slots !== null) {
      const interval = p.milestone(slots.to) - p.milestone(slots.from);
      // A milestone never reached gives NaN: no time-to-treatment effect.
      if (!Number.isNaN(interval)) risk *= Math.exp((this.logRr * (interval - this.reference)) / 30);
    }
    return Math.min(risk, 1);
  }

  private recordMetrics(p: Patient): void {
    const slots = this.model.metricSlots;
    const metrics = this.model.spec.metrics;
    const classes = this.model.metricClasses;
    for (let i = 0; i < slots.length; i++) {
      if (classes[i] !== null && !classes[i]![p.classIndex]) continue;
      const s = slots[i]!;
      const x = p.milestone(s.to) - p.milestone(s.from);
      if (!(x >= 0)) continue; // not reached (NaN), or the milestones came in the other order
      this.tally.metrics[i]!.add(x);
      this.tally.metricSquares[i]! += x * x;
      if (this.output !== null) this.output.metric(p, i, x);
      const target = metrics[i]!.target;
      if (target !== null && x <= target) this.tally.withinTarget[i]!++;
    }
  }
}

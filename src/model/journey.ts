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
import { keptGoto, suppressed, type VisitContext, visitProbability } from "./rules.js";
import { SEVERITIES, type StaffedHours } from "./spec.js";
import type { Tally } from "./tally.js";

export type { Ending } from "./events.js";

export class Journey {
  private readonly maxVisits: number;
  private readonly M: number;
  /** The context of the visit being drawn, reused (`when` conditions; built only where asked). */
  private readonly context: VisitContext = { classId: "", offHours: false, load: 0, waited: 0 };
  /** hadDefect[position] for the element being drawn (`unless`), reused. */
  private hadDefect = new Uint8Array(8);
  /** The milestone slot of `decided_at` (−2 = none): a field, so the three checks per visit are one compare. */
  private readonly decideSlot: number;
  /** Hears counted patients' waits, metric intervals and endings (queued runs: output analysis). */
  output: OutputSink | null = null;

  constructor(
    readonly model: CompiledModel,
    readonly tally: Tally,
    readonly monitor: JourneyMonitor | null = null,
  ) {
    this.maxVisits = model.spec.maxVisits;
    this.M = model.microsystems.length;
    this.decideSlot = model.decideSlot;
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

  /**
   * Arrival at microsystem `m`, finding `load` = (patients in service + waiting) / capacity there;
   * false when the journey ends instead (the visit guard, or a death drawn at `m.arrive`).
   */
  arrive(p: Patient, m: number, t: number, load = 0): boolean {
    const ms = this.model.microsystems[m]!;
    if (p.visits >= this.maxVisits) {
      this.finish(p, t, "guard", ms);
      return false;
    }
    p.visits++;
    p.at = m;
    p.arrivedAt = t;
    p.load = load;
    p.reach(ms.slotArrive, t);
    if (this.monitor !== null) this.monitor.event(p, { kind: "arrive", time: t, element: ms.key });
    if (this.diesAt(p, ms.slotArrive)) {
      this.finish(p, t, "died", ms);
      return false;
    }
    return true;
  }

  /**
   * Whether the 30-day death, drawn now because the journey first reached the `decided_at`
   * milestone `slot`, ends it (docs/semantics.md §7). The same keyed draw as at the end of a
   * journey, so who dies is a common random number between scenarios.
   */
  private diesAt(p: Patient, slot: number): boolean {
    if (slot !== this.decideSlot || slot < 0 || p.decided) return false;
    this.decide(p);
    return p.died;
  }

  /** Draws the 30-day death with the risk as it stands now. */
  private decide(p: Patient): void {
    p.decided = true;
    if (this.model.mortalityBase === null) return;
    p.risk = this.risk(p);
    p.died = draw(p.key, this.model.siteDeath, 0, 0) < p.risk;
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
    p.wait = wait;
    if (p.counted) {
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
    // A death drawn at `m.start` ends the journey as care would start: no service, no failures,
    // and the visit is not counted (no care was given); the place is held until then.
    if (this.diesAt(p, ms.slotStart)) {
      if (p.counted) this.tally.stay[m]! += offDelay;
      return lead + offDelay;
    }
    if (p.counted) {
      this.tally.visits[ms.index]!++;
      this.tally.classVisits[p.classIndex * this.model.elementCount + ms.index]!++;
    }
    const service = (ms.times === null ? ms.time : ms.times[p.classIndex]!)(p.key, ms.siteTime, visit);
    if (this.monitor !== null) {
      this.monitor.event(p, { kind: "service_start", time: t + lead + offDelay, element: ms.key, wait });
    }
    // Failures are drawn when service ends; their time is written t + (offDelay + service), the same
    // association as the stay's end t + (offDelay + service + cost), so that by the monotonicity of
    // floating-point addition a journey's events never go back in time (not even by one ulp).
    // (lead is 0 except with `until_open`, where offDelay is 0: 0 + x is x, the figures unchanged.)
    const stay = lead + offDelay + service;
    // `when` judges the hours as service starts (after a wait for the opening, if any).
    if (ms.contextual) this.setContext(p, ms.hours, t + lead);
    const length = stay + this.failures(p, ms, visit, t + stay);
    // The stay that costs per hour starts with service: a wait for the opening is a wait.
    if (p.counted) this.tally.stay[m]! += length - lead;
    p.cost += (length - lead) * ms.costPerStayMinute;
    return length;
  }

  /** The visit's context for `when` (docs/semantics.md §3): off-hours at `t`, the load and wait of `p`'s current visit. */
  private setContext(p: Patient, hours: StaffedHours | null, t: number): void {
    const c = this.context;
    c.classId = p.classId;
    c.offHours = hours !== null && !isStaffed(hours, t);
    c.load = p.load;
    c.waited = p.wait;
  }

  /** The stay at `m` ends at `t`: returns the next microsystem, or -1 when the journey ends here. */
  leave(p: Patient, m: number, t: number): number {
    if (p.reneged) return this.renege(p, m, t);
    const ms = this.model.microsystems[m]!;
    if (p.died) {
      // Died as care would start (`m.start`): the journey ends where it is, with no `end`.
      this.finish(p, t, "died", ms);
      return -1;
    }
    p.reach(ms.slotEnd, t);
    if (this.monitor !== null) this.monitor.event(p, { kind: "end", time: t, element: ms.key });
    // A death drawn at `m.end` ends the journey before any drop or goto of this visit is followed.
    if (this.diesAt(p, ms.slotEnd)) {
      this.finish(p, t, "died", ms);
      return -1;
    }
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
    // A handoff's conditions judge its own hours (else the sending microsystem's) when it starts,
    // and the load and wait of the sending microsystem's visit.
    if (h.contextual) this.setContext(p, h.hours, t);
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
    const modes = el.modes;
    const hadDefect = el.conditional ? this.defectFlags(modes.length) : null;
    for (let k = 0; k < modes.length; k++) {
      const f = modes[k]!;
      if (!f.appliesTo[p.classIndex]) continue;
      if (hadDefect !== null && suppressed(f.unlessAt ?? undefined, (at) => hadDefect[at] === 1)) continue;
      let pk = f.p;
      let condition = -1;
      if (f.when !== null) ({ p: pk, condition } = visitProbability(f, this.context));
      if (draw(p.key, f.siteOccur, visit, 0) >= pk) continue;
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
      if (hadDefect !== null) hadDefect[k] = 1;
      p.defects++;
      p.cost += f.cost;
      p.harm *= f.harm;
      if (f.severity > p.worstSeverity) p.worstSeverity = f.severity;
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
          p: pk,
          condition: condition < 0 ? null : condition,
          severity: SEVERITIES[f.severity]!,
        });
      }
    }
    if (defective && counted) {
      tally.defects[el.index]!++;
      tally.classDefects[p.classIndex * this.model.elementCount + el.index]!++;
    }
    return cost;
  }

  /** The cleared per-position defect flags of the element being drawn. */
  private defectFlags(n: number): Uint8Array {
    if (this.hadDefect.length < n) this.hadDefect = new Uint8Array(n);
    this.hadDefect.fill(0, 0, n);
    return this.hadDefect;
  }

  /** A drop defect on the transfer that ended at `t`: the journey ends there. */
  droppedOnTransfer(p: Patient, t: number): boolean {
    return this.finish(p, t, "dropped", this.model.handoffs[p.via]!);
  }

  /** Ends a journey at `t` at element `at`: outcome, metrics and counts. Returns whether it was defect-free. */
  finish(p: Patient, t: number, ending: Ending, at: CompiledElement): boolean {
    const ok = p.defects === 0;
    // A journey that never reached `decided_at` has its death drawn at its end (as without it).
    if (!p.decided) this.decide(p);
    if (this.monitor !== null) this.emitFinish(p, t, ending, at.key);
    if (!p.counted) return ok;
    const tally = this.tally;
    const c = p.classIndex;
    tally.patients[c]!++;
    if (ok) tally.defectFree[c]!++;
    else tally.worstSeverity[p.worstSeverity]!++;
    if (ending === "completed") tally.completed++;
    else if (ending === "dropped") tally.dropped++;
    else if (ending === "died") tally.died++;
    else if (ending === "reneged") tally.reneged++;
    else tally.guardStopped++;
    tally.nearMisses += p.nearMisses;
    tally.costSum += p.cost;
    tally.costSquares += p.cost * p.cost;
    this.recordMetrics(p);
    let risk = 0;
    if (this.model.mortalityBase !== null) {
      risk = p.risk;
      tally.riskSum += risk;
      tally.riskSquares += risk * risk;
      if (p.died) tally.deaths++;
    }
    if (this.output !== null) this.output.finish(p, ending, risk);
    return ok;
  }

  /** The last events of a journey: the sampled death (if any), then the finish. */
  private emitFinish(p: Patient, t: number, ending: Ending, element: string): void {
    if (p.died) {
      const milestone = ending === "died" ? this.model.decideAt : null;
      this.monitor!.event(p, { kind: "death", time: t, element, risk: p.risk, milestone });
    }
    this.monitor!.event(p, { kind: "finish", time: t, element, ending, defects: p.defects, risk: p.risk });
  }

  /** 30-day risk: base × Π harm × Π rr^((interval − reference)/30) over the terms reached, capped at 1. */
  risk(p: Patient): number {
    const base = this.model.mortalityBase;
    if (base === null) return 0;
    let risk = base[p.classIndex]! * p.harm;
    for (const d of this.model.delays) {
      const interval = p.milestone(d.to) - p.milestone(d.from);
      // A milestone never reached gives NaN: that term has no effect.
      if (!Number.isNaN(interval)) risk *= Math.exp((d.logRr * (interval - d.reference)) / 30);
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

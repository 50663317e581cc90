// The patient journey (docs/semantics.md): arrive → (wait) → off-hours delay → service → failure
// draws → routing → handoff → next arrival. The drivers (independent.ts, queued.ts) decide *when*
// each step happens; this module decides *what* happens and counts it.
import { draw } from "../engine/random.js";
import { isStaffed } from "./calendar.js";
import type { CompiledElement, CompiledModel } from "./compiled.js";
import type { Patient } from "./patient.js";
import type { Tally } from "./tally.js";

/** How a journey ended. */
export type Ending = "completed" | "dropped" | "guard";

/** Receives every step of every journey, for `--trace` and `story`. Null = monitoring off (fast). */
export interface Tracer {
  record(p: Patient, time: number, where: string, event: string, detail: string): void;
}

export class Journey {
  private readonly maxVisits: number;
  private readonly M: number;
  private readonly logRr: number;
  private readonly reference: number;

  constructor(
    readonly model: CompiledModel,
    readonly tally: Tally,
    readonly tracer: Tracer | null = null,
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
    this.tracer?.record(p, p.start, "journey", "start", this.model.classIds[p.classIndex]!);
    return this.model.classStart[p.classIndex]!;
  }

  /** Arrival at microsystem `m`; false when the visit guard ends the journey instead. */
  arrive(p: Patient, m: number, t: number): boolean {
    if (p.visits >= this.maxVisits) {
      this.finish(p, t, "guard");
      return false;
    }
    const ms = this.model.microsystems[m]!;
    p.visits++;
    p.at = m;
    p.arrivedAt = t;
    p.reach(ms.slotArrive, t);
    this.tracer?.record(p, t, ms.key, "arrive", "");
    return true;
  }

  /** Capacity gained at `t`: returns the length of the stay (off-hours delay, service, failures). */
  serve(p: Patient, m: number, t: number): number {
    const ms = this.model.microsystems[m]!;
    const visit = ++p.visitCounts[ms.index]!;
    const wait = t - p.arrivedAt;
    if (p.measured) {
      this.tally.visits[ms.index]!++;
      this.tally.waits[m]!.add(wait);
    }
    let offDelay = 0;
    if (ms.offHours !== null && ms.hours !== null && !isStaffed(ms.hours, t)) {
      offDelay = ms.offHours(p.key, ms.siteOffHours, visit);
      if (p.measured) this.tally.offHours[m]!++;
      this.tracer?.record(p, t, ms.key, "off-hours delay", minutes(offDelay));
    }
    p.reach(ms.slotStart, t + offDelay);
    const service = ms.time(p.key, ms.siteTime, visit);
    if (this.tracer !== null) {
      this.tracer.record(p, t + offDelay, ms.key, "start", wait > 0 ? `waited ${minutes(wait)}` : "");
    }
    return offDelay + service + this.failures(p, ms, visit, t + offDelay + service);
  }

  /** The stay at `m` ends at `t`: returns the next microsystem, or -1 when the journey ends here. */
  leave(p: Patient, m: number, t: number): number {
    const ms = this.model.microsystems[m]!;
    p.reach(ms.slotEnd, t);
    this.tracer?.record(p, t, ms.key, "end", "");
    if (p.drop) {
      this.finish(p, t, "dropped");
      return -1;
    }
    if (p.goto >= 0) {
      const g = p.goto;
      p.goto = -1;
      return g;
    }
    const table = ms.routes[p.classIndex];
    if (table === null || table === undefined) {
      this.finish(p, t, "completed");
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
   * (a goto defect redirects it). When it returns with `p.drop` set, the driver ends the journey.
   */
  transfer(p: Patient, from: number, to: number, t: number): number {
    const h = this.model.handoffs[this.model.handoffAt[from * this.M + to]!]!;
    const visit = ++p.visitCounts[h.index]!;
    if (p.measured) this.tally.visits[h.index]!++;
    this.tracer?.record(p, t, h.key, "handoff", "");
    const time = h.time(p.key, h.siteTime, visit);
    const duration = time + this.failures(p, h, visit, t + time);
    p.destination = p.goto >= 0 ? p.goto : to;
    p.goto = -1;
    return duration;
  }

  /** Draws the element's failure modes (docs/semantics.md §3); returns the time they cost. */
  private failures(p: Patient, el: CompiledElement, visit: number, t: number): number {
    let cost = 0;
    let defective = false;
    const measured = p.measured;
    const tally = this.tally;
    for (const f of el.modes) {
      if (!f.appliesTo[p.classIndex] || draw(p.key, f.siteOccur, visit, 0) >= f.p) continue;
      if (measured) tally.occurrences[f.index]!++;
      if (f.detect > 0 && draw(p.key, f.siteDetect, visit, 0) < f.detect) {
        const recover = f.recover === null ? 0 : f.recover(p.key, f.siteRecover, visit);
        cost += recover;
        p.nearMisses++;
        if (measured) tally.caught[f.index]!++;
        this.tracer?.record(
          p,
          t,
          el.key,
          "near miss",
          `${f.id} caught${recover > 0 ? `, +${minutes(recover)}` : ""}`,
        );
        continue;
      }
      const delay = f.delay === null ? 0 : f.delay(p.key, f.siteDelay, visit);
      cost += delay;
      defective = true;
      p.defects++;
      p.harm *= f.harm;
      if (f.drop) p.drop = true;
      else if (f.goto >= 0 && p.goto < 0) p.goto = f.goto;
      this.tracer?.record(
        p,
        t,
        el.key,
        "defect",
        defectDetail(f.id, delay, f.harm, f.drop, f.goto, this.model),
      );
    }
    if (defective && measured) tally.defects[el.index]!++;
    return cost;
  }

  /** Ends a journey at `t`: outcome, metrics and counts. Returns whether it was defect-free. */
  finish(p: Patient, t: number, ending: Ending): boolean {
    const ok = p.defects === 0;
    this.tracer?.record(p, t, "journey", ending, `defects ${p.defects}, risk ${this.risk(p).toFixed(4)}`);
    if (!p.measured) return ok;
    const tally = this.tally;
    const c = p.classIndex;
    tally.patients[c]!++;
    if (ok) tally.defectFree[c]!++;
    if (ending === "completed") tally.completed++;
    else if (ending === "dropped") tally.dropped++;
    else tally.guardStopped++;
    tally.nearMisses += p.nearMisses;
    this.recordMetrics(p);
    if (this.model.mortalityBase !== null) {
      const risk = this.risk(p);
      tally.riskSum += risk;
      tally.riskSquares += risk * risk;
      if (draw(p.key, this.model.siteDeath, 0, 0) < risk) tally.deaths++;
    }
    return ok;
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
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i]!;
      const x = p.milestone(s.to) - p.milestone(s.from);
      if (!(x >= 0)) continue; // not reached (NaN), or the milestones came in the other order
      this.tally.metrics[i]!.add(x);
      const target = metrics[i]!.target;
      if (target !== null && x <= target) this.tally.withinTarget[i]!++;
    }
  }
}

function minutes(x: number): string {
  return x < 120 ? `${x.toFixed(0)} min` : `${(x / 60).toFixed(1)} h`;
}

function defectDetail(
  id: string,
  delay: number,
  harm: number,
  drop: boolean,
  goto: number,
  m: CompiledModel,
): string {
  const parts = [id];
  if (delay > 0) parts.push(`+${minutes(delay)}`);
  if (harm !== 1) parts.push(`risk ×${harm}`);
  if (drop) parts.push("lost to follow-up");
  else if (goto >= 0) parts.push(`sent to ${m.microsystems[goto]!.key}`);
  return parts.join(", ");
}

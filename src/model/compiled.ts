// The model compiled for speed: ids become array indices, distributions become samplers, random
// stream sites are hashed once, and routing becomes cumulative tables per (microsystem, class).
// The journey code then touches only numbers and typed arrays in its hot loop.
import { type Sampler, sampler } from "../engine/distributions.js";
import { stringKey } from "../engine/random.js";
import { appliesTo, type ConditionRule, eligibleRoutes, routeShare } from "./rules.js";
import type { FailureMode, Milestone, ModelSpec, StaffedHours } from "./spec.js";
import { DEFAULT_SEVERITY, handoffKey, SEVERITIES } from "./spec.js";

export interface CompiledMode {
  id: string;
  /** Index into the tally's per-mode counters (unique over the whole model). */
  index: number;
  p: number;
  detect: number;
  /** appliesTo[classIndex]. */
  appliesTo: boolean[];
  recover: Sampler | null;
  delay: Sampler | null;
  harm: number;
  drop: boolean;
  /** Microsystem index, or -1. */
  goto: number;
  siteOccur: number;
  siteDetect: number;
  siteRecover: number;
  siteDelay: number;
  /** `when` conditions (first that holds sets p); null = none, p is fixed. */
  when: ConditionRule[] | null;
  /** `unless`: positions in the element's list of the modes that suppress this one; null = none. */
  unlessAt: number[] | null;
  /** Index in SEVERITIES. */
  severity: number;
}

export interface CompiledElement {
  /** Index into per-element counters: microsystems first, then handoffs. */
  index: number;
  /** "ed" or "ed->cathlab". */
  key: string;
  modes: CompiledMode[];
  time: Sampler;
  siteTime: number;
  /** Some mode has `when`: the visit's context (class, moment, load, wait) is set before the draws. */
  contextual: boolean;
  /** Some mode has `unless`: defects are remembered by position during the draws. */
  conditional: boolean;
}

export interface RouteTable {
  /** Destination microsystem indices. */
  targets: Int32Array;
  /** Cumulative probabilities; the last is 1. */
  cumulative: Float64Array;
}

export interface CompiledMicrosystem extends CompiledElement {
  capacity: number;
  hours: ModelSpec["microsystems"][number]["hours"];
  offHours: Sampler | null;
  siteOffHours: number;
  /** routes[classIndex]: null = the journey ends here for that class. */
  routes: (RouteTable | null)[];
  siteRoute: number;
  /** Milestone slots written on the first visit's arrive / start / end (-1 = none). */
  slotArrive: number;
  slotStart: number;
  slotEnd: number;
}

export interface CompiledHandoff extends CompiledElement {
  from: number;
  to: number;
  /** The hours `off_hours` conditions judge by: the handoff's own, else the sending microsystem's. */
  hours: StaffedHours | null;
}

/** A time-to-treatment term: the risk is multiplied by exp(logRr · (interval − reference) / 30). */
export interface CompiledDelay {
  from: Slot;
  to: Slot;
  logRr: number;
  reference: number;
}

/** A milestone slot in a patient's record; -1 means `journey.start`. */
export type Slot = number;

export interface CompiledModel {
  spec: ModelSpec;
  classIds: string[];
  /** Cumulative class shares. */
  classCumulative: Float64Array;
  classStart: Int32Array;
  microsystems: CompiledMicrosystem[];
  handoffs: CompiledHandoff[];
  /** handoffAt[from * M + to] = handoff index, or -1. */
  handoffAt: Int32Array;
  modeCount: number;
  elementCount: number;
  slotCount: number;
  metricSlots: { from: Slot; to: Slot }[];
  /** Base mortality risk per class; null when the scenario has no mortality model. */
  mortalityBase: Float64Array | null;
  delays: CompiledDelay[];
  /** The milestone slot where the 30-day death is drawn; -2 = at the end of the journey. */
  decideSlot: Slot;
  /** Its key ("telemetry.end"); null = the end of the journey. */
  decideAt: string | null;
  siteStart: number;
  siteClass: number;
  siteArrival: number;
  siteDeath: number;
}

export function compile(spec: ModelSpec): CompiledModel {
  const classIds = spec.classes.map((c) => c.id);
  const msIndex = new Map(spec.microsystems.map((m, i) => [m.id, i]));
  const slots = new SlotTable();
  const metricSlots = spec.metrics.map((m) => ({ from: slots.of(m.from), to: slots.of(m.to) }));
  const delays = (spec.mortality?.delays ?? []).map(
    (d): CompiledDelay => ({
      from: slots.of(d.from),
      to: slots.of(d.to),
      logRr: Math.log(d.rrPer30Min),
      reference: d.reference,
    }),
  );
  const decidedAt = spec.mortality?.decidedAt ?? null;
  const decideSlot = decidedAt === null || decidedAt.kind !== "microsystem" ? -2 : slots.of(decidedAt);
  const modes = { count: 0 };
  const compileModes = (key: string, list: FailureMode[]) =>
    list.map((f) => compileMode(key, f, list, modes.count++, classIds, msIndex));

  const microsystems = spec.microsystems.map(
    (m, i): CompiledMicrosystem => ({
      index: i,
      key: m.id,
      modes: compileModes(m.id, m.failures),
      time: sampler(m.time),
      siteTime: stringKey(`${m.id}#time`),
      ...drawNeeds(m.failures),
      capacity: m.capacity ?? Number.POSITIVE_INFINITY,
      hours: m.hours,
      offHours: m.offHoursDelay ? sampler(m.offHoursDelay) : null,
      siteOffHours: stringKey(`${m.id}#off_hours`),
      routes: classIds.map((c) => routeTable(m.next, c, msIndex)),
      siteRoute: stringKey(`${m.id}#route`),
      slotArrive: slots.find(m.id, "arrive"),
      slotStart: slots.find(m.id, "start"),
      slotEnd: slots.find(m.id, "end"),
    }),
  );
  const M = microsystems.length;
  const handoffAt = new Int32Array(M * M).fill(-1);
  const handoffs = spec.handoffs.map((h, j): CompiledHandoff => {
    const from = msIndex.get(h.from)!;
    const to = msIndex.get(h.to)!;
    handoffAt[from * M + to] = j;
    const key = handoffKey(h.from, h.to);
    return {
      index: M + j,
      key,
      from,
      to,
      modes: compileModes(key, h.failures),
      time: sampler(h.time),
      siteTime: stringKey(`${key}#time`),
      ...drawNeeds(h.failures),
      hours: h.hours ?? spec.microsystems[from]!.hours,
    };
  });
  return {
    spec,
    classIds,
    classCumulative: cumulative(spec.classes.map((c) => c.share)),
    classStart: Int32Array.from(spec.classes, (c) => msIndex.get(c.start)!),
    microsystems,
    handoffs,
    handoffAt,
    modeCount: modes.count,
    elementCount: M + handoffs.length,
    slotCount: slots.size,
    metricSlots,
    mortalityBase: spec.mortality ? Float64Array.from(classIds, (c) => spec.mortality!.base[c] ?? 0) : null,
    delays,
    decideSlot,
    decideAt:
      decideSlot === -2 || decidedAt?.kind !== "microsystem" ? null : `${decidedAt.id}.${decidedAt.event}`,
    siteStart: stringKey("journey#start"),
    siteClass: stringKey("journey#class"),
    siteArrival: stringKey("journey#arrival"),
    siteDeath: stringKey("outcome#death"),
  };
}

/** What the failure draws of an element need besides the modes themselves. */
function drawNeeds(modes: FailureMode[]): { contextual: boolean; conditional: boolean } {
  return {
    contextual: modes.some((f) => (f.when ?? []).length > 0),
    conditional: modes.some((f) => (f.unless ?? []).length > 0),
  };
}

function compileMode(
  elementKey: string,
  f: FailureMode,
  list: FailureMode[],
  index: number,
  classIds: string[],
  msIndex: Map<string, number>,
): CompiledMode {
  const site = (purpose: string) => stringKey(`${elementKey}#${f.id}#${purpose}`);
  return {
    id: f.id,
    index,
    p: f.p,
    detect: f.detect,
    appliesTo: classIds.map((c) => appliesTo(f, c)),
    recover: f.recoverTime ? sampler(f.recoverTime) : null,
    delay: f.delay ? sampler(f.delay) : null,
    harm: f.harm,
    drop: f.drop,
    goto: f.goto === null ? -1 : msIndex.get(f.goto)!,
    siteOccur: site("occur"),
    siteDetect: site("detect"),
    siteRecover: site("recover"),
    siteDelay: site("delay"),
    when: (f.when ?? []).length === 0 ? null : f.when!,
    unlessAt:
      (f.unless ?? []).length === 0 ? null : f.unless!.map((id) => list.findIndex((m) => m.id === id)),
    severity: SEVERITIES.indexOf(f.severity ?? DEFAULT_SEVERITY),
  };
}

/** The eligible routes for a class (docs/semantics.md §4) as a cumulative table. */
function routeTable(
  next: ModelSpec["microsystems"][number]["next"],
  classId: string,
  msIndex: Map<string, number>,
): RouteTable | null {
  const eligible = eligibleRoutes(next, classId);
  if (eligible.length === 0) return null;
  return {
    targets: Int32Array.from(eligible, (r) => msIndex.get(r.to)!),
    cumulative: cumulative(eligible.map(routeShare)),
  };
}

function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  const out = new Float64Array(weights.length);
  let acc = 0;
  weights.forEach((w, i) => {
    acc += w / total;
    out[i] = acc;
  });
  // Guard against rounding: a uniform below 1 must always find a bucket.
  if (out.length > 0) out[out.length - 1] = 1;
  return out;
}

/** Assigns one slot per distinct microsystem milestone that a metric or the mortality model reads. */
class SlotTable {
  private readonly slots = new Map<string, number>();

  get size(): number {
    return this.slots.size;
  }

  of(m: Milestone): Slot {
    if (m.kind === "journey.start") return -1;
    const key = `${m.id}.${m.event}`;
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(key, slot);
    }
    return slot;
  }

  find(id: string, event: string): number {
    return this.slots.get(`${id}.${event}`) ?? -1;
  }
}

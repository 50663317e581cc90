// The model compiled for speed: ids become array indices, distributions become samplers, random
// stream sites are hashed once, and routing becomes cumulative tables per (microsystem, class).
// The journey code then touches only numbers and typed arrays in its hot loop.
import { type Sampler, sampler } from "../engine/distributions.js";
import { stringKey } from "../engine/random.js";
import { PeriodicSteps } from "../engine/resources/steps.js";
import { ArrivalProcess } from "./arrivals.js";
import { MINUTES_PER_WEEK, openSteps, shiftSteps } from "./calendar.js";
import { appliesTo, type ConditionRule, eligibleRoutes, queuePriority, routeShare } from "./rules.js";
import type { Distribution, FailureMode, Microsystem, Milestone, ModelSpec, StaffedHours } from "./spec.js";
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
  /** Cost per defect and per near miss (0 without one): each patient's own cost (costs.ts). */
  cost: number;
  caughtCost: number;
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
  /** Cost per visit (microsystem) or per transfer (handoff); 0 without one. */
  costPerVisit: number;
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
  // --- capacity (issue 12) ---
  /** Its pool of places (`CompiledModel.pools`) and its group in that pool's queue. */
  pool: number;
  member: number;
  /** `until_open`: 1 while staffed, 0 while closed; null = starts at any time. */
  opening: PeriodicSteps | null;
  blocking: boolean;
  /** Queue priority per class index. */
  priority: Float64Array;
  /** Service time per class index; null = `time` for every class. */
  times: Sampler[] | null;
  /** Minutes a patient waits for a place before leaving the queue; Infinity = no limit. */
  maxWait: number;
  /** Where a patient who waited too long goes: a microsystem index, or -1 (the journey ends). */
  renegeGoto: number;
  renegeDefect: boolean;
  background: CompiledBackground | null;
  /** Cost per minute of stay and of waiting for a place (per_hour / 60); 0 without one. */
  costPerStayMinute: number;
  costPerWaitMinute: number;
}

export interface CompiledHandoff extends CompiledElement {
  from: number;
  to: number;
  /** The hours `off_hours` conditions judge by: the handoff's own, else the sending microsystem's. */
  hours: StaffedHours | null;
  /** Transfer time per class index; null = `time` for every class. */
  times: Sampler[] | null;
}

/** Places shared by some microsystems (a declared resource) or a microsystem's own. */
export interface CompiledPool {
  /** The resource id, or the microsystem id of its own capacity. */
  key: string;
  /** A declared `resources` entry (true) or a microsystem's own capacity. */
  shared: boolean;
  /** Places over the week; constant Infinity when unlimited. */
  capacity: PeriodicSteps;
  /** The most places it ever has. */
  maxCapacity: number;
  /** Microsystem indices, in their order in the model (= their group in the queue). */
  members: number[];
}

/** Other patients at a microsystem: their arrivals, stay and priority, on streams of their own. */
export interface CompiledBackground {
  arrivals: ArrivalProcess;
  time: Sampler;
  priority: number;
  /** Mixed into the seed for their streams, so they never share a key with the pathway's patients. */
  stream: number;
  siteTime: number;
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
  /** Pools of places: one per microsystem with its own capacity (unlimited included), then the resources. */
  pools: CompiledPool[];
  /** Per metric: whether each class index counts in it; null = every class. */
  metricClasses: (boolean[] | null)[];
  /** Whether any capacity mechanism of issue 12 is used (the queued driver then does more work). */
  capacityFeatures: boolean;
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
      ...capacityOf(spec, m, classIds, msIndex),
      costPerVisit: m.cost?.perVisit ?? 0,
      costPerStayMinute: (m.cost?.perHour ?? 0) / 60,
      costPerWaitMinute: (m.cost?.perHourWaiting ?? 0) / 60,
    }),
  );
  const pools = compilePools(spec, microsystems);
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
      times: timesByClass(h.time, h.timeByClass, classIds),
      costPerVisit: h.cost?.perTransfer ?? 0,
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
    pools,
    metricClasses: spec.metrics.map((m) =>
      m.classes === null || m.classes === undefined ? null : classIds.map((c) => m.classes!.includes(c)),
    ),
    capacityFeatures: usesCapacityFeatures(spec),
  };
}

/** What the failure draws of an element need besides the modes themselves. */
function drawNeeds(modes: FailureMode[]): { contextual: boolean; conditional: boolean } {
  return {
    contextual: modes.some((f) => (f.when ?? []).length > 0),
    conditional: modes.some((f) => (f.unless ?? []).length > 0),
  };
}

// --- capacity (issue 12) ---------------------------------------------------------------------------

type CapacityFields = Pick<
  CompiledMicrosystem,
  | "pool"
  | "member"
  | "opening"
  | "blocking"
  | "priority"
  | "times"
  | "maxWait"
  | "renegeGoto"
  | "renegeDefect"
  | "background"
>;

/** The capacity fields of a microsystem; `pool` and `member` are set by compilePools. */
function capacityOf(
  spec: ModelSpec,
  m: Microsystem,
  classIds: string[],
  msIndex: Map<string, number>,
): CapacityFields {
  const bg = m.background ?? null;
  return {
    pool: -1,
    member: 0,
    opening: m.untilOpen === true && m.hours !== null ? openSteps(m.hours) : null,
    blocking: m.blocking === true,
    priority: Float64Array.from(spec.classes, (c) => queuePriority(m, c)),
    times: timesByClass(m.time, m.timeByClass, classIds),
    maxWait: m.maxWait?.after ?? Number.POSITIVE_INFINITY,
    renegeGoto: m.maxWait?.goto == null ? -1 : msIndex.get(m.maxWait.goto)!,
    renegeDefect: m.maxWait?.defect ?? true,
    background:
      bg === null
        ? null
        : {
            arrivals: new ArrivalProcess(bg),
            time: sampler(bg.time),
            priority: bg.priority,
            stream: stringKey(`${m.id}#background`),
            siteTime: stringKey(`${m.id}#background#time`),
          },
  };
}

/** Samplers per class index, or null when the element has one time for everyone. */
function timesByClass(
  time: Distribution,
  byClass: Record<string, Distribution> | null | undefined,
  classIds: string[],
): Sampler[] | null {
  if (byClass === null || byClass === undefined) return null;
  const fallback = sampler(time);
  return classIds.map((c) => (Object.hasOwn(byClass, c) ? sampler(byClass[c]!) : fallback));
}

/** One pool per microsystem with its own capacity, then one per declared resource; sets pool/member. */
function compilePools(spec: ModelSpec, microsystems: CompiledMicrosystem[]): CompiledPool[] {
  const pools: CompiledPool[] = [];
  const resources = spec.resources ?? [];
  const resourcePool = new Map<string, number>();
  const places = (capacity: number | null, shifts: ModelSpec["microsystems"][number]["shifts"]) =>
    shifts !== null && shifts !== undefined && shifts.length > 0
      ? shiftSteps(shifts)
      : PeriodicSteps.constant(MINUTES_PER_WEEK, capacity ?? Number.POSITIVE_INFINITY);
  spec.microsystems.forEach((m, i) => {
    if (m.uses !== null && m.uses !== undefined) return;
    const capacity = places(m.capacity, m.shifts);
    microsystems[i]!.pool = pools.length;
    pools.push({ key: m.id, shared: false, capacity, maxCapacity: capacity.max, members: [i] });
  });
  for (const r of resources) {
    const capacity = places(r.capacity, r.shifts);
    resourcePool.set(r.id, pools.length);
    pools.push({ key: r.id, shared: true, capacity, maxCapacity: capacity.max, members: [] });
  }
  spec.microsystems.forEach((m, i) => {
    if (m.uses === null || m.uses === undefined) return;
    const pool = pools[resourcePool.get(m.uses)!]!;
    microsystems[i]!.pool = resourcePool.get(m.uses)!;
    microsystems[i]!.member = pool.members.length;
    pool.members.push(i);
  });
  return pools;
}

function usesCapacityFeatures(spec: ModelSpec): boolean {
  return (
    (spec.resources?.length ?? 0) > 0 ||
    spec.microsystems.some(
      (m) =>
        m.untilOpen === true ||
        (m.shifts?.length ?? 0) > 0 ||
        m.blocking === true ||
        (m.background ?? null) !== null ||
        (m.maxWait ?? null) !== null,
    )
  );
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
    cost: f.cost ?? 0,
    caughtCost: f.caughtCost ?? 0,
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

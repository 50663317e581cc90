// One simulated patient's journey told in plain language: clock times and day names, what went
// wrong and what it cost, and the 30-day risk at the end. "Create a simple, compelling story of a
// memorable patient" — the story is drawn from the same random streams as `run`, so patient K here
// is patient K of the run (and of its `--trace`):
// - without arrivals journeys are independent: patient K is run alone through the same driver;
// - with arrivals patients compete for beds, so replication 0 is run whole and only patient K's
//   events are kept. K counts the patients of replication 0 in arrival order from 0, warm-up
//   included (a warm-up patient is simulated like any other but left out of the statistics).
import { withOverrides } from "../analysis/run.js";
import { seedKey } from "../engine/random.js";
import { clockTime } from "../model/calendar.js";
import { type CompiledModel, compile } from "../model/compiled.js";
import { simulateIndependent } from "../model/independent.js";
import { simulateReplication } from "../model/queued.js";
import { units } from "../model/simulate.js";
import type { FailureMode, Metric, Milestone, ModelSpec } from "../model/spec.js";
import { handoffKey } from "../model/spec.js";
import { Tally } from "../model/tally.js";
import { duration, percent } from "./terminal.js";
import { JourneyCollector, type JourneyRecord, milestones, type TraceEvent } from "./trace.js";

/** What `--find` looks for; `smooth` = no defect and no near miss. */
export const FIND_KINDS = ["defect", "drop", "death", "near-miss", "smooth"] as const;
export type FindKind = (typeof FIND_KINDS)[number];

export interface StoryOptions {
  /** The patient to tell, or where `find` starts searching (default 0). */
  patient?: number;
  find?: FindKind;
  seed?: number;
  patients?: number;
}

export interface Found {
  /** The scenario as run (seed and patients overridden). */
  spec: ModelSpec;
  record: JourneyRecord;
  /** The patient the search started from. */
  from: number;
  find: FindKind | null;
}

/** Thrown when the patient asked for is not in the run (bad input, unlike a search that finds none). */
export class StoryError extends Error {}

/** Whether a journey is the kind `find` looks for. */
export function matches(record: JourneyRecord, kind: FindKind): boolean {
  const has = (event: string): boolean => record.events.some((e) => e.event === event);
  switch (kind) {
    case "defect":
      return has("defect");
    case "drop":
      return record.ending === "dropped";
    case "death":
      return record.died;
    case "near-miss":
      return has("near miss");
    case "smooth":
      return !has("defect") && !has("near miss");
  }
}

/** Simulates patient K (or, with `find`, the first matching patient from K on) exactly as `run` does. */
export function findJourney(scenario: ModelSpec, options: StoryOptions = {}): Found {
  const spec = withOverrides(scenario, options);
  const from = options.patient ?? 0;
  const find = options.find ?? null;
  const test = (r: JourneyRecord): boolean => find === null || matches(r, find);
  const record =
    spec.arrivals === null
      ? searchIndependent(spec, from, test)
      : searchReplication(spec, from, find !== null, test);
  if (record === null && find === null)
    throw new StoryError(`no patient ${from} in this run (${patientRange(spec)})`);
  if (record === null)
    throw new Error(`no patient from ${from} on matches --find ${find} (${patientRange(spec)})`);
  return { spec, record, from, find };
}

function patientRange(spec: ModelSpec): string {
  return spec.arrivals === null
    ? `patients 0 to ${spec.patients - 1}`
    : "replication 0, patients in arrival order from 0, warm-up included";
}

/** Independent journeys: each patient alone, from `from` up to the run's last patient. */
function searchIndependent(
  spec: ModelSpec,
  from: number,
  test: (r: JourneyRecord) => boolean,
): JourneyRecord | null {
  const model = compile(spec);
  const seed = seedKey(spec.seed);
  const last: { record: JourneyRecord | null } = { record: null };
  const collector = new JourneyCollector(model, (r) => {
    last.record = r;
  });
  for (let k = from; k < spec.patients; k++) {
    simulateIndependent(model, seed, k, k + 1, new Tally(model), collector);
    if (last.record !== null && test(last.record)) return last.record;
  }
  return null;
}

/**
 * Queued journeys: replication 0 exactly as the run simulates it (same counted journeys, so the same
 * arrivals while they last); keeps the lowest-numbered matching patient from `from` on (journeys
 * end out of arrival order, so the whole replication runs).
 */
function searchReplication(
  spec: ModelSpec,
  from: number,
  searching: boolean,
  test: (r: JourneyRecord) => boolean,
): JourneyRecord | null {
  const model: CompiledModel = compile(spec);
  const unit = units(spec)[0]!;
  const best: { record: JourneyRecord | null } = { record: null };
  const wanted = (r: number, k: number): boolean => r === 0 && (searching ? k >= from : k === from);
  const collector = new JourneyCollector(
    model,
    (r) => {
      if (test(r) && (best.record === null || r.patient < best.record.patient)) best.record = r;
    },
    wanted,
  );
  simulateReplication(model, seedKey(spec.seed), 0, unit.to - unit.from, new Tally(model), collector);
  return best.record;
}

// ------------------------------------------------------------------------------------------------
// Telling it

const NAMES = [
  "Robin",
  "Sam",
  "Alex",
  "Jordan",
  "Morgan",
  "Casey",
  "Jamie",
  "Dana",
  "Lee",
  "Terry",
  "Pat",
  "Kim",
];

/** How the AMI classes read in a sentence; other scenarios' classes are named by their id. */
const CLASS_PHRASES: Record<string, string> = {
  stemi_ems: "has a heart attack with ST elevation (STEMI) and calls an ambulance",
  stemi_self: "has a heart attack with ST elevation (STEMI) and walks into the emergency department",
  nstemi: "has a heart attack without ST elevation (NSTEMI)",
};

/** A patient's name for the story: made up, but always the same for the same patient. */
export function storyName(record: JourneyRecord): string {
  return NAMES[(record.patient * 7 + record.replication) % NAMES.length]!;
}

/** The whole story: header, timeline, what went wrong, the risk at the end. */
export function tellStory(found: Found): string {
  const { spec, record } = found;
  const names = new Names(spec);
  const name = storyName(record);
  return [
    ...header(spec, found, name),
    "",
    ...timeline(record, names, name),
    "",
    ...whatWentWrong(spec, record, names),
    "",
    ...riskAtTheEnd(spec, record, names, name),
  ].join("\n");
}

function header(spec: ModelSpec, found: Found, name: string): string[] {
  const { record } = found;
  const where = spec.arrivals === null ? "" : `replication ${record.replication}, `;
  const lines = [`${spec.name}: the story of patient ${record.patient} (${where}seed ${spec.seed})`];
  if (found.find !== null) {
    lines.push(
      `(--find ${found.find}: patient ${record.patient} is the first from patient ${found.from} that matches)`,
    );
  }
  const phrase =
    CLASS_PHRASES[record.classId] ??
    (spec.classes.length === 1
      ? "is one of the scenario's patients"
      : `is a patient of class "${record.classId}"`);
  lines.push(
    "",
    `We will call this patient ${name}. ${name} ${phrase}.`,
    inShort(spec, record, new Names(spec)),
  );
  if (!record.counted) lines.push(`(${uncounted(spec, record, name)})`);
  return lines;
}

/** One line with the figures that matter: the first timed metric, defects, how it ended, the risk. */
function inShort(spec: ModelSpec, record: JourneyRecord, names: Names): string {
  const count = (event: string): number => record.events.filter((e) => e.event === event).length;
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const times = milestones(record.events);
  const parts: string[] = [];
  for (const m of spec.metrics) {
    const x = interval(m.from, m.to, times);
    if (x !== null) {
      parts.push(`${m.name.toLowerCase()} ${duration(x)}`);
      break;
    }
  }
  parts.push(
    plural(count("defect"), "defect", "defects"),
    plural(count("near miss"), "near miss", "near misses"),
  );
  parts.push(endingPhrase(record, names));
  if (spec.mortality !== null) {
    parts.push(
      `30-day mortality risk ${percent(record.risk)}${record.died ? " — and in this run, death within 30 days" : ""}`,
    );
  }
  return `In short: ${parts.join("; ")}.`;
}

function endingPhrase(record: JourneyRecord, names: Names): string {
  if (record.ending === "guard") return "stopped by the visit guard";
  if (record.ending === "completed") {
    const last = record.events.findLast((e) => e.event === "arrive");
    return `completes the pathway${last === undefined ? "" : ` at ${names.place(last.where)}`}`;
  }
  const lost = record.events.find((e) => e.event === "defect" && parseDefect(e.detail).lost);
  return `lost to the pathway${lost === undefined ? "" : ` at ${names.place(lost.where)}`}`;
}

/** Why a journey is left out of the run's statistics. */
function uncounted(spec: ModelSpec, record: JourneyRecord, name: string): string {
  const start = record.events[0]?.time ?? 0;
  const why =
    start < (spec.arrivals?.warmup ?? 0)
      ? `${name} arrives during the warm-up (the first ${duration(spec.arrivals!.warmup)}, while the beds fill)`
      : `${name} arrives after the run's last counted patient (arrivals go on so the others meet a busy hospital)`;
  return `${why}: the journey is simulated like every other but left out of the run's statistics.`;
}

/** Microsystem, handoff and failure-mode names from the scenario, by the ids the trace uses. */
class Names {
  private readonly places = new Map<string, string>();
  private readonly modes = new Map<string, FailureMode>();

  constructor(spec: ModelSpec) {
    for (const m of spec.microsystems) {
      this.places.set(m.id, m.name);
      for (const f of m.failures) this.modes.set(`${m.id}/${f.id}`, f);
    }
    for (const h of spec.handoffs) {
      const key = handoffKey(h.from, h.to);
      this.places.set(key, `${this.place(h.from)} → ${this.place(h.to)}`);
      for (const f of h.failures) this.modes.set(`${key}/${f.id}`, f);
    }
  }

  place(key: string): string {
    return this.places.get(key) ?? key;
  }

  mode(where: string, id: string): FailureMode | null {
    return this.modes.get(`${where}/${id}`) ?? null;
  }

  milestone(m: Milestone): string {
    if (m.kind === "journey.start") return "first contact";
    const place = this.place(m.id);
    return m.event === "arrive"
      ? `arrival at ${place}`
      : m.event === "start"
        ? `the start of care at ${place}`
        : `leaving ${place}`;
  }
}

/** One line per step that matters, in the order the model recorded them. */
function timeline(record: JourneyRecord, names: Names, name: string): string[] {
  const lines: string[] = [];
  const ctx: Context = {
    arrivedAt: record.events[0]?.time ?? 0,
    handoffAt: Number.NaN,
    first: true,
    lost: false,
    redirected: false,
  };
  for (const e of record.events) {
    const text = describe(e, names, name, ctx);
    if (e.event === "arrive") {
      ctx.arrivedAt = e.time;
      ctx.redirected = false;
    }
    if (e.event === "handoff") ctx.handoffAt = e.time;
    if (e.event === "defect") {
      const d = parseDefect(e.detail);
      ctx.lost ||= d.lost;
      ctx.redirected ||= d.sentTo !== null;
    }
    if (text !== null) lines.push(`${clockTime(e.time).padEnd(24)} ${text}`);
    if (text !== null) ctx.first = false;
  }
  return lines;
}

interface Context {
  arrivedAt: number;
  handoffAt: number;
  first: boolean;
  /** A defect already ended the journey at this step (failure modes are drawn independently). */
  lost: boolean;
  /** A defect already redirected the journey at this step (the first goto wins). */
  redirected: boolean;
}

/** The sentence for one event, or null for events the neighbouring lines already tell. */
function describe(e: TraceEvent, names: Names, name: string, ctx: Context): string | null {
  // The journey's own start is told by the first arrival, on the same minute.
  if (e.where === "journey" && e.event === "start") return null;
  const place = names.place(e.where);
  switch (e.event) {
    case "arrive":
      return ctx.first
        ? `${place}: first contact — ${name}'s journey begins.`
        : `${place}: ${name} arrives${Number.isNaN(ctx.handoffAt) ? "" : `, ${duration(e.time - ctx.handoffAt)} after the handoff`}.`;
    case "off-hours delay":
      return `${place}: outside staffed hours — the on-call team is called in (${e.detail}).`;
    case "start":
      return e.detail === ""
        ? null
        : `${place}: care starts after a wait for a free place (${e.detail.replace("waited ", "")}).`;
    case "handoff":
      return `${place}: handoff, after ${duration(e.time - ctx.arrivedAt)} in ${names.place(e.where.split("->")[0]!)}.`;
    case "defect":
      return `${place}: ✗ ${defectSentence(e, names, ctx.lost, ctx.redirected)}`;
    case "near miss":
      return `${place}: ⚠ ${nearMissSentence(e, names)}`;
    case "completed":
      return `The journey is complete. ${ending(e)}`;
    case "dropped":
      return `The journey ends here: ${name} is lost to the rest of the pathway. ${ending(e)}`;
    case "guard":
      return `The journey is stopped by the visit guard (too many visits). ${ending(e)}`;
    default:
      return null;
  }
}

/** "defects 2, risk 0.0612" → "2 defects along the way." */
function ending(e: TraceEvent): string {
  const defects = Number(/defects (\d+)/.exec(e.detail)?.[1] ?? 0);
  return defects === 0
    ? "No defect along the way."
    : `${defects} defect${defects === 1 ? "" : "s"} along the way.`;
}

/** The parts of a defect's detail ("late_activation, +22 min, risk ×1.5, lost to follow-up"). */
interface DefectDetail {
  id: string;
  delay: string | null;
  harm: number | null;
  lost: boolean;
  sentTo: string | null;
}

export function parseDefect(detail: string): DefectDetail {
  const [id = "", ...parts] = detail.split(", ");
  const out: DefectDetail = { id, delay: null, harm: null, lost: false, sentTo: null };
  for (const part of parts) {
    if (part.startsWith("+")) out.delay = part.slice(1);
    else if (part.startsWith("risk ×")) out.harm = Number(part.slice("risk ×".length));
    else if (part === "lost to follow-up") out.lost = true;
    else if (part.startsWith("sent to ")) out.sentTo = part.slice("sent to ".length);
  }
  return out;
}

function defectSentence(e: TraceEvent, names: Names, alreadyLost = false, alreadySent = false): string {
  const d = parseDefect(e.detail);
  const costs: string[] = [];
  if (d.delay !== null) costs.push(`it costs ${d.delay}`);
  if (d.harm !== null) costs.push(`the risk of dying within 30 days is multiplied by ${d.harm}`);
  if (d.lost)
    costs.push(
      alreadyLost ? "this too would have ended the journey here" : "the rest of the pathway is lost",
    );
  if (d.sentTo !== null && !alreadyLost) {
    const where = names.place(d.sentTo);
    costs.push(
      alreadySent
        ? `this too would have sent the patient to ${where}`
        : `the patient is sent to ${where} instead`,
    );
  }
  const what = names.mode(e.where, d.id)?.name ?? d.id;
  return `${what} — ${costs.length === 0 ? "a defect, though it costs nothing measurable here" : costs.join("; ")}.`;
}

function nearMissSentence(e: TraceEvent, names: Names): string {
  const [id = "", cost] = e.detail.replace(" caught", "").split(", ");
  const what = names.mode(e.where, id)?.name ?? id;
  return `${what} — caught in time, a near miss${cost === undefined ? "" : ` (${cost.slice(1)} to put right)`}.`;
}

/** Defects and near misses in a list, then the timed metrics against their targets. */
function whatWentWrong(spec: ModelSpec, record: JourneyRecord, names: Names): string[] {
  const defects = record.events.filter((e) => e.event === "defect");
  const nearMisses = record.events.filter((e) => e.event === "near miss");
  const lines = ["What went wrong"];
  if (defects.length === 0) lines.push("  Nothing: every step and every handoff was done right.");
  defects.forEach((e, i) => {
    const earlier = defects.slice(0, i).map((x) => parseDefect(x.detail));
    const alreadyLost = earlier.some((d) => d.lost);
    // Only an earlier defect at the same step and moment can have redirected this one.
    const alreadySent = defects
      .slice(0, i)
      .some((x) => x.where === e.where && x.time === e.time && parseDefect(x.detail).sentTo !== null);
    lines.push(`  ✗ ${names.place(e.where)}: ${defectSentence(e, names, alreadyLost, alreadySent)}`);
  });
  for (const e of nearMisses) lines.push(`  ⚠ ${names.place(e.where)}: ${nearMissSentence(e, names)}`);
  const times = milestones(record.events);
  for (const m of spec.metrics) {
    const line = metricLine(m, times);
    if (line !== null) lines.push(`  ${line}`);
  }
  return lines;
}

function metricLine(m: Metric, times: Map<string, number>): string | null {
  const x = interval(m.from, m.to, times);
  if (x === null) return null;
  const verdict =
    m.target === null ? "" : ` — target ${duration(m.target)}: ${x <= m.target ? "met" : "missed"}`;
  return `${m.name}: ${duration(x)}${verdict}.`;
}

function interval(from: Milestone, to: Milestone, times: Map<string, number>): number | null {
  const key = (m: Milestone): string => (m.kind === "journey.start" ? "journey.start" : `${m.id}.${m.event}`);
  const a = times.get(key(from));
  const b = times.get(key(to));
  return a === undefined || b === undefined || b < a ? null : b - a;
}

/** The risk as a product the reader can check: base × each harm × the time-to-treatment factor. */
function riskAtTheEnd(spec: ModelSpec, record: JourneyRecord, names: Names, name: string): string[] {
  const mortality = spec.mortality;
  if (mortality === null) return ["Risk at the end", "  This scenario has no mortality model."];
  const factors = [`${percent(mortality.base[record.classId] ?? 0)} for a patient like ${name}`];
  for (const e of record.events.filter((x) => x.event === "defect")) {
    const d = parseDefect(e.detail);
    if (d.harm !== null) factors.push(`×${d.harm} for ${names.mode(e.where, d.id)?.name ?? d.id}`);
  }
  const delay = mortality.delay;
  const x = delay === null ? null : interval(delay.from, delay.to, milestones(record.events));
  if (delay !== null && x !== null) {
    const factor = delay.rrPer30Min ** ((x - delay.reference) / 30);
    factors.push(
      `×${factor.toFixed(3)} for ${duration(x)} from ${names.milestone(delay.from)} to ${names.milestone(delay.to)}` +
        ` (×${delay.rrPer30Min} per 30 min beyond ${duration(delay.reference)})`,
    );
  }
  const fate = record.died
    ? `In this run ${name} dies within 30 days (the run draws one outcome per patient from this risk). ` +
      "The simulation follows every journey to its end: what it tells after the death is the care the pathway would have given."
    : `In this run ${name} is alive at 30 days (the run draws one outcome per patient from this risk).`;
  return [
    "Risk at the end",
    `  30-day mortality risk ${percent(record.risk)}: ${factors.join(", ")}${record.risk >= 1 ? " (capped at 100%)" : ""}.`,
    `  ${fate}`,
  ];
}

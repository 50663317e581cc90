// One simulated patient's journey told in plain language: clock times and day names, what went
// wrong and what it cost, and the 30-day risk at the end. "Create a simple, compelling story of a
// memorable patient." The patient is replayed by the model (model/story.ts); this only phrases the
// typed events and figures it returns.
import type { DefectEvent, JourneyEvent, NearMissEvent } from "../model/events.js";
import type { Milestone, Severity, Story, StoryMetric, StoryMode } from "../model/story.js";
import { formatClock, formatDuration, formatMultiplier, formatPercent } from "./format.js";

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
export function storyName(s: Pick<Story, "patient" | "replication">): string {
  return NAMES[(s.patient * 7 + s.replication) % NAMES.length]!;
}

/** The whole story: header, timeline, what went wrong, the risk at the end. */
export function tellStory(story: Story): string {
  const names = new Names(story);
  const name = storyName(story);
  return [
    ...header(story, names, name),
    "",
    ...timeline(story, names, name),
    "",
    ...whatWentWrong(story, names),
    "",
    ...riskAtTheEnd(story, names, name),
  ].join("\n");
}

function header(s: Story, names: Names, name: string): string[] {
  const where = s.arrivals ? `replication ${s.replication}, ` : "";
  const lines = [`${s.scenario}: the story of patient ${s.patient} (${where}seed ${s.seed})`];
  if (s.first_counted) lines.push(firstCounted(s));
  else if (s.find !== null) {
    lines.push(`(--find ${s.find}: patient ${s.patient} is the first from patient ${s.from} that matches)`);
  }
  const phrase =
    Object.hasOwn(CLASS_PHRASES, s.class) && CLASS_PHRASES[s.class] !== undefined
      ? CLASS_PHRASES[s.class]!
      : s.classes === 1
        ? "is one of the scenario's patients"
        : `is a patient of class "${s.class}"`;
  lines.push("", `We will call this patient ${name}. ${name} ${phrase}.`, inShort(s, names));
  if (!s.counted) lines.push(`(${uncounted(s, name)})`);
  return lines;
}

/** One line with the figures that matter: the first timed metric, defects, how it ended, the risk. */
function inShort(s: Story, names: Names): string {
  const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;
  const parts: string[] = [];
  const first = s.metrics.find((m) => m.minutes !== null);
  if (first !== undefined) parts.push(`${first.name.toLowerCase()} ${formatDuration(first.minutes!)}`);
  parts.push(plural(s.defects, "defect", "defects"), plural(s.near_misses, "near miss", "near misses"));
  parts.push(endingPhrase(s, names));
  if (s.mortality !== null) {
    parts.push(
      `30-day mortality risk ${formatPercent(s.risk)}${s.died ? " — and in this run, death within 30 days" : ""}`,
    );
  }
  return `In short: ${parts.join("; ")}.`;
}

function endingPhrase(s: Story, names: Names): string {
  if (s.ending === "guard") return "stopped by the visit guard";
  if (s.ending === "died") {
    const death = s.events.findLast((e) => e.kind === "death");
    return `dies at ${names.place(death?.element ?? "")}, where the journey ends`;
  }
  if (s.ending === "completed") {
    const last = s.events.findLast((e) => e.kind === "arrive");
    return `completes the pathway${last === undefined ? "" : ` at ${names.place(last.element)}`}`;
  }
  const lost = s.events.find((e) => e.kind === "defect" && e.drop);
  return `lost to the pathway${lost === undefined ? "" : ` at ${names.place(lost.element)}`}`;
}

/** Which patient this is when none was asked for, and how to ask for another. */
function firstCounted(s: Story): string {
  const which =
    s.find === null
      ? `Patient ${s.patient} is the first patient the run's figures count`
      : `--find ${s.find}: patient ${s.patient} is the first patient the run's figures count that matches`;
  const before =
    s.arrivals && s.patient > 0 && s.find === null
      ? `: patients 0 to ${s.patient - 1} arrive during the ${formatDuration(s.warmup_minutes)} warm-up and are left out of them`
      : "";
  return `${which}${before} (--patient K tells another).`;
}

/** Why a journey is left out of the run's statistics. */
function uncounted(s: Story, name: string): string {
  const start = s.events[0]?.time ?? 0;
  const why =
    start < s.warmup_minutes
      ? `${name} arrives during the warm-up (the first ${formatDuration(s.warmup_minutes)}, while the beds fill)`
      : `${name} arrives after the run's last counted patient (arrivals go on so the others meet a busy hospital)`;
  return `${why}: the journey is simulated like every other but left out of the run's statistics.`;
}

/** Microsystem, handoff and failure-mode names, by the ids the events use. */
class Names {
  private readonly places = new Map<string, string>();
  private readonly modes = new Map<string, StoryMode>();

  constructor(s: Story) {
    for (const p of s.places) {
      this.places.set(p.id, p.name);
      for (const m of p.modes) this.modes.set(`${p.id}/${m.id}`, m);
    }
  }

  place(key: string): string {
    return this.places.get(key) ?? key;
  }

  mode(where: string, id: string): string {
    return this.modes.get(`${where}/${id}`)?.name ?? id;
  }

  /** The severity the scenario gives a mode; null when it gives none. */
  severity(where: string, id: string): Severity | null {
    return this.modes.get(`${where}/${id}`)?.severity ?? null;
  }

  /** " (outside staffed hours: 44% instead of 24%)" for the `when` condition that set p; "" for none. */
  condition(where: string, id: string, condition: number | null): string {
    const mode = this.modes.get(`${where}/${id}`);
    const c = condition === null ? undefined : mode?.when[condition];
    if (mode === undefined || c === undefined) return "";
    const parts: string[] = [];
    if (c.offHours !== null) parts.push(c.offHours ? "outside staffed hours" : "within staffed hours");
    if (c.loadAtLeast !== null) parts.push(`load at least ${c.loadAtLeast} per place on arrival`);
    if (c.waitedAtLeast !== null) parts.push(`after a wait of at least ${formatDuration(c.waitedAtLeast)}`);
    if (c.classes !== null) parts.push(`a patient of ${c.classes.join(", ")}`);
    return ` (${parts.join(", ")}: ${formatPercent(c.p)} instead of ${formatPercent(mode.p)})`;
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

interface Context {
  arrivedAt: number;
  handoffAt: number;
  first: boolean;
  /** A defect already ended the journey at this step (failure modes are drawn independently). */
  lost: boolean;
  /** A defect already redirected the journey at this step (the first goto wins). */
  redirected: boolean;
}

/** One line per step that matters, in the order the model emitted them. */
function timeline(s: Story, names: Names, name: string): string[] {
  const lines: string[] = [];
  const ctx: Context = {
    arrivedAt: s.events[0]?.time ?? 0,
    handoffAt: Number.NaN,
    first: true,
    lost: false,
    redirected: false,
  };
  for (const e of s.events) {
    const text = describe(e, names, name, ctx);
    if (e.kind === "arrive") {
      ctx.arrivedAt = e.time;
      ctx.redirected = false;
    }
    if (e.kind === "handoff") ctx.handoffAt = e.time;
    if (e.kind === "defect") {
      ctx.lost ||= e.drop;
      ctx.redirected ||= sentTo(e) !== null;
    }
    if (text !== null) {
      lines.push(`${formatClock(e.time).padEnd(24)} ${text}`);
      ctx.first = false;
    }
  }
  return lines;
}

/** Where a defect redirects the journey: its goto, unless it drops the journey (a drop wins). */
function sentTo(e: DefectEvent): string | null {
  return e.drop ? null : e.goto;
}

/** The sentence for one event, or null for events the neighbouring lines already tell. */
function describe(e: JourneyEvent, names: Names, name: string, ctx: Context): string | null {
  const place = names.place(e.element);
  switch (e.kind) {
    // The journey's own start is told by the first arrival, on the same minute; a death is told
    // at the end, with the risk it was drawn from.
    case "start":
    case "death":
    case "end":
      return null;
    case "arrive":
      return ctx.first
        ? `${place}: first contact — ${name}'s journey begins.`
        : `${place}: ${name} arrives${Number.isNaN(ctx.handoffAt) ? "" : `, ${formatDuration(e.time - ctx.handoffAt)} after the handoff`}.`;
    case "off_hours_delay":
      return `${place}: outside staffed hours — the on-call team is called in (${formatDuration(e.delay)}).`;
    case "service_start":
      return e.wait > 0
        ? `${place}: care starts after a wait for a free place (${formatDuration(e.wait)}).`
        : null;
    case "handoff":
      return `${place}: handoff, after ${formatDuration(e.time - ctx.arrivedAt)} in ${names.place(e.from)}.`;
    case "defect":
      return `${place}: ✗ ${defectSentence(e, names, ctx.lost, ctx.redirected)}`;
    case "near_miss":
      return `${place}: ⚠ ${nearMissSentence(e, names)}`;
    case "finish": {
      const along =
        e.defects === 0
          ? "No defect along the way."
          : `${e.defects} defect${e.defects === 1 ? "" : "s"} along the way.`;
      if (e.ending === "completed") return `The journey is complete. ${along}`;
      if (e.ending === "died")
        return `${name} dies here: the 30-day outcome, drawn on reaching this point, ends the journey. Nothing after it happens. ${along}`;
      if (e.ending === "dropped")
        return `The journey ends here: ${name} is lost to the rest of the pathway. ${along}`;
      if (e.ending === "reneged")
        return `The journey ends here: ${name} waited too long and left without care. ${along}`;
      return `The journey is stopped by the visit guard (too many visits). ${along}`;
    }
    case "blocked":
      return `${place}: care is over, but there is no place yet in ${names.place(e.to)} — ${name} stays here, blocking the place.`;
    case "reneged":
      return e.goto === null
        ? `${place}: ✗ waited ${formatDuration(e.wait)} without a place, and leaves.`
        : `${place}: ✗ waited ${formatDuration(e.wait)} without a place, and is sent to ${names.place(e.goto)} instead.`;
  }
}

function defectSentence(e: DefectEvent, names: Names, alreadyLost = false, alreadySent = false): string {
  const costs: string[] = [];
  if (e.delay > 0) costs.push(`it costs ${formatDuration(e.delay)}`);
  if (e.harm !== 1) costs.push(`the risk of dying within 30 days is multiplied by ${e.harm}`);
  if (e.drop)
    costs.push(
      alreadyLost ? "this too would have ended the journey here" : "the rest of the pathway is lost",
    );
  const to = sentTo(e);
  if (to !== null && !alreadyLost) {
    const where = names.place(to);
    costs.push(
      alreadySent
        ? `this too would have sent the patient to ${where}`
        : `the patient is sent to ${where} instead`,
    );
  }
  const what = names.mode(e.element, e.mode);
  const graded = names.severity(e.element, e.mode);
  const harm = graded === null ? "" : ` [${graded === "none" ? "no" : graded} harm]`;
  const why = names.condition(e.element, e.mode, e.condition);
  return `${what}${harm}${why} — ${costs.length === 0 ? "a defect, though it costs nothing measurable here" : costs.join("; ")}.`;
}

function nearMissSentence(e: NearMissEvent, names: Names): string {
  const what = names.mode(e.element, e.mode);
  const cost = e.recover > 0 ? ` (${formatDuration(e.recover)} to put right)` : "";
  return `${what} — caught in time, a near miss${cost}.`;
}

/** Defects and near misses in a list, then the timed metrics against their targets. */
function whatWentWrong(s: Story, names: Names): string[] {
  const defects = s.events.filter((e): e is DefectEvent => e.kind === "defect");
  const nearMisses = s.events.filter((e): e is NearMissEvent => e.kind === "near_miss");
  const lines = ["What went wrong"];
  if (defects.length === 0) lines.push("  Nothing: every step and every handoff was done right.");
  defects.forEach((e, i) => {
    const earlier = defects.slice(0, i);
    const alreadyLost = earlier.some((d) => d.drop);
    // Only an earlier defect at the same step and moment can have redirected this one.
    const alreadySent = earlier.some(
      (x) => x.element === e.element && x.time === e.time && sentTo(x) !== null,
    );
    lines.push(`  ✗ ${names.place(e.element)}: ${defectSentence(e, names, alreadyLost, alreadySent)}`);
  });
  for (const e of nearMisses) lines.push(`  ⚠ ${names.place(e.element)}: ${nearMissSentence(e, names)}`);
  for (const m of s.metrics) {
    const line = metricLine(m);
    if (line !== null) lines.push(`  ${line}`);
  }
  return lines;
}

function metricLine(m: StoryMetric): string | null {
  if (m.minutes === null) return null;
  const verdict =
    m.target === null
      ? ""
      : ` — target ${formatDuration(m.target)}: ${m.minutes <= m.target ? "met" : "missed"}`;
  return `${m.name}: ${formatDuration(m.minutes)}${verdict}.`;
}

/** The risk as a product the reader can check: base × each harm × each time-to-treatment factor. */
function riskAtTheEnd(s: Story, names: Names, name: string): string[] {
  const risk = s.mortality;
  if (risk === null) return ["Risk at the end", "  This scenario has no mortality model."];
  const factors = [`${formatPercent(risk.base)} for a patient like ${name}`];
  for (const h of risk.harms)
    factors.push(`×${formatMultiplier(h.harm)} for ${names.mode(h.element, h.mode)}`);
  for (const d of risk.delays) {
    // Not reached (no factor), or an interval of nothing at a reference of nothing (a walk-in's
    // first contact is the door): nothing to tell.
    if (d.minutes === null || d.factor === null || (d.minutes === 0 && d.reference === 0)) continue;
    factors.push(
      `×${d.factor.toFixed(3)} for ${formatDuration(d.minutes)} from ${names.milestone(d.from)} to ${names.milestone(d.to)}` +
        ` (×${formatMultiplier(d.rr_per_30min)} per 30 min beyond ${formatDuration(d.reference)})`,
    );
  }
  const product = `${factors.join(", ")}${s.risk >= 1 ? " (capped at 100%)" : ""}`;
  if (risk.decided_at !== null && risk.decided_at_reached) {
    const where = names.milestone(risk.decided_at);
    const fate = s.died
      ? `In this run ${name} dies within 30 days (the run draws one outcome per patient from this risk, on ${where}). ` +
        "The journey ends there: no later visit, handoff, defect or metric happens."
      : `In this run ${name} is alive at 30 days (the run draws one outcome per patient from this risk, on ${where}); ` +
        "what follows does not change it.";
    return [
      `Risk when the 30-day outcome is drawn (${formatClock(risk.decided_time)}, on ${where})`,
      `  30-day mortality risk ${formatPercent(s.risk)}: ${product}.`,
      `  ${fate}`,
    ];
  }
  const fate = s.died
    ? `In this run ${name} dies within 30 days (the run draws one outcome per patient from this risk). ` +
      "The simulation follows every journey to its end: what it tells after the death is the care the pathway would have given."
    : `In this run ${name} is alive at 30 days (the run draws one outcome per patient from this risk).`;
  const early =
    risk.decided_at === null
      ? []
      : [
          `  (The outcome is drawn on ${names.milestone(risk.decided_at)}; this journey ended before reaching it, so it is drawn at the end.)`,
        ];
  return [
    "Risk at the end",
    `  30-day mortality risk ${formatPercent(s.risk)}: ${product}.`,
    `  ${fate}`,
    ...early,
  ];
}

// The validated model the simulator runs: plain data, every time in minutes, every default filled
// in, every id checked. `src/scenario/` builds it from a file; nothing here knows about files.
import type { Distribution } from "../engine/distributions.js";

export type { Distribution };

export interface FailureMode {
  id: string;
  name: string;
  /** Probability per visit (microsystem) or per transfer (handoff). */
  p: number;
  /** Patient classes it applies to; null = all. */
  classes: string[] | null;
  /** Probability that an occurrence is caught (a near miss). */
  detect: number;
  /** Time a caught failure costs; null = none. */
  recoverTime: Distribution | null;
  /** Time an uncaught failure (a defect) costs; null = none. */
  delay: Distribution | null;
  /** Multiplier on the patient's outcome risk for a defect. */
  harm: number;
  /** A defect ends the journey (lost to follow-up). */
  drop: boolean;
  /** A defect sends the patient to this microsystem instead of the normal route. */
  goto: string | null;
  /**
   * Ids of earlier modes of the same element: this mode is drawn only when none of them produced a
   * defect on this visit (docs/semantics.md §3). Absent or empty = always drawn.
   */
  unless?: string[];
  /** Conditions that set `p` for a visit: the first that holds wins; none = `p`. Absent = none. */
  when?: ModeCondition[];
  /** How badly a defect harms the patient (AHRQ Common Formats harm scale); absent = `DEFAULT_SEVERITY`. */
  severity?: Severity;
  /**
   * `relative_risk` of the scenario (a variant's effect on `p`): `p` above is already
   * `baseP × relativeRisk`; both factors are kept so that a parameter set can redraw either.
   * Absent = no relative risk (1).
   */
  relativeRisk?: number;
  /** `p` as written, before `relativeRisk` (present with `relativeRisk`). */
  baseP?: number;
  /** Cost of one defect (model/costs.ts); absent = 0. */
  cost?: number;
  /** Cost of one caught occurrence (a near miss); absent = 0. */
  caughtCost?: number;
}

/**
 * One condition of a failure mode's `when` list. Every key given must hold (null = not asked);
 * then `p` is the mode's probability for this visit.
 */
export interface ModeCondition {
  /** true: the visit starts outside the element's staffed hours; false: inside them. */
  offHours: boolean | null;
  /** (patients in service + waiting) / capacity found on arrival, at least this. */
  loadAtLeast: number | null;
  /** Minutes waited for capacity before this visit's service, at least this. */
  waitedAtLeast: number | null;
  /** The patient is of one of these classes. */
  classes: string[] | null;
  /** The mode's probability when the condition holds (× the mode's `relativeRisk`, if any). */
  p: number;
  /** `p` as written, before the mode's `relativeRisk` (present with it). */
  baseP?: number;
}

/**
 * The harm scale of the AHRQ Common Formats (Harm Scale v1.2), mildest first: an uncaught failure
 * reached the patient and did no harm, mild, moderate or severe harm, or contributed to death.
 */
export const SEVERITIES = ["none", "mild", "moderate", "severe", "death"] as const;
export type Severity = (typeof SEVERITIES)[number];
/** A mode that says nothing about its severity is taken as moderate harm: the middle of the scale. */
export const DEFAULT_SEVERITY: Severity = "moderate";

export interface Route {
  to: string;
  /** Share of eligible patients taking this route; null only for a single eligible route (= 1). */
  p: number | null;
  /** Classes this route is reserved for; null = classes without a reserved route. */
  classes: string[] | null;
}

/** Staffed hours on the weekly calendar. Day 0 is Monday; minutes from midnight. */
export interface StaffedHours {
  open: number;
  /** close <= open means the shift runs past midnight into the next day; 1440 (24:00) is the end of the day. */
  close: number;
  /** Days (0 = Monday … 6 = Sunday) on which a shift opens. */
  days: number[];
}

export interface Microsystem {
  id: string;
  name: string;
  time: Distribution;
  /** Patients served at once; null = unlimited. Applies only when arrivals are simulated. */
  capacity: number | null;
  hours: StaffedHours | null;
  /** Extra delay before service when a visit starts outside staffed hours. */
  offHoursDelay: Distribution | null;
  failures: FailureMode[];
  /** Empty = the journey ends here. */
  next: Route[];
  /** What a visit costs (model/costs.ts); absent or null = nothing. */
  cost?: MicrosystemCost | null;
  // --- Capacity (issue 12). Absent = off, so models written before these keys stay valid. ---
  /** `off_hours_delay: until_open`: outside `hours` no service starts; patients wait for the opening. */
  untilOpen?: boolean;
  /** Places by shift instead of a constant `capacity` (which is then null); they cover the week. */
  shifts?: CapacityShift[] | null;
  /** The shared resource (`resources[].id`) whose places it uses instead of its own capacity. */
  uses?: string | null;
  /** Blocking after service: a patient keeps its place until the next microsystem has one. */
  blocking?: boolean;
  /** Priority of each listed class here, overriding the class's own (`classes[].priority`). */
  priority?: Record<string, number> | null;
  /** Service time per class (`time` is the default, or the first class's when every class is listed). */
  timeByClass?: Record<string, Distribution> | null;
  /** Other patients who use its places and are never counted in the pathway's figures. */
  background?: Background | null;
  /** Reneging: a patient who has waited this long for a place leaves the queue. */
  maxWait?: MaxWait | null;
}

/** Unit costs of a microsystem, in the scenario's currency. */
export interface MicrosystemCost {
  perVisit: number;
  /** Per hour of stay: from gaining a place to leaving (off-hours delay, service, failure time). */
  perHour: number;
  /** Per hour waiting for a place (only with `arrivals` and a capacity). */
  perHourWaiting: number;
}

/** A staffing shift: `n` places from `from` to `to` (minutes from midnight; `to` <= `from` runs past midnight). */
export interface CapacityShift {
  from: number;
  to: number;
  n: number;
  /** Days (0 = Monday … 6 = Sunday) on which the shift starts. */
  days: number[];
}

/** Poisson arrivals of other patients who occupy places for `time` and are never counted. */
export interface Background {
  perDay: number;
  time: Distribution;
  byHour: number[] | null;
  byDay: number[] | null;
  /** Their priority in the queue (default 0). */
  priority: number;
}

/** Reneging: after `after` minutes waiting for a place (opening included), the patient leaves the queue. */
export interface MaxWait {
  after: number;
  /** null = the journey ends (`reneged`); else the microsystem the patient goes to instead. */
  goto: string | null;
  /** Counted as a defect of the microsystem. */
  defect: boolean;
}

/** A pool of places shared by the microsystems that `use` it (`resources` in the file). */
export interface SharedResource {
  id: string;
  name: string;
  /** Constant places, or null when `shifts` give them. */
  capacity: number | null;
  shifts: CapacityShift[] | null;
}

/** The transfer between two microsystems; one exists for every route edge and every `goto` target. */
export interface Handoff {
  from: string;
  to: string;
  time: Distribution;
  failures: FailureMode[];
  /** Whether the scenario listed it (false = taken whole from handoff_defaults). */
  declared: boolean;
  /** Staffed hours that `off_hours` conditions of its modes judge by; absent or null = the sending microsystem's. */
  hours?: StaffedHours | null;
  /** What a transfer costs; absent or null = nothing. */
  cost?: { perTransfer: number } | null;
  /** Transfer time per class (`time` is the default); absent = `time` for every class. */
  timeByClass?: Record<string, Distribution> | null;
}

export interface PatientClass {
  id: string;
  share: number;
  /** Microsystem where journeys of this class start. */
  start: string;
  /** Queue priority: higher is served first (default 0). */
  priority?: number;
}

export interface Arrivals {
  perDay: number;
  /** 24 relative weights for the hours of the day; null = flat. */
  byHour: number[] | null;
  /** Journeys starting before this time are simulated but left out of every statistic. */
  warmup: number;
  /** 7 relative weights, Monday first, multiplied with `byHour`; absent or null = flat. */
  byDay?: number[] | null;
  /**
   * true when the scenario sets no warm-up: the run chooses one from its own output (MSER-5,
   * model/warmup.ts) and `warmup` is ignored. Absent or false: `warmup` as it is (0 included).
   */
  warmupAuto?: boolean;
}

export type MilestoneEvent = "arrive" | "start" | "end";
/** `journey.start`, or the first arrive/start/end of a microsystem. */
export type Milestone =
  | { kind: "journey.start" }
  | { kind: "microsystem"; id: string; event: MilestoneEvent };

export interface Metric {
  id: string;
  name: string;
  from: Milestone;
  to: Milestone;
  /** Minutes; null = no target. */
  target: number | null;
  /** Only journeys of these classes; absent or null = every class. */
  classes?: string[] | null;
}

export interface TimeToTreatment {
  from: Milestone;
  to: Milestone;
  reference: number;
  rrPer30Min: number;
}

export interface Mortality {
  /** Base 30-day risk per class id. */
  base: Record<string, number>;
  /** Time-to-treatment terms; their factors multiply. A term whose milestones are not both reached is 1. */
  delays: TimeToTreatment[];
  /**
   * Where the 30-day death is drawn: when the journey first reaches this microsystem milestone (a
   * death there ends the journey). Absent or null = at the end of the journey.
   */
  decidedAt?: Milestone | null;
}

export interface ModelSpec {
  name: string;
  description: string;
  seed: number;
  /** Journeys counted in the statistics (shared between replications). */
  patients: number;
  classes: PatientClass[];
  arrivals: Arrivals | null;
  replications: number;
  microsystems: Microsystem[];
  /** Every route and goto edge, declared or defaulted. */
  handoffs: Handoff[];
  mortality: Mortality | null;
  metrics: Metric[];
  /** Visit guard: a journey stops after this many microsystem visits (reported). */
  maxVisits: number;
  /** Shared pools of places (`resources`); absent = none. */
  resources?: SharedResource[];
  /** Currency, volume and programme cost (model/costs.ts); absent = none. */
  economics?: Economics;
  /**
   * The uncertain inputs (docs/semantics.md §9): each with its distribution and where its value
   * goes. The numbers above are the plain run's values; a parameter set (analysis/parameters.ts)
   * is a copy of this model with drawn numbers. Absent or empty = nothing uncertain.
   */
  parameters?: UncertainParameter[];
}

export interface Economics {
  /** As the scenario names it ("USD 2013"); null = not named. */
  currency: string | null;
  /** Patients a year, to turn per-patient figures into per-year ones; null = not given. */
  volumePerYear: number | null;
  /** A variant's programme cost; null = none. */
  programme: { perYear: number; perPatient: number } | null;
}

/**
 * The distribution of an uncertain input. `beta`: a probability, Beta(a, b) (mean a/(a+b)).
 * `lognormal`: a multiplier, ln X ~ Normal(ln median, sigma²).
 */
export type ParameterDistribution =
  | { kind: "beta"; a: number; b: number }
  | { kind: "lognormal"; median: number; sigma: number };

/** Where an uncertain input's value goes in the model. */
export type ParameterTarget =
  | {
      kind: "mode";
      /** Microsystem id, or handoff key "from->to". */
      element: string;
      mode: string;
      field: "p" | "detect" | "harm" | "relative_risk";
    }
  | { kind: "base"; classId: string }
  /** `term`: which time-to-treatment term of `mortality.delays` (absent = the first). */
  | { kind: "rr_per_30min"; term?: number };

export interface UncertainParameter {
  /**
   * The parameter's identity: its `id` in the file if it has one (every field written with that
   * id is this one parameter), otherwise `<element>#<mode>#<field>`, `handoff_defaults#<mode>#<field>`,
   * `mortality#base` (one for every class), `mortality#base#<class>` or `mortality#rr_per_30min`.
   */
  id: string;
  /** As people read it: "Cardiac care unit → Telemetry unit · med_list_lost · p". */
  label: string;
  distribution: ParameterDistribution;
  /** The plain run's value: the mean of a Beta, the median of a lognormal. */
  value: number;
  /** Every field that takes this parameter's value. */
  targets: ParameterTarget[];
}

/** The key of a handoff, as shown to users and used for random streams: "from->to". */
export function handoffKey(from: string, to: string): string {
  return `${from}->${to}`;
}

/** A parameter distribution as text: its stream's key, and what parameters sharing an id must agree on. */
export function distributionKey(d: ParameterDistribution): string {
  return d.kind === "beta" ? `beta(${d.a},${d.b})` : `lognormal(${d.median},${d.sigma})`;
}

// The shape of a run's results: what `run --json` prints and every report reads. Times in minutes.
// Keys are snake_case because they are a public file format (JSON, CSV), not TypeScript internals.
import type { HistogramBin } from "../engine/sketch.js";
import type { Severity } from "../model/spec.js";
import type { WarmupChoice } from "../model/warmup.js";
import type { CostSummary } from "./costs.js";
import type { LoadCheck } from "./load.js";
import type { UncertaintySummary } from "./uncertainty.js";

export type { Severity } from "../model/spec.js";
export type { WarmupChoice } from "../model/warmup.js";
export type { CostFigure, CostItem, CostSummary } from "./costs.js";
export type { NetBenefit, Ratio, VariantEconomics } from "./economics.js";
export type { LoadCheck } from "./load.js";
export type {
  AcceptabilityPoint,
  DrawDifference,
  DrawFigures,
  Driver,
  ParameterSummary,
  PilotInfo,
  Spread,
  UncertaintySummary,
  VarianceShare,
  VariantUncertainty,
} from "./uncertainty.js";

export type Interval = [number, number];

export interface Estimate {
  estimate: number;
  ci95: Interval;
}

export interface ClassReliability extends Estimate {
  patients: number;
  analytic: number | null;
}

export interface WaitSummary {
  mean: number;
  p90: number;
  /**
   * 95% intervals of the mean and the p90 (docs/design.md, "Output analysis": over replications, or
   * by batch means within one); null when the run cannot estimate one. [0, 0] where nobody waits
   * (unlimited capacity, or no arrivals).
   */
  ci95?: Interval | null;
  p90_ci95?: Interval | null;
}

/** A share of journeys with its 95% interval (null when the run cannot estimate one). */
export interface ShareEstimate {
  estimate: number;
  ci95: Interval | null;
}

/** Something the reader of a run must know: its figures may not mean what they seem. */
export interface RunWarning {
  /**
   * "overload": offered load at or above capacity (before the run); "growing": waits rise through
   * the run; "short": the run is too short to estimate its waits; "warmup": the chosen warm-up is
   * uncertain; "guard": journeys were stopped by the visit guard (`max_visits`), their figures
   * cut short (the message has the count).
   */
  kind: "overload" | "growing" | "short" | "warmup" | "guard";
  /** The microsystem it is about (id), or null for the whole run. */
  microsystem: string | null;
  /** One sentence, as `run` prints it on stderr and the report shows it. */
  message: string;
}

/** How the intervals of queue-dependent figures were made (docs/design.md, "Output analysis"). */
export interface OutputAnalysisSummary {
  /** "replications" (≥ 2), "batch means" (one replication), "independent journeys" (no arrivals). */
  method: "replications" | "batch means" | "independent journeys";
  /** Replications, batches, or patients the intervals are over. */
  units: number;
  /** Batch means: counted patients per batch; null otherwise. */
  batch_patients: number | null;
  /** Batch means: the lag-1 autocorrelation check of each queue's waits (and of mortality). */
  checks: { figure: string; lag1: number; batches: number; adequate: boolean }[];
}

/** A failure mode as the scenario defines it, with what the run counted of it. */
export interface ModeSummary {
  id: string;
  name: string;
  /** Probability per visit (microsystem) or per transfer (handoff). */
  p: number;
  /** Probability that an occurrence is caught (a near miss). */
  detect: number;
  /** p · (1 − detect): the probability of a defect per visit or transfer. */
  defect_probability: number;
  /** Classes it applies to; null = all. */
  classes: string[] | null;
  /** Multiplier on the patient's 30-day risk for a defect. */
  harm: number;
  /** A defect ends the journey (lost to follow-up). */
  drop: boolean;
  /** Microsystem a defect sends the patient to, or null. */
  goto: string | null;
  /** How badly a defect harms the patient (AHRQ Common Formats harm scale; the default when the file gives none). */
  severity: Severity;
  /** Earlier modes of the same element whose defect on a visit means this one is not drawn. */
  unless: string[];
  /** Conditions that set p for a visit (the first that holds); empty = p always. */
  when: ConditionSummary[];
  /** Counted occurrences (caught or not), near misses, and defects (= occurrences − caught). */
  occurrences: number;
  caught: number;
  defects: number;
}

/** A `when` condition of a failure mode: every key that is not null must hold; then `p`. */
export interface ConditionSummary {
  off_hours: boolean | null;
  load_at_least: number | null;
  /** Minutes. */
  waited_at_least: number | null;
  classes: string[] | null;
  p: number;
}

/** Defects and journeys by severity (AHRQ Common Formats harm scale), mildest first. */
export interface SeveritySummary {
  severity: Severity;
  /** Defects of modes with this severity. */
  defects: number;
  /** Journeys whose worst defect has this severity. */
  journeys: number;
}

export interface MicrosystemSummary {
  id: string;
  name: string;
  visits: number;
  defects: number;
  /** 1 − defects / visits (1 when never visited). */
  reliability: number;
  /** Occurrences per failure mode (caught or not). */
  failures: Record<string, number>;
  /** Caught occurrences (near misses) per failure mode. */
  caught: Record<string, number>;
  wait: WaitSummary;
  /**
   * Busy share of capacity over the measured period: place-minutes held (background patients and
   * blocked patients included) / place-minutes available (capacity integrated over time, so shifts
   * count as staffed); for a microsystem that `uses` a resource, its share of the resource's places.
   * See `occupancy`. Null when capacity is unlimited or without arrivals.
   */
  utilization: number | null;
  /** 95% interval of the utilisation (null with it, or when the run cannot estimate one). */
  utilization_ci95?: Interval | null;
  /** Visits that started outside staffed hours. */
  off_hours: number;
  /** Its failure modes, in the scenario's order. */
  modes: ModeSummary[];
  // Capacity (issue 12). Always present in a run's summary; optional so that summaries written by
  // hand (test fixtures) or before these keys need not carry them.
  /** The shared resource whose places it uses (`uses`); null = its own capacity. */
  uses?: string | null;
  /** The part of `utilization` held by background patients; null without `background` or a capacity limit. */
  background_utilization?: number | null;
  /** The place-minutes behind `utilization`, summed over replications; null when it is null. */
  occupancy?: OccupancySummary | null;
  /** Blocking after service (`blocking: true`); null without it. */
  blocked?: BlockedSummary | null;
  /** Patients who left its queue after waiting `max_wait` (counted among `visits`). */
  reneged?: number;
}

/** utilization = (busy_minutes + background_minutes) / available_minutes. */
export interface OccupancySummary {
  /** Place-minutes held by the pathway's patients (in service, blocked, or held for them on the way). */
  busy_minutes: number;
  /** Place-minutes held by background patients. */
  background_minutes: number;
  /** Place-minutes available: the capacity (by shift) integrated over the measured period. */
  available_minutes: number;
}

/** Minutes a patient kept its place after its stay, waiting for the next microsystem. */
export interface BlockedSummary {
  /** Over every visit whose stay ended (0 for those not blocked). */
  mean: number;
  p90: number;
  /** Share of those visits blocked at all. */
  share: number;
}

/** A pool of places shared by microsystems (`resources`). */
export interface ResourceSummary {
  id: string;
  name: string;
  /** The microsystems that use it. */
  microsystems: string[];
  /** Its places when constant; null when they change by shift. */
  capacity: number | null;
  /** Busy share of its places (pathway and background): see `occupancy`. */
  utilization: number | null;
  background_utilization: number | null;
  occupancy: OccupancySummary | null;
}

export interface HandoffSummary {
  from: string;
  to: string;
  /** "From name → To name", as reports show it. */
  name: string;
  transfers: number;
  defects: number;
  reliability: number;
  failures: Record<string, number>;
  caught: Record<string, number>;
  /** Its failure modes, in the scenario's order. */
  modes: ModeSummary[];
}

export type { HistogramBin } from "../engine/sketch.js";

export interface MetricSummary {
  name: string;
  n: number;
  mean: number;
  median: number;
  p90: number;
  target: number | null;
  /** Share of the n journeys with the interval within target; null without a target. */
  within_target: number | null;
  /** Coarse distribution for charts. */
  histogram: HistogramBin[];
  /** The classes it is measured over; null = every class (always present in a run's summary). */
  classes?: string[] | null;
  /** 95% intervals of the mean, median, p90 and within-target share (null when none can be estimated). */
  mean_ci95?: Interval | null;
  median_ci95?: Interval | null;
  p90_ci95?: Interval | null;
  within_target_ci95?: Interval | null;
}

export interface MortalitySummary {
  /** Sum of the patients' risks, per 1000 patients. */
  expected: number;
  ci95: Interval;
  /** One keyed draw per patient, per 1000. */
  sampled: number;
}

export interface OutcomesSummary {
  mortality_per_1000: MortalitySummary | null;
  completed: number;
  dropped: number;
  near_misses: number;
  /** Journeys stopped by the visit guard. */
  guard_stopped: number;
  /**
   * Journeys the 30-day death drawn at `decided_at` ended (cut short: nothing after it happened).
   * They are not in `completed` or `dropped`. 0 without `decided_at`.
   */
  died: number;
  /** The milestone where the 30-day death is drawn ("telemetry.end"); null = at the end of each journey. */
  decided_at: string | null;
  /** Journeys that ended because the patient waited `max_wait` and left (`then: leave`); always present in a run's summary. */
  reneged?: number;
  /** Shares of the counted journeys that completed, and that were dropped, with 95% intervals. */
  completed_share?: ShareEstimate;
  dropped_share?: ShareEstimate;
  /** The share of the counted journeys that death at `decided_at` cut short, with its 95% interval. */
  died_share?: ShareEstimate;
}

/** The journeys that started in each week after the warm-up (only with arrivals). */
export interface WeeklyPoint {
  /** 1 = the first week after the warm-up. */
  week: number;
  /** Journeys that started that week. */
  patients: number;
  /** How many of them were defect-free (a count; the share is defect_free / patients). */
  defect_free: number;
}

/** Share of patients still defect-free after each step of the main path. */
export interface CascadeStep {
  kind: "microsystem" | "handoff";
  element: string;
  simulated: number;
  analytic: number | null;
}

/** One class's main path: its most common route, with that class's own step reliabilities. */
export interface ClassCascade {
  class: string;
  /** Share of the patients in the class. */
  share: number;
  /** Share of the class's patients on this path still defect-free after each step. */
  steps: CascadeStep[];
}

export interface RunSummary {
  scenario: string;
  description: string;
  version: string;
  seed: number;
  patients: number;
  replications: number;
  warmup_minutes: number;
  arrivals: boolean;
  /** Poisson arrivals per day; null without arrivals. */
  arrivals_per_day: number | null;
  /** The scenario's `volume_per_year` (patients a year, for per-year figures); null when not given. */
  volume_per_year?: number | null;
  /** The patient classes: share of patients and where their journeys start. */
  classes: { id: string; share: number; start: string }[];
  reliability: Estimate & {
    analytic: number | null;
    /** Why `analytic` is null, in plain words; null when it is given. */
    analytic_note: string | null;
    by_class: Record<string, ClassReliability>;
  };
  microsystems: MicrosystemSummary[];
  handoffs: HandoffSummary[];
  /** Shared pools of places (`resources`); empty without them (always present in a run's summary). */
  resources?: ResourceSummary[];
  outcomes: OutcomesSummary;
  metrics: Record<string, MetricSummary>;
  /**
   * Version 1's cascade: the main path of the largest class, with the element reliabilities of all
   * patients (so of every class mixed). Kept for version 1's readers; reports use `cascades`.
   */
  cascade: CascadeStep[];
  /** The main path of each class, with the class's own reliabilities: the cascade reports show. */
  cascades: ClassCascade[];
  /** Defects and journeys by severity, mildest first (every level, zeros included). */
  severity: SeveritySummary[];
  weekly: WeeklyPoint[];
  events: number;
  /** The visit guard this run applied (the scenario's `max_visits`, or its default). */
  max_visits: number;
  wall_ms: number;
  /** What the journeys cost (analysis/costs.ts); absent or null when the scenario has no costs. */
  costs?: CostSummary | null;
  /** With `--uncertainty N`: the figures over N parameter sets (analysis/uncertainty.ts). */
  uncertainty?: UncertaintySummary;
  /** How the warm-up was decided (with arrivals: the scenario's, or chosen by MSER-5); = warmup_minutes. */
  warmup?: WarmupChoice;
  /** Offered load against capacity per microsystem with a capacity (before the run). */
  load?: LoadCheck[];
  /** How the intervals of queue-dependent figures were made. */
  output_analysis?: OutputAnalysisSummary;
  /** What the reader must know before trusting the figures (also printed on stderr by `run`). */
  warnings?: RunWarning[];
}

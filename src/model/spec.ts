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
}

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
}

/** The transfer between two microsystems; one exists for every route edge and every `goto` target. */
export interface Handoff {
  from: string;
  to: string;
  time: Distribution;
  failures: FailureMode[];
  /** Whether the scenario listed it (false = taken whole from handoff_defaults). */
  declared: boolean;
}

export interface PatientClass {
  id: string;
  share: number;
  /** Microsystem where journeys of this class start. */
  start: string;
}

export interface Arrivals {
  perDay: number;
  /** 24 relative weights for the hours of the day; null = flat. */
  byHour: number[] | null;
  /** Journeys starting before this time are simulated but left out of every statistic. */
  warmup: number;
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
  delay: TimeToTreatment | null;
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
}

/** The key of a handoff, as shown to users and used for random streams: "from->to". */
export function handoffKey(from: string, to: string): string {
  return `${from}->${to}`;
}

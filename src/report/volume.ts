// Per-year figures at the scenario's volume. A run counts per 1000 patients; a team plans per year.
// The volume is the arrivals' rate (per day × 365) where the scenario has arrivals; without
// arrivals a scenario has no volume (issue 14's `volume_per_year` is to add one) and no per-year figure.
import type { RunSummary } from "../analysis/summary.js";

const DAYS_PER_YEAR = 365;

/** Patients a year at the scenario's volume, or null when it has none. */
export function patientsPerYear(s: RunSummary): number | null {
  return s.arrivals_per_day === null ? null : s.arrivals_per_day * DAYS_PER_YEAR;
}

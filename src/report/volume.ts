// Per-year figures at the scenario's volume. A run counts per 1000 patients; a team plans per year.
// The volume is the scenario's `volume_per_year`, else the arrivals' rate (per day × 365); a
// scenario with neither has no volume, and so no per-year figure.
import type { RunSummary } from "../analysis/summary.js";

const DAYS_PER_YEAR = 365;

/** Patients a year at the scenario's volume, or null when it has none. */
export function patientsPerYear(s: RunSummary): number | null {
  if (s.volume_per_year !== undefined && s.volume_per_year !== null) return s.volume_per_year;
  return s.arrivals_per_day === null ? null : s.arrivals_per_day * DAYS_PER_YEAR;
}

// The page's figures in words, through the library's one formatting module (the CLI's wording).
import { type EditValue, flowText, formatPercent, percentDecimals, type RunSummary } from "./api.js";

/** A share as a percentage, "—" when there is none. */
export function pct(x: number | null | undefined, decimals?: number): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return decimals === undefined ? formatPercent(x) : `${(x * 100).toFixed(decimals)}%`;
}

/** A scenario value as one line of YAML (flow style): 0.2, 30 min, { median: 3 d, p90: 9 d }. */
export function flowValue(value: unknown): string {
  return flowText(value as EditValue);
}

/** The decimals that tell a run's utilisations (and their intervals' ends) apart, as the reports write them. */
export function utilizationDecimals(s: RunSummary): number {
  return percentDecimals(
    s.microsystems.flatMap((m) => (m.utilization === null ? [] : [m.utilization])),
    0,
  );
}

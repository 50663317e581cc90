// Numbers as people read them, for every report: the terminal tables, the HTML pages, the charts,
// `explain` and `story` all print through this one module, so the same value reads the same
// everywhere (95 min is "1 h 35 min" in the terminal, the report and the charts alike). Fixed
// locale: output must not change with the machine's settings.
import { CALENDAR_EPOCH_MS, DAY_NAMES, MINUTES_PER_DAY, MINUTES_PER_WEEK } from "../model/calendar.js";

export type Interval = readonly [number, number];

const MINUS = "−";

/** Both ends finite (an interval from one replication is [NaN, NaN]). */
export function validInterval(ci: Interval | null | undefined): ci is Interval {
  return ci !== null && ci !== undefined && Number.isFinite(ci[0]) && Number.isFinite(ci[1]);
}

const INTEGER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/** 12345 → "12,345"; "—" when not a number. */
export function formatCount(n: number): string {
  return Number.isFinite(n) ? INTEGER.format(n) : "—";
}

/** One formatter per number of decimals: making one costs as much as a thousand formats. */
const FIXED = new Map<number, Intl.NumberFormat>();

function fixed(decimals: number): Intl.NumberFormat {
  let f = FIXED.get(decimals);
  if (f === undefined) {
    f = new Intl.NumberFormat("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
    FIXED.set(decimals, f);
  }
  return f;
}

/** A number with exactly `decimals` decimals and thousands separators; negatives with "−", never "−0". */
export function formatNumber(x: number, decimals = 1): string {
  if (!Number.isFinite(x)) return "—";
  const text = fixed(decimals).format(Math.abs(x));
  return x < 0 && !roundsToZero(text) ? `${MINUS}${text}` : text;
}

/** "+1.25", "−0.5", "0.00" (a value that rounds to zero has no sign). */
export function formatSigned(x: number, decimals: number): string {
  const text = formatNumber(x, decimals);
  return x > 0 && !roundsToZero(text) ? `+${text}` : text;
}

/** A change in a share, in percentage points: "+3.7 pts" (or with another unit word, "+3.7 points"). */
export function formatPoints(share: number, decimals: number, unit = "pts"): string {
  return `${formatSigned(100 * share, decimals)} ${unit}`;
}

function roundsToZero(text: string): boolean {
  return Number(text.replaceAll(",", "")) === 0;
}

/** A probability as a short decimal: 0.05, 0.6983, 1, 0.00012. */
export function formatDecimal(x: number): string {
  if (x === 0) return "0";
  if (Math.abs(x) >= 0.001) return String(Number(x.toFixed(4)));
  return String(Number(x.toPrecision(2)));
}

/** A multiplier (a harm, a relative risk) to 4 significant digits: 1.1, 1.075, 1.076 (from 1.07561). */
export function formatMultiplier(x: number): string {
  return String(Number(x.toPrecision(4)));
}

/** Decimals beyond which no share is shown; closer to 0 or 100% reads "<0.0001%" / ">99.9999%". */
const MAX_PERCENT_DECIMALS = 4;

/** Whether `share` at `decimals` would read as exactly 0% or 100% when it is neither. */
function misleading(share: number, decimals: number): boolean {
  const shown = Number((share * 100).toFixed(decimals));
  return (shown === 100 && share !== 1) || (shown === 0 && share !== 0);
}

/**
 * Decimals for shares shown as percentages together: at least `min`, more (up to 4) while a value
 * that is not exactly 0 or 1 would read as 0% or 100% — 99.96% reliable is not 100% reliable.
 */
export function percentDecimals(values: readonly number[], min = 1): number {
  let d = min;
  while (d < MAX_PERCENT_DECIMALS && values.some((v) => Number.isFinite(v) && misleading(v, d))) d++;
  return d;
}

/** 0.3712 → "37.1%"; 0.99999 → "99.999%"; 1 − 1e-12 → ">99.9999%"; "—" when not a number. */
export function formatPercent(share: number, minDecimals = 1): string {
  if (!Number.isFinite(share)) return "—";
  const d = percentDecimals([share], minDecimals);
  if (misleading(share, d)) return share < 0.5 ? "<0.0001%" : ">99.9999%";
  return `${formatNumber(share * 100, d)}%`;
}

/**
 * An interval: shares as "36.4–37.8%" (both ends with the same decimals), other numbers as
 * "12.3–14.5" with `decimals`; "n/a" when an end is missing.
 */
export function formatInterval(ci: Interval, unit: "percent" | "number" = "percent", decimals = 1): string {
  if (!validInterval(ci)) return "n/a";
  if (unit === "number") return `${formatNumber(ci[0], decimals)}–${formatNumber(ci[1], decimals)}`;
  const d = percentDecimals(ci, decimals);
  return `${formatNumber(ci[0] * 100, d)}–${formatNumber(ci[1] * 100, d)}%`;
}

/** "37.1% (95% CI 36.4–37.8%)", the three with the same decimals so they compare at a glance. */
export function formatEstimate(estimate: number, ci: Interval): string {
  if (!validInterval(ci)) return `${formatPercent(estimate)} (95% CI n/a)`;
  const d = percentDecimals([estimate, ci[0], ci[1]], 1);
  return `${formatNumber(estimate * 100, d)}% (95% CI ${formatNumber(ci[0] * 100, d)}–${formatNumber(ci[1] * 100, d)}%)`;
}

/** Half-widths below this are floating-point noise around an exact 0 (a change that touches nothing). */
export const NOISE = 1e-9;

/**
 * The one rule for floating-point noise, in every report and CSV: an interval whose half-width is
 * noise (summing the same per-patient risks in another order leaves ±6e-15) is the point itself,
 * and an estimate that is noise around 0 is 0. So a change that touches nothing prints 0, with
 * the interval 0 to 0.
 */
export function settle<E extends { estimate: number; ci95: Interval | null }>(e: E): E {
  const estimate = Math.abs(e.estimate) <= NOISE ? 0 : e.estimate;
  if (e.ci95 === null || !validInterval(e.ci95)) return { ...e, estimate };
  const noise = (e.ci95[1] - e.ci95[0]) / 2 <= NOISE * Math.max(1, Math.abs(estimate));
  const ci95 = noise ? [estimate, estimate] : e.ci95;
  return { ...e, estimate, ci95 };
}

/** Decimals that show an interval's half-width to one significant digit (at least `min`, at most 4). */
export function decimalsFor(e: { ci95: Interval }, min: number): number {
  const half = validInterval(e.ci95) ? (e.ci95[1] - e.ci95[0]) / 2 : 0;
  if (!(half > NOISE)) return min;
  return Math.min(4, Math.max(min, Math.ceil(-Math.log10(half))));
}

/**
 * A time in minutes as people say it: "40 s", "4.5 min", "12 min", "1 h 32 min", "2.3 d", "45 d".
 * Rounded first, so 59.7 min reads "1 h", not "60 min". The one rule for every report.
 */
export function formatDuration(minutes: number): string {
  if (!Number.isFinite(minutes)) return "—";
  if (minutes < 0) return `${MINUS}${formatDuration(-minutes)}`;
  if (minutes === 0) return "0 min";
  if (minutes < 1) {
    const seconds = Math.round(minutes * 60);
    return seconds === 0 ? "< 1 s" : `${seconds} s`;
  }
  if (minutes < 9.95) return `${trimZero(minutes.toFixed(1))} min`;
  const whole = Math.round(minutes);
  if (whole < 60) return `${whole} min`;
  if (whole < MINUTES_PER_DAY) {
    const h = Math.floor(whole / 60);
    const m = whole % 60;
    return m === 0 ? `${h} h` : `${h} h ${m} min`;
  }
  const days = minutes / MINUTES_PER_DAY;
  return days < 9.95 ? `${trimZero(days.toFixed(1))} d` : `${formatCount(Math.round(days))} d`;
}

/**
 * An interval of times: "15–18 min", "1 h 2 min – 1 h 10 min" (a shared plain unit is written
 * once); "n/a" when an end is missing.
 */
export function formatDurationInterval(ci: Interval | null | undefined): string {
  if (!validInterval(ci)) return "n/a";
  const lo = formatDuration(ci[0]);
  const hi = formatDuration(ci[1]);
  for (const unit of [" min", " d", " s"]) {
    const plain = (t: string) => t.endsWith(unit) && !t.includes(" h") && !t.startsWith("<");
    if (plain(lo) && plain(hi)) return `${lo.slice(0, -unit.length)}–${hi}`;
  }
  return `${lo} – ${hi}`;
}

/**
 * A time and its interval: "17 min (15–18 min)"; the time alone when the interval is missing or
 * its ends read the same (an interval of "11–11 d" says nothing the figure does not).
 */
export function formatDurationEstimate(minutes: number, ci: Interval | null | undefined): string {
  if (!validInterval(ci) || formatDuration(ci[0]) === formatDuration(ci[1])) return formatDuration(minutes);
  return `${formatDuration(minutes)} (${formatDurationInterval(ci)})`;
}

/** A share and its interval with `decimals`: "69% (68–70%)"; the share alone when the ends read the same. */
export function formatPercentEstimate(share: number, ci: Interval | null | undefined, decimals = 1): string {
  if (!validInterval(ci)) return formatPercent(share, decimals);
  const text = formatInterval(ci, "percent", decimals);
  const [lo, hi] = text.replace("%", "").split("–");
  return lo === hi ? formatPercent(share, decimals) : `${formatPercent(share, decimals)} (${text})`;
}

/** The unit a column of durations is written in: one per column, so values compare at a glance. */
export type DurationUnit = "s" | "min" | "h" | "d";

const UNIT_MINUTES: Record<DurationUnit, number> = { s: 1 / 60, min: 1, h: 60, d: MINUTES_PER_DAY };

/**
 * The unit for a column of durations (minutes), from its largest value: seconds under a minute,
 * minutes under 2 h, hours under 2 weeks (168 h still reads), then days. A column of 47 s, 8 min and
 * 26 min reads "0.78 min, 8 min, 26 min", not "47 s … 26 min".
 */
export function durationUnit(values: readonly number[]): DurationUnit {
  const max = Math.max(0, ...values.filter(Number.isFinite).map(Math.abs));
  if (max < 1) return "s";
  if (max < 120) return "min";
  if (max < 14 * MINUTES_PER_DAY) return "h";
  return "d";
}

/**
 * A duration in a given unit, with two significant digits for small values: "0.78 min", "8.4 min",
 * "26 min", "0.63 h", "168 h", "0 min".
 */
export function formatDurationIn(minutes: number, unit: DurationUnit): string {
  if (!Number.isFinite(minutes)) return "—";
  const x = minutes / UNIT_MINUTES[unit];
  const size = Math.abs(x);
  const decimals = size === 0 ? 0 : size < 0.995 ? 2 : size < 9.95 ? 1 : 0;
  const text = formatNumber(x, decimals);
  return `${text.endsWith(".00") ? text.slice(0, -3) : trimZero(text)} ${unit}`;
}

/**
 * A wait's 90th percentile; a 0 beside a mean above 0 says why: at least 9 patients in 10 do not
 * wait, and the mean comes from the few who wait long ("26 min" next to "0 min" looks wrong).
 */
export function formatWaitP90(
  wait: { mean: number; p90: number; p90_ci95?: Interval | null },
  unit: DurationUnit,
): string {
  if (wait.p90 === 0 && wait.mean > 0) return `${formatDurationIn(0, unit)} (most do not wait)`;
  return formatDurationInEstimate(wait.p90, wait.p90_ci95, unit);
}

/**
 * A duration in a column's unit and its interval: "17 min (15–19 min)"; the duration alone when
 * the interval is missing or its ends read the same.
 */
export function formatDurationInEstimate(
  minutes: number,
  ci: Interval | null | undefined,
  unit: DurationUnit,
): string {
  const text = formatDurationIn(minutes, unit);
  if (!validInterval(ci)) return text;
  const lo = formatDurationIn(ci[0], unit);
  const hi = formatDurationIn(ci[1], unit);
  return lo === hi ? text : `${text} (${lo.slice(0, -unit.length - 1)}–${hi})`;
}

/** A change of time in a given unit: "+0.5 min", "−12 min", "0 min". */
export function formatSignedDurationIn(minutes: number, unit: DurationUnit): string {
  const text = formatDurationIn(minutes, unit);
  return minutes > 0 && Number(text.split(" ")[0]!.replaceAll(",", "")) !== 0 ? `+${text}` : text;
}

function trimZero(s: string): string {
  return s.endsWith(".0") ? s.slice(0, -2) : s;
}

/** Wall-clock milliseconds: "420 ms", "3.2 s", "2 min 5 s". */
export function formatWallTime(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${trimZero((ms / 1000).toFixed(1))} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

/** A moment on the simulated calendar: "Tuesday 02:14" (with "week 2, " once past the first week). */
export function formatClock(t: number): string {
  const week = Math.floor(t / MINUTES_PER_WEEK);
  const inWeek = t - week * MINUTES_PER_WEEK;
  const day = Math.floor(inWeek / MINUTES_PER_DAY);
  const minute = Math.floor(inWeek - day * MINUTES_PER_DAY);
  const hh = String(Math.floor(minute / 60)).padStart(2, "0");
  const mm = String(minute % 60).padStart(2, "0");
  return `${week > 0 ? `week ${week + 1}, ` : ""}${DAY_NAMES[day]} ${hh}:${mm}`;
}

/** A moment on the simulated calendar as an ISO 8601 UTC timestamp (time 0 = 2024-01-01T00:00:00.000Z). */
export function formatTimestamp(t: number): string {
  // Whole milliseconds (Date truncates): still non-decreasing in t, so a journey's rows stay in order.
  return new Date(CALENDAR_EPOCH_MS + t * 60_000).toISOString();
}

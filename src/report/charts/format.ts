// Numbers as people read them: times in the unit that fits (every time in the model is minutes),
// shares as percentages. Shared by the charts and the HTML report so both say the same thing.

/** The unit a time axis is drawn in, chosen from the largest value it has to show. */
export interface TimeUnit {
  /** Axis-title word: "minutes", "hours", "days". */
  name: string;
  /** Minutes per unit. */
  minutes: number;
}

const MINUTES: TimeUnit = { name: "minutes", minutes: 1 };
const HOURS: TimeUnit = { name: "hours", minutes: 60 };
const DAYS: TimeUnit = { name: "days", minutes: 1440 };

/**
 * Minutes up to 6 h (clinicians count door-to-balloon in minutes), hours up to 3 days, days beyond:
 * ticks stay numbers a reader knows.
 */
export function timeUnitFor(maxMinutes: number): TimeUnit {
  if (maxMinutes <= 360) return MINUTES;
  if (maxMinutes <= 72 * 60) return HOURS;
  return DAYS;
}

/** Steps a clock reader expects per unit: 15 or 30 minutes, 6 or 12 hours, a week. */
const STEPS: Record<string, number[]> = {
  minutes: [1, 2, 5, 10, 15, 20, 30, 60, 120],
  hours: [1, 2, 3, 6, 12, 24],
  days: [1, 2, 7, 14, 28, 56, 91, 182, 364],
};

/** Tick values from 0 to `max` (in `unit`), on the smallest clock-friendly step giving ≤ 12 ticks. */
export function timeTicks(max: number, unit: TimeUnit): number[] {
  const steps = STEPS[unit.name] ?? [1];
  const step = steps.find((s) => max / s <= 11) ?? Math.ceil(max / 10);
  return Array.from({ length: Math.floor(max / step) + 1 }, (_, i) => i * step);
}

/** Rounds away float noise so the JSON specs stay small and readable. */
export function round(value: number, digits = 4): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

export function formatCount(n: number): string {
  return integer.format(n);
}

/** A number with a fixed count of decimals and thousands separators. */
export function formatNumber(n: number, decimals = 1): string {
  return n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** 0.4312 → "43.1%". Shares near 0 or 1 get more decimals so 99.95% does not read as 100%. */
export function formatShare(share: number, decimals?: number): string {
  if (share === 0 || share === 1) return `${share * 100}%`;
  const d = decimals ?? (share > 0.99 || share < 0.01 ? 2 : 1);
  return `${(share * 100).toFixed(d)}%`;
}

/**
 * A time in minutes as a person would say it: "47 s", "45 min", "3 h 20 min", "2 d 4 h", "11 d".
 * Beyond a week the hours are noise next to the spread of such intervals, so whole days.
 */
export function formatMinutes(minutes: number): string {
  if (!Number.isFinite(minutes)) return "—";
  if (minutes === 0) return "0 min";
  const m = Math.abs(minutes);
  const sign = minutes < 0 ? "−" : "";
  if (m < 1) return `${sign}${Math.max(1, Math.round(m * 60))} s`;
  if (m < 10) return `${sign}${formatNumber(m, 1)} min`;
  if (m < 120) return `${sign}${Math.round(m)} min`;
  if (m < 48 * 60) {
    const total = Math.round(m);
    const h = Math.floor(total / 60);
    const rest = total % 60;
    return rest === 0 ? `${sign}${h} h` : `${sign}${h} h ${rest} min`;
  }
  if (m >= 7 * 1440) return `${sign}${formatCount(Math.round(m / 1440))} d`;
  const totalHours = Math.round(m / 60);
  const d = Math.floor(totalHours / 24);
  const h = totalHours % 24;
  return h === 0 ? `${sign}${d} d` : `${sign}${d} d ${h} h`;
}

/** A safe file-name part from an id a scenario chose. */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return s === "" ? "x" : s;
}

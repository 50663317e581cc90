// Units of the scenario format: times (a number with an optional unit; a bare number is minutes),
// probabilities (a number in [0, 1] or a percent string) and clock times of staffed hours.
// Patterns are exported because the schema (and so the JSON Schema editors see) uses the same ones.

/** Minutes per unit, for every spelling accepted after a number. */
const MINUTES_PER_UNIT: Readonly<Record<string, number>> = {
  s: 1 / 60,
  sec: 1 / 60,
  secs: 1 / 60,
  second: 1 / 60,
  seconds: 1 / 60,
  min: 1,
  mins: 1,
  minute: 1,
  minutes: 1,
  h: 60,
  hr: 60,
  hrs: 60,
  hour: 60,
  hours: 60,
  d: 1440,
  day: 1440,
  days: 1440,
  wk: 10080,
  wks: 10080,
  week: 10080,
  weeks: 10080,
};

const NUMBER = String.raw`(\d+(?:\.\d+)?|\.\d+)`;

/**
 * A non-negative time written as text: a decimal number, optional spaces, an optional unit.
 * No sign is accepted, so a negative time fails here with a message about times.
 *
 * Every pattern here must run in linear time on any text (a file is hostile input). The spaces
 * before the unit sit inside the optional group: written `\s*(unit)?\s*` instead, two runs of
 * `\s*` could split the same spaces in every way, and `"1" + 100,000 spaces + "x"` took a minute.
 */
export const TIME_PATTERN: RegExp = new RegExp(
  String.raw`^\s*${NUMBER}(?:\s*(${Object.keys(MINUTES_PER_UNIT).join("|")}))?\s*$`,
);

/** A percent string such as `5%` or `12.5 %`. */
export const PERCENT_PATTERN: RegExp = new RegExp(String.raw`^\s*${NUMBER}\s*%\s*$`);

/** A clock time `H:MM` or `HH:MM` (00:00 to 23:59). */
export const CLOCK_PATTERN: RegExp = /^([01]?\d|2[0-3]):[0-5]\d$/;

/**
 * A closing time: a clock time or `24:00`, the midnight that ends the day. "Always staffed" is
 * written `open: "00:00", close: "24:00"`, so the end of the day must be a closing time.
 */
export const CLOSE_PATTERN: RegExp = /^(?:([01]?\d|2[0-3]):[0-5]\d|24:00)$/;

/** Minutes from midnight at the end of the day: what `close: "24:00"` means. */
export const END_OF_DAY = 24 * 60;

/** The units accepted in time strings, for help texts. */
export const TIME_UNITS: readonly string[] = Object.keys(MINUTES_PER_UNIT);

/** Day names of staffed hours, in calendar order: index 0 is Monday (simulated time 0). */
export const DAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type DayName = (typeof DAY_NAMES)[number];

/** Minutes of a time (`30 min`, `1.5 h`, a bare number = minutes); null if it is not a valid time. */
export function parseTime(value: number | string): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? value : null;
  const match = TIME_PATTERN.exec(value);
  if (!match) return null;
  const factor = MINUTES_PER_UNIT[match[2] ?? "min"] ?? 1;
  return Number(match[1]) * factor;
}

/** A probability from a number in [0, 1] or a percent string up to 100%; null otherwise. */
export function parseProbability(value: number | string): number | null {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 && value <= 1 ? value : null;
  const match = PERCENT_PATTERN.exec(value);
  if (!match) return null;
  const percent = Number(match[1]);
  return percent <= 100 ? percent / 100 : null;
}

/** Minutes from midnight of a clock time `HH:MM` (or of `24:00` when `close`); null if it is not one. */
export function parseClock(value: string, close = false): number | null {
  if (close && value === "24:00") return END_OF_DAY;
  const match = CLOCK_PATTERN.exec(value);
  if (!match) return null;
  const [hours, minutes] = value.split(":").map(Number);
  return (hours ?? 0) * 60 + (minutes ?? 0);
}

/** Day index (0 = Monday … 6 = Sunday) of a day name. */
export function dayIndex(day: DayName): number {
  return DAY_NAMES.indexOf(day);
}

/** Units a time is written back in, largest first (minutes per unit). */
const WRITTEN_UNITS: readonly [string, number][] = [
  ["wk", 10080],
  ["d", 1440],
  ["h", 60],
  ["min", 1],
];

/** A number as a file writes it: no floating-point noise (0.30000000000000004 is 0.3). */
export function plainNumber(x: number): number {
  return Number(x.toPrecision(12));
}

/**
 * Minutes written as a file writes a time, in the largest unit that reads as people say it: a
 * whole number of it, or at least 2 with up to two decimals ("30 s", "45 min", "90 min", "2.5 h",
 * "11 d", "16 wk"). `parseTime` reads it back to the same minutes (to 12 significant digits).
 */
export function timeText(minutes: number): string {
  if (minutes > 0 && minutes < 1) return `${decimalText(minutes * 60)} s`;
  for (const [unit, size] of WRITTEN_UNITS) {
    const n = plainNumber(minutes / size);
    const reads = Number.isInteger(n) || (n >= 2 && Number(n.toFixed(2)) === n);
    if (n >= 1 && reads) return `${n} ${unit}`;
  }
  return `${decimalText(minutes)} min`;
}

/** A number in decimal notation (times are written without exponents): 12 significant digits at most. */
function decimalText(x: number): string {
  const n = plainNumber(x);
  if (!String(n).includes("e")) return String(n);
  const fixed = n.toFixed(12).replace(/\.?0+$/, "");
  return fixed === "" || fixed === "-0" ? "0" : fixed;
}

/** Minutes from midnight as a clock time "HH:MM" (1440, the end of the day, is "24:00"). */
export function clockText(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes - h * 60);
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

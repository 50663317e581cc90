// Chart axes: times drawn in the unit that fits (every time in the model is minutes), on
// clock-friendly ticks; numbers rounded for small specs; safe names for ids. How a number reads in
// words (labels, captions) is the one formatting module's (../format.ts).

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

/** Longest slug kept in a file name (the hash after it keeps names apart). */
const MAX_SLUG = 40;

/**
 * A safe, unique file-name part from an id a scenario chose: lower-case letters, digits and
 * dashes. An id that is already such a slug is kept as it is; any other gets a short hash of the
 * id itself, so ids that differ only by case or by `-` and `_` ("door-to-b", "door_to_b",
 * "Door_To_B") never share a file, on case-insensitive file systems too; at most 49 characters.
 */
export function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, "");
  if (s === text) return s;
  return `${s === "" ? "x" : s}-${fnv1a(text)}`;
}

/** FNV-1a, 32 bits, as 8 hex digits: a short, stable fingerprint of a text (not a secret). */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, "0");
}

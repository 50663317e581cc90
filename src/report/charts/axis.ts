// Chart axes: times drawn in the unit that fits (every time in the model is minutes), on
// clock-friendly ticks; numbers rounded for small specs; safe names for ids. How a number reads in
// words (labels, captions) is the one formatting module's (../format.ts).

import { textWidth } from "./text-width.js";

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

/**
 * Tick values (and their d3 format) for a numeric axis of `width` px over `domain` whose labels
 * never run together: the finest 1-2-5 step whose labels, as vega draws them at `fontSize`, leave
 * `gap` px between neighbours. Narrow panels (four variants side by side) get fewer ticks, not
 * overlapping ones.
 */
export function fittedTicks(
  domain: readonly [number, number],
  width: number,
  fontSize = 12,
  gap = 14,
): { values: number[]; format: string } {
  const [lo, hi] = domain;
  const span = hi - lo;
  if (!(span > 0) || !(width > 0)) return { values: [], format: "~g" };
  const base = 10 ** Math.floor(Math.log10(span / 20));
  for (const factor of [1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000]) {
    const step = base * factor;
    const decimals = decimalsOf(step);
    const label = (v: number): string => `${v < 0 ? "−" : ""}${Math.abs(v).toFixed(decimals)}`;
    const values: number[] = [];
    for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + step * 1e-9; v += step)
      values.push(round(v, 10) + 0);
    const px = (v: number): number => ((v - lo) / span) * width;
    const fits = values.every((v, i) => {
      const next = values[i + 1];
      if (next === undefined) return true;
      return px(next) - px(v) >= (textWidth(label(v), fontSize) + textWidth(label(next), fontSize)) / 2 + gap;
    });
    if (fits && values.length >= 2) return { values, format: `.${decimals}f` };
  }
  return { values: [lo, hi].map((v) => round(v, 10)), format: "~g" };
}

/** Decimals that write `step` (and so every multiple of it) exactly: 2.5 → 1, 0.25 → 2, 20 → 0. */
function decimalsOf(step: number): number {
  for (let d = 0; d < 12; d++) {
    const scaled = step * 10 ** d;
    if (Math.abs(scaled - Math.round(scaled)) < 1e-9 * Math.max(1, scaled)) return d;
  }
  return 12;
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

// The weekly calendar: simulated time is in minutes, and 0 is Monday 00:00 of week 1. Where a real
// date is needed (the ISO 8601 timestamps of the trace), time 0 is Monday 1 January 2024, 00:00 UTC:
// a fixed Monday, so weekdays and staffed hours read the same on the timestamps as in the model.
import { PeriodicSteps } from "../engine/resources/steps.js";
import { hoursSpan, weeklyIntervals } from "./rules.js";
import type { CapacityShift, StaffedHours } from "./spec.js";

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
/** Simulated time 0 on the real calendar, in milliseconds since 1970 (Monday 2024-01-01T00:00:00Z). */
export const CALENDAR_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * Whether time `t` falls inside a staffed shift. Shifts with close <= open run past midnight; a
 * close of 1440 (24:00) ends the shift at midnight, so 00:00 to 24:00 is staffed all day, exactly:
 * the minute of the day is always below 1440.
 */
export function isStaffed(hours: StaffedHours, t: number): boolean {
  const inWeek = ((t % MINUTES_PER_WEEK) + MINUTES_PER_WEEK) % MINUTES_PER_WEEK;
  const day = Math.floor(inWeek / MINUTES_PER_DAY);
  const minute = inWeek - day * MINUTES_PER_DAY;
  const { open, close, days } = hours;
  if (open < close) return minute >= open && minute < close && days.includes(day);
  // Overnight shift: the evening part belongs to today's shift, the early-morning part to yesterday's.
  if (minute >= open) return days.includes(day);
  return minute < close && days.includes((day + 6) % 7);
}

// ---------------------------------------------------------------------------------------------
// Weekly schedules for capacity (issue 12): staffed hours that close (`until_open`) and places by
// shift, as step functions of time. Their breakpoints are whole minutes of the week, so every
// opening and shift change falls exactly on a floating-point number.

/** 1 while the hours are staffed, 0 otherwise. */
export function openSteps(hours: StaffedHours): PeriodicSteps {
  return stepsOf(
    weeklyIntervals(hoursSpan(hours)).map(([start, end]) => ({ start, end, value: 1 })),
    0,
  );
}

/** Places by shift (the shifts cover the week without overlap: the scenario checks say so). */
export function shiftSteps(shifts: readonly CapacityShift[]): PeriodicSteps {
  return stepsOf(
    shifts.flatMap((s) => weeklyIntervals(s).map(([start, end]) => ({ start, end, value: s.n }))),
    0,
  );
}

/** Pieces that do not overlap, sorted and joined into one week; uncovered minutes take `fallback`. */
function stepsOf(pieces: { start: number; end: number; value: number }[], fallback: number): PeriodicSteps {
  pieces.sort((a, b) => a.start - b.start);
  const starts: number[] = [];
  const values: number[] = [];
  const push = (start: number, value: number): void => {
    if (starts.length > 0 && starts[starts.length - 1] === start) values[values.length - 1] = value;
    else {
      starts.push(start);
      values.push(value);
    }
  };
  let reach = 0;
  for (const p of pieces) {
    if (p.end <= p.start) continue;
    if (p.start > reach) push(reach, fallback);
    push(Math.max(p.start, reach), p.value);
    reach = Math.max(reach, p.end);
  }
  if (reach < MINUTES_PER_WEEK) push(reach, fallback);
  return new PeriodicSteps(MINUTES_PER_WEEK, starts, values);
}

/** "week 2, Tuesday 02:14" for messages of the model (reports have their own formatting). */
export function describeTime(t: number): string {
  const week = Math.floor(t / MINUTES_PER_WEEK);
  const inWeek = t - week * MINUTES_PER_WEEK;
  const day = Math.floor(inWeek / MINUTES_PER_DAY);
  const minute = Math.floor(inWeek - day * MINUTES_PER_DAY);
  const clock = `${String(Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
  return `week ${week + 1}, ${DAY_NAMES[day]} ${clock}`;
}

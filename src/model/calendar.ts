// The weekly calendar: simulated time is in minutes, and 0 is Monday 00:00 of week 1. Where a real
// date is needed (the ISO 8601 timestamps of the trace), time 0 is Monday 1 January 2024, 00:00 UTC:
// a fixed Monday, so weekdays and staffed hours read the same on the timestamps as in the model.
import type { StaffedHours } from "./spec.js";

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

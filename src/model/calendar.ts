// The weekly calendar: simulated time 0 is Monday 00:00, in minutes.
import type { StaffedHours } from "./spec.js";

export const MINUTES_PER_DAY = 1440;
export const MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;
export const DAY_NAMES = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Whether time `t` falls inside a staffed shift. Shifts with close <= open run past midnight. */
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

/** "Tuesday 02:14" (with "week 2" once past the first week). */
export function clockTime(t: number): string {
  const week = Math.floor(t / MINUTES_PER_WEEK);
  const inWeek = t - week * MINUTES_PER_WEEK;
  const day = Math.floor(inWeek / MINUTES_PER_DAY);
  const minute = Math.floor(inWeek - day * MINUTES_PER_DAY);
  const hh = String(Math.floor(minute / 60)).padStart(2, "0");
  const mm = String(minute % 60).padStart(2, "0");
  return `${week > 0 ? `week ${week + 1}, ` : ""}${DAY_NAMES[day]} ${hh}:${mm}`;
}

import { describe, expect, it } from "vitest";
import { ArrivalProcess } from "../../src/model/arrivals.js";
import { isStaffed } from "../../src/model/calendar.js";
import { formatClock as clockTime } from "../../src/report/format.js";

const at = (day: number, hh: number, mm = 0) => day * 1440 + hh * 60 + mm;

describe("calendar", () => {
  const weekdays = { open: 7 * 60, close: 19 * 60, days: [0, 1, 2, 3, 4] };

  it("knows weekday staffed hours", () => {
    expect(isStaffed(weekdays, at(0, 7))).toBe(true); // Monday 07:00
    expect(isStaffed(weekdays, at(0, 18, 59))).toBe(true);
    expect(isStaffed(weekdays, at(0, 19))).toBe(false);
    expect(isStaffed(weekdays, at(5, 12))).toBe(false); // Saturday
    expect(isStaffed(weekdays, at(7, 12))).toBe(true); // next Monday
  });

  it("runs overnight shifts into the next morning", () => {
    const nights = { open: 22 * 60, close: 6 * 60, days: [4] }; // Friday night
    expect(isStaffed(nights, at(4, 23))).toBe(true);
    expect(isStaffed(nights, at(5, 5))).toBe(true); // Saturday 05:00 belongs to Friday's shift
    expect(isStaffed(nights, at(5, 23))).toBe(false);
    expect(isStaffed(nights, at(4, 5))).toBe(false);
  });

  it("tells clock times with day names", () => {
    expect(clockTime(at(1, 2, 14))).toBe("Tuesday 02:14");
    expect(clockTime(at(8, 9, 5))).toBe("week 2, Tuesday 09:05");
  });

  it("inverts the cumulative arrival intensity", () => {
    const flat = new ArrivalProcess({ perDay: 24, byHour: null, warmup: 0 });
    expect(flat.timeAt(1)).toBeCloseTo(60, 9);
    expect(flat.timeAt(36)).toBeCloseTo(1440 + 12 * 60, 9);
    const nightOff = new ArrivalProcess({
      perDay: 12,
      byHour: Array.from({ length: 24 }, (_, h) => (h >= 12 ? 1 : 0)),
      warmup: 0,
    });
    expect(nightOff.timeAt(0.5)).toBeCloseTo(12 * 60 + 30, 9); // nobody arrives before noon
    expect(nightOff.timeAt(12.5)).toBeCloseTo(1440 + 12 * 60 + 30, 9);
  });
});

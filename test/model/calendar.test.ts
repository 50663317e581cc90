import { describe, expect, it } from "vitest";
import { parseScenario, run } from "../../src/index.js";
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

  it("treats a close of 24:00 (1440) as the end of the day, exactly at the boundaries", () => {
    const always = { open: 0, close: 1440, days: [0, 1, 2, 3, 4, 5, 6] };
    for (const t of [
      0,
      at(0, 23, 59),
      at(0, 23, 59) + 0.999999,
      at(1, 0),
      at(6, 23, 59) + 0.5,
      at(7, 0),
      -0.5,
    ])
      expect(isStaffed(always, t), `t = ${t}`).toBe(true);
    // Weekdays 00:00–24:00: staffed from Monday 00:00 to the last instant of Friday, not on Saturday.
    const weekdays24 = { open: 0, close: 1440, days: [0, 1, 2, 3, 4] };
    expect(isStaffed(weekdays24, at(4, 23, 59) + 0.999999)).toBe(true);
    expect(isStaffed(weekdays24, at(5, 0))).toBe(false);
    expect(isStaffed(weekdays24, at(6, 23, 59) + 0.999999)).toBe(false);
    expect(isStaffed(weekdays24, at(7, 0))).toBe(true);
    // An evening shift to midnight: 18:00 opens it, 24:00 (the next day's 00:00) is already closed.
    const evening = { open: 18 * 60, close: 1440, days: [4] };
    expect(isStaffed(evening, at(4, 17, 59) + 0.999999)).toBe(false);
    expect(isStaffed(evening, at(4, 18))).toBe(true);
    expect(isStaffed(evening, at(4, 23, 59) + 0.999999)).toBe(true);
    expect(isStaffed(evening, at(5, 0))).toBe(false);
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

  it('simulates "00:00" to "24:00" as always staffed: no visit is off hours', async () => {
    const scenario = (hours: string) =>
      parseScenario(
        [
          "name: t",
          "patients: 2000",
          "arrivals: { per_day: 30 }",
          "replications: 2",
          "microsystems:",
          `  - { id: a, time: 20 min, hours: ${hours}, off_hours_delay: 1 h }`,
        ].join("\n"),
        { name: "t.yaml" },
      );
    const always = await run(scenario('{ open: "00:00", close: "24:00" }'));
    expect(always.microsystems[0]!.off_hours).toBe(0);
    // Weekdays only: the weekend's visits (2 days in 7 of flat arrivals) are the off-hours ones.
    const weekdays = await run(
      scenario('{ open: "00:00", close: "24:00", days: [mon, tue, wed, thu, fri] }'),
    );
    const share = weekdays.microsystems[0]!.off_hours / weekdays.microsystems[0]!.visits;
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.38);
  });
});

import { describe, expect, it } from "vitest";
import { parseClock, parseProbability, parseTime } from "../../src/scenario/units.js";

describe("parseTime", () => {
  it.each([
    [30, 30],
    ["30", 30],
    ["30 min", 30],
    ["30min", 30],
    ["30 minutes", 30],
    ["45 s", 0.75],
    ["90 sec", 1.5],
    ["2 h", 120],
    ["1.5 h", 90],
    [".5 hr", 30],
    ["3 d", 4320],
    ["1 day", 1440],
    ["2 wk", 20160],
    ["1 week", 10080],
    [0, 0],
    ["0 min", 0],
  ])("reads %j as %d minutes", (written, minutes) => {
    expect(parseTime(written)).toBe(minutes);
  });

  it.each([
    -1,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    "-5 min",
    "30 mn",
    "30 Min",
    "abc",
    "",
    "1e3 min",
    "1 h 30 min",
  ])("rejects %j", (written) => {
    expect(parseTime(written)).toBeNull();
  });
});

describe("parseProbability", () => {
  it.each([
    [0, 0],
    [1, 1],
    [0.25, 0.25],
    ["5%", 0.05],
    ["12.5 %", 0.125],
    ["100%", 1],
    ["0%", 0],
  ])("reads %j as %d", (written, p) => {
    expect(parseProbability(written)).toBeCloseTo(p, 12);
  });

  it.each([1.4, -0.1, Number.NaN, "120%", "0.05", "5", "five%", "-5%"])("rejects %j", (written) => {
    expect(parseProbability(written)).toBeNull();
  });
});

describe("parseClock", () => {
  it("reads HH:MM and H:MM as minutes from midnight", () => {
    expect(parseClock("00:00")).toBe(0);
    expect(parseClock("07:00")).toBe(420);
    expect(parseClock("7:05")).toBe(425);
    expect(parseClock("23:59")).toBe(1439);
  });

  it.each(["24:00", "7:5", "07:60", "7", "07:00:00", "noon"])("rejects %j", (written) => {
    expect(parseClock(written)).toBeNull();
  });
});

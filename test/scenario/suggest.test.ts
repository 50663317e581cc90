import { describe, expect, it } from "vitest";
import { closest, didYouMean, editDistance } from "../../src/scenario/suggest.js";

describe("editDistance", () => {
  it("counts insertions, deletions, substitutions and transpositions as one edit each", () => {
    expect(editDistance("capacity", "capacity")).toBe(0);
    expect(editDistance("capacty", "capacity")).toBe(1);
    expect(editDistance("capacityy", "capacity")).toBe(1);
    expect(editDistance("cbpacity", "capacity")).toBe(1);
    expect(editDistance("cpaacity", "capacity")).toBe(1);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
  });
});

describe("closest", () => {
  const keys = ["id", "name", "time", "capacity", "hours", "off_hours_delay", "failures", "next"];

  it("suggests the likely intended key", () => {
    expect(closest("capacty", keys)).toBe("capacity");
    expect(closest("nxt", keys)).toBe("next");
    expect(closest("Time", keys)).toBe("time");
    expect(closest("off_hour_delay", keys)).toBe("off_hours_delay");
    expect(closest("failrues", keys)).toBe("failures");
  });

  it("suggests nothing when no candidate is close", () => {
    expect(closest("colour", keys)).toBeUndefined();
    expect(closest("c", ["a", "b"])).toBeUndefined();
    expect(closest("x", [])).toBeUndefined();
  });

  it("formats a suggestion, or nothing", () => {
    expect(didYouMean("edd", ["ed", "ward"])).toBe(' (did you mean "ed"?)');
    expect(didYouMean("zzz", ["ed", "ward"])).toBe("");
  });
});

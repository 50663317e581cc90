import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { boundedDistance, closest, didYouMean, editDistance, Suggester } from "../../src/scenario/suggest.js";

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

/** The definition: the full table, every candidate, first of the closest (the old implementation). */
function naiveDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const row = d[i]!;
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(d[i - 1]![j]! + 1, row[j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        row[j] = Math.min(row[j]!, d[i - 2]![j - 2]! + 1);
    }
  }
  return d[a.length]![b.length]!;
}

function naiveClosest(word: string, candidates: readonly string[]): string | undefined {
  const limit = word.length <= 2 ? 0 : word.length < 5 ? 1 : Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    const distance = naiveDistance(word.toLowerCase(), c.toLowerCase());
    if (distance < bestDistance && distance <= limit) [best, bestDistance] = [c, distance];
  }
  return best;
}

describe("the banded, indexed search finds what the full one finds", () => {
  // Short words over a small alphabet, so that many candidates are close and ties are common.
  const word = fc.string({ unit: fc.constantFrom("a", "b", "c", "A", "_"), maxLength: 9 });

  it("boundedDistance is the distance when within the bound, else bound + 1", () => {
    fc.assert(
      fc.property(word, word, fc.nat({ max: 10 }), (a, b, max) => {
        const d = naiveDistance(a, b);
        expect(boundedDistance(a, b, max)).toBe(d <= max ? d : max + 1);
      }),
      { seed: 7, numRuns: 3000 },
    );
  });

  it("closest picks the same candidate (ties to the first) as the full search", () => {
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 12 }), (w, candidates) => {
        expect(new Suggester(candidates).closest(w)).toBe(naiveClosest(w, candidates));
      }),
      { seed: 7, numRuns: 3000 },
    );
  });
});

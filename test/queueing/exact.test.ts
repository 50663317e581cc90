// Queues against exact queueing theory (test/queueing/formulas.ts; the cases in cases.ts):
// non-preemptive priorities (Cobham), microsystems sharing a pool of places (Erlang C) and other
// patients using the same places (M/M/1 at the combined rate). Each figure is a mean over
// replications; the exact value must lie inside its 99% Student-t interval, and the interval must
// be narrow enough (a few per cent) for the check to mean something. Seeds are fixed: the same
// numbers every run.
import { describe, expect, it } from "vitest";
import { background, EXACT_CASES } from "./cases.js";
import { erlangC } from "./formulas.js";
import { interval, replications, shown } from "./replications.js";

describe("queues against exact results", () => {
  for (const build of EXACT_CASES) {
    const c = build();
    it(`${c.name}: every figure's 99% interval contains the exact value`, () => {
      const runs = replications(c.spec);
      for (const check of c.checks) {
        const i = interval(runs.map(check.simulated));
        const label = `${check.label}: exact ${check.exact.toFixed(3)}, simulated ${shown(i)}`;
        expect(check.exact, label).toBeGreaterThanOrEqual(i.lo);
        expect(check.exact, label).toBeLessThanOrEqual(i.hi);
        expect((i.hi - i.lo) / 2 / check.exact, `${label}: too wide to test anything`).toBeLessThan(
          check.relativeWidth,
        );
      }
    });
  }

  it("the pooled case is a queue worth testing", () => {
    expect(erlangC(3, 2.1)).toBeGreaterThan(0.3);
  });

  it("other patients are never counted, and the pathway's random numbers are unchanged", () => {
    const runs = replications(background().spec);
    const alone = replications(background(false).spec);
    runs.forEach((s, r) => {
      expect(s.patients).toBe(10_000);
      expect(s.microsystems[0]!.visits).toBe(10_000);
      // Failures are drawn from the patients' own streams: the same defects with or without others.
      expect(s.microsystems[0]!.defects).toBe(alone[r]!.microsystems[0]!.defects);
      expect(s.reliability.estimate).toBe(alone[r]!.reliability.estimate);
      expect(s.microsystems[0]!.wait.mean).toBeGreaterThan(alone[r]!.microsystems[0]!.wait.mean);
    });
  });
});

// Each class's main path (RunSummary.cascades): the class's own route and step reliabilities, the
// simulated share still defect-free after each step agreeing with the exact one within its
// sampling error, over a fixed set of seeds. Two classes on different routes (one through the
// lab, one not), with a failure mode that only one of them meets, so a mixed cascade would be wrong.
import { describe, expect, it } from "vitest";
import { parseScenario, run } from "../../src/index.js";

const SCENARIO = `name: two classes
patients: 20000
classes:
  - { id: stemi, share: 0.3 }
  - { id: nstemi, share: 0.7 }
microsystems:
  - id: ed
    time: 20 min
    failures:
      - { id: late_activation, p: 0.3, classes: [stemi] }
      - { id: slow_triage, p: 0.1 }
    next:
      - { to: lab, classes: [stemi] }
      - { to: ward, classes: [nstemi] }
  - id: lab
    time: 1 h
    failures: [{ id: complication, p: 0.05 }]
    next: [{ to: ward }]
  - id: ward
    time: 2 d
    failures: [{ id: meds, p: 0.2, detect: 0.5 }]
    next: []
handoffs:
  - from: ed
    to: ward
    failures: [{ id: lost, p: 0.15 }]
`;

describe("the cascade of each class", () => {
  for (const seed of [1, 2, 3]) {
    it(`follows each class's own route and agrees with the exact path within 4 standard errors (seed ${seed})`, async () => {
      const model = parseScenario(SCENARIO, { name: "two.yaml" });
      const s = await run(model, { seed });
      const byClass = Object.fromEntries(s.cascades.map((c) => [c.class, c]));
      expect(byClass.stemi!.steps.map((x) => x.element)).toEqual([
        "ed",
        "ed->lab",
        "lab",
        "lab->ward",
        "ward",
      ]);
      expect(byClass.nstemi!.steps.map((x) => x.element)).toEqual(["ed", "ed->ward", "ward"]);
      // Exact: the product of the class's own reliabilities.
      expect(byClass.stemi!.steps.at(-1)!.analytic).toBeCloseTo(0.7 * 0.9 * 0.95 * 0.9, 12);
      expect(byClass.nstemi!.steps.at(-1)!.analytic).toBeCloseTo(0.9 * 0.85 * 0.9, 12);
      for (const c of s.cascades) {
        const n = s.reliability.by_class[c.class]!.patients;
        // Delta method on the log of a product of independent binomial shares over the same n patients.
        let relVar = 0;
        for (const step of c.steps) {
          const r = step.analytic! / (c.steps[c.steps.indexOf(step) - 1]?.analytic ?? 1);
          relVar += (1 - r) / (r * n);
        }
        const end = c.steps.at(-1)!;
        expect(Math.abs(end.simulated - end.analytic!)).toBeLessThan(4 * end.analytic! * Math.sqrt(relVar));
      }
    });
  }
});

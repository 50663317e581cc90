import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { analyze } from "../../src/analysis/analytic.js";
import { explainJson } from "../../src/analysis/explain-data.js";
import { IHI_LEVELS, reliabilityLevel } from "../../src/analysis/ihi.js";
import type { RunSummary } from "../../src/analysis/summary.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioFile } from "../../src/node/load.js";
import { explanationText } from "../../src/report/explain.js";
import { formatDecimal as formatNumber, formatPercent } from "../../src/report/format.js";
import { buildSpec, chainSpec } from "../fixtures/specs.js";
import { sampleSummary } from "../fixtures/summary.js";

/** The text of `explain`, rendered from the explanation's data. */
const explain = (spec: ModelSpec, a: ReturnType<typeof analyze>, simulated?: RunSummary): string =>
  explanationText(explainJson(spec, a, simulated));

const teaching = (file: string): string =>
  fileURLToPath(new URL(`../../scenarios/teaching/${file}`, import.meta.url));

/** The exact answers the teaching pack promises (README and each file's header). */
const ANSWERS: Record<string, number> = {
  "seven-steps.yaml": 0.95 ** 7,
  "seven-steps-six-handoffs.yaml": 0.95 ** 7 * 0.9 ** 6,
  "detection.yaml": 1 - 0.2 * (1 - 0.5),
  "branching.yaml": 0.95 * (0.3 * 0.9 + 0.7 * 0.98) * 0.95,
  "readmission-loop.yaml": (0.855 * 0.8) / (1 - 0.2 * 0.855),
  "all-or-none.yaml": 0.7 * 0.53 * 0.55,
};

const specs = new Map<string, ModelSpec>();

beforeAll(async () => {
  for (const file of Object.keys(ANSWERS)) {
    const { model: spec, warnings } = await loadScenarioFile(teaching(file));
    expect(warnings, file).toEqual([]);
    specs.set(file, spec);
  }
});

/** The explanation with line breaks and runs of spaces collapsed, so phrases match across wraps. */
const flat = (t: string): string => t.replace(/\s+/g, " ");

const text = (file: string): string => {
  const spec = specs.get(file)!;
  return flat(explain(spec, analyze(spec)));
};

describe("teaching scenarios", () => {
  it.each(Object.entries(ANSWERS))("%s has the exact answer its comment states", async (file, answer) => {
    const defectFree = analyze(specs.get(file)!).overall.defectFree;
    expect(Math.abs(defectFree - answer)).toBeLessThan(1e-12);
    // The header's "EXACT ANSWER: … = 0.69834 (69.8%)" must be that number, rounded.
    const source = await readFile(teaching(file), "utf8");
    const header = source.slice(source.indexOf("EXACT ANSWER"));
    const stated = /= (\d\.\d+) \((\d+(?:\.\d+)?)%\)/.exec(header);
    expect(stated, file).not.toBeNull();
    const decimals = stated![1]!.length - 2;
    expect(Number(stated![1])).toBe(Number(defectFree.toFixed(decimals)));
    expect(stated![2]).toBe(
      Number((defectFree * 100).toFixed(stated![2]!.split(".")[1]?.length ?? 0)).toString(),
    );
  });

  it("are all listed in the README", async () => {
    const readme = await readFile(teaching("README.md"), "utf8");
    for (const file of Object.keys(ANSWERS)) expect(readme).toContain(`\`${file}\``);
  });
});

describe("explain on the teaching scenarios", () => {
  it("seven steps: each step's arithmetic, the product, the levels, all-or-none", () => {
    const t = text("seven-steps.yaml");
    expect(t).toContain("12-lead ECG not sent ahead: 1 − 0.05 × (1 − 0) = 0.95");
    expect(t).toContain("Paramedics: 95.0%, IHI level 10⁻²");
    expect(t).toContain("0.95 × 0.95 × 0.95 × 0.95 × 0.95 × 0.95 × 0.95 = 0.6983 (69.8%)");
    expect(t).toContain("(That is, 0.95^7.)");
    expect(t).toContain("69.8% of journeys are defect-free");
    expect(t).toContain("about 698 get through without a single defect");
    expect(t).toContain("system is at IHI level chaotic");
    // Nolan & Berwick: average item 95% next to all-or-none 69.8%.
    expect(t).toContain("on average 95.0% reliable");
    expect(t).toContain("Handoffs that cannot fail (100%)");
    // All seven steps tie as levers: 0.95^6 if one is made perfect.
    expect(t).toContain(`(each of these 7, tied): ${formatPercent(0.95 ** 6)}`);
    // No branches or loops here: that section is left out.
    expect(t).not.toContain("Branches and loops");
  });

  it("seven steps with six handoffs: handoffs in the product and first among the levers", () => {
    const t = text("seven-steps-six-handoffs.yaml");
    expect(t).toContain("Information lost at the handoff: 1 − 0.1 × (1 − 0) = 0.9");
    expect(t).toContain("= 0.3711 (37.1%). (That is, 0.95^7 × 0.9^6.)");
    expect(t).toMatch(/Handoff Paramedics → Emergency department: 90\.0%, IHI level 10⁻¹/);
    const levers = explainJson(
      specs.get("seven-steps-six-handoffs.yaml")!,
      analyze(specs.get("seven-steps-six-handoffs.yaml")!),
    ).levers;
    expect(levers[0]!.kind).toBe("handoff");
    expect(levers[0]!.gain).toBeCloseTo(0.95 ** 7 * 0.9 ** 5 - 0.95 ** 7 * 0.9 ** 6, 12);
    expect(t).toContain(
      "can fail: 6 at 10⁻¹, 7 at 10⁻². The whole journey sits at a lower level than every one",
    );
  });

  it("detection: the caught half is not a defect", () => {
    const t = text("detection.yaml");
    expect(t).toContain(
      "Medication list wrong at admission: 1 − 0.2 × (1 − 0.5) = 0.9 (without the catch it would be 0.8)",
    );
    expect(t).toContain("Only one element can fail");
    expect(t).not.toContain("All-or-none");
    expect(t).toContain("Hospital admission: 90.0%, IHI level 10⁻¹");
    expect(t).toContain("90.0% of journeys are defect-free");
  });

  it("branching: the routes are weighed by their shares", () => {
    const t = text("branching.yaml");
    expect(t).toContain("Branches and loops");
    expect(t).toContain(
      "R(Emergency department) = 0.95 × (0.3 × R(Cardiac care unit) + 0.7 × R(Telemetry unit))",
    );
    expect(t).toContain("= 0.95 × (0.3 × 0.855 + 0.7 × 0.931) = 0.8628");
    // The most common route (through telemetry) and the figure over all routes.
    expect(t).toContain("Emergency department → Telemetry unit → Cardiac rehabilitation");
    expect(t).toContain("0.95 × 0.98 × 0.95 = 0.8844 (88.4%)");
    expect(t).toContain("are defect-free 86.3% of the time");
    expect(t).not.toContain("come back to a step already visited");
  });

  it("readmission loop: the loop is explained and the repeated visits counted", () => {
    const t = text("readmission-loop.yaml");
    expect(t).toContain("come back to a step already visited");
    expect(t).toContain("geometric series");
    expect(t).toContain("On average a patient visits: Hospital stay 1.25 times");
    expect(t).toContain("= 0.9 × (0.2 × 0.8251 + 0.8 × 1) = 0.8685");
    expect(t).toContain("82.5% of journeys are defect-free");
    expect(t).toContain("after 100 visits");
  });

  it("all-or-none: 20.4% get everything, against an item average of 59.3%", () => {
    const spec = specs.get("all-or-none.yaml")!;
    const t = text("all-or-none.yaml");
    expect(t).toContain("on average 59.3% reliable");
    expect(t).toContain("only 20.4% of patients get a journey with no defect");
    const x = explainJson(spec, analyze(spec));
    expect(x.allOrNone.items).toBe(3);
    expect(x.allOrNone.itemAverage).toBeCloseTo((0.7 + 0.53 + 0.55) / 3, 12);
    expect(x.levers.map((l) => l.element)).toEqual(["ward", "discharge", "admission"]);
    expect(t).toContain("Item 2 not done (done for 53%): 1 − 0.47 × (1 − 0) = 0.53");
    expect(t).toContain("Ward stay: 53.0%, IHI level chaotic");
  });

  it("keeps every line within 100 characters and has no simulation section without one", () => {
    for (const file of Object.keys(ANSWERS)) {
      const t = explain(specs.get(file)!, analyze(specs.get(file)!));
      for (const line of t.split("\n")) expect(line.length, `${file}: ${line}`).toBeLessThanOrEqual(100);
      expect(t).not.toContain("The simulation of");
    }
  });
});

function simulated(estimate: number, ci95: [number, number]): RunSummary {
  const s = sampleSummary();
  s.patients = 20000;
  s.reliability = { estimate, ci95, analytic: null, analytic_note: null, by_class: {} };
  s.outcomes.guard_stopped = 0;
  return s;
}

describe("explain with a simulation", () => {
  const spec = chainSpec([0.95, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95]);
  const analysis = analyze(spec);

  it("says when the exact value lies inside the simulated 95% interval", () => {
    const t = flat(explain(spec, analysis, simulated(0.6951, [0.6887, 0.7015])));
    expect(t).toContain("The simulation of 20,000 patients found 69.5% of journeys");
    expect(t).toContain("from 68.9% to 70.2%");
    expect(t).toContain("The exact value, 69.8%, lies inside this interval");
    expect(explainJson(spec, analysis, simulated(0.6951, [0.6887, 0.7015])).simulated!.inside).toBe(true);
  });

  it("says when it lies outside, and mentions journeys stopped by the visit guard", () => {
    const s = simulated(0.65, [0.643, 0.657]);
    s.outcomes.guard_stopped = 12;
    const t = flat(explain(spec, analysis, s));
    expect(t).toContain("lies outside this interval");
    expect(t).toContain("12 simulated journeys were stopped by the visit limit");
    expect(explainJson(spec, analysis, s).simulated!.inside).toBe(false);
  });

  it("compares each class when there are several", () => {
    const two = buildSpec({
      classes: [
        { id: "a", share: 0.5 },
        { id: "b", share: 0.5 },
      ],
      microsystems: [{ id: "ed", failures: [{ p: 0.1, classes: ["a"] }], next: [] }],
    });
    const s = simulated(0.95, [0.94, 0.96]);
    s.reliability.by_class = {
      a: { estimate: 0.9, ci95: [0.89, 0.91], patients: 100, analytic: null },
      b: { estimate: 0.99, ci95: [0.98, 0.995], patients: 100, analytic: null },
    };
    const t = flat(explain(two, analyze(two), s));
    expect(t).toContain("Class a: simulated 90.0% (89.0% to 91.0%), exact 90.0%: inside.");
    expect(t).toContain("Class b: simulated 99.0% (98.0% to 99.5%), exact 100.0%: outside.");
    expect(t).toContain("ed: 95.0%, IHI level 10⁻²");
    expect(t).toContain("(only for a)");
    expect(t).toContain("By patient class: 90.0% for a, 100.0% for b");
    expect(t).toContain("0.5 × 0.9 + 0.5 × 1 = 0.95");
  });
});

describe("IHI levels and number formatting", () => {
  it("uses the documented cut-offs, with exactly 95% counting as 10⁻²", () => {
    expect(reliabilityLevel(0.7999).id).toBe("chaotic");
    expect(reliabilityLevel(0.8).id).toBe("1e-1");
    expect(reliabilityLevel(0.9499).id).toBe("1e-1");
    expect(reliabilityLevel(1 - 0.05).id).toBe("1e-2");
    expect(reliabilityLevel(0.95 * (1 - 1e-12)).id).toBe("1e-2");
    expect(reliabilityLevel(0.9949).id).toBe("1e-2");
    expect(reliabilityLevel(0.995).id).toBe("1e-3");
    expect(reliabilityLevel(1).id).toBe("1e-3");
    expect(IHI_LEVELS.map((l) => l.from)).toEqual([0, 0.8, 0.95, 0.995]);
  });

  it("never prints a share that is not 100% as 100.0%, nor one above 0 as 0.0%", () => {
    expect(formatPercent(0.69833)).toBe("69.8%");
    expect(formatPercent(1)).toBe("100.0%");
    expect(formatPercent(0.99999)).toBe("99.999%");
    expect(formatPercent(0.00002)).toBe("0.002%");
    expect(formatPercent(0)).toBe("0.0%");
    expect(formatPercent(1 - 1e-12)).toBe(">99.9999%");
    expect(formatPercent(1e-12)).toBe("<0.0001%");
    expect(formatNumber(0.05)).toBe("0.05");
    expect(formatNumber(0.6983372960937497)).toBe("0.6983");
    expect(formatNumber(0.00012)).toBe("0.00012");
  });

  it("gives JSON that survives a round trip", () => {
    const spec = chainSpec([0.9, 0.8], 0.95);
    const x = explainJson(spec, analyze(spec));
    expect(JSON.parse(JSON.stringify(x))).toEqual(x);
    expect(x.whole.defectFree).toBeCloseTo(0.9 * 0.8 * 0.95, 14);
    expect(x.classes[0]!.path.at(-1)!.cumulative).toBeCloseTo(0.9 * 0.8 * 0.95, 14);
  });
});

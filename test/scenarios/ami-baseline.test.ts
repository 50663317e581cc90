import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { compareScenarios } from "../../src/analysis/compare.js";
import { runModel } from "../../src/analysis/run.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { story } from "../../src/model/story.js";
import { loadScenarioFile } from "../../src/node/load.js";
import { tellStory } from "../../src/report/story.js";
import { AMI_TARGETS, calibrate, calibrationTable } from "./calibration.js";

const BASELINE = "scenarios/ami-baseline.yaml";
const load = async (file: string): Promise<ModelSpec> => (await loadScenarioFile(file)).model;

describe("AMI baseline calibration (scenarios/README.md)", () => {
  it("reproduces every published target within its stated tolerance", async () => {
    const results = calibrate(await load(BASELINE));
    expect(results.map((r) => r.target.id)).toEqual(AMI_TARGETS.map((t) => t.id));
    for (const r of results) {
      const { target } = r;
      expect(Math.abs(r.simulated - target.target), `${target.label}: ${r.simulated}`).toBeLessThanOrEqual(
        target.tolerance,
      );
      // The interval is a real interval around the estimate (ten replications).
      expect(r.ci95[0]).toBeLessThanOrEqual(r.simulated);
      expect(r.ci95[1]).toBeGreaterThanOrEqual(r.simulated);
    }
  });

  it("the README's table states the same targets and tolerances the test checks", async () => {
    const readme = await readFile("scenarios/README.md", "utf8");
    const table = calibrationTable(calibrate(await load(BASELINE)));
    // Compare figure, published value, source and target columns: the simulated column is the
    // README's record of a run, regenerated with the command the README gives.
    const fixed = (line: string): string => line.split("|").slice(1, 5).join("|");
    const rows = table.split("\n").slice(2).map(fixed);
    const documented = readme
      .split("\n")
      .filter((l) => l.startsWith("| "))
      .map(fixed);
    for (const row of rows) expect(documented).toContain(row);
  });

  it("the 24/7 cath lab removes the off-hours penalty and shortens door-to-balloon", async () => {
    const baseline = await load(BASELINE);
    const allHours = await load("scenarios/ami-cathlab-24-7.yaml");
    const before = runModel(baseline).metrics.door_to_balloon!;
    const after = runModel(allHours).metrics.door_to_balloon!;
    expect(after.n).toBe(before.n);
    expect(after.median).toBeLessThan(before.median - 5);
    expect(after.within_target!).toBeGreaterThan(before.within_target!);
    // Door times classified by the baseline's staffed hours: the off-hours gap is gone.
    const hours = baseline.microsystems.find((m) => m.id === "cathlab")!.hours;
    const gap = calibrate(allHours, AMI_TARGETS, { hours }).find((r) => r.target.id === "d2b_off_minus_on")!;
    expect(Math.abs(gap.simulated)).toBeLessThan(3);
  });
});

describe("the 24/7 pair (scenarios/README.md): deaths avoided through the second time-to-treatment term", () => {
  it("shows deaths avoided with a paired interval above 0; with the first term alone, exactly none", async () => {
    const baseline = await load(BASELINE);
    const allHours = await load("scenarios/ami-cathlab-24-7.yaml");
    expect(baseline.mortality!.delays).toHaveLength(2);
    const both = (await compareScenarios(baseline, [allHours])).variants[0]!;
    expect(both.pairing.method).toBe("paired");
    const avoided = both.differences.deaths_avoided_per_1000!;
    expect(avoided.estimate).toBeGreaterThan(0.1);
    expect(avoided.ci95[0]).toBeGreaterThan(0);
    // The first term (first contact → door) is the same in both: alone, it sees no death avoided.
    const firstOnly = (spec: ModelSpec): ModelSpec => ({
      ...spec,
      mortality: { ...spec.mortality!, delays: spec.mortality!.delays.slice(0, 1) },
    });
    const one = (await compareScenarios(firstOnly(baseline), [firstOnly(allHours)])).variants[0]!;
    expect(one.differences.deaths_avoided_per_1000!.estimate).toBe(0);
    // Each patient's risk is the same in both; with queues, patients finish in another order, so
    // the replications' sums of risks may differ in the last bits (floating-point order).
    for (const end of one.differences.deaths_avoided_per_1000!.ci95) expect(Math.abs(end)).toBeLessThan(1e-9);
  });
});

describe("the AMI baseline's death at discharge", () => {
  it("story --find death tells a journey that ends at the death", async () => {
    const s = story(await load(BASELINE), { find: "death" });
    expect(s.ending).toBe("died");
    expect(s.events.at(-2)).toMatchObject({ kind: "death", milestone: "telemetry.end" });
    expect(s.events.some((e) => e.element === "cardiology" || e.element === "rehab")).toBe(false);
    const text = tellStory(s);
    expect(text).toContain("dies here: the 30-day outcome, drawn on reaching this point, ends the journey");
    expect(text).toContain("The journey ends there: no later visit, handoff, defect or metric happens.");
  });

  it("counts the journeys death cut short apart from completed and dropped ones", async () => {
    const s = runModel(await load(BASELINE), { patients: 4000 });
    const o = s.outcomes;
    expect(o.decided_at).toBe("telemetry.end");
    expect(o.died).toBeGreaterThan(0);
    expect(o.completed + o.dropped + o.died + o.guard_stopped).toBe(s.patients);
    // Every sampled death is drawn at discharge, which every journey reaches.
    expect(o.died).toBe(Math.round((o.mortality_per_1000!.sampled * s.patients) / 1000));
    expect(s.reliability.analytic).toBeNull();
    expect(s.reliability.analytic_note).toContain("outside staffed hours");
  });
});

describe("AMI baseline file", () => {
  it("keeps the ids other scenarios and tools rely on", async () => {
    const spec = await load(BASELINE);
    expect(spec.microsystems.map((m) => m.id)).toEqual(
      expect.arrayContaining(["paramedics", "ed", "cathlab", "ccu", "telemetry", "rehab", "cardiology"]),
    );
    expect(spec.classes.map((c) => c.id)).toEqual(["stemi_ems", "stemi_self", "nstemi"]);
    const modes = [...spec.microsystems, ...spec.handoffs].flatMap((el) => el.failures.map((f) => f.id));
    for (const id of [
      "no_prehospital_ecg",
      "late_activation",
      "procedural_complication",
      "monitoring_lapse",
      "discharge_meds_incomplete",
      "verbal_handoff_incomplete",
      "med_list_lost",
      "no_rehab_referral",
      "no_followup_appointment",
    ]) {
      expect(modes).toContain(id);
    }
    expect(spec.metrics.map((m) => m.id)).toEqual(["door_to_balloon", "fmc_to_device", "followup_7d"]);
  });

  it("every number carries a comment naming its source or saying `assumption`", async () => {
    const lines = (await readFile(BASELINE, "utf8")).split("\n");
    let description = false;
    lines.forEach((line, i) => {
      if (/^description:/.test(line)) description = true;
      else if (/^\S/.test(line)) description = false;
      // Names are text ("12-lead ECG…"), clock times are staffed hours with their own comment.
      const code = line
        .split("#")[0]!
        .replace(/^\s*(- )?name: .*/, "")
        .replace(/"\d\d:\d\d"/g, "");
      if (description || !/\d/.test(code)) return;
      // The comment is on the line or in the comment block just above it.
      const comment = line.includes("#") ? line.slice(line.indexOf("#")) : blockAbove(lines, i);
      expect(comment, `line ${i + 1}: ${line.trim()}`).toMatch(
        /assumption|\(\D*\d{4}|\d{4}\)|[A-Z][a-z]+ \d{4}/,
      );
    });
  });
});

/** The comment lines directly above line `i`, joined ("" when there are none). */
function blockAbove(lines: readonly string[], i: number): string {
  const block: string[] = [];
  for (let j = i - 1; j >= 0 && /^\s*#/.test(lines[j]!); j--) block.unshift(lines[j]!);
  return block.join(" ");
}

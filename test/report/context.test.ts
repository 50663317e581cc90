// What the reports say about issue 13's figures: deaths that end journeys, the condition that set
// a defect's p, severities, and no "exact" figure where none exists (terminal, HTML, story, trace,
// cascade chart, explain, compare, sensitivity).
import { describe, expect, it } from "vitest";
import { compareScenarios } from "../../src/analysis/compare.js";
import { explain } from "../../src/analysis/explain-data.js";
import { AnalysisError } from "../../src/analysis/markov.js";
import { runModel } from "../../src/analysis/run.js";
import { sensitivity } from "../../src/analysis/sensitivity.js";
import type { JourneyEvent, JourneyMonitor, PatientRef } from "../../src/model/events.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { story } from "../../src/model/story.js";
import { chartsFor } from "../../src/report/charts/index.js";
import { formatComparison } from "../../src/report/compare.js";
import { reportHtml } from "../../src/report/html/run-report.js";
import { formatSensitivity } from "../../src/report/sensitivity.js";
import { tellStory } from "../../src/report/story.js";
import { formatRunSummary } from "../../src/report/terminal.js";
import { TRACE_COLUMNS, traceRow } from "../../src/report/trace.js";
import { parseScenario } from "../../src/scenario/parse.js";

const SCENARIO = `
name: context
patients: 4000
microsystems:
  - id: ed
    time: 30 min
    hours: { open: "08:00", close: "16:00", days: [mon, tue, wed, thu, fri] }
    failures:
      - { id: wrong_drug, name: Wrong drug, p: 0.05, when: [{ off_hours: true, p: 0.3 }], severity: severe }
      - { id: late_letter, name: Late letter, p: 0.4, unless: [wrong_drug], severity: mild }
  - id: ward
    time: 1 d
  - id: clinic
    time: 30 min
outcomes:
  mortality:
    base: 0.2
    decided_at: ward.end
`;

const model = (): ModelSpec => parseScenario(SCENARIO, { name: "context.yaml" });
const META = { command: "handoff-sim run context.yaml", scenarioFile: "context.yaml", version: "test" };

describe("reports of a scenario with context-dependent failures and a death at discharge", () => {
  const summary = runModel(model());

  it("the run: journeys cut short by death apart, defects by severity, no exact figure and why", () => {
    expect(summary.outcomes.died).toBeGreaterThan(600);
    expect(summary.outcomes.completed + summary.outcomes.died).toBe(summary.patients);
    expect(summary.reliability.analytic).toBeNull();
    expect(summary.reliability.analytic_note).toContain('"Wrong drug"');
    const levels = Object.fromEntries(summary.severity.map((l) => [l.severity, l]));
    expect(levels.severe!.defects).toBe(summary.microsystems[0]!.modes[0]!.defects);
    expect(levels.mild!.defects).toBe(summary.microsystems[0]!.modes[1]!.defects);
    // A journey counts at its worst defect: with `unless`, never both here.
    expect(levels.severe!.journeys + levels.mild!.journeys).toBe(
      summary.patients * (1 - summary.reliability.estimate),
    );
    expect(summary.cascade.every((c) => c.analytic === null)).toBe(true);
  });

  it("the terminal: deaths, severities, and the reason instead of an analytic figure", () => {
    const text = formatRunSummary(summary);
    expect(text).toContain("Died at ward.end (journey cut short)");
    expect(text).toContain("Defects by severity (AHRQ harm scale)");
    expect(text).toMatch(/severe harm +\d/);
    expect(text).toContain("no exact figure: how often");
    expect(text).not.toContain("analytic");
  });

  it("the HTML report and the cascade chart: no exact figure, the reason, the deaths", () => {
    const charts = chartsFor(summary);
    const cascade = charts.find((c) => c.name === "cascade")!;
    expect(JSON.stringify(cascade.spec)).not.toContain("Analytic (exact)");
    const page = reportHtml(summary, [], META);
    expect(page).toContain('id="analytic-note"');
    expect(page).toContain("No exact value of whole-system reliability");
    expect(page).toContain("Died at ward.end (journey cut short)");
    expect(page).toContain("Defects by severity");
    expect(page).not.toMatch(/· exact \d/);
  });

  it("explain refuses, saying why in plain words", async () => {
    await expect(explain(model(), { simulate: false })).rejects.toThrow(AnalysisError);
    await expect(explain(model(), { simulate: false })).rejects.toThrow(/outside staffed hours/);
  });

  it("compare and sensitivity: simulated differences and gains, none called exact", async () => {
    const variant = model();
    variant.microsystems[0]!.failures[0]!.when![0]!.p = 0.1;
    const c = await compareScenarios(model(), [variant]);
    expect(c.variants[0]!.differences.reliability.analytic).toBeNull();
    expect(formatComparison(c)).not.toMatch(/exact/i);
    const s = await sensitivity({ ...model(), patients: 2000 });
    expect(s.items.every((i) => i.remove.reliability.method === "simulated")).toBe(true);
    const text = formatSensitivity(s);
    expect(text).toContain("simulated");
    expect(text).not.toMatch(/\bexact\b/i);
    // The wrong drug shows the range of its p (5% by day, 30% off-hours).
    expect(text).toContain("5%–30%");
  });

  it("the story: the condition that set p, the severity, a death that ends the journey", () => {
    let found = false;
    for (let k = 0; k < 200 && !found; k++) {
      const text = tellStory(story(model(), { patient: k }));
      if (text.includes("Wrong drug [severe harm] (outside staffed hours: 30.0% instead of 5.0%)"))
        found = true;
    }
    expect(found).toBe(true);
    const death = story(model(), { find: "death" });
    expect(death.ending).toBe("died");
    expect(death.events.some((e) => e.element === "clinic")).toBe(false);
    expect(tellStory(death)).toContain("dies here");
  });

  it("the trace: the death's risk and milestone, the defect's p, condition and severity", () => {
    const rows: { e: JourneyEvent; row: string }[] = [];
    const monitor: JourneyMonitor = {
      event(p: PatientRef, e: JourneyEvent) {
        if (rows.length < 5000) rows.push({ e, row: traceRow(p, e, 1) });
      },
    };
    runModel(model(), { patients: 300, monitor });
    const column = (row: string, name: string): string =>
      row.trimEnd().split(",")[TRACE_COLUMNS.indexOf(name as never)]!;
    const death = rows.find((r) => r.e.kind === "death")!;
    expect(column(death.row, "decided_at")).toBe("ward.end");
    expect(Number(column(death.row, "risk"))).toBeCloseTo(0.2, 12);
    const offHours = rows.find((r) => r.e.kind === "defect" && r.e.condition === 0)!;
    expect([
      column(offHours.row, "p"),
      column(offHours.row, "condition"),
      column(offHours.row, "severity"),
    ]).toEqual(["0.3", "0", "severe"]);
    const finish = rows.find((r) => r.e.kind === "finish" && r.e.ending === "died")!;
    expect(column(finish.row, "ending")).toBe("died");
  });
});

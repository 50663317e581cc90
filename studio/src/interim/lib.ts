// INTERIM, until the library's browser-safe API (src/index.ts, issue 11) lands: the contract's
// names built from the internals, so the page can be driven before then. Deleted at the merge.
import { type Analysis, analyze } from "../../../src/analysis/analytic.js";
import { summarize } from "../../../src/analysis/summarize.js";
import type { RunSummary } from "../../../src/analysis/summary.js";
import { type CompiledModel, compile } from "../../../src/model/compiled.js";
import { runUnit, type Unit, units as unitsOf } from "../../../src/model/simulate.js";
import type { ModelSpec } from "../../../src/model/spec.js";
import { Tally, type TallyJSON, tallyFromJSON, tallyToJSON } from "../../../src/model/tally.js";
import { cascadeChart } from "../../../src/report/charts/cascade.js";
import { formatMinutes, formatShare } from "../../../src/report/charts/format.js";
import { metricChart } from "../../../src/report/charts/metric.js";
import { pChart } from "../../../src/report/charts/pchart.js";
import { hasUtilization, waitsChart } from "../../../src/report/charts/waits.js";
import { scenarioJsonSchema } from "../../../src/scenario/format.js";
import { loadScenarioText, ScenarioError } from "../../../src/scenario/load.js";
import { memoryFiles } from "./fs.js";

export type Model = ModelSpec;

function withOverrides(spec: ModelSpec, o: { patients?: number; seed?: number }): ModelSpec {
  const patients = o.patients ?? spec.patients;
  return {
    ...spec,
    patients,
    seed: o.seed ?? spec.seed,
    replications: Math.min(spec.replications, patients),
  };
}
function analyzeOrNull(spec: ModelSpec): Analysis | null {
  try {
    return analyze(spec);
  } catch {
    return null;
  }
}

export type { Unit };
export interface Finding {
  file: string;
  line: number;
  column: number;
  path: string;
  message: string;
}
export interface Exact {
  reliability: number | null;
  note: string | null;
  elements: { microsystems: Record<string, number>; handoffs: Record<string, number> };
  cascade: { kind: "microsystem" | "handoff"; element: string; reliability: number; cumulative: number }[];
}
export type UnitExecutor = (
  model: Model,
  units: Unit[],
  onUnit: (unit: Unit, tally: TallyJSON) => void,
  signal?: AbortSignal,
) => Promise<void>;

export const VERSION = "interim";
export { scenarioJsonSchema };
export const formatPercent = (x: number) => formatShare(x);
export const formatDuration = (m: number) => formatMinutes(m);
export const formatInterval = (ci: [number, number]) => `${formatShare(ci[0])}–${formatShare(ci[1])}`;

export async function checkScenario(
  text: string,
  options: { name: string; resolve?: (path: string) => string },
): Promise<{ model: Model | null; findings: Finding[]; warnings: Finding[] }> {
  memoryFiles.resolve = options.resolve ?? null;
  try {
    const loaded = await loadScenarioText(text, options.name);
    return { model: loaded.spec, findings: [], warnings: [...loaded.warnings] };
  } catch (error) {
    if (error instanceof ScenarioError) return { model: null, findings: [...error.issues], warnings: [] };
    throw error;
  }
}

export function exact(model: Model): Exact {
  const a = analyzeOrNull(model);
  if (a === null)
    return {
      reliability: null,
      note: "no exact answer",
      elements: { microsystems: {}, handoffs: {} },
      cascade: [],
    };
  return { reliability: a.overall.defectFree, note: null, elements: a.overall.reliability, cascade: [] };
}

let compiled: { spec: ModelSpec; model: CompiledModel } | null = null;
export function simulateUnit(model: Model, unit: Unit): TallyJSON {
  if (compiled === null || JSON.stringify(compiled.spec) !== JSON.stringify(model))
    compiled = { spec: model, model: compile(model) };
  return tallyToJSON(runUnit(compiled.model, unit));
}

export async function run(
  spec: Model,
  options: {
    patients?: number;
    seed?: number;
    onProgress?: (d: number, t: number) => void;
    signal?: AbortSignal;
    executeUnits: UnitExecutor;
  },
): Promise<RunSummary> {
  const effective = withOverrides(spec, options);
  const began = performance.now();
  const model = compile(effective);
  const list = unitsOf(effective);
  const done = new Map<number, Tally>();
  const total = new Tally(model);
  let next = 0;
  await options.executeUnits(
    effective,
    list,
    (unit, json) => {
      done.set(unit.index, tallyFromJSON(model, json));
      for (let t = done.get(next); t !== undefined; t = done.get(next)) {
        total.merge(t);
        done.delete(next++);
      }
      options.onProgress?.(next, list.length);
    },
    options.signal,
  );
  return summarize(model, total, analyzeOrNull(effective), performance.now() - began);
}

export function runChartSpecs(summary: RunSummary, _extras: { model?: Model } = {}): Record<string, object> {
  const list = [
    ...(summary.cascade.length > 0 ? [cascadeChart(summary)] : []),
    ...Object.entries(summary.metrics)
      .filter(([, m]) => m.n > 0 && m.histogram.length > 0)
      .map(([id, m]) => metricChart(id, m)),
    ...(summary.weekly.some((w) => w.patients > 0) ? [pChart(summary.weekly)] : []),
    ...(hasUtilization(summary.microsystems) ? [waitsChart(summary.microsystems)] : []),
  ];
  return Object.fromEntries(list.map((c) => [c.name, c.spec]));
}

// ---- compare, explain, story (interim: from the v1 internals; compare runs in this thread) ----
import { compareScenarios } from "../../../src/analysis/compare.js";
import { explain as explainText } from "../../../src/analysis/explain.js";
import { compareChartsFor } from "../../../src/report/charts/index.js";
import { findJourney, tellStory as tellFound } from "../../../src/report/story.js";

export async function compare(
  baseline: Model,
  variants: Model[],
  options: { onProgress?: (d: number, t: number) => void } = {},
) {
  return compareScenarios(baseline, variants, { progress: options.onProgress });
}
export function compareChartSpecs(c: Awaited<ReturnType<typeof compare>>): Record<string, object> {
  return Object.fromEntries(compareChartsFor(c).map((x) => [x.name, x.spec]));
}
export function explain(model: Model): string {
  const a = analyzeOrNull(model);
  return a === null ? "No exact answer for this scenario." : explainText(model, a);
}
export function story(
  model: Model,
  options: { patient?: number; find?: "defect" | "drop" | "death" | "near-miss" | "smooth" },
) {
  return findJourney(model, options);
}
export function tellStory(s: ReturnType<typeof story>): string {
  return tellFound(s);
}

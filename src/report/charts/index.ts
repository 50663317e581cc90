// Which charts a report gets. Each builder decides for itself whether it applies, so a summary
// without arrivals simply has no p-chart. `compare` has its own list, over its own input.
import type { Comparison } from "../../analysis/compare.js";
import type { LeverageItem, Sensitivity } from "../../analysis/sensitivity.js";
import type { RunSummary } from "../../analysis/summary.js";
import { cascadeChart } from "./cascade.js";
import { chartSafe, chartText } from "./chart-text.js";
import { compareDifferencesChart } from "./compare-differences.js";
import { compareLevelsChart } from "./compare-levels.js";
import { leverageChart, tornadoChart } from "./leverage.js";
import { metricChart } from "./metric.js";
import { pChart } from "./pchart.js";
import type { ChartEntry } from "./types.js";
import {
  acceptabilityCurve,
  compareDriversChart,
  costEffectivenessPlane,
  hasCostEffectiveness,
  runDriversChart,
} from "./uncertainty.js";
import { hasUtilization, waitsChart } from "./waits.js";

export type { LeverageEffect, LeverageItem } from "../../analysis/sensitivity.js";
export type { ChartEntry } from "./types.js";

/** What a run's charts may draw on besides the summary. */
export interface ChartExtras {
  /** The leverage ranking (`leverage`); without it there is no leverage chart. */
  leverage?: LeverageItem[] | null;
}

/** Returns the charts that apply to this input, each alone (empty when none does). */
export type ChartBuilder<Input> = (input: Input) => ChartEntry[];

interface RunInput {
  summary: RunSummary;
  extras: ChartExtras;
}

const RUN_CHARTS: ChartBuilder<RunInput>[] = [
  ({ summary }) =>
    summary.cascade.length > 0 || (summary.cascades ?? []).some((c) => c.steps.length > 0)
      ? [cascadeChart(summary)]
      : [],
  ({ summary, extras }) =>
    extras.leverage !== undefined && extras.leverage !== null && extras.leverage.length > 0
      ? [leverageChart(summary, extras.leverage)]
      : [],
  ({ summary }) =>
    Object.entries(summary.metrics)
      .filter(([, m]) => m.n > 0 && m.histogram.length > 0)
      .map(([id, m]) => metricChart(id, m)),
  ({ summary }) => (summary.weekly.some((w) => w.patients > 0) ? [pChart(summary.weekly)] : []),
  ({ summary }) => (hasUtilization(summary.microsystems) ? [waitsChart(summary.microsystems)] : []),
  ({ summary }) => runDriversChart(summary),
];

/** The charts of a `run` report, in reading order: only those the run has data for. */
export function chartsFor(summary: RunSummary, extras: ChartExtras = {}): ChartEntry[] {
  return uniqueNames(RUN_CHARTS.flatMap((build) => build({ summary, extras })).map(safeEntry));
}

/** The differences first: they are what a team reads first. */
const COMPARE_CHARTS: ChartBuilder<Comparison>[] = [
  (c) => (c.variants.length > 0 ? [compareDifferencesChart(c)] : []),
  (c) => [compareLevelsChart(c)],
  (c) => (hasCostEffectiveness(c) ? [costEffectivenessPlane(c), acceptabilityCurve(c)] : []),
  (c) => compareDriversChart(c),
];

/** The charts of a `compare` report, in reading order. */
export function compareChartsFor(comparison: Comparison): ChartEntry[] {
  return uniqueNames(COMPARE_CHARTS.flatMap((build) => build(comparison)).map(safeEntry));
}

/** A chart whose text from the scenario cannot break vega or the SVG (chart-text.ts). */
function safeEntry(entry: ChartEntry): ChartEntry {
  return {
    ...entry,
    title: chartText(entry.title),
    caption: chartText(entry.caption),
    spec: chartSafe(entry.spec),
  };
}

/**
 * Names are file names (`<name>.vl.json`): made unique whatever the ids they come from (a second
 * "metric-x" becomes "metric-x-2"), so no chart overwrites another.
 */
function uniqueNames(entries: ChartEntry[]): ChartEntry[] {
  const taken = new Set<string>();
  return entries.map((entry) => {
    let name = entry.name;
    for (let n = 2; taken.has(name.toLowerCase()); n++) name = `${entry.name}-${n}`;
    taken.add(name.toLowerCase());
    return name === entry.name ? entry : { ...entry, name };
  });
}

/** The chart of a `sensitivity` report: the ranking's tornado, in the ranking's order. */
export function sensitivityChartsFor(s: Sensitivity): ChartEntry[] {
  if (s.items.length === 0) return [];
  const items = s.items.map((item) => ({
    element: item.element,
    kind: item.kind,
    mode: item.mode,
    severity: item.severity,
    remove: {
      reliability: item.remove.reliability.estimate,
      mortality_per_1000: item.remove.mortality_per_1000?.estimate ?? null,
    },
    halve: {
      reliability: item.halve.reliability.estimate,
      mortality_per_1000: item.halve.mortality_per_1000?.estimate ?? null,
    },
  }));
  const labels = new Map(
    s.items.map((item) => [`${item.element}#${item.mode}`, `${item.where}\n${item.name}`]),
  );
  const order = s.rank === "deaths" ? "most deaths avoided by removal" : "largest gain from removal";
  return [tornadoChart(items, (i) => labels.get(`${i.element}#${i.mode}`) ?? i.mode, order)];
}

/** A sensitivity ranking's Vega-Lite specs by chart name. */
export function sensitivityChartSpecs(s: Sensitivity): Record<string, object> {
  return specsByName(sensitivityChartsFor(s));
}

/** The charts of a run, each with its title and caption (what report.html shows). */
export const runCharts = chartsFor;

/** A run's Vega-Lite specs by chart name (what `run` writes as `<name>.vl.json`). */
export function runChartSpecs(summary: RunSummary, extras: ChartExtras = {}): Record<string, object> {
  return specsByName(chartsFor(summary, extras));
}

/** A comparison's Vega-Lite specs by chart name. */
export function compareChartSpecs(comparison: Comparison): Record<string, object> {
  return specsByName(compareChartsFor(comparison));
}

function specsByName(entries: ChartEntry[]): Record<string, object> {
  return Object.fromEntries(entries.map((c) => [c.name, c.spec]));
}

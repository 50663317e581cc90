// The files a run leaves behind, by name: summary.json, summary.csv, elements.csv and, unless
// charts are switched off, each chart's Vega-Lite spec (*.vl.json) and SVG, and report.html.
// A comparison leaves compare.json, compare.csv and, likewise, its charts and report.html.
import type { Comparison } from "../analysis/compare.js";
import type { LeverageItem, Sensitivity } from "../analysis/sensitivity.js";
import type { RunSummary } from "../analysis/summary.js";
import { type ChartEntry, chartsFor, compareChartsFor, sensitivityChartsFor } from "./charts/index.js";
import { comparisonCsv } from "./compare.js";
import { elementsCsv, summaryCsv } from "./csv.js";
import { type CompareReportMeta, compareReportHtml } from "./html/compare-report.js";
import { type ReportMeta, reportHtml } from "./html/run-report.js";
import { type SensitivityReportMeta, sensitivityReportHtml } from "./html/sensitivity-report.js";
import { type RenderedChart, renderCharts } from "./render.js";
import { sensitivityCsv } from "./sensitivity.js";

export { preloadCharts } from "./render.js";

export interface RunFileOptions {
  /** Vega-Lite specs, SVGs and report.html (the slow part: ~0.5 s of chart rendering). */
  charts: boolean;
  /** The leverage ranking for the tornado chart (`leverage`); none = no tornado. */
  leverage?: LeverageItem[] | null;
  meta: ReportMeta;
  /** Where chart-rendering warnings go (they never stop a run). */
  onWarning?: (message: string) => void;
}

export async function runFiles(
  summary: RunSummary,
  options: RunFileOptions,
): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    "summary.json": `${JSON.stringify(summary, null, 2)}\n`,
    "summary.csv": summaryCsv(summary),
    "elements.csv": elementsCsv(summary),
  };
  if (!options.charts) return files;
  const charts = await chartFiles(files, chartsFor(summary, { leverage: options.leverage }), options);
  files["report.html"] = reportHtml(summary, charts, options.meta);
  return files;
}

/** Renders the charts and adds each one's spec and SVG to `files`. */
async function chartFiles(
  files: Record<string, string>,
  entries: ChartEntry[],
  options: { onWarning?: (message: string) => void },
): Promise<RenderedChart[]> {
  const charts = await renderCharts(entries, options.onWarning);
  for (const chart of charts) {
    files[`${chart.name}.vl.json`] = `${JSON.stringify(chart.spec, null, 2)}\n`;
    files[`${chart.name}.svg`] = chart.svg;
  }
  return charts;
}

export interface CompareFileOptions {
  /** Vega-Lite specs, SVGs and report.html. */
  charts: boolean;
  meta: CompareReportMeta;
  /** Where chart-rendering warnings go (they never stop a comparison). */
  onWarning?: (message: string) => void;
}

export async function compareFiles(
  comparison: Comparison,
  options: CompareFileOptions,
): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    "compare.json": `${JSON.stringify(comparison, null, 2)}\n`,
    "compare.csv": comparisonCsv(comparison),
  };
  if (!options.charts) return files;
  const charts = await chartFiles(files, compareChartsFor(comparison), options);
  files["report.html"] = compareReportHtml(comparison, charts, options.meta);
  return files;
}

export interface SensitivityFileOptions {
  /** The tornado chart's spec and SVG, and report.html. */
  charts: boolean;
  meta: SensitivityReportMeta;
  /** Where chart-rendering warnings go (they never stop a ranking). */
  onWarning?: (message: string) => void;
}

/** The files a sensitivity ranking leaves: sensitivity.json, sensitivity.csv and, unless charts are off, the tornado and report.html. */
export async function sensitivityFiles(
  s: Sensitivity,
  options: SensitivityFileOptions,
): Promise<Record<string, string>> {
  const files: Record<string, string> = {
    "sensitivity.json": `${JSON.stringify(s, null, 2)}\n`,
    "sensitivity.csv": sensitivityCsv(s),
  };
  if (!options.charts) return files;
  const charts = await chartFiles(files, sensitivityChartsFor(s), options);
  files["report.html"] = sensitivityReportHtml(s, charts, options.meta);
  return files;
}

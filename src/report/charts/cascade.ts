// The reliability cascade: how the share of defect-free patients falls, step by step, along the
// main path — the product rule made visible, with the exact (analytic) curve beside the simulated.
import type { TopLevelSpec } from "vega-lite";
import type { CascadeStep, RunSummary } from "../../analysis/summary.js";
import { formatPercent } from "../format.js";
import { round } from "./axis.js";
import { elementLabel, microsystemNames, splitHandoff } from "./labels.js";
import { CHART_WIDTH, COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry, LayerChild } from "./types.js";

const SIMULATED = "Simulated";
const ANALYTIC = "Analytic (exact)";

interface CascadeRow {
  step: number;
  label: string;
  kind: "Start" | "Microsystem" | "Handoff";
  series: string;
  share: number;
  /** The share as the report writes it (d3's ".1%" rounds 11.65% up where formatShare says 11.6%). */
  text: string;
}

/**
 * Axis label of a step. A handoff reads "→ Cath lab" (the transfer towards it): its neighbours on
 * the axis already say where it comes from, and the short label keeps the axis legible.
 */
function stepLabel(names: Map<string, string>, step: CascadeStep): string {
  if (step.kind === "microsystem") return elementLabel(names, step.element);
  const h = splitHandoff(step.element);
  return h === null ? step.element : `→ ${names.get(h.to) ?? h.to}`;
}

/** Labels must be unique for an ordinal axis; a step the path visits twice gets "(2)". */
function uniqueLabels(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

function cascadeRows(
  names: Map<string, string>,
  steps: CascadeStep[],
): { rows: CascadeRow[]; labels: string[] } {
  // Every journey starts defect-free: the explicit 100% start makes the first step's loss visible.
  const labels = uniqueLabels(["Start", ...steps.map((s) => stepLabel(names, s))]);
  const rows: CascadeRow[] = [SIMULATED, ...(hasAnalytic(steps) ? [ANALYTIC] : [])].map((series) => ({
    step: 0,
    label: labels[0]!,
    kind: "Start",
    series,
    share: 1,
    text: formatPercent(1),
  }));
  steps.forEach((s, i) => {
    const base: Omit<CascadeRow, "series" | "share" | "text"> = {
      step: i + 1,
      label: labels[i + 1]!,
      kind: s.kind === "handoff" ? "Handoff" : "Microsystem",
    };
    rows.push({ ...base, series: SIMULATED, share: round(s.simulated), text: formatPercent(s.simulated) });
    if (s.analytic !== null) {
      rows.push({ ...base, series: ANALYTIC, share: round(s.analytic), text: formatPercent(s.analytic) });
    }
  });
  return { rows, labels };
}

function hasAnalytic(steps: CascadeStep[]): boolean {
  return steps.some((s) => s.analytic !== null);
}

/** "End of the main path: 11.6% (exact 11.5%)". */
function endOf(steps: CascadeStep[]): string {
  const last = steps.at(-1);
  if (last === undefined) return "";
  const analytic = last.analytic === null ? "" : ` (exact ${formatPercent(last.analytic)})`;
  return `end of the main path: ${formatPercent(last.simulated)}${analytic}`;
}

/** The classes' main paths the chart draws: one per class (version 1's mixed one if none). */
function paths(summary: RunSummary): { title: string | null; steps: CascadeStep[] }[] {
  const cascades = (summary.cascades ?? []).filter((c) => c.steps.length > 0);
  if (cascades.length === 0) return [{ title: null, steps: summary.cascade }];
  if (cascades.length === 1 && summary.classes.length <= 1)
    return [{ title: null, steps: cascades[0]!.steps }];
  return cascades.map((c) => ({
    title: `${c.class} (${formatPercent(c.share, 0)} of patients): ${endOf(c.steps)}`,
    steps: c.steps,
  }));
}

/**
 * The cascade multiplies the step reliabilities along a main path, so it ends near, not at, the
 * headline whole-journey figure (which counts every route): the subtitle gives both, so a reader
 * comparing the chart with the headline is not left wondering which is wrong.
 */
function subtitle(summary: RunSummary, drawn: { title: string | null; steps: CascadeStep[] }[]): string[] {
  const perClass = drawn.length > 1 || drawn[0]?.title !== null;
  const lines = [
    perClass
      ? "Each class on its own main path: share of its patients still defect-free after each microsystem and handoff (→ X: the handoff to X)"
      : "Share of patients still defect-free after each microsystem and handoff of the main path (→ X: the handoff to X)",
  ];
  const whole = `whole journey over every route: ${formatPercent(summary.reliability.estimate)}`;
  const only = drawn[0];
  if (!perClass && only !== undefined && only.steps.length > 0) {
    const end = endOf(only.steps);
    lines.push(`${end.charAt(0).toUpperCase()}${end.slice(1)}; ${whole}`);
  } else
    lines.push(`Whole journey, every class over every route: ${formatPercent(summary.reliability.estimate)}`);
  return lines;
}

/**
 * Both curves in one legend. The simulated line is wide and the analytic one thin and dashed on
 * top, so where they agree the dashes run inside the simulated line instead of hiding it.
 */
function lineLayer(series: string[]): LayerChild {
  const legendScale = { domain: series };
  return {
    mark: { type: "line" },
    encoding: {
      color: {
        field: "series",
        type: "nominal",
        title: null,
        scale: { ...legendScale, range: [COLORS.simulated, COLORS.analytic] },
      },
      strokeDash: {
        field: "series",
        type: "nominal",
        title: null,
        scale: {
          ...legendScale,
          range: [
            [1, 0],
            [5, 3],
          ],
        },
      },
      strokeWidth: {
        field: "series",
        type: "ordinal",
        title: null,
        scale: { ...legendScale, range: [3.5, 1.75] },
      },
    },
  };
}

/** Points on the simulated curve only; a diamond marks a handoff, a circle a microsystem. */
function pointLayer(): LayerChild {
  return {
    transform: [{ filter: `datum.series === '${SIMULATED}' && datum.step > 0` }],
    mark: { type: "point", filled: true, size: 80, opacity: 1, color: COLORS.simulated },
    encoding: {
      shape: {
        field: "kind",
        type: "nominal",
        title: null,
        scale: { domain: ["Microsystem", "Handoff"], range: ["circle", "diamond"] },
      },
    },
  };
}

function valueLayer(): LayerChild {
  return {
    transform: [{ filter: `datum.series === '${SIMULATED}' && datum.step > 0` }],
    // Above and to the right of its point: the curve never rises, so it arrives from the upper left
    // and leaves to the lower right, and this corner is the one it never crosses.
    mark: { type: "text", align: "left", baseline: "bottom", dx: 5, dy: -5, fontSize: 11, color: COLORS.ink },
    encoding: { text: { field: "text", type: "nominal" } },
  };
}

/** One main path as a layered chart: both curves, the points and their values. */
function panel(names: Map<string, string>, steps: CascadeStep[], title: string | null): LayerChild {
  const { rows, labels } = cascadeRows(names, steps);
  const series = hasAnalytic(steps) ? [SIMULATED, ANALYTIC] : [SIMULATED];
  return {
    ...(title === null ? {} : { title: { text: title, fontSize: 12, anchor: "start", fontWeight: "bold" } }),
    width: Math.max(CHART_WIDTH, labels.length * 48),
    height: 320,
    data: { values: rows },
    encoding: {
      x: {
        field: "label",
        type: "ordinal",
        // The order as the scale's domain (data), never as a sort array: vega-lite writes a sort array
        // into an expression (2,000 labels nest 2,000 deep, and vega chokes on "constructor").
        sort: null,
        scale: { domain: labels },
        title: null,
        axis: { labelAngle: -40, labelAlign: "right", labelLimit: 240, grid: false },
      },
      y: {
        field: "share",
        type: "quantitative",
        // Always from 0: the point of the cascade is how far the whole journey falls.
        scale: { domain: [0, 1] },
        axis: { format: ".0%", title: "Patients still defect-free", tickCount: 5 },
      },
    },
    layer: [lineLayer(series), pointLayer(), valueLayer()],
  } as LayerChild;
}

export function cascadeChart(summary: RunSummary): ChartEntry {
  const names = microsystemNames(summary);
  const drawn = paths(summary);
  const title = { text: "Reliability cascade", subtitle: subtitle(summary, drawn) };
  const [only] = drawn;
  const spec: TopLevelSpec =
    drawn.length === 1 && only !== undefined
      ? ({ $schema: SCHEMA, config: CONFIG, title, ...panel(names, only.steps, only.title) } as TopLevelSpec)
      : ({
          $schema: SCHEMA,
          config: CONFIG,
          title,
          vconcat: drawn.map((d) => panel(names, d.steps, d.title)),
          resolve: { scale: { x: "independent" } },
        } as TopLevelSpec);
  return {
    name: "cascade",
    title: "Reliability cascade",
    caption:
      "Each point is the share of patients with no defect so far, on each class's main path. Steep drops mark the " +
      "microsystems and handoffs that lose the most patients; the dashed line is the exact value from the routing model.",
    spec,
  };
}

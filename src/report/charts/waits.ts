// Waits and utilisation per microsystem, side by side: a unit running near full capacity is where
// the queue — and the delay that harms patients — builds up.
import type { TopLevelSpec } from "vega-lite";
import type { MicrosystemSummary } from "../../analysis/summary.js";
import { formatDuration, formatPercent } from "../format.js";
import { round, type TimeUnit, timeUnitFor } from "./axis.js";
import { COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry, Panel } from "./types.js";

const MEAN = "Mean";
const P90 = "90th percentile";
const PANEL_WIDTH = 300;

interface WaitRow {
  unit: string;
  stat: string;
  wait: number;
  label: string;
}

interface UtilizationRow {
  unit: string;
  utilization: number | null;
  /** Where the label starts: the bar's end, or 0 for a unit without a capacity limit. */
  at: number;
  label: string;
}

/** Both panels get the same height per microsystem so their rows line up. */
const ROW_HEIGHT = 40;

/** The chart applies only when some microsystem has a capacity (utilisation is measured). */
export function hasUtilization(microsystems: MicrosystemSummary[]): boolean {
  return microsystems.some((m) => m.utilization !== null);
}

/** Queues form only where capacity is limited; the others would add rows of "0 min" that say nothing. */
function queues(m: MicrosystemSummary): boolean {
  return m.utilization !== null || m.wait.mean > 0;
}

/**
 * What each bar says. Waits are skewed: when fewer than one arrival in ten waits at all, the
 * 90th percentile is 0 beside a mean of many minutes, and the label says why rather than leave a
 * reader to doubt the chart. A unit where nobody waited gets one label, not two zeros.
 */
function waitLabel(m: MicrosystemSummary, stat: string): string {
  if (m.wait.mean === 0) return stat === MEAN ? "nobody waited" : "";
  if (stat === MEAN) return formatDuration(m.wait.mean);
  return m.wait.p90 === 0 ? "0 min: at least 9 in 10 did not wait" : formatDuration(m.wait.p90);
}

function waitRows(microsystems: MicrosystemSummary[], unit: TimeUnit): WaitRow[] {
  return microsystems.flatMap((m) =>
    (
      [
        [MEAN, m.wait.mean],
        [P90, m.wait.p90],
      ] as const
    ).map(([stat, minutes]) => ({
      unit: m.name,
      stat,
      wait: round(minutes / unit.minutes),
      // The axis may be in days while an ED wait is minutes: each bar says its own value humanely.
      label: waitLabel(m, stat),
    })),
  );
}

function waitPanel(microsystems: MicrosystemSummary[], order: string[]): Panel {
  const unit = timeUnitFor(Math.max(1, ...microsystems.map((m) => Math.max(m.wait.p90, m.wait.mean))));
  return {
    width: PANEL_WIDTH,
    height: order.length * ROW_HEIGHT,
    title: { text: "Wait for a place", fontSize: 13, fontWeight: "normal", anchor: "start" },
    data: { values: waitRows(microsystems, unit) },
    encoding: {
      y: {
        field: "unit",
        type: "nominal",
        sort: null,
        scale: { domain: order },
        title: null,
        axis: { labelLimit: 220, ticks: false, labelPadding: 8 },
      },
      yOffset: { field: "stat", type: "nominal", sort: [MEAN, P90] },
      x: { field: "wait", type: "quantitative", title: `Wait (${unit.name})`, axis: { tickCount: 5 } },
    },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.9 } },
        encoding: {
          color: {
            field: "stat",
            type: "nominal",
            title: "Wait:",
            sort: [MEAN, P90],
            scale: { domain: [MEAN, P90], range: [COLORS.simulated, COLORS.simulatedLight] },
          },
        },
      },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10, color: COLORS.ink },
        encoding: { text: { field: "label", type: "nominal" } },
      },
    ],
  };
}

/** "0%" would read as an idle unit; below half a percent it is "< 1%". */
function utilizationLabel(utilization: number | null): string {
  if (utilization === null) return "no capacity limit";
  return utilization > 0 && utilization < 0.005 ? "< 1%" : formatPercent(utilization, 0);
}

function utilizationPanel(microsystems: MicrosystemSummary[], order: string[]): Panel {
  const rows: UtilizationRow[] = microsystems.map((m) => ({
    unit: m.name,
    utilization: m.utilization === null ? null : round(m.utilization),
    at: round(m.utilization ?? 0),
    label: utilizationLabel(m.utilization),
  }));
  return {
    width: 240,
    height: order.length * ROW_HEIGHT,
    title: { text: "Utilisation of capacity", fontSize: 13, fontWeight: "normal", anchor: "start" },
    data: { values: rows },
    encoding: {
      y: { field: "unit", type: "nominal", sort: null, scale: { domain: order }, title: null, axis: null },
      x: {
        field: "utilization",
        type: "quantitative",
        title: "Busy share of capacity",
        scale: { domain: [0, 1] },
        axis: { format: ".0%", values: [0, 0.25, 0.5, 0.75, 1] },
      },
    },
    layer: [
      { mark: { type: "bar", color: COLORS.simulated, height: { band: 0.6 } } },
      {
        // Unlimited units have no bar; their label starts at 0 so the row is not silently empty.
        mark: { type: "text", align: "left", dx: 4, fontSize: 10.5, color: COLORS.ink },
        encoding: {
          x: { field: "at", type: "quantitative", scale: { domain: [0, 1] } },
          text: { field: "label", type: "nominal" },
        },
      },
    ],
  };
}

/** The subtitle names the units left out, so no reader wonders where they went. */
function subtitle(left: MicrosystemSummary[]): string[] {
  const lines = [
    "Time from arriving at a microsystem to a free place (mean and 90th percentile), and how busy it was",
  ];
  if (left.length === 0) return lines;
  const lead = "Without a capacity limit, so never a queue (not shown):";
  const names = left.map((m) => m.name).join(", ");
  // A long list goes on its own line rather than widen the chart past its plots.
  return lead.length + names.length > 100 ? [...lines, lead, names] : [...lines, `${lead} ${names}`];
}

export function waitsChart(all: MicrosystemSummary[]): ChartEntry {
  const microsystems = all.filter(queues);
  const order = microsystems.map((m) => m.name);
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: { ...CONFIG, concat: { spacing: 28 } },
    title: {
      text: "Waits and utilisation per microsystem",
      subtitle: subtitle(all.filter((m) => !queues(m))),
    },
    hconcat: [waitPanel(microsystems, order), utilizationPanel(microsystems, order)],
  };
  return {
    name: "waits",
    title: "Waits and utilisation per microsystem",
    caption:
      "Queues grow fast as a unit nears full use: a microsystem with long waits and high utilisation " +
      "needs capacity or flow work before anything else there can help. Most patients may not wait at " +
      "all, so a long mean beside a short 90th percentile means a few patients wait a long time.",
    spec,
  };
}

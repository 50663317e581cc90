// The leverage (tornado) chart: which failure modes, if removed or halved, would gain the most
// defect-free journeys and avoid the most deaths — the "leverage processes" a team should own.
import type { TopLevelSpec } from "vega-lite";
import type { LeverageItem } from "../../analysis/sensitivity.js";
import type { RunSummary } from "../../analysis/summary.js";
import { formatCount } from "../format.js";
import { round } from "./axis.js";
import { elementLabel, failureModeName, microsystemNames } from "./labels.js";
import { COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry, Panel } from "./types.js";

/** More bars than this stop being readable on one page; the caption says how many were left out. */
export const LEVERAGE_TOP = 12;

const REMOVE = "Removed (p = 0)";
const HALVE = "Halved";

interface LeverageRow {
  item: string;
  change: string;
  gain_pp: number;
  deaths_avoided: number | null;
}

/**
 * Element and failure mode on two lines of one axis label, split at a line break: names in a
 * scenario are one-line texts, while "|" or "/" could well appear in them.
 */
function itemLabel(names: Map<string, string>, summary: RunSummary, item: LeverageItem): string {
  return `${elementLabel(names, item.element)}\n${failureModeName(summary, item.element, item.mode)}`;
}

function leverageRows(labels: string[], items: LeverageItem[]): LeverageRow[] {
  return items.flatMap((item, i) =>
    (
      [
        [REMOVE, item.remove],
        [HALVE, item.halve],
      ] as const
    ).map(([change, effect]) => ({
      item: labels[i]!,
      change,
      gain_pp: round(effect.reliability * 100, 3),
      // 0 − x (+ 0): a change of exactly 0 avoids 0 deaths, never "−0.00".
      deaths_avoided: effect.mortality_per_1000 === null ? null : round(0 - effect.mortality_per_1000, 3) + 0,
    })),
  );
}

/** One horizontal panel: bars for "removed" and "halved" side by side, with their values. */
function panel(
  field: "gain_pp" | "deaths_avoided",
  title: string,
  order: string[],
  showLabels: boolean,
): Panel {
  const format = field === "gain_pp" ? "+.1f" : "+.2f";
  return {
    height: { step: 17 },
    width: 300,
    encoding: {
      y: {
        field: "item",
        type: "nominal",
        sort: null,
        scale: { domain: order },
        title: null,
        axis: showLabels
          ? { labelExpr: "split(datum.label, '\\n')", labelLimit: 360, labelPadding: 8, ticks: false }
          : null,
      },
      yOffset: { field: "change", type: "nominal", sort: [REMOVE, HALVE] },
      x: { field, type: "quantitative", title, axis: { format: ".1~f", tickCount: 5 } },
      color: {
        field: "change",
        type: "nominal",
        title: "Failure mode changed:",
        sort: [REMOVE, HALVE],
        scale: { domain: [REMOVE, HALVE], range: [COLORS.simulated, COLORS.simulatedLight] },
      },
    },
    layer: [
      { mark: { type: "bar", height: { band: 0.9 } } },
      {
        mark: { type: "text", align: "left", dx: 4, fontSize: 10, color: COLORS.ink },
        encoding: { text: { field, type: "quantitative", format }, color: { value: COLORS.ink } },
      },
    ],
  };
}

function subtitle(
  shown: number,
  total: number,
  withDeaths: boolean,
  order: string,
  graded: boolean,
): string[] {
  const what = withDeaths ? "defect-free journeys gained and deaths avoided" : "defect-free journeys gained";
  const lines = [`Effect of removing or halving one failure mode at a time: ${what}`];
  if (!graded)
    lines.push(
      shown < total
        ? `The ${shown} modes with the ${order}, of ${formatCount(total)}`
        : `All ${shown} failure modes, ${order} first`,
    );
  else
    lines.push(
      shown < total
        ? `The first ${shown} of ${formatCount(total)}: most severe harm [in brackets] first, then the ${order}`
        : `All ${shown} failure modes: most severe harm [in brackets] first, then the ${order}`,
    );
  return lines;
}

export function leverageChart(summary: RunSummary, items: LeverageItem[]): ChartEntry {
  // The ranking arrives in its order (analysis/sensitivity.ts `rank`: severity first, then the gain
  // from removal); the chart keeps it, so a rare severe mode stays above a frequent mild one.
  const names = microsystemNames(summary);
  return tornadoChart(items, (item) => itemLabel(names, summary, item), "largest gain from removal");
}

/**
 * The tornado of a ranking already in its order (severity first, then the run's gain or, with
 * `sensitivity --rank deaths`, the deaths avoided), each failure mode named by `label`
 * ("element\nmode"); the severity is added in brackets when the modes have more than one.
 */
export function tornadoChart(
  ranked: LeverageItem[],
  label: (item: LeverageItem) => string,
  order: string,
): ChartEntry {
  const top = ranked.slice(0, LEVERAGE_TOP);
  // Severities in the labels only when they differ: then they explain the order.
  const graded = new Set(ranked.map((i) => i.severity)).size > 1;
  const labels = top.map((item) => `${label(item)}${graded ? ` [${item.severity}]` : ""}`);
  const withDeaths = top.some((i) => i.remove.mortality_per_1000 !== null);
  const gain = panel("gain_pp", "Defect-free journeys gained (percentage points)", labels, true);
  const deaths = panel("deaths_avoided", "Deaths avoided per 1000 patients", labels, false);
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: { ...CONFIG, concat: { spacing: 24 } },
    title: {
      text: "Leverage: which failure modes to fix first",
      subtitle: subtitle(top.length, ranked.length, withDeaths, order, graded),
    },
    data: { values: leverageRows(labels, top) },
    // Side by side, one row per failure mode in both panels: the labels on the left serve both.
    hconcat: withDeaths ? [gain, deaths] : [gain],
  };
  return {
    name: "leverage",
    title: "Leverage: which failure modes to fix first",
    caption:
      "Each pair of bars is one failure mode, changed alone while everything else stays as it is. " +
      "The longest bars are the leverage processes: fix those first.",
    spec,
  };
}

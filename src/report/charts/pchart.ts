// A p-chart of the weekly defect-free share. The simulated system never changes, so every wiggle
// inside the limits is common-cause variation: the picture teaches teams not to chase a bad week.
import type { TopLevelSpec } from "vega-lite";
import type { WeeklyPoint } from "../../analysis/summary.js";
import { formatNumber, formatPercent } from "../format.js";
import { round } from "./axis.js";
import { CHART_WIDTH, COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry, LayerChild } from "./types.js";

const INSIDE = "Within limits";
/** Chance that a point of a stable process falls outside p̄ ± 3σ (normal approximation). */
const FALSE_ALARM = 0.0027;
const OUTSIDE = "Outside limits (special cause)";

export interface PChartRow {
  week: number;
  patients: number;
  /** Defect-free share of the week's journeys. */
  p: number;
  centre: number;
  ucl: number;
  lcl: number;
  signal: string;
}

/**
 * Centre line p̄ = all defect-free journeys / all journeys (weighted, not the mean of the weekly
 * shares) and per-week limits p̄ ± 3·√(p̄(1−p̄)/nᵢ): a week with fewer patients varies more.
 * `defect_free` counts the week's defect-free journeys.
 */
export function pChartRows(weekly: WeeklyPoint[]): { centre: number; rows: PChartRow[] } {
  const weeks = weekly.filter((w) => w.patients > 0);
  const total = weeks.reduce((s, w) => s + w.patients, 0);
  const good = weeks.reduce((s, w) => s + w.defect_free, 0);
  const centre = total > 0 ? good / total : 0;
  const rows = weeks.map((w) => {
    const sigma = Math.sqrt((centre * (1 - centre)) / w.patients);
    const ucl = Math.min(1, centre + 3 * sigma);
    const lcl = Math.max(0, centre - 3 * sigma);
    const p = w.defect_free / w.patients;
    const outside = p > ucl || p < lcl;
    return {
      week: w.week,
      patients: w.patients,
      p: round(p),
      centre: round(centre),
      ucl: round(ucl),
      lcl: round(lcl),
      signal: outside ? OUTSIDE : INSIDE,
    };
  });
  return { centre, rows };
}

function limitLayer(field: "ucl" | "lcl"): LayerChild {
  return {
    mark: { type: "line", interpolate: "step", color: COLORS.limit, strokeWidth: 1.25, strokeDash: [5, 3] },
    encoding: { y: { field, type: "quantitative" } },
  };
}

/** "UCL", "LCL" and the centre's value, written just right of the last week. */
function endLabel(field: "ucl" | "lcl" | "centre", text: string, lastWeek: number): LayerChild {
  return {
    transform: [{ filter: `datum.week === ${lastWeek}` }],
    mark: { type: "text", align: "left", dx: 8, fontSize: 11, color: COLORS.muted },
    encoding: { y: { field, type: "quantitative" }, text: { value: text } },
  };
}

/** The centre line, drawn from the rows (each carries p̄) so it spans exactly the weeks shown. */
function centreLayer(): LayerChild {
  return {
    mark: { type: "line", color: COLORS.ink, strokeWidth: 1.5 },
    encoding: { y: { field: "centre", type: "quantitative" } },
  };
}

function observedLayers(): LayerChild[] {
  return [
    { mark: { type: "line", color: COLORS.simulated, strokeWidth: 1.25 } },
    {
      mark: { type: "point", filled: true, size: 42, opacity: 1 },
      encoding: {
        color: {
          field: "signal",
          type: "nominal",
          title: null,
          scale: { domain: [INSIDE, OUTSIDE], range: [COLORS.simulated, COLORS.signal] },
        },
        shape: {
          field: "signal",
          type: "nominal",
          title: null,
          scale: { domain: [INSIDE, OUTSIDE], range: ["circle", "diamond"] },
        },
      },
    },
  ];
}

function subtitle(centre: number, rows: PChartRow[]): string[] {
  const outside = rows.filter((r) => r.signal === OUTSIDE).length;
  // With 3σ limits a stable system still puts 0.27% of its points outside them: over three years
  // of weeks that is about one, so the count alone is no proof that anything changed.
  const byChance = formatNumber(rows.length * FALSE_ALARM, 1);
  const verdict =
    outside === 0
      ? "Every week within the limits: common-cause variation only"
      : `${outside} of ${rows.length} weeks outside the limits (chance alone puts about ${byChance} there): ` +
        "look for a special cause before reacting";
  return [
    `Centre line p̄ = ${formatPercent(centre)}; limits p̄ ± 3σ for each week's number of journeys`,
    verdict,
  ];
}

export function pChart(weekly: WeeklyPoint[]): ChartEntry {
  const { centre, rows } = pChartRows(weekly);
  const lastWeek = rows.at(-1)?.week ?? 0;
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: "Weekly defect-free share (p-chart)", subtitle: subtitle(centre, rows) },
    width: CHART_WIDTH,
    height: 280,
    data: { values: rows },
    encoding: {
      x: {
        field: "week",
        type: "quantitative",
        title: "Week in which the journeys started",
        scale: { nice: false, zero: false, padding: 10 },
        axis: { format: "d", tickMinStep: 1 },
      },
      y: {
        field: "p",
        type: "quantitative",
        title: "Defect-free journeys",
        scale: { zero: false },
        axis: { format: ".0%", tickCount: 6 },
      },
    },
    layer: [
      limitLayer("ucl"),
      limitLayer("lcl"),
      centreLayer(),
      ...observedLayers(),
      endLabel("ucl", "UCL", lastWeek),
      endLabel("lcl", "LCL", lastWeek),
      endLabel("centre", `p̄ ${formatPercent(centre)}`, lastWeek),
    ],
  };
  return {
    name: "p-chart",
    title: "Weekly defect-free share (p-chart)",
    caption:
      "Each point is one calendar week. The scenario did not change from week to week, so points " +
      "between the dashed limits are ordinary variation: a bad week inside them is no signal.",
    spec,
  };
}

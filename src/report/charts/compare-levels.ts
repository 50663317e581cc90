// The figures of a comparison side by side: baseline and variants, each with the run's own 95%
// interval where it has one, grouped by unit so that every axis means one thing.
import type { TopLevelSpec } from "vega-lite";
import type { Comparison } from "../../analysis/compare.js";
import { round } from "./axis.js";
import {
  type CompareFigure,
  compareFigures,
  formatLevel,
  GROUPS,
  type GroupId,
  validInterval,
} from "./compare-figures.js";
import {
  BASELINE_COLOR,
  chartedGroups,
  figureAxis,
  LABEL_WIDTH,
  LEVEL_WIDTH,
  PANEL_TITLE,
  scenarioNames,
  VALUE_FONT,
  VARIANT_COLORS,
  wrapLabel,
} from "./compare-layout.js";
import { textWidth } from "./text-width.js";
import { COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry, Panel } from "./types.js";

// --- the figures side by side ----------------------------------------------------------------------

interface LevelRow {
  figure: string;
  scenario: string;
  value: number;
  lo: number | null;
  hi: number | null;
  /** Where the value's label starts: past the whisker when there is one. */
  at: number;
  text: string;
}

function levelRows(figures: CompareFigure[], names: string[]): LevelRow[] {
  return figures.flatMap((f) =>
    f.levels.flatMap((level, i): LevelRow[] => {
      if (level === null || !Number.isFinite(level.value)) return [];
      const ci = validInterval(level.ci95) ? level.ci95 : null;
      return [
        {
          figure: wrapLabel(f.label),
          scenario: names[i]!,
          value: round(level.value, 6),
          lo: ci === null ? null : round(ci[0], 6),
          hi: ci === null ? null : round(ci[1], 6),
          at: round(Math.max(level.value, ci?.[1] ?? level.value), 6),
          text: formatLevel(level.value, f.group),
        },
      ];
    }),
  );
}

/** Shares on 0–100%; other groups from 0 to their largest value, with room for the labels. */
function levelDomain(group: GroupId, rows: LevelRow[]): [number, number] {
  if (group === "shares") return [0, 1];
  const max = Math.max(0, ...rows.map((r) => r.at));
  return [0, max > 0 ? max * 1.12 : 1];
}

function levelPanel(group: GroupId, rows: LevelRow[], names: string[], colors: string[]): Panel {
  const labels = [...new Set(rows.map((r) => r.figure))];
  const y = figureAxis(labels, true);
  const yOffset = { field: "scenario", type: "nominal", sort: null, scale: { domain: names } } as const;
  const x = {
    type: "quantitative",
    scale: { domain: levelDomain(group, rows), nice: false },
    title: null,
    axis: { format: group === "shares" ? ".0%" : ",~r", tickCount: 5 },
  } as const;
  return {
    title: { text: GROUPS[group].level, ...PANEL_TITLE },
    width: LEVEL_WIDTH,
    height: { step: 13 },
    data: { values: rows },
    layer: [
      {
        mark: { type: "bar", height: { band: 0.85 } },
        encoding: {
          y,
          yOffset,
          x: { field: "value", ...x },
          color: {
            field: "scenario",
            type: "nominal",
            title: null,
            sort: null,
            scale: { domain: names, range: colors },
          },
        },
      },
      {
        transform: [{ filter: "isValid(datum.lo)" }],
        mark: { type: "rule", color: COLORS.ink, strokeWidth: 1.5 },
        encoding: { y, yOffset, x: { field: "lo", ...x }, x2: { field: "hi" } },
      },
      {
        mark: {
          type: "text",
          align: "left",
          baseline: "middle",
          dx: 4,
          fontSize: VALUE_FONT,
          color: COLORS.ink,
        },
        encoding: { y, yOffset, x: { field: "at", ...x }, text: { field: "text", type: "nominal" } },
      },
    ],
  };
}

function scenarioColors(count: number): string[] {
  return [
    BASELINE_COLOR,
    ...Array.from({ length: count - 1 }, (_, i) => VARIANT_COLORS[i % VARIANT_COLORS.length]!),
  ];
}

/** Side by side when the names fit on one line above the chart, one per line otherwise. */
function legendColumns(names: string[]): number {
  const width = names.reduce((w, n) => w + textWidth(n, 12) + 40, 0);
  return width <= LABEL_WIDTH + LEVEL_WIDTH ? names.length : 1;
}

export function compareLevelsChart(c: Comparison): ChartEntry {
  const figures = compareFigures(c);
  const { prefix, names } = scenarioNames(c);
  const colors = scenarioColors(names.length);
  const rows = levelRows(figures, names);
  const panels = chartedGroups(figures).map((g) =>
    levelPanel(
      g,
      rows.filter((r) => figures.some((f) => f.group === g && wrapLabel(f.label) === r.figure)),
      names,
      colors,
    ),
  );
  const subtitle = [
    "Each scenario's value; whiskers are the run's own 95% interval where it has one",
    ...(prefix === "" ? [] : [`All scenarios: ${prefix.replace(/[\s—–:-]+$/, "")} — …`]),
  ];
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: {
      ...CONFIG,
      concat: { spacing: 30 },
      legend: { ...CONFIG.legend, columns: legendColumns(names), symbolType: "square" },
    },
    title: { text: "Baseline and variants side by side", subtitle },
    vconcat: panels,
    resolve: { scale: { x: "independent", y: "independent", yOffset: "independent" } },
  };
  return {
    name: "compare-figures",
    title: "Baseline and variants side by side",
    caption:
      "The headline figures of every scenario, grouped by unit. Differences that matter can be too small " +
      "to see here: read them, with their intervals, in the chart of differences.",
    spec,
  };
}

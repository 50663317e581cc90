// One calm look for every chart: large enough to read on a wall, quiet colours, and the only font
// the machines have (DejaVu), so the SVG, the PNG and the browser measure text the same way.
import type { Config } from "vega-lite";

export const FONT = "DejaVu Sans, sans-serif";

/** Colours: one blue for what was simulated, one orange for what was calculated, red for targets. */
export const COLORS = {
  ink: "#1f2a35",
  muted: "#5f6b76",
  grid: "#e4e8ec",
  simulated: "#1f5f8b",
  simulatedLight: "#9dbfd8",
  analytic: "#c8671b",
  target: "#b03a2e",
  limit: "#7d8a96",
  signal: "#c0392b",
} as const;

/** Width of one chart's plotting area in px; the HTML scales the SVG down on narrow screens. */
export const CHART_WIDTH = 640;

export const SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json";

export const CONFIG: Config = {
  font: FONT,
  background: "white",
  padding: 16,
  view: { stroke: null },
  axis: {
    labelFontSize: 12,
    titleFontSize: 13,
    titleFontWeight: "normal",
    labelColor: COLORS.ink,
    titleColor: COLORS.ink,
    gridColor: COLORS.grid,
    domainColor: COLORS.limit,
    tickColor: COLORS.limit,
    titlePadding: 10,
  },
  legend: {
    orient: "top",
    // Legends of different channels sit side by side at the top; keep them apart.
    padding: 6,
    columnPadding: 18,
    labelLimit: 320,
    labelFontSize: 12,
    titleFontSize: 12,
    titleFontWeight: "normal",
    labelColor: COLORS.ink,
    titleColor: COLORS.muted,
  },
  title: {
    anchor: "start",
    fontSize: 17,
    fontWeight: "bold",
    color: COLORS.ink,
    subtitleFontSize: 12.5,
    subtitleColor: COLORS.muted,
    subtitlePadding: 6,
    offset: 14,
  },
  header: { labelFontSize: 13, titleFontSize: 13 },
};

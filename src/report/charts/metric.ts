// One metric's distribution (e.g. door-to-balloon) with its target: the spread matters as much as
// the median, and the bars past the target line are the patients the target misses.
import type { TopLevelSpec } from "vega-lite";
import type { MetricSummary } from "../../analysis/summary.js";
import { formatCount, formatDuration, formatPercent } from "../format.js";
import { round, slug, type TimeUnit, timeTicks, timeUnitFor } from "./axis.js";
import { textWidth } from "./text-width.js";
import { CHART_WIDTH, COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry, LayerChild } from "./types.js";

const WITHIN = "Within target";
const OVER = "Over target";
const OVER_COLOR = "#b8c4cf";

interface BinRow {
  lo: number;
  hi: number;
  count: number;
  side: string;
}

/**
 * Bars in axis units, coloured by which side of the target they lie. A bin that straddles the
 * target is drawn as two parts of the same height, split at the target line, rather than
 * painting patients who met the target as if they missed it (or the reverse).
 */
function binRows(metric: MetricSummary, unit: TimeUnit): BinRow[] {
  const target = metric.target;
  const row = (lo: number, hi: number, count: number, side: string): BinRow => ({
    lo: round(lo / unit.minutes),
    hi: round(hi / unit.minutes),
    count,
    side,
  });
  return metric.histogram
    .filter((b) => Number.isFinite(b.lo) && Number.isFinite(b.hi))
    .flatMap((b) => {
      if (target === null || b.hi <= target) return [row(b.lo, b.hi, b.count, WITHIN)];
      if (b.lo >= target) return [row(b.lo, b.hi, b.count, OVER)];
      return [row(b.lo, target, b.count, WITHIN), row(target, b.hi, b.count, OVER)];
    });
}

function subtitle(metric: MetricSummary): string[] {
  const lines = [
    `${formatCount(metric.n)} journeys · median ${formatDuration(metric.median)} · ` +
      `90th percentile ${formatDuration(metric.p90)} · mean ${formatDuration(metric.mean)}`,
  ];
  if (metric.target !== null && metric.within_target !== null) {
    lines.push(
      `${formatPercent(metric.within_target)} within the target of ${formatDuration(metric.target)}`,
    );
  }
  return lines;
}

interface Marker {
  /** Position in axis units. */
  at: number;
  label: string;
  color: string;
  dash: number[];
  /** Which side of its line the label goes, so that two close markers label away from each other. */
  side: "left" | "right";
  /** 0 = the top line of labels, 1 = the line below it. */
  row: number;
}

const MARKER_FONT = 12;

/** A vertical rule with its label at the top of the plot. One datum, or it draws once per bin. */
function markerLayers({ at, label, color, dash, side, row }: Marker): LayerChild[] {
  const one = { values: [{}] };
  return [
    {
      data: one,
      mark: { type: "rule", color, strokeWidth: 2, strokeDash: dash },
      encoding: { x: { datum: at, type: "quantitative" } },
    },
    {
      data: one,
      mark: {
        type: "text",
        align: side === "right" ? "left" : "right",
        baseline: "top",
        dx: side === "right" ? 5 : -5,
        dy: 4 + row * (MARKER_FONT + 5),
        fontSize: MARKER_FONT,
        fontWeight: "bold",
        color,
      },
      encoding: {
        x: { datum: at, type: "quantitative" },
        y: { value: 0 },
        text: { value: label },
      },
    },
  ];
}

function barLayer(hasTarget: boolean, unit: TimeUnit, domainMax: number, maxCount: number): LayerChild {
  return {
    mark: { type: "bar", binSpacing: 1 },
    encoding: {
      x: {
        field: "lo",
        type: "quantitative",
        // The simulator already binned the data; this keeps the bars standing on zero.
        bin: { binned: true },
        title: `Time (${unit.name})`,
        scale: { domain: [0, domainMax], nice: false },
        axis: { values: timeTicks(domainMax, unit), format: "d" },
      },
      x2: { field: "hi" },
      y: {
        field: "count",
        type: "quantitative",
        title: "Journeys",
        // Headroom above the tallest bar for the marker labels.
        scale: { domainMax: Math.ceil(maxCount * 1.18) },
        axis: { format: ",d", tickCount: 5 },
      },
      color: {
        field: "side",
        type: "nominal",
        title: null,
        scale: { domain: [WITHIN, OVER], range: [COLORS.simulated, OVER_COLOR] },
        legend: hasTarget ? {} : null,
      },
    },
  };
}

/** Share of journeys the axis must show: the last 1% is a long, flat tail that squeezes the rest. */
const SHOWN = 0.99;
const PLOT_HEIGHT = 260;

/** Where the time axis ends, and what lies beyond it. */
interface Extent {
  /** Axis end in minutes: always the end of a bin, so no bar is cut. */
  end: number;
  /** Journeys in the bins past the end (0 when the axis shows them all). */
  hidden: number;
  /** End of the last non-empty bin: how long the longest journeys took. */
  longest: number;
}

/**
 * The axis covers the bins holding 99% of the journeys (and the target and median, always), so a
 * day-scale metric with a months-long tail is not squeezed into its first few bars.
 */
export function axisExtent(metric: MetricSummary): Extent {
  const bins = metric.histogram.filter((b) => Number.isFinite(b.lo) && Number.isFinite(b.hi));
  const total = bins.reduce((s, b) => s + b.count, 0);
  const longest = bins.reduce((m, b) => (b.count > 0 ? Math.max(m, b.hi) : m), 0);
  // The markers must fall inside the axis even when the histogram stops short of them.
  const markers = Math.max((metric.target ?? 0) * 1.08, metric.median * 1.08);
  let seen = 0;
  let end = 0;
  for (const b of bins) {
    if (seen >= SHOWN * total && b.lo >= markers) break;
    seen += b.count;
    end = b.hi;
  }
  return { end: Math.max(end, markers), hidden: total - seen, longest };
}

/** Says at the right edge how many journeys lie beyond it, and how far the tail reaches. */
function tailNote(extent: Extent, n: number, unit: TimeUnit): LayerChild[] {
  if (extent.hidden === 0) return [];
  return [
    {
      data: { values: [{}] },
      mark: {
        type: "text",
        align: "right",
        baseline: "middle",
        dx: -4,
        fontSize: 11,
        color: COLORS.muted,
      },
      encoding: {
        x: { datum: round(extent.end / unit.minutes), type: "quantitative" },
        y: { value: Math.round(PLOT_HEIGHT * 0.45) },
        text: {
          value: [
            `${formatCount(extent.hidden)} longer journeys (${formatPercent(extent.hidden / n)})`,
            `not drawn: up to ${formatDuration(extent.longest)} →`,
          ],
        },
      },
    },
  ];
}

/**
 * A label set to the left of its line that would run into the y axis goes to the right instead,
 * one line lower so it does not cross the other marker's label.
 */
function placed(marker: Marker, unit: TimeUnit, end: number): Marker {
  const room = (marker.at / (end / unit.minutes)) * CHART_WIDTH;
  const fits = textWidth(marker.label, MARKER_FONT, true) + 8 <= room;
  return marker.side === "right" || fits ? marker : { ...marker, side: "right", row: 1 };
}

/** The median and target rules, each labelled on the side away from the other. */
function markers(metric: MetricSummary, unit: TimeUnit, end: number): LayerChild[] {
  const target = metric.target;
  const medianFirst = target === null || metric.median <= target;
  // A lone median near the right edge labels leftwards, so the text stays over the plot.
  const medianRight = target === null ? metric.median < end * 0.75 : !medianFirst;
  const list: Marker[] = [
    {
      at: round(metric.median / unit.minutes),
      label: `Median ${formatDuration(metric.median)}`,
      color: COLORS.ink,
      dash: [4, 3],
      side: medianRight ? "right" : "left",
      row: 0,
    },
  ];
  if (target !== null) {
    list.push({
      at: round(target / unit.minutes),
      label: `Target ${formatDuration(target)}`,
      color: COLORS.target,
      dash: [],
      side: medianFirst ? "right" : "left",
      row: 0,
    });
  }
  return list.flatMap((m) => markerLayers(placed(m, unit, end)));
}

export function metricChart(id: string, metric: MetricSummary): ChartEntry {
  const extent = axisExtent(metric);
  const unit = timeUnitFor(extent.end);
  const shown = metric.histogram.filter((b) => b.lo < extent.end);
  const maxCount = Math.max(1, ...shown.map((b) => b.count));
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: metric.name, subtitle: subtitle(metric) },
    width: CHART_WIDTH,
    height: PLOT_HEIGHT,
    data: { values: binRows({ ...metric, histogram: shown }, unit) },
    layer: [
      barLayer(metric.target !== null, unit, round(extent.end / unit.minutes), maxCount),
      ...markers(metric, unit, extent.end),
      ...tailNote(extent, metric.n, unit),
    ],
  };
  return {
    name: `metric-${slug(id)}`,
    title: metric.name,
    caption:
      metric.target === null
        ? "How long this interval took across the journeys that reached both of its milestones."
        : "How long this interval took across the journeys that reached both of its milestones; " +
          "the grey part is the patients the target missed.",
    spec,
  };
}

// One metric's distribution (e.g. door-to-balloon) with its target: the spread matters as much as
// the median, and the bars past the target line are the patients the target misses.
import type { TopLevelSpec } from "vega-lite";
import type { MetricSummary } from "../../analysis/summary.js";
import {
  formatCount,
  formatMinutes,
  formatShare,
  round,
  slug,
  type TimeUnit,
  timeTicks,
  timeUnitFor,
} from "./format.js";
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
    `${formatCount(metric.n)} journeys · median ${formatMinutes(metric.median)} · ` +
      `90th percentile ${formatMinutes(metric.p90)} · mean ${formatMinutes(metric.mean)}`,
  ];
  if (metric.target !== null && metric.within_target !== null) {
    lines.push(`${formatShare(metric.within_target)} within the target of ${formatMinutes(metric.target)}`);
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
}

/** A vertical rule with its label at the top of the plot. One datum, or it draws once per bin. */
function markerLayers({ at, label, color, dash, side }: Marker): LayerChild[] {
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
        dy: 4,
        fontSize: 12,
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

export function metricChart(id: string, metric: MetricSummary): ChartEntry {
  const lastHi = metric.histogram.reduce((m, b) => (Number.isFinite(b.hi) ? Math.max(m, b.hi) : m), 0);
  // The markers must fall inside the axis even when the histogram stops short of them.
  const extent = Math.max(lastHi, (metric.target ?? 0) * 1.08, metric.median * 1.08);
  const unit = timeUnitFor(extent);
  const maxCount = Math.max(1, ...metric.histogram.map((b) => b.count));
  const layers: LayerChild[] = [
    barLayer(metric.target !== null, unit, round(extent / unit.minutes), maxCount),
  ];
  const target = metric.target;
  const medianFirst = target === null || metric.median <= target;
  // A lone median near the right edge labels leftwards, so the text stays over the plot.
  const medianRight = target === null ? metric.median < extent * 0.75 : !medianFirst;
  layers.push(
    ...markerLayers({
      at: round(metric.median / unit.minutes),
      label: `Median ${formatMinutes(metric.median)}`,
      color: COLORS.ink,
      dash: [4, 3],
      side: medianRight ? "right" : "left",
    }),
  );
  if (target !== null) {
    layers.push(
      ...markerLayers({
        at: round(target / unit.minutes),
        label: `Target ${formatMinutes(target)}`,
        color: COLORS.target,
        dash: [],
        side: medianFirst ? "right" : "left",
      }),
    );
  }
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: CONFIG,
    title: { text: metric.name, subtitle: subtitle(metric) },
    width: CHART_WIDTH,
    height: 260,
    data: { values: binRows(metric, unit) },
    layer: layers,
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

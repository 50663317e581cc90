// The charts of a probabilistic sensitivity analysis, from results only: the cost-effectiveness
// plane (one point per parameter set: deaths avoided against incremental cost), the acceptability
// curve (the share of sets in which a variant is worth its cost, by willingness to pay), and the
// drivers (which uncertain input moves the result most: rank correlation over the sets).
import type { TopLevelSpec } from "vega-lite";
import type { Comparison } from "../../analysis/compare.js";
import type { Driver, RunSummary } from "../../analysis/summary.js";
import { clean } from "../table.js";
import { CHART_WIDTH, COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry } from "./types.js";

function currencyOf(c: Comparison): string {
  const currency = c.variants.find((v) => v.uncertainty)?.uncertainty?.economics.currency ?? null;
  return currency === null ? "" : ` (${clean(currency)})`;
}

/** Whether the comparison has what a plane needs: draws with costs and deaths. */
export function hasCostEffectiveness(c: Comparison): boolean {
  return c.variants.some((v) => v.uncertainty?.acceptability != null);
}

export function costEffectivenessPlane(c: Comparison): ChartEntry {
  const values = c.variants.flatMap((v) =>
    (v.uncertainty?.per_draw ?? [])
      .filter((d) => d.deaths_avoided_per_1000 !== null && d.incremental_cost_per_patient !== null)
      .map((d) => ({
        variant: clean(v.scenario),
        deaths_avoided: d.deaths_avoided_per_1000,
        cost: d.incremental_cost_per_patient,
      })),
  );
  const title = "Cost-effectiveness plane";
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: CONFIG,
    title,
    width: CHART_WIDTH,
    height: 360,
    data: { values },
    layer: [
      { mark: { type: "rule", color: COLORS.limit }, encoding: { x: { datum: 0 } } },
      { mark: { type: "rule", color: COLORS.limit }, encoding: { y: { datum: 0 } } },
      {
        mark: { type: "point", filled: true, opacity: 0.6, size: 36 },
        encoding: {
          x: { field: "deaths_avoided", type: "quantitative", title: "Deaths avoided per 1000 patients" },
          y: { field: "cost", type: "quantitative", title: `Incremental cost per patient${currencyOf(c)}` },
          color: { field: "variant", type: "nominal", title: "Variant" },
          tooltip: [
            { field: "variant", type: "nominal" },
            {
              field: "deaths_avoided",
              type: "quantitative",
              format: ".3f",
              title: "Deaths avoided per 1000",
            },
            { field: "cost", type: "quantitative", format: ",.2f", title: "Incremental cost per patient" },
          ],
        },
      },
    ],
  };
  return {
    name: "ce-plane",
    title,
    caption:
      "One point per parameter set. Right of the vertical line the variant avoids deaths; above the horizontal line it costs more. Points to the right and below are better and cheaper.",
    spec,
  };
}

export function acceptabilityCurve(c: Comparison): ChartEntry {
  const values = c.variants.flatMap((v) =>
    (v.uncertainty?.acceptability ?? []).map((p) => ({
      variant: clean(v.scenario),
      wtp: p.wtp,
      probability: p.probability,
    })),
  );
  const title = "Cost-effectiveness acceptability curve";
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: CONFIG,
    title,
    width: CHART_WIDTH,
    height: 300,
    data: { values },
    mark: { type: "line", point: true, strokeWidth: 2 },
    encoding: {
      x: {
        field: "wtp",
        type: "quantitative",
        title: `Willingness to pay per death avoided${currencyOf(c)}`,
        axis: { format: "~s" },
      },
      y: {
        field: "probability",
        type: "quantitative",
        title: "Share of parameter sets worth the cost",
        scale: { domain: [0, 1] },
        axis: { format: ".0%" },
      },
      color: { field: "variant", type: "nominal", title: "Variant" },
      tooltip: [
        { field: "variant", type: "nominal" },
        { field: "wtp", type: "quantitative", format: ",.0f", title: "Willingness to pay" },
        { field: "probability", type: "quantitative", format: ".0%", title: "Share worth it" },
      ],
    },
  };
  return {
    name: "acceptability",
    title,
    caption:
      "For each willingness to pay per death avoided, the share of the parameter sets in which the variant's net monetary benefit (willingness to pay × deaths avoided − incremental cost) is positive.",
    spec,
  };
}

/** Bars of rank correlation, one per input, largest first. */
function driversChart(name: string, title: string, figure: string, drivers: readonly Driver[]): ChartEntry {
  const values = drivers
    .filter((d) => d.rank_correlation !== 0)
    .slice(0, 12)
    .map((d) => ({ input: clean(d.label), rho: Number(d.rank_correlation.toFixed(3)) }));
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: CONFIG,
    title,
    width: 360,
    height: { step: 22 },
    data: { values },
    mark: { type: "bar", color: COLORS.simulated },
    encoding: {
      y: { field: "input", type: "nominal", sort: null, title: null, axis: { labelLimit: 460 } },
      x: {
        field: "rho",
        type: "quantitative",
        title: `Rank correlation with ${figure}`,
        scale: { domain: [-1, 1] },
      },
      tooltip: [
        { field: "input", type: "nominal", title: "Input" },
        { field: "rho", type: "quantitative", format: "+.2f", title: "Rank correlation" },
      ],
    },
  };
  return {
    name,
    title,
    caption: `Which uncertain input moves ${figure} most over the parameter sets: Spearman's rank correlation of each input's drawn values with the result (+1: the result rises with the input; 0: no relation). A simpler measure than the expected value of partial perfect information, and named as such.`,
    spec,
  };
}

export function compareDriversChart(c: Comparison): ChartEntry[] {
  return c.variants.flatMap((v, i) =>
    v.uncertainty === undefined || v.uncertainty.drivers.every((d) => d.rank_correlation === 0)
      ? []
      : [
          driversChart(
            `drivers-${i + 1}`,
            `What drives ${clean(v.scenario)}'s result`,
            v.uncertainty.driver_figure.replaceAll("_", " "),
            v.uncertainty.drivers,
          ),
        ],
  );
}

export function runDriversChart(s: RunSummary): ChartEntry[] {
  const drivers = s.uncertainty?.drivers.reliability;
  if (drivers === undefined || drivers.every((d) => d.rank_correlation === 0)) return [];
  return [driversChart("drivers", "What drives reliability", "reliability", drivers)];
}

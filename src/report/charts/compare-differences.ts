// What a quality team reads first: each variant's paired difference from the baseline with its 95%
// interval, against a zero line, coloured by whether the change is an improvement.
import type { TopLevelSpec } from "vega-lite";
import type { Comparison, VariantComparison } from "../../analysis/compare.js";
import type { Estimate } from "../../analysis/summary.js";
import { fittedTicks, round } from "./axis.js";
import {
  type CompareFigure,
  compareFigures,
  formatChange,
  GROUPS,
  type GroupId,
  unchanged,
  type Verdict,
  validInterval,
  verdict,
} from "./compare-figures.js";
import {
  BASELINE_COLOR,
  chartedGroups,
  figureAxis,
  PANEL_TITLE,
  scenarioNames,
  VALUE_FONT,
  wrapLabel,
} from "./compare-layout.js";
import { textWidth } from "./text-width.js";
import { COLORS, CONFIG, SCHEMA } from "./theme.js";
import type { ChartEntry, LayerChild, Panel } from "./types.js";

const VERDICT_STYLE: Record<Verdict, { label: string; color: string; shape: string }> = {
  Better: { label: "Better", color: "#2e7d4f", shape: "circle" },
  Worse: { label: "Worse", color: "#b03a2e", shape: "diamond" },
  Changed: { label: "Changed (neither better nor worse)", color: COLORS.simulated, shape: "square" },
  "No clear change": {
    label: "No clear change (interval includes 0)",
    color: BASELINE_COLOR,
    shape: "circle",
  },
};
const VERDICT_ORDER: Verdict[] = ["Better", "Worse", "Changed", "No clear change"];

// --- the paired differences ------------------------------------------------------------------------

/** Width of one variant's column; the columns share each group's axis so lengths compare. */
function cellWidth(variants: number): number {
  return Math.max(220, Math.floor(620 / Math.max(1, variants)));
}

interface DiffRow {
  figure: string;
  estimate: number;
  lo: number | null;
  hi: number | null;
  verdict: Verdict;
  text: string;
  /** Where the label is centred: over the point, or pulled inwards so it stays inside the cell. */
  tx: number;
}

const NO_CHANGE = "no change";

function diffText(e: Estimate, group: GroupId): string {
  if (unchanged(e)) return NO_CHANGE;
  const { value, interval } = formatChange(e, group);
  return `${value} (${interval})`;
}

/**
 * One axis per group, over every variant's interval and zero, with room at both ends for the value
 * labels: 12% of the cell, plus the width of "no change" on the right when that label (written
 * beside its point on the zero line) would otherwise run into the next column.
 */
function diffDomain(figures: CompareFigure[], width: number): [number, number] {
  const values = [0];
  for (const f of figures) {
    for (const d of f.differences) {
      if (d === null) continue;
      values.push(d.estimate);
      if (validInterval(d.ci95)) values.push(...d.ci95);
    }
  }
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (max - min <= 1e-9) return [-1, 1];
  const atRight = figures.some((f) => f.differences.some((d) => d !== null && unchanged(d))) && max <= 1e-9;
  const left = width * 0.12;
  const right = width * 0.12 + (atRight ? textWidth(NO_CHANGE, VALUE_FONT) + 12 : 0);
  // Pixels for the data are what is left after both margins: stretch the span to match.
  const span = (max - min) / (1 - (left + right) / width);
  return [min - (left * span) / width, max + (right * span) / width];
}

function diffRows(
  figures: CompareFigure[],
  variant: number,
  domain: [number, number],
  width: number,
): DiffRow[] {
  const perPixel = (domain[1] - domain[0]) / width;
  return figures.flatMap((f): DiffRow[] => {
    const d = f.differences[variant];
    if (d === null || d === undefined) return [];
    const text = diffText(d, f.group);
    const half = (textWidth(text, VALUE_FONT) / 2 + 2) * perPixel;
    const tx =
      half * 2 >= domain[1] - domain[0]
        ? (domain[0] + domain[1]) / 2
        : Math.min(Math.max(d.estimate, domain[0] + half), domain[1] - half);
    const ci = validInterval(d.ci95) ? d.ci95 : null;
    return [
      {
        figure: wrapLabel(f.label),
        estimate: round(d.estimate, 6),
        lo: ci === null ? null : round(ci[0], 6),
        hi: ci === null ? null : round(ci[1], 6),
        verdict: verdict(d, f.better),
        text,
        tx: round(tx, 6),
      },
    ];
  });
}

function verdictScale(present: Verdict[], channel: "color" | "shape") {
  return {
    field: "verdict",
    type: "nominal",
    title: null,
    sort: present,
    scale: {
      domain: present,
      range: present.map((v) => (channel === "color" ? VERDICT_STYLE[v].color : VERDICT_STYLE[v].shape)),
    },
    legend: { labelExpr: legendLabels(present) },
  } as const;
}

/** The legend says what each verdict means; the data keeps the short names. */
function legendLabels(present: Verdict[]): string {
  return present.reduce(
    (expr, v) => `datum.label === '${v}' ? '${VERDICT_STYLE[v].label}' : ${expr}`,
    "datum.label",
  );
}

function diffLayers(
  labels: string[],
  first: boolean,
  domain: [number, number],
  present: Verdict[],
  width: number,
): LayerChild[] {
  const y = figureAxis(labels, first);
  // Ticks chosen to fit the cell: with four variants a cell is 220 px, and vega's five ticks of
  // "−0.6 −0.4 −0.2 0.0 0.2 0.4" ran into each other.
  const ticks = fittedTicks(domain, width);
  const x = {
    type: "quantitative",
    scale: { domain, nice: false },
    title: null,
    axis: { values: ticks.values, format: ticks.format },
  } as const;
  return [
    {
      // The zero line: left of it the variant has less of the figure, right of it more. Grey, so
      // a value label that crosses it stays legible.
      data: { values: [{}] },
      mark: { type: "rule", color: COLORS.limit, strokeWidth: 1.5 },
      encoding: { x: { datum: 0, ...x } },
    },
    {
      transform: [{ filter: "isValid(datum.lo)" }],
      mark: { type: "rule", strokeWidth: 2.5 },
      encoding: { y, x: { field: "lo", ...x }, x2: { field: "hi" }, color: verdictScale(present, "color") },
    },
    {
      mark: { type: "point", filled: true, size: 80, opacity: 1 },
      encoding: {
        y,
        x: { field: "estimate", ...x },
        color: verdictScale(present, "color"),
        shape: verdictScale(present, "shape"),
      },
    },
    {
      transform: [{ filter: `datum.text !== '${NO_CHANGE}'` }],
      mark: { type: "text", baseline: "bottom", dy: -8, fontSize: VALUE_FONT, color: COLORS.ink },
      encoding: { y, x: { field: "tx", ...x }, text: { field: "text", type: "nominal" } },
    },
    {
      // "no change" sits on the zero line: beside the point rather than across the line.
      transform: [{ filter: `datum.text === '${NO_CHANGE}'` }],
      mark: {
        type: "text",
        align: "left",
        baseline: "middle",
        dx: 9,
        fontSize: VALUE_FONT,
        color: COLORS.muted,
      },
      encoding: { y, x: { field: "estimate", ...x }, text: { field: "text", type: "nominal" } },
    },
  ];
}

function diffGroup(
  group: GroupId,
  figures: CompareFigure[],
  names: string[],
  variants: number,
  present: Verdict[],
): Panel {
  const mine = figures.filter((f) => f.group === group);
  const labels = mine.map((f) => wrapLabel(f.label));
  const width = cellWidth(variants);
  const domain = diffDomain(mine, width);
  return {
    title: { text: GROUPS[group].change, ...PANEL_TITLE },
    // Cells laid out by their plot areas alone, so the columns line up from one group to the next
    // whatever their tick labels stick out by.
    bounds: "flush",
    spacing: 44,
    hconcat: Array.from({ length: variants }, (_, i) => ({
      title: {
        text: names[i + 1]!,
        fontSize: 12,
        fontWeight: "bold",
        anchor: "start",
        color: COLORS.muted,
        limit: width,
      },
      width,
      height: { step: 40 },
      data: { values: diffRows(mine, i, domain, width) },
      layer: diffLayers(labels, i === 0, domain, present, width),
    })),
  };
}

/** "32.2 fewer defects", "0.19 more deaths", "no clear change in deaths" (from an "avoided" figure). */
function avoidedPhrase(avoided: Estimate, noun: string): string {
  const v = verdict(avoided, "higher");
  if (v === "No clear change") return `no clear change in ${noun}`;
  const { value } = formatChange({ estimate: Math.abs(avoided.estimate), ci95: avoided.ci95 }, "per1000");
  return `${value.replace(/^\+/, "")} ${v === "Better" ? "fewer" : "more"} ${noun}`;
}

function variantSentence(v: VariantComparison, name: string): string {
  const d = v.differences;
  const parts = [avoidedPhrase(d.defects_avoided_per_1000, "defects")];
  if (d.deaths_avoided_per_1000 !== null) parts.push(avoidedPhrase(d.deaths_avoided_per_1000, "deaths"));
  return `${name}: ${parts.join(", ")} per 1000 patients`;
}

function diffSubtitle(c: Comparison, names: string[], prefix: string): string[] {
  const unpaired = c.variants.some((v) => v.pairing.method === "unpaired");
  const first = c.variants[0]?.pairing;
  const over =
    first === undefined
      ? ""
      : ` over ${first.units} ${first.unit === "replication" ? "replications" : "batches of patients"}`;
  const method = unpaired
    ? "95% intervals: paired where the scenarios pair up, otherwise unpaired (Welch, wider)"
    : `95% intervals paired patient by patient (common random numbers)${over}`;
  return [
    `Variant − baseline for each headline figure; ${method}`,
    ...(prefix === "" ? [] : [`All scenarios: ${prefix.replace(/[\s—–:-]+$/, "")} — …`]),
    ...c.variants.map((v, i) => variantSentence(v, names[i + 1]!)),
  ];
}

export function compareDifferencesChart(c: Comparison): ChartEntry {
  const figures = compareFigures(c);
  const { prefix, names } = scenarioNames(c);
  const found = new Set(
    figures.flatMap((f) => f.differences.flatMap((d) => (d === null ? [] : [verdict(d, f.better)]))),
  );
  const present = VERDICT_ORDER.filter((v) => found.has(v));
  const spec: TopLevelSpec = {
    $schema: SCHEMA,
    config: { ...CONFIG, concat: { spacing: 30 } },
    title: { text: "What each change does: paired differences", subtitle: diffSubtitle(c, names, prefix) },
    vconcat: chartedGroups(figures).map((g) => diffGroup(g, figures, names, c.variants.length, present)),
    resolve: { scale: { x: "independent", y: "independent" } },
  };
  return {
    name: "compare-differences",
    title: "What each change does: paired differences",
    caption:
      "Each point is a variant's change from the baseline and its line the 95% interval. An interval clear " +
      "of the zero line is a real difference at this run length; one that crosses it is not yet.",
    spec,
  };
}

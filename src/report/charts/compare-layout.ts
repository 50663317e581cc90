// What both compare charts share: the room for figure names, the scenario colours and names, and
// the figure axis. The charts themselves: compare-differences.ts (read first) and compare-levels.ts.
import type { Comparison } from "../../analysis/compare.js";
import { CHARTED, type CompareFigure, type GroupId } from "./compare-figures.js";
import { COLORS } from "./theme.js";

/** Room for the figure names left of every panel, the same everywhere so the plots line up. */
export const LABEL_WIDTH = 230;
/** Characters per line of a figure name before it wraps onto a second line. */
export const WRAP = 30;
export const LEVEL_WIDTH = 460;
export const VALUE_FONT = 11;
export const PANEL_TITLE = {
  fontSize: 13,
  fontWeight: "normal",
  anchor: "start",
  color: COLORS.ink,
} as const;

/** The baseline in grey, each variant in its own colour (cycled past seven variants). */
export const BASELINE_COLOR = "#8e99a4";
export const VARIANT_COLORS = ["#1f5f8b", "#c8671b", "#2e7d4f", "#7b4f9d", "#a83279", "#4d7c8a", "#9a7b0a"];

// --- names -----------------------------------------------------------------------------------------

/** Separators after which a shared start of the scenario names ("AMI pathway — ") can be left off. */
const SEPARATORS = [" — ", " – ", " - ", ": "];

/**
 * The scenarios as the charts name them, baseline first. Variants usually share the baseline's
 * name up to a dash ("AMI pathway — I-PASS handoffs"): that shared start is said once in the
 * subtitle instead of squeezing every label. Duplicate names get "(2)" so each keeps its colour.
 */
export function scenarioNames(c: Comparison): { prefix: string; names: string[] } {
  const full = [c.baseline.scenario, ...c.variants.map((v) => v.scenario)];
  const prefix = sharedPrefix(full);
  const seen = new Map<string, number>();
  const names = full.map((name) => {
    const short = name.slice(prefix.length);
    const n = (seen.get(short) ?? 0) + 1;
    seen.set(short, n);
    return n === 1 ? short : `${short} (${n})`;
  });
  return { prefix, names };
}

function sharedPrefix(names: string[]): string {
  const first = names[0] ?? "";
  let best = "";
  for (const sep of SEPARATORS) {
    for (let at = first.indexOf(sep); at >= 0; at = first.indexOf(sep, at + 1)) {
      const prefix = first.slice(0, at + sep.length);
      const fits = names.every((n) => n.startsWith(prefix) && n.length > prefix.length);
      if (fits && prefix.length > best.length) best = prefix;
    }
  }
  return best;
}

/** A figure name on at most two lines, split at a space near the middle (the axis splits at "\n"). */
export function wrapLabel(label: string, width = WRAP): string {
  if (label.length <= width) return label;
  const limit = Math.max(width, label.length / 2);
  // The first line's length is counted as words are added (no text built per word: linear).
  let end = 0;
  for (let at = 0; at <= label.length; ) {
    const space = label.indexOf(" ", at);
    const next = space < 0 ? label.length : space;
    if (end > 0 && next > limit) break;
    end = next;
    if (space < 0) break;
    at = space + 1;
  }
  const first = label.slice(0, end);
  const rest = label.slice(end).trim();
  return rest === "" ? first : `${first}\n${rest}`;
}

export function figureAxis(labels: string[], show: boolean) {
  return {
    field: "figure",
    type: "nominal",
    // Ordered by the domain (data), not a sort array (an expression built from the labels).
    sort: null,
    scale: { domain: labels },
    title: null,
    axis: show
      ? {
          labelExpr: "split(datum.label, '\\n')",
          labelLimit: LABEL_WIDTH,
          minExtent: LABEL_WIDTH,
          labelFontSize: 12,
          labelPadding: 8,
          ticks: false,
        }
      : null,
  } as const;
}

export function chartedGroups(figures: CompareFigure[]): GroupId[] {
  return CHARTED.filter((g) => figures.some((f) => f.group === g));
}

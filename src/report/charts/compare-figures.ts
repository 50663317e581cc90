// The headline figures of a comparison as one list, read by the compare charts and the compare
// report alike so both say the same thing: each figure in the unit a reader compares it in, the
// baseline's and each variant's value, and each variant's paired difference in that same unit.

import type { Comparison, VariantComparison } from "../../analysis/compare.js";
import { figuresOf } from "../../analysis/figures.js";
import type { Estimate, Interval, MetricSummary, RunSummary } from "../../analysis/summary.js";
import { own } from "../../engine/records.js";
import {
  decimalsFor,
  durationUnit,
  formatDuration,
  formatDurationIn,
  formatNumber,
  formatPercent,
  NOISE,
  formatSigned as signed,
  validInterval,
} from "../format.js";
import { type TimeUnit, timeUnitFor } from "./axis.js";

export { validInterval };

/**
 * Figures are grouped by unit so that one axis serves a whole group: shares of patients, deaths per
 * 1000 (alone: its changes are a hundred times smaller than those of defects), other counts per
 * 1000, median times in minutes, hours or days, and mean waits (listed in the report, not charted).
 */
export type GroupId = "shares" | "deaths" | "per1000" | "minutes" | "hours" | "days" | "waits";

/** Which way a change is an improvement; "neither" for near misses (fewer failures, or fewer caught?). */
export type Better = "higher" | "lower" | "neither";

/** One scenario's value of a figure, with the run's own 95% interval where the run gives one. */
export interface Level {
  value: number;
  ci95: Interval | null;
}

export interface CompareFigure {
  /** Stable id: `reliability`, `completed`, `metric.<id>.median`, … */
  key: string;
  /** What a reader calls it: "Defect-free journeys", "Door-to-balloon within 90 min". */
  label: string;
  group: GroupId;
  better: Better;
  /** Baseline first, then each variant in order; null where that scenario lacks the figure. */
  levels: (Level | null)[];
  /** Each variant's difference from the baseline (variant − baseline), in the group's change unit. */
  differences: (Estimate | null)[];
}

interface GroupInfo {
  /** Axis title for the values. */
  level: string;
  /** Axis title for the differences. */
  change: string;
  /** Suffix of a difference ("pts", "min"), or "" for a bare number. */
  suffix: string;
  /** Least decimals a difference is written with. */
  decimals: number;
}

export const GROUPS: Record<GroupId, GroupInfo> = {
  shares: {
    level: "Shares of patients",
    change: "Shares of patients: change in percentage points",
    suffix: "pts",
    decimals: 1,
  },
  deaths: {
    level: "30-day deaths per 1000 patients (expected)",
    change: "30-day deaths: change per 1000 patients",
    suffix: "",
    decimals: 2,
  },
  per1000: {
    level: "Defects and near misses per 1000 patients",
    change: "Defects and near misses: change per 1000 patients",
    suffix: "",
    decimals: 1,
  },
  minutes: {
    level: "Median times (minutes)",
    change: "Median times: change in minutes",
    suffix: "min",
    decimals: 1,
  },
  hours: { level: "Median times (hours)", change: "Median times: change in hours", suffix: "h", decimals: 1 },
  days: { level: "Median times (days)", change: "Median times: change in days", suffix: "d", decimals: 1 },
  waits: { level: "Mean waits", change: "Mean waits: change in minutes", suffix: "min", decimals: 1 },
};

/** The groups drawn in the charts, in reading order; mean waits stay in the report's tables. */
export const CHARTED: GroupId[] = ["shares", "deaths", "per1000", "minutes", "hours", "days"];

const TIME_GROUPS: Record<string, GroupId> = { minutes: "minutes", hours: "hours", days: "days" };

/** The value of a figure in one run, and its difference in one variant comparison. */
interface FigureSource {
  key: string;
  label: string;
  group: GroupId;
  better: Better;
  level: (s: RunSummary) => Level | null;
  difference: (v: VariantComparison) => Estimate | null;
}

/** The figures a comparison has, in reading order (the groups in CHARTED order, then waits). */
export function compareFigures(c: Comparison): CompareFigure[] {
  const runs = [c.baseline, ...c.variants.map((v) => v.summary)];
  const figures = sources(c).map((src) => ({
    key: src.key,
    label: src.label,
    group: src.group,
    better: src.better,
    levels: runs.map(src.level),
    differences: c.variants.map((v) => finite(src.difference(v))),
  }));
  return figures.filter(informative);
}

function sources(c: Comparison): FigureSource[] {
  const b = c.baseline;
  const per = (count: number): number => count / b.patients;
  const list: FigureSource[] = [
    {
      key: "reliability",
      label: "Defect-free journeys",
      group: "shares",
      better: "higher",
      level: (s) => ({ value: s.reliability.estimate, ci95: s.reliability.ci95 }),
      difference: (v) => scale(v.differences.reliability, 100),
    },
    {
      key: "completed",
      label: "Completed journeys",
      group: "shares",
      better: "higher",
      level: (s) => share(s.outcomes.completed, s.patients),
      difference: (v) => scale(v.differences.completed, 100 * per(1)),
    },
    {
      key: "dropped",
      label: "Lost to follow-up",
      group: "shares",
      better: "lower",
      level: (s) => share(s.outcomes.dropped, s.patients),
      difference: (v) => scale(v.differences.dropped, 100 * per(1)),
    },
    ...metricSources(c, "within_target"),
  ];
  if (b.outcomes.mortality_per_1000 !== null) list.push(deathsSource());
  list.push(...countSources(per), ...metricSources(c, "median"), ...waitSources(b), ...blockedSources(b));
  return list;
}

function deathsSource(): FigureSource {
  return {
    key: "mortality_per_1000",
    label: "30-day deaths (expected)",
    group: "deaths",
    better: "lower",
    level: (s) => {
      const m = s.outcomes.mortality_per_1000;
      return m === null ? null : { value: m.expected, ci95: m.ci95 };
    },
    difference: (v) => v.differences.mortality_per_1000,
  };
}

function countSources(per: (count: number) => number): FigureSource[] {
  return [
    {
      key: "defects_per_1000",
      label: "Defects (uncaught failures)",
      group: "per1000",
      better: "lower",
      level: (s) => ({ value: figuresOf(s).defects_per_1000 ?? Number.NaN, ci95: null }),
      // The comparison reports defects avoided (baseline − variant); every chart row is variant − baseline.
      difference: (v) => scale(v.differences.defects_avoided_per_1000, -1),
    },
    {
      key: "near_misses",
      label: "Near misses (caught failures)",
      group: "per1000",
      better: "neither",
      level: (s) => share(s.outcomes.near_misses, s.patients, 1000),
      difference: (v) => scale(v.differences.near_misses, 1000 * per(1)),
    },
  ];
}

/** A metric's within-target share (metrics with a target only) or its median, per metric. */
function metricSources(c: Comparison, what: "within_target" | "median"): FigureSource[] {
  return Object.entries(c.baseline.metrics).flatMap(([id, metric]): FigureSource[] => {
    const of = (s: RunSummary): MetricSummary | null => {
      const m = own(s.metrics, id);
      return m === undefined || m.n === 0 ? null : m;
    };
    if (what === "within_target") {
      if (metric.target === null) return [];
      return [
        {
          key: `metric.${id}.within_target`,
          label: `${metric.name} within ${formatDuration(metric.target)}`,
          group: "shares",
          better: "higher",
          level: (s) => {
            const w = of(s)?.within_target;
            return w === null || w === undefined ? null : { value: w, ci95: null };
          },
          difference: (v) => scale(own(v.differences.metrics, id)?.within_target ?? null, 100),
        },
      ];
    }
    const unit = metricUnit(c, id);
    return [
      {
        key: `metric.${id}.median`,
        label: `${metric.name} (median)`,
        group: TIME_GROUPS[unit.name] ?? "minutes",
        better: "lower",
        level: (s) => {
          const m = of(s);
          return m === null ? null : { value: m.median / unit.minutes, ci95: null };
        },
        difference: (v) => scale(own(v.differences.metrics, id)?.median ?? null, 1 / unit.minutes),
      },
    ];
  });
}

/** One unit per metric, fitting its largest median in any scenario, so its bars are comparable. */
function metricUnit(c: Comparison, id: string): TimeUnit {
  const medians = [c.baseline, ...c.variants.map((v) => v.summary)].map(
    (s) => own(s.metrics, id)?.median ?? 0,
  );
  return timeUnitFor(Math.max(1, ...medians.filter(Number.isFinite)));
}

/** Mean waits where someone waits: without queues every wait is 0 and rows of zeros say nothing. */
function waitSources(b: RunSummary): FigureSource[] {
  return b.microsystems.map((m) => ({
    key: `wait.${m.id}`,
    label: `Mean wait: ${m.name}`,
    group: "waits" as const,
    better: "lower" as const,
    level: (s: RunSummary) => {
      const x = s.microsystems.find((y) => y.id === m.id);
      return x === undefined || x.visits === 0 ? null : { value: x.wait.mean, ci95: null };
    },
    difference: (v: VariantComparison) => own(v.differences.waits, m.id) ?? null,
  }));
}

/** Minutes blocked after the stay at blocking microsystems (issue 12), listed with the waits. */
function blockedSources(b: RunSummary): FigureSource[] {
  return b.microsystems
    .filter((m) => (m.blocked ?? null) !== null)
    .map((m) => ({
      key: `blocked.${m.id}`,
      label: `Mean time blocked: ${m.name}`,
      group: "waits" as const,
      better: "lower" as const,
      level: (s: RunSummary) => {
        const x = s.microsystems.find((y) => y.id === m.id)?.blocked ?? null;
        return x === null ? null : { value: x.mean, ci95: null };
      },
      difference: (v: VariantComparison) => v.differences.blocked?.[m.id] ?? null,
    }));
}

/** Drops the waits of units where nobody waits in any scenario (see waitSources). */
function informative(figure: CompareFigure): boolean {
  if (figure.group !== "waits") return true;
  return figure.levels.some((l) => l !== null && l.value > 0);
}

function share(count: number, patients: number, per = 1): Level | null {
  return patients > 0 ? { value: (per * count) / patients, ci95: null } : null;
}

function scale(e: Estimate | null, k: number): Estimate | null {
  if (e === null) return null;
  // 0 + x: a zero difference stays +0 when k is negative, so it never prints as "−0".
  return {
    estimate: 0 + e.estimate * k,
    ci95: [0 + e.ci95[0] * k, 0 + e.ci95[1] * k].sort((x, y) => x - y) as Interval,
  };
}

/** A difference with no estimate (no journeys reached the milestones) is no difference at all. */
function finite(e: Estimate | null): Estimate | null {
  return e !== null && Number.isFinite(e.estimate) ? e : null;
}

/** Minutes per unit of a time group. */
const GROUP_MINUTES: Partial<Record<GroupId, number>> = { minutes: 1, hours: 60, days: 1440, waits: 1 };

/**
 * A value as the report writes it: "10.6%", "61.3", "1,700", "1 h 24 min", "11 d". `beside`: the
 * other values of its row, so a row of times is in one unit ("3.8 min" beside "0.82 min", not "49 s").
 */
export function formatLevel(value: number, group: GroupId, beside: readonly number[] = []): string {
  if (!Number.isFinite(value)) return "—";
  const minutes = GROUP_MINUTES[group];
  if (minutes !== undefined) {
    const natural = formatDuration(value * minutes);
    // Written naturally unless a neighbour's largest unit differs (a row of "3.8 min" and "49 s").
    const largest = (text: string) => text.match(/[a-z]+/)?.[0];
    if (beside.every((x) => largest(formatDuration(x * minutes)) === largest(natural))) return natural;
    return formatDurationIn(value * minutes, durationUnit([value, ...beside].map((x) => x * minutes)));
  }
  if (group === "shares") return formatPercent(value);
  return formatNumber(value, group === "per1000" && value >= 100 ? 0 : 1);
}

// --- reading a difference ------------------------------------------------------------------------

export type Verdict = "Better" | "Worse" | "Changed" | "No clear change";

/**
 * "Better" or "Worse" when the whole 95% interval lies on one side of zero; "Changed" for such a
 * change in a figure with no better direction; otherwise "No clear change".
 */
export function verdict(e: Estimate, better: Better): Verdict {
  if (!validInterval(e.ci95)) return "No clear change";
  const up = e.ci95[0] > NOISE;
  const down = e.ci95[1] < -NOISE;
  if (!up && !down) return "No clear change";
  if (better === "neither") return "Changed";
  return up === (better === "higher") ? "Better" : "Worse";
}

/** A difference and its interval: "+0.45 pts (+0.37 to +0.53)"; "no change" when exactly none. */
export function formatChange(e: Estimate, group: GroupId): { value: string; interval: string } {
  const info = GROUPS[group];
  const d = decimalsFor(e, info.decimals);
  const unit = info.suffix === "" ? "" : ` ${info.suffix}`;
  const value = `${signed(e.estimate, d)}${unit}`;
  if (!validInterval(e.ci95)) return { value, interval: "no interval" };
  return { value, interval: `${signed(e.ci95[0], d)} to ${signed(e.ci95[1], d)}` };
}

/** True when the variant behaves exactly as the baseline on this figure (a change that touches nothing). */
export function unchanged(e: Estimate): boolean {
  return Math.abs(e.estimate) <= NOISE && validInterval(e.ci95) && e.ci95[1] - e.ci95[0] <= NOISE;
}

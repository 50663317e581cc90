// CSV files of a run for spreadsheets and scripts, tidy (one row per observation, one column per
// variable, units in the names or a column): `summary.csv` (one row per headline figure, with its 95%
// interval where there is one) and `elements.csv` (one row per element and failure mode). pandas'
// read_csv and R's read.csv load both as they are (test/report/csv-tools.test.ts).
// RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled. Names
// come from scenario files and may contain any of those. Numbers are written in full precision
// (JavaScript's shortest round-trip form); a missing value is an empty field. Text that a
// spreadsheet would take for a formula is neutralised (csvField).

import type { Interval, RunSummary } from "../analysis/summary.js";

type Cell = string | number | null;

/**
 * Text a spreadsheet would run as a formula (OWASP, "CSV injection"): a leading `=`, `+`, `-`, `@`,
 * tab or carriage return. Names come from scenario files, and `=HYPERLINK(…)` or `@SUM(1)` in a
 * name must open as the text it is.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One RFC 4180 field: text that would start a formula gets a leading `'` (which spreadsheets show
 * as nothing and treat as "this is text"); numbers are written as numbers, so `-0.5` stays a number.
 * Every CSV this program writes passes through here.
 */
export function csvField(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Rows to a CSV document; every record, the last included, ends in CRLF. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

/**
 * summary.csv is tidy: one row per figure (and class or metric), one column per variable, the
 * unit in a column of its own — no key that packs a figure and an id together ("reliability.nstemi"),
 * so pandas' read_csv and R's read.csv take it as it is and a script filters on `figure`.
 */
export const SUMMARY_COLUMNS = [
  "figure",
  "class",
  "metric",
  "estimate",
  "ci_low",
  "ci_high",
  "unit",
] as const;

/**
 * Headline figures: `reliability` (the whole journey, and per `class`), `reliability_exact`,
 * `mortality_per_1000_expected`, `mortality_per_1000_sampled`, `completed`, `dropped`,
 * `near_misses`, `guard_stopped`, and per `metric` `metric_n`, `metric_median`, `metric_p90`,
 * `metric_within_target`. `unit`: `share` (0–1), `per_1000_patients`, `patients`, `failures`,
 * `journeys` or `min`. Rows without an interval leave ci_low and ci_high empty.
 */
export function summaryCsv(s: RunSummary): string {
  const rows: Cell[][] = [[...SUMMARY_COLUMNS]];
  const figure = (
    name: string,
    estimate: number | null,
    unit: string,
    ci: Interval | null = null,
    of: { class?: string; metric?: string } = {},
  ): void => {
    rows.push([name, of.class ?? null, of.metric ?? null, estimate, ci?.[0] ?? null, ci?.[1] ?? null, unit]);
  };
  const r = s.reliability;
  figure("reliability", r.estimate, "share", r.ci95);
  if (r.analytic !== null) figure("reliability_exact", r.analytic, "share");
  for (const [id, c] of Object.entries(r.by_class)) {
    figure("reliability", c.estimate, "share", c.ci95, { class: id });
    if (c.analytic !== null) figure("reliability_exact", c.analytic, "share", null, { class: id });
  }
  const o = s.outcomes;
  if (o.mortality_per_1000 !== null) {
    const m = o.mortality_per_1000;
    figure("mortality_per_1000_expected", m.expected, "per_1000_patients", m.ci95);
    figure("mortality_per_1000_sampled", m.sampled, "per_1000_patients");
  }
  figure("completed", o.completed, "patients");
  figure("dropped", o.dropped, "patients");
  figure("near_misses", o.near_misses, "failures");
  figure("guard_stopped", o.guard_stopped, "patients");
  if (o.reneged !== undefined) figure("reneged", o.reneged, "patients");
  // Journeys the death at `decided_at` cut short (issue 13), only when the scenario draws it there.
  if (o.decided_at !== null) figure("died", o.died, "patients");
  for (const [id, m] of Object.entries(s.metrics)) {
    const of = { metric: id };
    figure("metric_n", m.n, "journeys", null, of);
    // With no journey reaching both milestones there is no median: empty, not a misleading 0.
    figure("metric_mean", m.n > 0 ? m.mean : null, "min", m.n > 0 ? (m.mean_ci95 ?? null) : null, of);
    figure("metric_median", m.n > 0 ? m.median : null, "min", m.n > 0 ? (m.median_ci95 ?? null) : null, of);
    figure("metric_p90", m.n > 0 ? m.p90 : null, "min", m.n > 0 ? (m.p90_ci95 ?? null) : null, of);
    figure(
      "metric_within_target",
      m.n > 0 ? m.within_target : null,
      "share",
      m.n > 0 ? (m.within_target_ci95 ?? null) : null,
      of,
    );
  }
  return toCsv(rows);
}

/**
 * elements.csv is tidy too: one row per element and failure mode (an element without failure modes
 * has one row, its mode columns empty), the element's figures repeated on each of its rows, units
 * in the column names. Occurrences, near misses (caught) and defects (uncaught occurrences) of a
 * mode are separate columns; `element_defects` counts the visits or transfers with at least one
 * defect (a visit can have several), which `element_reliability_share` is 1 minus the share of.
 * To total an element, take one row per `element_id`.
 * The capacity columns (issue 12: other patients' share of utilisation, time blocked, patients who
 * left the queue) are empty where they do not apply.
 */
export const ELEMENT_COLUMNS = [
  "kind",
  "element_id",
  "element",
  "from",
  "to",
  "visits_or_transfers",
  "element_defects",
  "element_reliability_share",
  "wait_mean_min",
  "wait_p90_min",
  "utilization_share",
  "off_hours_visits",
  "background_utilization_share",
  "blocked_mean_min",
  "blocked_p90_min",
  "blocked_share",
  "reneged_patients",
  "mode_id",
  "mode",
  "mode_p",
  "mode_detect",
  "occurrences",
  "caught",
  "defects",
] as const;

interface ElementRow {
  kind: "microsystem" | "handoff";
  id: string;
  name: string;
  from: string | null;
  to: string | null;
  count: number;
  defects: number;
  reliability: number;
  waitMean: number | null;
  waitP90: number | null;
  utilization: number | null;
  offHours: number | null;
  /** background share, blocked mean, p90 and share, reneged: null where they do not apply. */
  capacity: (number | null)[];
  failures: Record<string, number>;
  caught: Record<string, number>;
  modes: { id: string; name: string; p: number; detect: number }[];
}

/** One row per microsystem and failure mode, then per handoff and failure mode. */
export function elementsCsv(s: RunSummary): string {
  const rows: Cell[][] = [[...ELEMENT_COLUMNS]];
  const elements: ElementRow[] = [
    ...s.microsystems.map((m) => ({
      kind: "microsystem" as const,
      id: m.id,
      name: m.name,
      from: null,
      to: null,
      count: m.visits,
      defects: m.defects,
      reliability: m.reliability,
      waitMean: m.visits === 0 ? null : m.wait.mean,
      waitP90: m.visits === 0 ? null : m.wait.p90,
      utilization: m.utilization,
      offHours: m.off_hours,
      capacity: [
        m.background_utilization ?? null,
        m.blocked?.mean ?? null,
        m.blocked?.p90 ?? null,
        m.blocked?.share ?? null,
        m.reneged ?? 0,
      ],
      failures: m.failures,
      caught: m.caught,
      modes: m.modes,
    })),
    ...s.handoffs.map((h) => ({
      kind: "handoff" as const,
      id: `${h.from}->${h.to}`,
      name: h.name,
      from: h.from,
      to: h.to,
      count: h.transfers,
      defects: h.defects,
      reliability: h.reliability,
      waitMean: null,
      waitP90: null,
      utilization: null,
      offHours: null,
      capacity: [null, null, null, null, null],
      failures: h.failures,
      caught: h.caught,
      modes: h.modes,
    })),
  ];
  for (const e of elements) {
    const element: Cell[] = [
      e.kind,
      e.id,
      e.name,
      e.from,
      e.to,
      e.count,
      e.defects,
      e.reliability,
      e.waitMean,
      e.waitP90,
      e.utilization,
      e.offHours,
      ...e.capacity,
    ];
    const modes = modeRows(e);
    if (modes.length === 0) rows.push([...element, null, null, null, null, null, null, null]);
    for (const mode of modes) rows.push([...element, ...mode]);
  }
  return toCsv(rows);
}

/** The element's failure modes, in the scenario's order (counts of modes it does not describe last). */
function modeRows(e: ElementRow): Cell[][] {
  const described = new Map(e.modes.map((m) => [m.id, m]));
  const ids = [...e.modes.map((m) => m.id), ...Object.keys(e.failures).filter((id) => !described.has(id))];
  return ids.map((id) => {
    const m = described.get(id);
    const occurrences = e.failures[id] ?? 0;
    const caught = e.caught[id] ?? 0;
    return [id, m?.name ?? id, m?.p ?? null, m?.detect ?? null, occurrences, caught, occurrences - caught];
  });
}

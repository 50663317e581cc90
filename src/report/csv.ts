// CSV files of a run for spreadsheets and scripts: `summary.csv` (one row per headline figure, with
// its 95% interval where there is one) and `elements.csv` (one row per microsystem and handoff).
// RFC 4180: CRLF line ends, fields with a comma, quote or line break quoted, quotes doubled. Names
// come from scenario files and may contain any of those. Numbers are written in full precision
// (JavaScript's shortest round-trip form); a missing value is an empty field.

import type { Interval, RunSummary } from "../analysis/summary.js";

type Cell = string | number | null;

/** One RFC 4180 field. */
export function csvField(value: Cell): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Rows to a CSV document; every record, the last included, ends in CRLF. */
export function toCsv(rows: readonly (readonly Cell[])[]): string {
  return rows.map((row) => `${row.map(csvField).join(",")}\r\n`).join("");
}

export const SUMMARY_COLUMNS = ["figure", "estimate", "ci_low", "ci_high"] as const;

/**
 * Headline figures, named for scripts: `reliability`, `reliability_analytic`,
 * `reliability.<class>`, `mortality_per_1000.expected|sampled`, `completed`, `dropped`,
 * `near_misses`, `guard_stopped`, and `metric.<id>.n|median|p90|within_target` (minutes, shares
 * 0–1). Rows without an interval leave ci_low and ci_high empty.
 */
export function summaryCsv(s: RunSummary): string {
  const rows: Cell[][] = [[...SUMMARY_COLUMNS]];
  const figure = (name: string, estimate: number | null, ci: Interval | null = null): void => {
    rows.push([name, estimate, ci?.[0] ?? null, ci?.[1] ?? null]);
  };
  const r = s.reliability;
  figure("reliability", r.estimate, r.ci95);
  if (r.analytic !== null) figure("reliability_analytic", r.analytic);
  for (const [id, c] of Object.entries(r.by_class)) figure(`reliability.${id}`, c.estimate, c.ci95);
  const o = s.outcomes;
  if (o.mortality_per_1000 !== null) {
    figure("mortality_per_1000.expected", o.mortality_per_1000.expected, o.mortality_per_1000.ci95);
    figure("mortality_per_1000.sampled", o.mortality_per_1000.sampled);
  }
  figure("completed", o.completed);
  figure("dropped", o.dropped);
  figure("near_misses", o.near_misses);
  figure("guard_stopped", o.guard_stopped);
  if (o.reneged !== undefined) figure("reneged", o.reneged);
  for (const [id, m] of Object.entries(s.metrics)) {
    figure(`metric.${id}.n`, m.n);
    // With no journey reaching both milestones there is no median: empty, not a misleading 0.
    figure(`metric.${id}.median`, m.n > 0 ? m.median : null);
    figure(`metric.${id}.p90`, m.n > 0 ? m.p90 : null);
    figure(`metric.${id}.mean`, m.n > 0 ? m.mean : null);
    figure(`metric.${id}.within_target`, m.n > 0 ? m.within_target : null);
  }
  return toCsv(rows);
}

/**
 * Columns of elements.csv. The last ones extend the documented set: `id` (the microsystem's id; empty
 * for handoffs, whose `from` and `to` are ids) so rows join back to summary.json, `off_hours`, and
 * the capacity figures of issue 12 (background share of utilisation, time blocked, patients who
 * left the queue), empty where they do not apply.
 */
export const ELEMENT_COLUMNS = [
  "kind",
  "element",
  "from",
  "to",
  "visits_or_transfers",
  "defects",
  "reliability",
  "near_misses",
  "failures",
  "wait_mean",
  "wait_p90",
  "utilization",
  "id",
  "off_hours",
  "background_utilization",
  "blocked_mean",
  "blocked_p90",
  "blocked_share",
  "reneged",
] as const;

/** One row per microsystem, then one per handoff; `failures` is "mode=occurrences;…" (caught or not). */
export function elementsCsv(s: RunSummary): string {
  const names = new Map(s.microsystems.map((m) => [m.id, m.name]));
  const rows: Cell[][] = [[...ELEMENT_COLUMNS]];
  for (const m of s.microsystems) {
    const idle = m.visits === 0;
    rows.push([
      "microsystem",
      m.name,
      null,
      null,
      m.visits,
      m.defects,
      m.reliability,
      total(m.caught),
      failureList(m.failures),
      idle ? null : m.wait.mean,
      idle ? null : m.wait.p90,
      m.utilization,
      m.id,
      m.off_hours,
      m.background_utilization ?? null,
      m.blocked?.mean ?? null,
      m.blocked?.p90 ?? null,
      m.blocked?.share ?? null,
      m.reneged ?? 0,
    ]);
  }
  for (const h of s.handoffs) {
    rows.push([
      "handoff",
      `${names.get(h.from) ?? h.from} → ${names.get(h.to) ?? h.to}`,
      h.from,
      h.to,
      h.transfers,
      h.defects,
      h.reliability,
      total(h.caught),
      failureList(h.failures),
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  }
  return toCsv(rows);
}

function failureList(failures: Record<string, number>): string {
  return Object.entries(failures)
    .map(([mode, n]) => `${mode}=${n}`)
    .join(";");
}

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

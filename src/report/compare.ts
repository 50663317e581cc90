// Terminal and CSV formatting of `compare` (paired what-if differences). Written for a quality
// team: the avoided defects and deaths first, then every headline figure side by side with its
// paired difference and 95% interval.

import type { Comparison, Differences, VariantComparison } from "../analysis/compare.js";
import type { Estimate, Interval, RunSummary } from "../analysis/summary.js";
import { own } from "../engine/records.js";
import { toCsv } from "./csv.js";
import {
  formatCount as count,
  decimalsFor,
  formatDuration as duration,
  formatDurationIn as durationIn,
  durationUnit,
  NOISE,
  formatNumber as number,
  formatPercent as percent,
  settle,
  formatSigned as signed,
  formatSignedDurationIn as signedDurationIn,
  formatPoints as signedPoints,
  validInterval,
} from "./format.js";
import { clean, cut, type Styler, styler, table } from "./table.js";
import { economicsLines, variantUncertaintyLines } from "./uncertainty.js";
import { patientsPerYear } from "./volume.js";

export interface CompareTextOptions {
  color?: boolean;
}

/** Longest name shown in a cell; longer ones are cut with "…". */

// --- compare ---------------------------------------------------------------------------------------

export function formatComparison(c: Comparison, opts: CompareTextOptions = {}): string {
  const st = styler(opts.color === true);
  const blocks = c.variants.map((v) => variantBlock(c.baseline, v, st));
  return `${[header(c.baseline, st).join("\n"), ...blocks].join("\n\n")}\n`;
}

function header(b: RunSummary, st: Styler): string[] {
  const facts = [`seed ${b.seed}`, `${count(b.patients)} patients`];
  if (b.arrivals) facts.push(`${count(b.replications)} replications`);
  facts.push("common random numbers");
  return [`${st.bold("Baseline")}  ${clean(b.scenario)}`, st.dim(facts.join(" · "))];
}

function variantBlock(b: RunSummary, v: VariantComparison, st: Styler): string {
  const d = v.differences;
  const lines = [`${st.heading("Variant")}   ${st.bold(clean(v.scenario))}`, ...changeLines(v, st), ""];
  lines.push(...avoidedLines(b, d, st), "");
  const rows = figureRows(b, v.summary, d);
  lines.push(...table(["", "Baseline", "Variant", "Difference", "95% CI", ""], rows, "lrrrll", st));
  lines.push("", st.dim(methodNote(v)));
  for (const extra of [economicsLines(v, st), variantUncertaintyLines(v, st)])
    if (extra.length > 0) lines.push("", ...extra);
  return lines.join("\n");
}

/** Rows of "what changed" shown; compare.json lists them all. */
const SHOWN_CHANGES = 12;

/** What the variant changed, value by value: the `--set` path, the baseline's value, the variant's. */
function changeLines(v: VariantComparison, st: Styler): string[] {
  if (v.changes.length === 0)
    return [st.dim("  No value differs from the baseline: the two run the same model.")];
  const rows = v.changes
    .slice(0, SHOWN_CHANGES)
    .map((c) => [clean(c.path), changeValue(c.baseline), "→", changeValue(c.variant)]);
  const lines = [st.dim("What changed (baseline → variant):"), ...table(null, rows, "llll", st)];
  if (v.changes.length > SHOWN_CHANGES)
    lines.push(st.dim(`  … and ${v.changes.length - SHOWN_CHANGES} more (compare.json lists every change)`));
  return lines;
}

/** Longest value shown in the "what changed" list; longer ones are cut with "…". */
const MAX_VALUE = 80;

/** A value as a scenario file writes it, on one line: `0.2`, `30 min`, `{ median: 4 h, p90: 8 h }`. */
export function changeValue(value: unknown): string {
  const text = flow(value);
  const chars = [...clean(text)];
  return chars.length <= MAX_VALUE ? chars.join("") : `${chars.slice(0, MAX_VALUE - 1).join("")}…`;
}

function flow(value: unknown): string {
  if (value === null || value === undefined) return "(none)";
  if (Array.isArray(value)) return `[${value.map(flow).join(", ")}]`;
  if (typeof value === "object")
    return `{ ${Object.entries(value)
      .map(([k, v]) => `${k}: ${flow(v)}`)
      .join(", ")} }`;
  // A derived value (an uncertain input's mean) has 12 digits; 6 significant ones read, and keep
  // any value a person typed.
  if (typeof value === "number") return String(Number(value.toPrecision(6)));
  return String(value);
}

/**
 * The sentences a team came for, with their units spelt out: defects are counted (a patient can
 * have several), defect-free journeys are patients, so both read per 1000 patients — and, where the
 * scenario has a volume, per year.
 */
function avoidedLines(b: RunSummary, d: Differences, st: Styler): string[] {
  const perK = [
    avoidedText(d.defects_avoided_per_1000, ["fewer defects", "more defects"], st),
    avoidedText(scaled(d.reliability, 1000), ["more defect-free journeys", "fewer defect-free journeys"], st),
  ];
  if (d.deaths_avoided_per_1000 !== null)
    perK.push(avoidedText(d.deaths_avoided_per_1000, ["fewer deaths", "more deaths"], st));
  const lines = [`Per 1000 patients: ${perK.join(" · ")}`];
  const year = patientsPerYear(b);
  if (year !== null) {
    const perYear = (e: Estimate, words: [string, string]) =>
      avoidedText(scaled(e, year / 1000), words, st, false);
    const parts = [
      perYear(d.defects_avoided_per_1000, ["fewer defects", "more defects"]),
      perYear(scaled(d.reliability, 1000), ["more defect-free journeys", "fewer defect-free journeys"]),
    ];
    if (d.deaths_avoided_per_1000 !== null)
      parts.push(perYear(d.deaths_avoided_per_1000, ["fewer deaths", "more deaths"]));
    lines.push(`A year at the scenario's volume (${count(Math.round(year))} patients): ${parts.join(" · ")}`);
  }
  lines.push(
    st.dim(
      "(A defect is one uncaught failure, and one patient can have several; a defect-free journey is a patient with none.)",
    ),
  );
  return lines;
}

/**
 * "32.2 fewer defects (95% CI 30.1 to 34.3)": the sign turned into words, the interval with it (or
 * not, `withCi` false); "no change in defects" when the change touches nothing.
 */
function avoidedText(e: Estimate, words: [string, string], st: Styler, withCi = true): string {
  const flip = e.estimate < 0;
  const ends = validInterval(e.ci95) ? (flip ? [0 - e.ci95[1], 0 - e.ci95[0]] : e.ci95) : null;
  if (Math.abs(e.estimate) <= NOISE && (ends === null || ends[1]! - ends[0]! <= NOISE))
    return `no change in ${words[0].replace(/^(fewer|more) /, "")}`;
  const size = Math.abs(e.estimate);
  const dec = withCi ? decimalsFor(e, 1) : size >= 10 ? 0 : size >= 1 ? 1 : 2;
  const ci = ends === null || !withCi ? "" : ` (95% CI ${number(ends[0]!, dec)} to ${number(ends[1]!, dec)})`;
  const text = `${number(size, dec)} ${flip ? words[1] : words[0]}`;
  return `${withCi ? st.bold(text) : text}${ci}`;
}

type Row = string[];

function figureRows(b: RunSummary, v: RunSummary, d: Differences): Row[] {
  const reliability = shareRow(
    "Whole-journey reliability",
    b.reliability.estimate,
    v.reliability.estimate,
    d.reliability,
  );
  if (d.reliability.analytic !== null) reliability.push(`exact ${signedPoints(d.reliability.analytic, 2)}`);
  return [
    reliability,
    ...outcomeRows(b, v, d),
    ...metricRows(b, v, d),
    ...waitRows(b, v, d),
    ...blockedRows(b, v, d),
  ];
}

function outcomeRows(b: RunSummary, v: RunSummary, d: Differences): Row[] {
  const rows: Row[] = [];
  const bm = b.outcomes.mortality_per_1000;
  const vm = v.outcomes.mortality_per_1000;
  if (d.mortality_per_1000 !== null && bm !== null && vm !== null)
    rows.push(numberRow("30-day mortality per 1000", bm.expected, vm.expected, d.mortality_per_1000, 1));
  const o = (label: string, key: "completed" | "dropped" | "near_misses"): Row =>
    countRow(label, b.outcomes[key], v.outcomes[key], d[key]);
  rows.push(o("Completed journeys", "completed"));
  rows.push(o("Dropped (lost to follow-up)", "dropped"));
  rows.push(o("Near misses (caught failures)", "near_misses"));
  return rows;
}

function metricRows(b: RunSummary, v: RunSummary, d: Differences): Row[] {
  const rows: Row[] = [];
  for (const [id, md] of Object.entries(d.metrics)) {
    const bs = own(b.metrics, id);
    const vs = own(v.metrics, id);
    if (bs === undefined || vs === undefined) continue;
    const name = cut(clean(bs.name));
    const median = (m: typeof bs): number => (m.n > 0 ? m.median : Number.NaN);
    rows.push(durationRow(`${name}: median`, median(bs), median(vs), md.median));
    if (md.within_target === null || bs.target === null) continue;
    const within = (m: typeof bs): number =>
      m.n > 0 && m.within_target !== null ? m.within_target : Number.NaN;
    rows.push(shareRow(`${name}: within ${duration(bs.target)}`, within(bs), within(vs), md.within_target));
  }
  return rows;
}

function waitRows(b: RunSummary, v: RunSummary, d: Differences): Row[] {
  const waits = Object.entries(d.waits).flatMap(([id, wd]) => {
    const bw = b.microsystems.find((m) => m.id === id)!;
    const vw = v.microsystems.find((m) => m.id === id)!;
    // Without queues (or at a unit that never fills) every wait is 0: rows of zeros say nothing.
    return bw.wait.mean === 0 && vw.wait.mean === 0
      ? []
      : [{ name: bw.name, b: bw.wait.mean, v: vw.wait.mean, wd }];
  });
  // Each row in one unit (baseline, variant, change and interval), chosen by its own waits: a
  // 3-minute wait is not "0.05 h" because a clinic in the next row waits 14 h.
  return waits.map((w) => {
    const unit = durationUnit([w.b, w.v]);
    const ci = validInterval(w.wd.ci95)
      ? `${signedDurationIn(w.wd.ci95[0], unit)} to ${signedDurationIn(w.wd.ci95[1], unit)}`
      : "n/a";
    return [
      `Mean wait: ${cut(clean(w.name))}`,
      durationIn(w.b, unit),
      durationIn(w.v, unit),
      signedDurationIn(w.wd.estimate, unit),
      ci,
    ];
  });
}

/** Minutes kept blocked after the stay, at the microsystems that block in both scenarios. */
function blockedRows(b: RunSummary, v: RunSummary, d: Differences): Row[] {
  return Object.entries(d.blocked ?? {}).map(([id, e]) => {
    const bm = b.microsystems.find((m) => m.id === id)!;
    const vm = v.microsystems.find((m) => m.id === id)!;
    return durationRow(`Mean time blocked: ${cut(clean(bm.name))}`, bm.blocked!.mean, vm.blocked!.mean, e);
  });
}

function shareRow(label: string, b: number, v: number, d: Estimate): Row {
  const dec = decimalsFor(scaled(d, 100), 1);
  return [label, percent(b), percent(v), signedPoints(d.estimate, dec), intervalPoints(d.ci95, dec)];
}

function numberRow(label: string, b: number, v: number, d: Estimate, min: number): Row {
  const dec = decimalsFor(d, min);
  return [label, number(b, min), number(v, min), signed(d.estimate, dec), interval(d.ci95, dec)];
}

function countRow(label: string, b: number, v: number, d: Estimate): Row {
  return [label, count(b), count(v), signed(d.estimate, 0), interval(d.ci95, 0)];
}

function durationRow(label: string, b: number, v: number, d: Estimate): Row {
  // The change and its interval in one unit: "+42 s" never sits beside "+1.1 min".
  const ends = validInterval(d.ci95) ? d.ci95 : [];
  const unit = durationUnit([d.estimate, ...ends]);
  const ci = validInterval(d.ci95)
    ? `${signedDurationIn(d.ci95[0], unit)} to ${signedDurationIn(d.ci95[1], unit)}`
    : "n/a";
  return [label, duration(b), duration(v), signedDurationIn(d.estimate, unit), ci];
}

function methodNote(v: VariantComparison): string {
  const p = v.pairing;
  const what = p.unit === "replication" ? `${p.units} replications` : `${p.units} batches of patients`;
  const units =
    "Differences are variant − baseline: shares change in percentage points (pts), counts are the run's.";
  if (p.method === "unpaired")
    return `${units} Unpaired (Welch) 95% intervals over ${what}: the scenarios cannot be paired.`;
  return `${units} Paired patient by patient (common random numbers); 95% t intervals over ${what}.`;
}

// --- CSV -------------------------------------------------------------------------------------------

export const COMPARE_COLUMNS = [
  "variant",
  "figure",
  "baseline",
  "variant_value",
  "difference",
  "ci_low",
  "ci_high",
];

/**
 * One row per variant and figure: `reliability`, `mortality_per_1000`, `completed`, `dropped`,
 * `near_misses`, `defects_avoided_per_1000`, `deaths_avoided_per_1000` (no baseline/variant value:
 * it is itself a difference), `metric.<id>.median|within_target`, `wait.<microsystem>` (minutes).
 */
export function comparisonCsv(c: Comparison): string {
  const rows: (string | number | null)[][] = [COMPARE_COLUMNS];
  const b = c.baseline;
  for (const v of c.variants) {
    const d = v.differences;
    const s = v.summary;
    const add = (figure: string, base: number | null, value: number | null, e: Estimate | null): void => {
      if (e === null) return;
      const d = settle(e);
      rows.push([v.scenario, figure, base, value, d.estimate, d.ci95[0], d.ci95[1]]);
    };
    add("reliability", b.reliability.estimate, s.reliability.estimate, d.reliability);
    add(
      "mortality_per_1000",
      b.outcomes.mortality_per_1000?.expected ?? null,
      s.outcomes.mortality_per_1000?.expected ?? null,
      d.mortality_per_1000,
    );
    add("completed", b.outcomes.completed, s.outcomes.completed, d.completed);
    add("dropped", b.outcomes.dropped, s.outcomes.dropped, d.dropped);
    add("near_misses", b.outcomes.near_misses, s.outcomes.near_misses, d.near_misses);
    add("defects_avoided_per_1000", null, null, d.defects_avoided_per_1000);
    add("deaths_avoided_per_1000", null, null, d.deaths_avoided_per_1000);
    for (const [id, m] of Object.entries(d.metrics)) {
      add(
        `metric.${id}.median`,
        own(b.metrics, id)?.median ?? null,
        own(s.metrics, id)?.median ?? null,
        m.median,
      );
      add(
        `metric.${id}.within_target`,
        own(b.metrics, id)?.within_target ?? null,
        own(s.metrics, id)?.within_target ?? null,
        m.within_target,
      );
    }
    for (const [id, w] of Object.entries(d.waits)) {
      const wait = (r: RunSummary): number | null =>
        r.microsystems.find((m) => m.id === id)?.wait.mean ?? null;
      add(`wait.${id}`, wait(b), wait(s), w);
    }
    for (const [id, e] of Object.entries(d.blocked ?? {})) {
      const blocked = (r: RunSummary): number | null =>
        r.microsystems.find((m) => m.id === id)?.blocked?.mean ?? null;
      add(`blocked.${id}`, blocked(b), blocked(s), e);
    }
  }
  return toCsv(rows);
}

// --- numbers ---------------------------------------------------------------------------------------

function scaled(e: Estimate, k: number): Estimate {
  return { estimate: e.estimate * k, ci95: [e.ci95[0] * k, e.ci95[1] * k] };
}

function intervalPoints(ci: Interval, decimals: number): string {
  if (!validInterval(ci)) return "n/a";
  return `${signed(100 * ci[0], decimals)} to ${signed(100 * ci[1], decimals)} pts`;
}

function interval(ci: Interval, decimals: number): string {
  if (!validInterval(ci)) return "n/a";
  return `${signed(ci[0], decimals)} to ${signed(ci[1], decimals)}`;
}

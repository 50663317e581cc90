// Terminal and CSV formatting of `sensitivity`: the leverage ranking, every failure mode removed
// and halved, with the gain in reliability and the deaths avoided.
import type { Sensitivity, SensitivityFigure, SensitivityItem } from "../analysis/sensitivity.js";
import type { CompareTextOptions } from "./compare.js";
import { toCsv } from "./csv.js";
import {
  formatCount as count,
  formatNumber as number,
  formatPercent as percent,
  settle,
  formatPoints as signedPoints,
  validInterval,
} from "./format.js";
import { clean, cut, styler, table } from "./table.js";

type Row = string[];

export function formatSensitivity(s: Sensitivity, opts: CompareTextOptions = {}): string {
  const st = styler(opts.color === true);
  const lines = [
    st.bold(`${clean(s.scenario)}: leverage of each failure mode`),
    st.dim(baselineFacts(s)),
    "",
  ];
  if (s.items.length === 0)
    return `${[...lines, "  No failure mode can happen: nothing to rank."].join("\n")}\n`;
  const mortality = s.baseline.mortality_per_1000 !== null;
  lines.push(
    st.heading(
      "The list a team uses to establish ownership of the leverage processes in the space between microsystems:",
    ),
    st.dim(
      `  gain in whole-journey reliability${mortality ? " and deaths avoided per 1000 patients" : ""} if each failure mode were removed (p = 0) or halved`,
    ),
  );
  const headers = mortality
    ? ["", "Where", "Failure mode", "p", "If removed", "Deaths avoided", "If halved", "Deaths avoided"]
    : ["", "Where", "Failure mode", "p", "If removed", "If halved"];
  // The severity column only when severities differ: then it explains the order.
  const graded = isGraded(s);
  if (graded) headers.splice(3, 0, "Severity");
  const rows = s.items.map((item, i) => {
    const row = sensitivityRow(item, i, mortality);
    if (graded) row.splice(3, 0, item.severity);
    return row;
  });
  lines.push(
    ...table(headers, rows, `rll${graded ? "l" : ""}r${"r".repeat(headers.length - (graded ? 5 : 4))}`, st),
  );
  lines.push("", st.dim(sensitivityNote(s)));
  if (s.uncertainty != null) {
    const u = s.uncertainty;
    lines.push("", st.heading(`Over ${u.draws} parameter sets (reliability, exact per set)`));
    const pts = (x: number) => number(100 * x, 2);
    const urows = u.items.map((item) => [
      clean(item.element),
      clean(item.mode),
      `${pts(item.remove.mean)} (${pts(item.remove.interval95[0])} to ${pts(item.remove.interval95[1])}) pts`,
      percent(item.probability_top, 0),
    ]);
    lines.push(
      ...table(["Where", "Failure mode", "If removed (95% of sets)", "Largest lever in"], urows, "llrr", st),
      "",
      st.dim(u.note),
    );
  } else if (s.uncertainty === null)
    lines.push("", "  --uncertainty needs an exact answer (the routing has none): not computed.");
  return `${lines.join("\n")}\n`;
}

export function baselineFacts(s: Sensitivity): string {
  const method = s.baseline.reliability_method === "analytic" ? "exact" : "simulated";
  const facts = [`whole-journey reliability ${percent(s.baseline.reliability, 2)} (${method})`];
  if (s.baseline.mortality_per_1000 !== null)
    facts.push(`mortality ${number(s.baseline.mortality_per_1000, 1)} per 1000`);
  if (s.patients > 0) facts.push(`simulated on ${count(s.patients)} patients per variant, seed ${s.seed}`);
  return facts.join(" · ");
}

function sensitivityRow(item: SensitivityItem, i: number, mortality: boolean): Row {
  // A mode whose p depends on the visit (`when`) shows its range, not only its own p.
  const range = item.p_range;
  const p =
    range === null || range[0] === range[1]
      ? percent(item.p, 0)
      : `${percent(range[0], 0)}–${percent(range[1], 0)}`;
  const row = [`${i + 1}.`, cut(clean(item.where)), cut(clean(item.name)), p];
  for (const change of [item.remove, item.halve]) {
    row.push(reliabilityCell(change.reliability));
    if (mortality) row.push(deathsCell(change.mortality_per_1000));
  }
  return row;
}

export function reliabilityCell(raw: SensitivityFigure): string {
  const f = settle(raw);
  const value = signedPoints(f.estimate, 2);
  if (f.ci95 === null || !validInterval(f.ci95) || f.ci95[0] === f.ci95[1]) return value;
  return `${value} ± ${number((100 * (f.ci95[1] - f.ci95[0])) / 2, 2)}`;
}

/** Deaths avoided = −(change in mortality), ± the half-width of its (symmetric) paired interval. */
export function deathsCell(raw: SensitivityFigure | null): string {
  if (raw === null) return "—";
  // A mode that touches no patient's risk (a drop after the outcome is set) changes nothing but
  // the order of floating-point sums: the one noise rule (settle) makes that 0, not "0.00 ± 0.00".
  const f = settle(raw);
  const avoided = 0 - f.estimate;
  if (f.ci95 === null || !validInterval(f.ci95)) return number(avoided, 2);
  if (f.ci95[0] === f.ci95[1]) return avoided === 0 ? "0" : number(avoided, 2);
  return `${number(avoided, 2)} ± ${number((f.ci95[1] - f.ci95[0]) / 2, 2)}`;
}

function sensitivityNote(s: Sensitivity): string {
  const parts = [
    s.baseline.reliability_method === "analytic"
      ? "Reliability gains are exact (Markov chain of the routing)"
      : "Reliability gains are simulated, ± half the paired 95% interval",
  ];
  if (s.baseline.mortality_per_1000 !== null)
    parts.push("deaths avoided are simulated with common random numbers, ± half the paired 95% interval");
  return `${parts.join("; ")}. ${rankNote(s)}`;
}

/** What the list is sorted by, and how to sort it the other way. */
export function rankNote(s: Sensitivity): string {
  // Severity first whenever the modes have more than one (analysis/sensitivity.ts `rank`).
  const first = isGraded(s) ? "severity (AHRQ harm scale), most severe first, then by " : "";
  if (s.rank === "deaths") return `Sorted by ${first}the deaths avoided by removal (--rank deaths).`;
  const other = s.baseline.mortality_per_1000 === null ? "" : " (--rank deaths sorts by deaths avoided)";
  return `Sorted by ${first}the gain from removal${other}.`;
}

/** Whether the modes have more than one severity. */
function isGraded(s: Sensitivity): boolean {
  return new Set(s.items.map((i) => i.severity)).size > 1;
}

// --- CSV -------------------------------------------------------------------------------------------

/**
 * Columns named for what they hold: the gain (variant − baseline) in the share of defect-free
 * journeys, and the deaths avoided per 1000 patients (baseline − variant), each with its paired
 * interval (the gain's is empty when exact).
 */
export const SENSITIVITY_COLUMNS = [
  "rank",
  "kind",
  "element",
  "where",
  "mode",
  "mode_name",
  "p",
  "change",
  "reliability_gain",
  "reliability_gain_ci_low",
  "reliability_gain_ci_high",
  "reliability_method",
  "deaths_avoided_per_1000",
  "deaths_avoided_ci_low",
  "deaths_avoided_ci_high",
  "severity",
];

/** Two rows per failure mode (change = remove, halve), in ranking order; noise settled to 0. */
export function sensitivityCsv(s: Sensitivity): string {
  const rows: (string | number | null)[][] = [SENSITIVITY_COLUMNS];
  s.items.forEach((item, i) => {
    for (const change of ["remove", "halve"] as const) {
      const c = item[change];
      const r = settle(c.reliability);
      const m = c.mortality_per_1000 === null ? null : settle(c.mortality_per_1000);
      rows.push([
        i + 1,
        item.kind,
        item.element,
        item.where,
        item.mode,
        item.name,
        item.p,
        change,
        r.estimate,
        r.ci95?.[0] ?? null,
        r.ci95?.[1] ?? null,
        r.method,
        m === null ? null : 0 - m.estimate,
        m?.ci95 ? 0 - m.ci95[1] : null,
        m?.ci95 ? 0 - m.ci95[0] : null,
        item.severity,
      ]);
    }
  });
  return toCsv(rows);
}

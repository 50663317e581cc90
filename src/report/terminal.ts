// The summary `run` prints on a terminal: headline reliability first (what a quality-improvement team
// came for), then where defects come from (microsystems, handoffs, failure modes), then outcomes and
// metrics. Plain text with aligned columns; ANSI colour only when asked, so pipes and files stay clean.

import type { MetricSummary, RunSummary } from "../analysis/summary.js";
import {
  formatCount as count,
  formatDuration as duration,
  formatDurationInEstimate as durationInWithCi,
  durationUnit,
  formatDurationEstimate as durationWithCi,
  formatEstimate as estimateWithCi,
  formatNumber as fixed,
  formatInterval,
  formatPercentEstimate,
  formatWaitP90,
  formatPercent as percent,
  percentDecimals,
  validInterval,
  formatWallTime as wallTime,
} from "./format.js";
import { clean, cut, type Styler, styler, table } from "./table.js";
import { costLines, runUncertaintyLines } from "./uncertainty.js";
import { patientsPerYear } from "./volume.js";

export interface TerminalOptions {
  /** Use ANSI colour and bold (only for a TTY that wants it). */
  color?: boolean;
}

/** How many failure modes the "causes of defects" list shows. */
const TOP_FAILURE_MODES = 5;
/** Longest name shown in a table cell; longer ones are cut with "…" so tables stay readable. */

export function formatRunSummary(s: RunSummary, opts: TerminalOptions = {}): string {
  const st = styler(opts.color === true);
  const names = microsystemNames(s);
  const sections = [
    header(s, st),
    headline(s, st),
    cascadeSection(s, st),
    microsystemSection(s, st),
    resourceSection(s, st),
    handoffSection(s, names, st),
    failureModeSection(s, st),
    severitySection(s, st),
    outcomeSection(s, st),
    metricSection(s, st),
    costLines(s.costs, st),
    runUncertaintyLines(s, st),
    warningSection(s, st),
    [st.dim(footer(s))],
  ];
  return `${sections
    .filter((lines) => lines.length > 0)
    .map((lines) => lines.join("\n"))
    .join("\n\n")}\n`;
}

// --- sections -------------------------------------------------------------------------------------

function header(s: RunSummary, st: Styler): string[] {
  const facts = [`seed ${s.seed}`, `${count(s.patients)} patients`];
  if (s.replications > 1) facts.push(`${count(s.replications)} replications`);
  if (s.arrivals) {
    const chosen = s.warmup?.method === "MSER-5" ? " (chosen by MSER-5)" : "";
    if (s.warmup_minutes > 0) facts.push(`warm-up ${duration(s.warmup_minutes)}${chosen}`);
    else if (chosen !== "") facts.push(`no warm-up needed${chosen}`);
  }
  facts.push(s.arrivals ? "patients compete for capacity" : "independent journeys");
  return [st.bold(clean(s.scenario)), st.dim(facts.join(" · "))];
}

function headline(s: RunSummary, st: Styler): string[] {
  const r = s.reliability;
  const analytic = r.analytic === null ? "" : st.dim(` · analytic ${percent(r.analytic, 2)}`);
  const lines = [`Whole-journey reliability ${st.bold(estimateWithCi(r.estimate, r.ci95))}${analytic}`];
  if (r.analytic === null && r.analytic_note !== null)
    lines.push(st.dim(`  no exact figure: ${clean(r.analytic_note)}`));
  const classes = Object.entries(r.by_class);
  if (classes.length > 1) {
    const rows = classes.map(([id, c]) => [
      clean(id),
      estimateWithCi(c.estimate, c.ci95),
      c.analytic === null ? "" : `analytic ${percent(c.analytic, 2)}`,
      `${count(c.patients)} patients`,
    ]);
    lines.push(...table(["Class", "Reliability", "", ""], rows, "lllr", st));
  }
  return lines;
}

/** Width the main paths wrap at. */
const PATH_WIDTH = 100;

/**
 * Each class's main path, the share of its patients still defect-free after each microsystem (the
 * handoff into it included), the exact figure at the end. Per class, because classes take different
 * routes (the cath-lab path is the STEMI classes') and each step fails differently for each.
 */
function cascadeSection(s: RunSummary, st: Styler): string[] {
  const cascades = (s.cascades ?? []).filter((c) => c.steps.length > 0);
  if (cascades.length === 0) return [];
  const names = microsystemNames(s);
  const lines = [st.heading("Main path by class: patients on it still defect-free after each step")];
  for (const c of cascades) {
    const stops = c.steps
      .filter((step) => step.kind === "microsystem")
      .map((step) => `${nameOf(names, step.element)} ${percent(step.simulated)}`);
    const last = c.steps.at(-1)!;
    const exact = last.analytic === null ? "" : ` (exact ${percent(last.analytic, 2)})`;
    const who =
      cascades.length > 1 || s.classes.length > 1
        ? `${clean(c.class)}, ${percent(c.share, 0)} of patients: `
        : "";
    lines.push(...wrap(`${who}${stops.join(" → ")}${exact}`, PATH_WIDTH));
  }
  return lines;
}

/** Words wrapped at `width`, indented two spaces (four on continuation lines), broken after an arrow. */
function wrap(text: string, width: number): string[] {
  const parts = text.split(" → ");
  const lines: string[] = [];
  let line = "";
  for (const [i, part] of parts.entries()) {
    const piece = i < parts.length - 1 ? `${part} →` : part;
    if (line !== "" && line.length + 1 + piece.length > width) {
      lines.push(line);
      line = piece;
    } else line = line === "" ? piece : `${line} ${piece}`;
  }
  lines.push(line);
  return lines.map((l, i) => `${i === 0 ? "  " : "    "}${l}`);
}

function microsystemSection(s: RunSummary, st: Styler): string[] {
  if (s.microsystems.length === 0) return [];
  const showUtil = s.microsystems.some((m) => m.utilization !== null);
  const showOffHours = s.microsystems.some((m) => m.off_hours > 0);
  const showBlocked = s.microsystems.some((m) => (m.blocked ?? null) !== null);
  const showReneged = s.microsystems.some((m) => (m.reneged ?? 0) > 0);
  const headers = ["Microsystem", "Visits", "Defects", "Reliability", "Near misses", "Wait mean", "Wait p90"];
  if (showUtil) headers.push("Utilisation");
  if (showOffHours) headers.push("Off-hours");
  if (showBlocked) headers.push("Blocked mean", "Blocked p90", "Blocked");
  if (showReneged) headers.push("Left the queue");
  // One unit per column of waits, so they compare at a glance.
  const visited = s.microsystems.filter((m) => m.visits > 0);
  const unit = durationUnit(visited.flatMap((m) => [m.wait.mean, m.wait.p90]));
  const utilDecimals = percentDecimals(
    s.microsystems.flatMap((m) => (m.utilization === null ? [] : [m.utilization])),
    0,
  );
  const rows = s.microsystems.map((m) => {
    const row = [
      cut(clean(m.name)),
      count(m.visits),
      count(m.defects),
      m.visits === 0 ? "—" : percent(m.reliability),
      count(sum(m.caught)),
      m.visits === 0 ? "—" : durationInWithCi(m.wait.mean, m.wait.ci95, unit),
      m.visits === 0 ? "—" : formatWaitP90(m.wait, unit),
    ];
    if (showUtil)
      row.push(
        utilizationCell(m.utilization, m.utilization_ci95, m.background_utilization ?? null, utilDecimals),
      );
    if (showOffHours) row.push(count(m.off_hours));
    if (showBlocked) {
      const b = m.blocked ?? null;
      row.push(
        b === null ? "—" : duration(b.mean),
        b === null ? "—" : duration(b.p90),
        b === null ? "—" : `${percent(b.share, 0)} of stays`,
      );
    }
    if (showReneged) row.push(count(m.reneged ?? 0));
    return row;
  });
  return [st.heading("Microsystems"), ...table(headers, rows, `l${"r".repeat(headers.length - 1)}`, st)];
}

/** A utilisation with its interval, and the share of it that other patients hold: "78% (74–81%) (31% others)". */
export function utilizationCell(
  u: number | null,
  ci: readonly [number, number] | null | undefined,
  background: number | null,
  decimals = 0,
): string {
  if (u === null) return "—";
  const own = formatPercentEstimate(u, ci, decimals);
  return background === null ? own : `${own} (${percent(background, 0)} others)`;
}

/** Shared pools of places (`resources`): who uses them and how full they are. */
function resourceSection(s: RunSummary, st: Styler): string[] {
  const resources = s.resources ?? [];
  if (resources.length === 0) return [];
  const names = microsystemNames(s);
  const rows = resources.map((r) => [
    cut(clean(r.name)),
    r.capacity === null ? "by shift" : count(r.capacity),
    cut(r.microsystems.map((id) => nameOf(names, id)).join(", ")),
    utilizationCell(r.utilization, null, r.background_utilization),
  ]);
  return [
    st.heading("Shared resources"),
    ...table(["Resource", "Places", "Used by", "Utilisation"], rows, "lrlr", st),
  ];
}

function handoffSection(s: RunSummary, names: Map<string, string>, st: Styler): string[] {
  if (s.handoffs.length === 0) return [];
  const rows = s.handoffs.map((h) => [
    cut(`${nameOf(names, h.from)} → ${nameOf(names, h.to)}`),
    count(h.transfers),
    count(h.defects),
    h.transfers === 0 ? "—" : percent(h.reliability),
    count(sum(h.caught)),
  ]);
  return [
    st.heading("Handoffs"),
    ...table(["From → to", "Transfers", "Defects", "Reliability", "Near misses"], rows, "lrrrr", st),
  ];
}

export interface ModeDefects {
  where: string;
  mode: string;
  defects: number;
  caught: number;
}

/** Defects (uncaught occurrences) per failure mode of each element, most first; places by name. */
export function failureModeRanking(s: RunSummary): ModeDefects[] {
  const names = microsystemNames(s);
  const modes: ModeDefects[] = [];
  const collect = (where: string, failures: Record<string, number>, caught: Record<string, number>): void => {
    for (const [mode, n] of Object.entries(failures)) {
      const c = caught[mode] ?? 0;
      if (n - c > 0) modes.push({ where, mode, defects: n - c, caught: c });
    }
  };
  for (const m of s.microsystems) collect(clean(m.name), m.failures, m.caught);
  for (const h of s.handoffs)
    collect(`${nameOf(names, h.from)} → ${nameOf(names, h.to)}`, h.failures, h.caught);
  // Stable tie-break by place then mode, so the list does not shuffle between identical runs.
  return modes.sort(
    (a, b) => b.defects - a.defects || a.where.localeCompare(b.where) || a.mode.localeCompare(b.mode),
  );
}

function failureModeSection(s: RunSummary, st: Styler): string[] {
  const ranking = failureModeRanking(s);
  if (ranking.length === 0) return [st.heading("Failure modes"), "  No defects."];
  const total = ranking.reduce((a, m) => a + m.defects, 0);
  const rows = ranking
    .slice(0, TOP_FAILURE_MODES)
    .map((m, i) => [
      `${i + 1}.`,
      cut(m.where),
      cut(clean(m.mode)),
      `${count(m.defects)} defects`,
      `${percent(m.defects / total, 0)} of all`,
      m.caught > 0 ? `+ ${count(m.caught)} caught` : "",
    ]);
  const title = `Failure modes causing the most defects${ranking.length > TOP_FAILURE_MODES ? ` (top ${TOP_FAILURE_MODES} of ${ranking.length})` : ""}`;
  return [st.heading(title), ...table(["", "Where", "Mode", "", "", ""], rows, "rllrrl", st)];
}

/** Defects and journeys by severity (AHRQ harm scale), worst first; levels without defects left out. */
function severitySection(s: RunSummary, st: Styler): string[] {
  const levels = (s.severity ?? []).filter((l) => l.defects > 0).reverse();
  if (levels.length === 0) return [];
  const rows = levels.map((l) => [
    `${l.severity === "none" ? "no" : l.severity} harm`,
    `${count(l.defects)} defects`,
    `${withShare(l.journeys, s.patients)} journeys at worst this`,
  ]);
  return [st.heading("Defects by severity (AHRQ harm scale)"), ...table(null, rows, "lrl", st)];
}

function outcomeSection(s: RunSummary, st: Styler): string[] {
  const o = s.outcomes;
  const rows: string[][] = [];
  const m = o.mortality_per_1000;
  if (m !== null) {
    const ci = validInterval(m.ci95) ? ` (95% CI ${fixed(m.ci95[0], 1)}–${fixed(m.ci95[1], 1)})` : "";
    rows.push([
      "30-day mortality per 1000",
      `${fixed(m.expected, 1)} expected${ci} · ${fixed(m.sampled, 1)} sampled`,
    ]);
  }
  const year = patientsPerYear(s);
  if (m !== null && year !== null)
    rows.push([
      `A year at the scenario's volume`,
      `${fixed((m.expected * year) / 1000, 1)} deaths expected of ${count(Math.round(year))} patients`,
    ]);
  if (o.decided_at !== null)
    rows.push([
      `Died at ${clean(o.decided_at)} (journey cut short)`,
      withShare(o.died, s.patients, o.died_share?.ci95),
    ]);
  rows.push(["Completed journeys", withShare(o.completed, s.patients, o.completed_share?.ci95)]);
  rows.push(["Dropped (lost to follow-up)", withShare(o.dropped, s.patients, o.dropped_share?.ci95)]);
  rows.push(["Near misses (caught failures)", count(o.near_misses)]);
  if (o.guard_stopped > 0) rows.push(["Stopped by the visit guard", withShare(o.guard_stopped, s.patients)]);
  if ((o.reneged ?? 0) > 0) rows.push(["Left after waiting too long", withShare(o.reneged ?? 0, s.patients)]);
  return [st.heading("Outcomes"), ...table(null, rows, "ll", st)];
}

function metricSection(s: RunSummary, st: Styler): string[] {
  const metrics = Object.values(s.metrics);
  if (metrics.length === 0) return [];
  const rows = metrics.map((m) => [
    cut(clean(m.name)),
    count(m.n),
    m.n === 0 ? "—" : durationWithCi(m.mean, m.mean_ci95),
    m.n === 0 ? "—" : durationWithCi(m.median, m.median_ci95),
    m.n === 0 ? "—" : durationWithCi(m.p90, m.p90_ci95),
    withinTarget(m),
  ]);
  return [
    st.heading("Metrics"),
    ...table(["Metric", "n", "Mean", "Median", "p90", "Within target"], rows, "lrrrrl", st),
  ];
}

function withinTarget(m: MetricSummary): string {
  if (m.target === null || m.within_target === null) return "—";
  if (m.n === 0) return `— (≤ ${duration(m.target)})`;
  return `${formatPercentEstimate(m.within_target, m.within_target_ci95)} (≤ ${duration(m.target)})`;
}

/** "69% (68–70%)": the interval when the run has one. */

function footer(s: RunSummary): string {
  const rate = s.wall_ms > 0 ? ` (${count(Math.round(s.events / (s.wall_ms / 1000)))} events/s)` : "";
  const intervals =
    s.output_analysis === undefined ? "" : ` · intervals ${intervalMethod(s.output_analysis)}`;
  return `${count(s.events)} events in ${wallTime(s.wall_ms)}${rate}${intervals}`;
}

/** How the queue-dependent intervals were made, in a few words. */
function intervalMethod(a: NonNullable<RunSummary["output_analysis"]>): string {
  if (a.method === "replications") return `over ${count(a.units)} replications`;
  if (a.method === "batch means")
    return `by batch means (${count(a.units)} batches of ${count(Math.floor(a.batch_patients ?? 0))} patients)`;
  return "over independent journeys";
}

/** The warnings as the summary's last lines (`run` also prints each on stderr as it comes). */
function warningSection(s: RunSummary, st: Styler): string[] {
  const warnings = s.warnings ?? [];
  if (warnings.length === 0) return [];
  return [st.heading("Warnings"), ...warnings.map((w) => `  ! ${clean(w.message)}.`)];
}

function withShare(n: number, of: number, ci?: readonly [number, number] | null): string {
  if (!(of > 0)) return count(n);
  const interval = validInterval(ci) && ci[1] - ci[0] > 0 ? `, 95% CI ${formatInterval(ci)}` : "";
  return `${count(n)} (${percent(n / of)}${interval})`;
}

function sum(counts: Record<string, number>): number {
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

function microsystemNames(s: RunSummary): Map<string, string> {
  return new Map(s.microsystems.map((m) => [m.id, clean(m.name)]));
}

function nameOf(names: Map<string, string>, id: string): string {
  return names.get(id) ?? clean(id);
}

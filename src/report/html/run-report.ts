// report.html of `run`: one self-contained file a team can mail or print — the headline figures,
// the charts, where defects arise, outcomes, metrics, and the model and method. It reads the run
// summary only (which names every microsystem, handoff and failure mode).
import type { MetricSummary, ModeSummary, RunSummary } from "../../analysis/summary.js";
import { capacityMicrosystems } from "../capacity.js";
import {
  durationUnit,
  formatCount,
  formatDuration,
  formatDurationEstimate,
  formatDurationInEstimate,
  formatInterval,
  formatNumber,
  formatPercent,
  formatPercentEstimate,
  formatWaitP90,
  percentDecimals,
  validInterval,
} from "../format.js";
import { patientsPerYear } from "../volume.js";
import { type Html, html, raw } from "./escape.js";
import { method } from "./method.js";
import { cell, chartSection, htmlPage, REPORT_CSS, type ReportChart, table } from "./page.js";

/** How the run was made: what the "Model and method" section needs to let anyone repeat it. */
export interface ReportMeta {
  /** The command line that produced the run, e.g. `handoff-sim run scenarios/ami.yaml --seed 7`. */
  command: string;
  scenarioFile: string;
  /** handoff-sim's version. */
  version: string;
  /** When the report was made (ISO 8601); omitted from the page when absent. */
  generatedAt?: string;
  /** e.g. "Node.js 20.20.2 on linux x64". */
  platform?: string;
}

const share = (x: number | null): string => (x === null ? "—" : formatPercent(x));

function header(summary: RunSummary, meta: ReportMeta): Html {
  const made = meta.generatedAt === undefined ? null : html` · ${meta.generatedAt}`;
  return html`<header class="masthead">
  <p class="kicker">handoff-sim report</p>
  <h1>${summary.scenario}</h1>
  ${summary.description === "" ? null : html`<p class="lede">${summary.description}</p>`}
  <p class="meta">Scenario <code>${meta.scenarioFile}</code> · ${formatCount(summary.patients)} patients ·
  seed ${summary.seed} · handoff-sim ${meta.version}${made}</p>
</header>`;
}

interface Figure {
  label: string;
  value: string;
  note: string;
  id?: string;
}

function headlineFigures(summary: RunSummary): Figure[] {
  const r = summary.reliability;
  const o = summary.outcomes;
  const ended = o.completed + o.dropped + o.guard_stopped + (o.died ?? 0);
  const figures: Figure[] = [
    {
      id: "figure-reliability",
      label: "Defect-free journeys",
      value: formatPercent(r.estimate),
      note: `95% CI ${formatInterval(r.ci95)}${r.analytic === null ? "" : ` · exact ${formatPercent(r.analytic)}`}`,
    },
  ];
  const m = o.mortality_per_1000;
  const year = patientsPerYear(summary);
  if (m !== null) {
    const perYear =
      year === null
        ? ""
        : ` · ≈ ${formatNumber((m.expected * year) / 1000, 1)} a year at ${formatCount(Math.round(year))} patients a year`;
    figures.push({
      id: "figure-mortality",
      label: "30-day deaths per 1000",
      value: formatNumber(m.expected, 1),
      note: `95% CI ${formatNumber(m.ci95[0], 1)}–${formatNumber(m.ci95[1], 1)} · sampled ${formatNumber(m.sampled, 1)}${perYear}`,
    });
  }
  figures.push(
    {
      label: "Completed journeys",
      value: formatCount(o.completed),
      note: ended > 0 ? `${formatPercent(o.completed / ended)} of journeys` : "",
    },
    {
      label: "Lost to follow-up",
      value: formatCount(o.dropped),
      note: ended > 0 ? `${formatPercent(o.dropped / ended)} of journeys` : "",
    },
    { label: "Near misses", value: formatCount(o.near_misses), note: "failures caught before they did harm" },
  );
  return [...figures, ...Object.values(summary.metrics).map(metricFigure)];
}

function metricFigure(metric: MetricSummary): Figure {
  const within =
    metric.target === null || metric.within_target === null
      ? `90th percentile ${formatDuration(metric.p90)}`
      : `${formatPercent(metric.within_target)} within ${formatDuration(metric.target)}`;
  return { label: `${metric.name} (median)`, value: formatDuration(metric.median), note: within };
}

function headline(summary: RunSummary): Html {
  const cards = headlineFigures(summary).map(
    (f) => html`<div class="figure"${raw(f.id === undefined ? "" : ` id="${f.id}"`)}>
    <p class="figure-label">${f.label}</p><p class="figure-value">${f.value}</p><p class="figure-note">${f.note}</p>
  </div>`,
  );
  const r = summary.reliability;
  const inexact =
    r.analytic === null && r.analytic_note !== null
      ? html`<p class="quiet" id="analytic-note">No exact figure: ${r.analytic_note}.</p>`
      : null;
  const guard =
    summary.outcomes.guard_stopped > 0
      ? html`<p class="warning">${formatCount(summary.outcomes.guard_stopped)} journeys were stopped by the visit
guard (too many visits, usually a routing loop). They count as not completed.</p>`
      : null;
  return html`<section id="headline" aria-labelledby="headline-title">
  <h2 id="headline-title">Headline figures</h2>
  ${warnings(summary)}
  <div class="figures">${cards}</div>${inexact}${guard}
</section>`;
}

/** What the reader must know before trusting the figures: overload, waits still growing, a short run. */
function warnings(summary: RunSummary): Html | null {
  const list = summary.warnings ?? [];
  if (list.length === 0) return null;
  return html`<div class="warning" id="warnings" role="note"><p><strong>Read these figures with care:</strong></p>
  <ul>${list.map((w) => html`<li>${w.message}.</li>`)}</ul></div>`;
}

/** "Name — 12 defects, 3 caught" per failure mode, most defects first. */
function failureList(modes: ModeSummary[]): Html {
  const sorted = [...modes].sort((a, b) => b.defects - a.defects);
  if (sorted.length === 0) return html`<span class="quiet">none</span>`;
  const items = sorted.map((m) => {
    const id = m.name === m.id ? null : html` <span class="id">${m.id}</span>`;
    const near = m.caught > 0 ? `, ${formatCount(m.caught)} caught` : "";
    return html`<li>${m.name}${id} — ${formatCount(m.defects)} defects${near} · ${m.severity}</li>`;
  });
  return html`<ul class="modes">${items}</ul>`;
}

function microsystemTable(summary: RunSummary): Html {
  // One unit for the whole column of waits, so they compare at a glance.
  const visited = summary.microsystems.filter((m) => m.visits > 0);
  const unit = durationUnit(visited.flatMap((m) => [m.wait.mean, m.wait.p90]));
  const util = percentDecimals(
    summary.microsystems.flatMap((m) => (m.utilization === null ? [] : [m.utilization])),
    0,
  );
  const rows = summary.microsystems.map(
    (m) =>
      html`<tr>${[
        html`<th scope="row">${m.name} <span class="id">${m.id}</span></th>`,
        cell(formatCount(m.visits), true),
        cell(formatCount(m.defects), true),
        cell(share(m.reliability), true),
        cell(
          m.visits === 0
            ? "—"
            : `${formatDurationInEstimate(m.wait.mean, m.wait.ci95, unit)} / ${formatWaitP90(m.wait, unit)}`,
          true,
        ),
        cell(
          m.utilization === null
            ? "no limit"
            : formatPercentEstimate(m.utilization, m.utilization_ci95, util),
          true,
        ),
        cell(formatCount(m.off_hours), true),
        cell(failureList(m.modes)),
      ]}</tr>`,
  );
  return table(
    [
      "Microsystem",
      "Visits",
      "Defects",
      "Reliability",
      "Wait mean / p90",
      "Utilisation",
      "Off-hours visits",
      "Failure modes",
    ],
    rows,
    [1, 2, 3, 4, 5, 6],
  );
}

function handoffTable(summary: RunSummary): Html {
  const rows = summary.handoffs.map((h) => {
    return html`<tr>${[
      html`<th scope="row">${h.name}</th>`,
      cell(formatCount(h.transfers), true),
      cell(formatCount(h.defects), true),
      cell(share(h.reliability), true),
      cell(failureList(h.modes)),
    ]}</tr>`;
  });
  return table(["Handoff", "Transfers", "Defects", "Reliability", "Failure modes"], rows, [1, 2, 3]);
}

function elements(summary: RunSummary): Html {
  return html`<section id="elements" aria-labelledby="elements-title">
  <h2 id="elements-title">Where defects arise</h2>
  <p>A defect is a failure that was not caught; reliability is 1 − defects / visits (or transfers).</p>
  <h3>Microsystems</h3>${microsystemTable(summary)}
  ${summary.handoffs.length === 0 ? null : html`<h3>Handoffs</h3>${handoffTable(summary)}`}
</section>`;
}

/**
 * Capacity (issue 12): how full each microsystem is (and how much of it other patients hold),
 * how long patients stay blocked after care, and how many left a queue; the shared resources.
 * Shown only when the run has any of these.
 */
function capacity(summary: RunSummary): Html | null {
  const shown = capacityMicrosystems(summary);
  const resources = summary.resources ?? [];
  if (shown.length === 0 && resources.length === 0) return null;
  const used = (u: number | null | undefined, others: number | null | undefined): string =>
    u === null || u === undefined
      ? "no limit"
      : others === null || others === undefined
        ? formatPercent(u, 0)
        : `${formatPercent(u, 0)} (${formatPercent(others, 0)} other patients)`;
  const rows = shown.map((m) => {
    const b = m.blocked ?? null;
    return html`<tr>${[
      html`<th scope="row">${m.name} <span class="id">${m.id}</span></th>`,
      cell(m.uses ?? "own", false),
      cell(used(m.utilization, m.background_utilization), true),
      cell(b === null ? "—" : `${formatDuration(b.mean)} / ${formatDuration(b.p90)}`, true),
      cell(b === null ? "—" : formatPercent(b.share, 0), true),
      cell(formatCount(m.reneged ?? 0), true),
    ]}</tr>`;
  });
  const pools = resources.map(
    (r) =>
      html`<tr>${[
        html`<th scope="row">${r.name} <span class="id">${r.id}</span></th>`,
        cell(r.capacity === null ? "by shift" : formatCount(r.capacity), true),
        cell(r.microsystems.join(", ")),
        cell(used(r.utilization, r.background_utilization), true),
      ]}</tr>`,
  );
  return html`<section id="capacity" aria-labelledby="capacity-title">
  <h2 id="capacity-title">Capacity</h2>
  <p>Utilisation is the place-minutes held (by the pathway's patients, blocked ones included, and by
  other patients) over the place-minutes available, the capacity integrated over the measured period.
  A blocked patient has finished but keeps its place until the next microsystem has one.</p>
  ${shown.length === 0 ? null : table(["Microsystem", "Places", "Utilisation", "Blocked mean / p90", "Stays blocked", "Left the queue"], rows, [2, 3, 4, 5])}
  ${resources.length === 0 ? null : html`<h3>Shared resources</h3>${table(["Resource", "Places", "Used by", "Utilisation"], pools, [1, 3])}`}
</section>`;
}

function classTable(summary: RunSummary): Html | null {
  const classes = Object.entries(summary.reliability.by_class);
  if (classes.length < 2) return null;
  const rows = classes.map(
    ([id, c]) =>
      html`<tr>${[
        html`<th scope="row">${id}</th>`,
        cell(formatCount(c.patients), true),
        cell(share(c.estimate), true),
        cell(formatInterval(c.ci95), true),
        cell(share(c.analytic), true),
      ]}</tr>`,
  );
  return html`<h3>By patient class</h3>${table(["Class", "Patients", "Defect-free", "95% CI", "Exact"], rows, [1, 2, 3, 4])}`;
}

/** Defects and journeys by severity (AHRQ Common Formats harm scale), worst first. */
function severityTable(summary: RunSummary): Html | null {
  const levels = (summary.severity ?? []).filter((l) => l.defects > 0).reverse();
  if (levels.length === 0) return null;
  const rows = levels.map(
    (l) =>
      html`<tr>${[
        html`<th scope="row">${l.severity === "none" ? "no" : l.severity} harm</th>`,
        cell(formatCount(l.defects), true),
        cell(formatCount(l.journeys), true),
      ]}</tr>`,
  );
  return html`<h3>Defects by severity</h3>
  <p>On the AHRQ Common Formats harm scale; a journey counts at the severity of its worst defect.</p>
  ${table(["Severity", "Defects", "Journeys (worst defect)"], rows, [1, 2])}`;
}

function outcomes(summary: RunSummary): Html {
  const o = summary.outcomes;
  const m = o.mortality_per_1000;
  const withShare = (n: number, s: typeof o.completed_share): string =>
    s === undefined || !validInterval(s.ci95)
      ? formatCount(n)
      : `${formatCount(n)} (${formatPercent(s.estimate)}, 95% CI ${formatInterval(s.ci95)})`;
  const rows: [string, string][] = [
    ...(o.decided_at === null
      ? []
      : ([[`Died at ${o.decided_at} (journey cut short)`, withShare(o.died, o.died_share)]] as [
          string,
          string,
        ][])),
    ["Completed journeys", withShare(o.completed, o.completed_share)],
    ["Lost to follow-up (dropped)", withShare(o.dropped, o.dropped_share)],
    ["Stopped by the visit guard", formatCount(o.guard_stopped)],
    ["Near misses (failures caught)", formatCount(o.near_misses)],
  ];
  if ((o.reneged ?? 0) > 0) rows.push(["Left after waiting too long (reneged)", formatCount(o.reneged ?? 0)]);
  if (m !== null) {
    rows.push(
      [
        "Expected 30-day deaths per 1000",
        `${formatNumber(m.expected, 1)} (95% CI ${formatNumber(m.ci95[0], 1)}–${formatNumber(m.ci95[1], 1)})`,
      ],
      ["Sampled 30-day deaths per 1000", formatNumber(m.sampled, 1)],
    );
  }
  const body = rows.map(([k, v]) => html`<tr><th scope="row">${k}</th>${cell(v, true)}</tr>`);
  return html`<section id="outcomes" aria-labelledby="outcomes-title">
  <h2 id="outcomes-title">Outcomes</h2>
  ${table(["Outcome", "Value"], body, [1])}
  ${severityTable(summary)}
  ${classTable(summary)}
</section>`;
}

function metrics(summary: RunSummary): Html | null {
  const list = Object.entries(summary.metrics);
  if (list.length === 0) return null;
  const rows = list.map(([id, m]) => {
    const time = (x: number, ci: typeof m.mean_ci95) =>
      cell(m.n === 0 ? "—" : formatDurationEstimate(x, ci), true);
    return html`<tr>${[
      html`<th scope="row">${m.name} <span class="id">${id}</span>${m.classes == null ? null : html` <span class="quiet">(${m.classes.join(", ")})</span>`}</th>`,
      cell(formatCount(m.n), true),
      time(m.mean, m.mean_ci95),
      time(m.median, m.median_ci95),
      time(m.p90, m.p90_ci95),
      cell(m.target === null ? "—" : formatDuration(m.target), true),
      cell(
        m.within_target === null ? "—" : formatPercentEstimate(m.within_target, m.within_target_ci95),
        true,
      ),
    ]}</tr>`;
  });
  return html`<section id="metrics" aria-labelledby="metrics-title">
  <h2 id="metrics-title">Metrics</h2>
  <p>Intervals between milestones, over the journeys that reached both; 95% confidence intervals in brackets.</p>
  ${table(["Metric", "Journeys", "Mean", "Median", "90th percentile", "Target", "Within target"], rows, [1, 2, 3, 4, 5, 6])}
</section>`;
}

/** The whole report as one HTML document. */
export function reportHtml(summary: RunSummary, chartList: ReportChart[], meta: ReportMeta): string {
  return htmlPage(`${summary.scenario} — handoff-sim report`, REPORT_CSS, meta.version, [
    header(summary, meta),
    headline(summary),
    chartSection(chartList),
    elements(summary),
    capacity(summary),
    outcomes(summary),
    metrics(summary),
    method(summary, meta),
  ]);
}

// report.html: one self-contained file a team can mail or print. Inline CSS and SVG only — no
// script, font, image or stylesheet from anywhere — so it opens offline and cannot phone home.
// Every text that comes from a scenario passes through the `html` template tag, which escapes it;
// only `raw()` bypasses that, and it is used for markup built here and for the rendered charts.
import type { Estimate, MetricSummary, RunSummary } from "../analysis/summary.js";
import type { ModelSpec } from "../model/spec.js";
import { formatCount, formatMinutes, formatNumber, formatShare, slug } from "./charts/format.js";
import { elementLabel, failureModeName, microsystemNames } from "./charts/labels.js";

/** A rendered chart as the report shows it. */
export interface ReportChart {
  /** Unique name (the file stem); also scopes the SVG's internal ids. */
  name: string;
  title: string;
  svg: string;
  /** How to read it; shown under the chart. */
  caption?: string;
}

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
  /** The model the run used: names failure modes and lists the input parameters. */
  model?: ModelSpec;
}

// ---------------------------------------------------------------------------------------------
// Escaping

/** Markup that is already safe to insert. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Part = Html | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function part(value: Part): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(part).join("");
  return escapeHtml(String(value));
}

/** Template tag: interpolated strings and numbers are escaped, `Html` values are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Marks trusted markup (built in this file, or an SVG rendered by vega). */
export function raw(markup: string): Html {
  return new Html(markup);
}

// ---------------------------------------------------------------------------------------------
// Small pieces

const share = (x: number | null): string => (x === null ? "—" : formatShare(x));
const interval = (e: Estimate): string => `${formatShare(e.ci95[0])}–${formatShare(e.ci95[1])}`;

/**
 * Several SVGs share one document, so their internal ids (clip paths, gradients) must not collide:
 * prefix every id and every reference to one with the chart's name. Also drops an XML prolog.
 */
export function scopeSvg(svg: string, name: string, title: string): string {
  const prefix = `${slug(name)}-`;
  return svg
    .replace(/^<\?xml[^>]*\?>\s*/, "")
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/\bhref="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`)
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(title)}"`);
}

/** A table; `numeric` lists the columns whose values are right-aligned numbers. */
export function table(headers: string[], rows: Html[], numeric: number[]): Html {
  const head = headers.map(
    (h, i) => html`<th scope="col"${raw(numeric.includes(i) ? ' class="num"' : "")}>${h}</th>`,
  );
  return html`<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** A table cell: text left, numbers right-aligned. */
export function cell(value: Part, numeric = false): Html {
  return numeric ? html`<td class="num">${value}</td>` : html`<td>${value}</td>`;
}

// ---------------------------------------------------------------------------------------------
// Sections

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
  const ended = o.completed + o.dropped + o.guard_stopped;
  const figures: Figure[] = [
    {
      id: "figure-reliability",
      label: "Defect-free journeys",
      value: formatShare(r.estimate),
      note: `95% CI ${interval(r)}${r.analytic === null ? "" : ` · exact ${formatShare(r.analytic)}`}`,
    },
  ];
  const m = o.mortality_per_1000;
  if (m !== null) {
    figures.push({
      id: "figure-mortality",
      label: "30-day deaths per 1000",
      value: formatNumber(m.expected, 1),
      note: `95% CI ${formatNumber(m.ci95[0], 1)}–${formatNumber(m.ci95[1], 1)} · sampled ${formatNumber(m.sampled, 1)}`,
    });
  }
  figures.push(
    {
      label: "Completed journeys",
      value: formatCount(o.completed),
      note: ended > 0 ? `${formatShare(o.completed / ended)} of journeys` : "",
    },
    {
      label: "Lost to follow-up",
      value: formatCount(o.dropped),
      note: ended > 0 ? `${formatShare(o.dropped / ended)} of journeys` : "",
    },
    { label: "Near misses", value: formatCount(o.near_misses), note: "failures caught before they did harm" },
  );
  return [...figures, ...Object.values(summary.metrics).map(metricFigure)];
}

function metricFigure(metric: MetricSummary): Figure {
  const within =
    metric.target === null || metric.within_target === null
      ? `90th percentile ${formatMinutes(metric.p90)}`
      : `${formatShare(metric.within_target)} within ${formatMinutes(metric.target)}`;
  return { label: `${metric.name} (median)`, value: formatMinutes(metric.median), note: within };
}

function headline(summary: RunSummary): Html {
  const cards = headlineFigures(summary).map(
    (f) => html`<div class="figure"${raw(f.id === undefined ? "" : ` id="${f.id}"`)}>
    <p class="figure-label">${f.label}</p><p class="figure-value">${f.value}</p><p class="figure-note">${f.note}</p>
  </div>`,
  );
  const guard =
    summary.outcomes.guard_stopped > 0
      ? html`<p class="warning">${formatCount(summary.outcomes.guard_stopped)} journeys were stopped by the visit
guard (too many visits, usually a routing loop). They count as not completed.</p>`
      : null;
  return html`<section id="headline" aria-labelledby="headline-title">
  <h2 id="headline-title">Headline figures</h2>
  <div class="figures">${cards}</div>${guard}
</section>`;
}

/** The charts, each in a figure with its caption (shared with the compare report). */
export function chartSection(list: ReportChart[]): Html | null {
  if (list.length === 0) return null;
  const figures = list.map(
    (c) => html`<figure class="chart" id="chart-${slug(c.name)}" data-chart="${c.name}">
    ${raw(scopeSvg(c.svg, c.name, c.title))}
    ${c.caption === undefined ? null : html`<figcaption>${c.caption}</figcaption>`}
  </figure>`,
  );
  return html`<section id="charts" aria-labelledby="charts-title">
  <h2 id="charts-title">Charts</h2>
  <div class="charts">${figures}</div>
</section>`;
}

/** "Name — 12 defects, 3 caught" per failure mode, most defects first. */
function failureList(
  model: ModelSpec | undefined,
  element: string,
  failures: Record<string, number>,
  caught: Record<string, number>,
): Html {
  const modes = Object.entries(failures)
    .map(([mode, n]) => ({ mode, defects: n - (caught[mode] ?? 0), caught: caught[mode] ?? 0 }))
    .sort((a, b) => b.defects - a.defects);
  if (modes.length === 0) return html`<span class="quiet">none</span>`;
  const items = modes.map((m) => {
    const name = failureModeName(model, element, m.mode);
    const id = name === m.mode ? null : html` <span class="id">${m.mode}</span>`;
    const near = m.caught > 0 ? `, ${formatCount(m.caught)} caught` : "";
    return html`<li>${name}${id} — ${formatCount(m.defects)} defects${near}</li>`;
  });
  return html`<ul class="modes">${items}</ul>`;
}

function microsystemTable(summary: RunSummary, model: ModelSpec | undefined): Html {
  const rows = summary.microsystems.map(
    (m) =>
      html`<tr>${[
        html`<th scope="row">${m.name} <span class="id">${m.id}</span></th>`,
        cell(formatCount(m.visits), true),
        cell(formatCount(m.defects), true),
        cell(share(m.reliability), true),
        cell(`${formatMinutes(m.wait.mean)} / ${formatMinutes(m.wait.p90)}`, true),
        cell(m.utilization === null ? "no limit" : formatShare(m.utilization, 0), true),
        cell(formatCount(m.off_hours), true),
        cell(failureList(model, m.id, m.failures, m.caught)),
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

function handoffTable(summary: RunSummary, model: ModelSpec | undefined): Html {
  const names = microsystemNames(summary);
  const rows = summary.handoffs.map((h) => {
    const key = `${h.from}->${h.to}`;
    return html`<tr>${[
      html`<th scope="row">${elementLabel(names, key)}</th>`,
      cell(formatCount(h.transfers), true),
      cell(formatCount(h.defects), true),
      cell(share(h.reliability), true),
      cell(failureList(model, key, h.failures, h.caught)),
    ]}</tr>`;
  });
  return table(["Handoff", "Transfers", "Defects", "Reliability", "Failure modes"], rows, [1, 2, 3]);
}

function elements(summary: RunSummary, model: ModelSpec | undefined): Html {
  return html`<section id="elements" aria-labelledby="elements-title">
  <h2 id="elements-title">Where defects arise</h2>
  <p>A defect is a failure that was not caught; reliability is 1 − defects / visits (or transfers).</p>
  <h3>Microsystems</h3>${microsystemTable(summary, model)}
  ${summary.handoffs.length === 0 ? null : html`<h3>Handoffs</h3>${handoffTable(summary, model)}`}
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
        cell(interval(c), true),
        cell(share(c.analytic), true),
      ]}</tr>`,
  );
  return html`<h3>By patient class</h3>${table(["Class", "Patients", "Defect-free", "95% CI", "Exact"], rows, [1, 2, 3, 4])}`;
}

function outcomes(summary: RunSummary): Html {
  const o = summary.outcomes;
  const m = o.mortality_per_1000;
  const rows: [string, string][] = [
    ["Completed journeys", formatCount(o.completed)],
    ["Lost to follow-up (dropped)", formatCount(o.dropped)],
    ["Stopped by the visit guard", formatCount(o.guard_stopped)],
    ["Near misses (failures caught)", formatCount(o.near_misses)],
  ];
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
  ${classTable(summary)}
</section>`;
}

function metrics(summary: RunSummary): Html | null {
  const list = Object.entries(summary.metrics);
  if (list.length === 0) return null;
  const rows = list.map(
    ([id, m]) =>
      html`<tr>${[
        html`<th scope="row">${m.name} <span class="id">${id}</span></th>`,
        cell(formatCount(m.n), true),
        cell(formatMinutes(m.mean), true),
        cell(formatMinutes(m.median), true),
        cell(formatMinutes(m.p90), true),
        cell(m.target === null ? "—" : formatMinutes(m.target), true),
        cell(share(m.within_target), true),
      ]}</tr>`,
  );
  return html`<section id="metrics" aria-labelledby="metrics-title">
  <h2 id="metrics-title">Metrics</h2>
  <p>Intervals between milestones, over the journeys that reached both.</p>
  ${table(["Metric", "Journeys", "Mean", "Median", "90th percentile", "Target", "Within target"], rows, [1, 2, 3, 4, 5, 6])}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Model and method, in the order of STRESS-DES (Monks et al. 2019): objectives, logic, data,
// experimentation, implementation, code access.

function objectives(summary: RunSummary): Html {
  return html`<h3>1. Objectives</h3>
  <p>Estimate how reliable the whole patient journey is — the share of patients with no uncaught
  failure at any microsystem or handoff (“all-or-none”) — where the defects arise, and the outcomes,
  intervals and waits that follow, so that the team can choose which step or handoff to improve first.</p>
  ${summary.description === "" ? null : html`<p>Scenario: ${summary.description}</p>`}`;
}

function logic(summary: RunSummary): Html {
  const names = microsystemNames(summary);
  const path = summary.cascade
    .filter((s) => s.kind === "microsystem")
    .map((s) => elementLabel(names, s.element));
  const modes =
    summary.microsystems.reduce((n, m) => n + Object.keys(m.failures).length, 0) +
    summary.handoffs.reduce((n, h) => n + Object.keys(h.failures).length, 0);
  return html`<h3>2. Logic</h3>
  <p>A discrete-event simulation of individual patient journeys. Each visit to a microsystem is
  arrive → wait for capacity → off-hours delay if outside staffed hours → service → failure draws →
  routing; each move between microsystems is a handoff with its own transfer time and failure draws.
  An uncaught failure is a defect: it may add delay, raise the patient's risk, send the patient
  elsewhere or end the journey (lost to follow-up). A caught failure is a near miss.</p>
  <p>Components: ${summary.microsystems.length} microsystems, ${summary.handoffs.length} handoffs,
  ${modes} failure modes.${path.length > 0 ? html` Main path: ${path.join(" → ")}.` : null}</p>
  <p>Whole-system reliability is checked against its exact value from the absorbing Markov chain of the routing.</p>`;
}

function parameterTable(model: ModelSpec): Html {
  const elements = [
    ...model.microsystems.map((m) => ({ label: m.name, failures: m.failures })),
    ...model.handoffs.map((h) => ({
      label: elementLabel(new Map(model.microsystems.map((m) => [m.id, m.name])), `${h.from}->${h.to}`),
      failures: h.failures,
    })),
  ];
  const rows = elements.flatMap((e) =>
    e.failures.map((f) => {
      const effects = [
        f.harm === 1 ? null : `risk × ${formatNumber(f.harm, 2)}`,
        f.drop ? "ends the journey" : null,
        f.goto === null ? null : `goes to ${f.goto}`,
      ].filter((x): x is string => x !== null);
      return html`<tr>${[
        html`<th scope="row">${e.label}</th>`,
        cell(html`${f.name} <span class="id">${f.id}</span>`),
        cell(formatShare(f.p), true),
        cell(formatShare(f.detect), true),
        cell(formatShare(f.p * (1 - f.detect)), true),
        cell(effects.length === 0 ? "—" : effects.join(", ")),
      ]}</tr>`;
    }),
  );
  return table(["Where", "Failure mode", "p", "Caught", "Defect", "Consequence"], rows, [2, 3, 4]);
}

function data(meta: ReportMeta): Html {
  const model = meta.model;
  const source = html`<p>Input parameters come from the scenario file <code>${meta.scenarioFile}</code>,
  where each number should carry its source or be marked as an assumption.</p>`;
  if (model === undefined) return html`<h3>3. Data</h3>${source}`;
  const classes = model.classes.map((c) => `${c.id} ${formatShare(c.share, 0)}`).join(", ");
  const arrivals =
    model.arrivals === null
      ? "no arrival process (journeys are independent)"
      : `${formatNumber(model.arrivals.perDay, 1)} patients per day (Poisson)`;
  return html`<h3>3. Data</h3>${source}
  <p>Patient classes: ${classes}. Arrivals: ${arrivals}.</p>
  ${parameterTable(model)}`;
}

function experimentation(summary: RunSummary): Html {
  const init = summary.arrivals
    ? `Warm-up of ${formatMinutes(summary.warmup_minutes)}: journeys that start in it are simulated but left out of every statistic.`
    : "No warm-up: without arrivals journeys do not share capacity, and each starts at a uniformly random moment of the week.";
  return html`<h3>4. Experimentation</h3>
  <dl class="facts">
    <dt>Initialisation</dt><dd>${init}</dd>
    <dt>Run length</dt><dd>${formatCount(summary.patients)} patients counted, over ${summary.replications}
    ${summary.replications === 1 ? "replication" : "independent replications"}.</dd>
    <dt>Estimation</dt><dd>Figures with 95% confidence intervals; whole-system reliability beside its exact
    (analytic) value.</dd>
  </dl>`;
}

function implementation(summary: RunSummary, meta: ReportMeta): Html {
  return html`<h3>5. Implementation</h3>
  <dl class="facts">
    <dt>Software</dt><dd>handoff-sim ${meta.version} (TypeScript)${meta.platform === undefined ? null : html`, ${meta.platform}`}</dd>
    <dt>Random sampling</dt><dd>Seed <strong>${summary.seed}</strong>. Every draw comes from a stream keyed by
    (seed, replication, patient, element, purpose, visit), so results do not depend on how the work is split.</dd>
    <dt>Execution</dt><dd>${formatCount(summary.events)} events in ${formatNumber(summary.wall_ms / 1000, 1)} s.</dd>
    <dt>Command</dt><dd><code class="command">${meta.command}</code></dd>
  </dl>
  <h3>6. Code access</h3>
  <p>Running the command above with handoff-sim ${meta.version} and the scenario file
  <code>${meta.scenarioFile}</code> reproduces every figure in this report.</p>`;
}

function method(summary: RunSummary, meta: ReportMeta): Html {
  return html`<section id="method" aria-labelledby="method-title">
  <h2 id="method-title">Model and method</h2>
  ${objectives(summary)}${logic(summary)}${data(meta)}${experimentation(summary)}${implementation(summary, meta)}
</section>`;
}

// ---------------------------------------------------------------------------------------------
// Style: calm, high contrast, large type for a wall or projector; locally installed fonts only.

export const REPORT_CSS = `
:root {
  --ink: #1f2a35; --muted: #5f6b76; --line: #d9dee3; --soft: #f4f6f8; --accent: #1f5f8b; --warn: #9a3412;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-size: 17px; }
body {
  margin: 0; background: #fff; color: var(--ink); line-height: 1.5;
  font-family: "DejaVu Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 1180px; margin: 0 auto; padding: 2.5rem 2rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.35rem; margin: 3rem 0 1rem; padding-bottom: 0.35rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.8rem 0 0.6rem; }
p { margin: 0.5rem 0; max-width: 72ch; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em;
  background: var(--soft); padding: 0.05em 0.3em; border-radius: 3px; }
code.command { display: inline-block; white-space: pre-wrap; word-break: break-all; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.75rem; color: var(--muted); margin: 0; }
.lede { font-size: 1.1rem; color: var(--ink); }
.meta { color: var(--muted); font-size: 0.88rem; max-width: none; }
.masthead { border-bottom: 1px solid var(--line); padding-bottom: 1rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
.figure { border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 4px;
  padding: 0.8rem 1rem; background: #fff; }
.figure-label { margin: 0; color: var(--muted); font-size: 0.85rem; }
.figure-value { margin: 0.15rem 0; font-size: 2rem; font-weight: bold; line-height: 1.2; }
.figure-note { margin: 0; color: var(--muted); font-size: 0.8rem; }
.warning { border-left: 4px solid var(--warn); background: #fff7ed; padding: 0.6rem 1rem; }
.charts { display: grid; grid-template-columns: 1fr; gap: 2rem; }
figure.chart { margin: 0; padding: 1rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
figure.chart svg { display: block; width: 100%; max-width: 980px; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 0.88rem; margin-top: 0.6rem; max-width: 80ch; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--ink); font-weight: bold; white-space: nowrap; }
tbody th { font-weight: normal; }
tbody tr:nth-child(even) { background: var(--soft); }
.num { text-align: right; white-space: nowrap; }
.id { color: var(--muted); font-size: 0.8em; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.quiet { color: var(--muted); }
ul.modes { margin: 0; padding-left: 1.1rem; }
dl.facts { display: grid; grid-template-columns: 11rem 1fr; gap: 0.4rem 1rem; margin: 0.5rem 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
@media (min-width: 1500px) {
  html { font-size: 18px; }
  main { max-width: 1500px; }
  .charts { grid-template-columns: 1fr 1fr; }
}
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 1.5rem; }
  figure.chart, .figure, tr { break-inside: avoid; }
  figure.chart { border: none; padding: 0; }
  .table-wrap { overflow: visible; }
  tbody tr:nth-child(even) { background: none; }
}
`;

// ---------------------------------------------------------------------------------------------

/**
 * One self-contained HTML document: inline CSS, no script, nothing loaded from anywhere. Every
 * value in `title` and `sections` is escaped by the `html` template.
 */
export function htmlPage(title: string, css: string, version: string, sections: (Html | null)[]): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="handoff-sim ${version}">
<title>${title}</title>
<style>${raw(css)}</style>
</head>
<body>
<main>
${sections}
</main>
</body>
</html>
`.value;
}

/** The whole report as one HTML document. */
export function reportHtml(summary: RunSummary, chartList: ReportChart[], meta: ReportMeta): string {
  return htmlPage(`${summary.scenario} — handoff-sim report`, REPORT_CSS, meta.version, [
    header(summary, meta),
    headline(summary),
    chartSection(chartList),
    elements(summary, meta.model),
    outcomes(summary),
    metrics(summary),
    method(summary, meta),
  ]);
}

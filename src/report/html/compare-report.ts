// report.html of `compare`: one self-contained page a quality team can mail — what each change
// does (the avoided defects and deaths first), the charts, every headline figure side by side with
// its paired difference, the scenarios, and how the comparison was made so it can be repeated.
// Built from the run report's pieces: the same escaping `html` tag, styles and chart figures.
import type { Comparison, VariantComparison } from "../../analysis/compare.js";
import type { Estimate, RunSummary } from "../../analysis/summary.js";
import {
  type CompareFigure,
  compareFigures,
  formatChange,
  formatLevel,
  unchanged,
  type Verdict,
  verdict,
} from "../charts/compare-figures.js";
import { changeValue } from "../compare.js";
import { formatCount, formatNumber } from "../format.js";
import { styler } from "../table.js";
import { economicsLines, uncertaintySentences, variantUncertaintyLines } from "../uncertainty.js";
import { patientsPerYear } from "../volume.js";
import { type Html, html } from "./escape.js";
import { cell, chartSection, htmlPage, REPORT_CSS, type ReportChart, table } from "./page.js";

/** How the comparison was made: what the "Model and method" section needs to let anyone repeat it. */
export interface CompareReportMeta {
  /** The command line, e.g. `handoff-sim compare base.yaml variant.yaml`. */
  command: string;
  /** The baseline's file, then each variant's (the baseline's again for a variant made with --set). */
  scenarioFiles: string[];
  version: string;
  /** When the report was made (ISO 8601); omitted from the page when absent. */
  generatedAt?: string;
  /** e.g. "Node.js 20.20.2 on linux x64". */
  platform?: string;
}

// --- the top of the page ---------------------------------------------------------------------------

/** What the report compares: "<variant> vs <baseline>", or "<n> variants vs <baseline>". */
export function comparisonTitle(c: Comparison): string {
  const [only] = c.variants;
  const what =
    c.variants.length === 1 && only !== undefined ? only.scenario : `${c.variants.length} variants`;
  return `${what} vs ${c.baseline.scenario}`;
}

function header(c: Comparison, meta: CompareReportMeta): Html {
  const b = c.baseline;
  const made = meta.generatedAt === undefined ? null : html` · ${meta.generatedAt}`;
  const count = c.variants.length === 1 ? "one variant" : `${c.variants.length} variants`;
  return html`<header class="masthead">
  <p class="kicker">handoff-sim comparison</p>
  <h1>${comparisonTitle(c)}</h1>
  <p class="lede">The baseline compared with ${count}, on the same patients (common random numbers):
  ${c.variants.map((v, i) => html`${i === 0 ? null : " · "}<strong>${v.scenario}</strong>`)}</p>
  <p class="meta">Baseline <code>${meta.scenarioFiles[0] ?? ""}</code> · ${runFacts(b)} ·
  handoff-sim ${meta.version}${made}</p>
</header>`;
}

function runFacts(s: RunSummary): string {
  const facts = [`${formatCount(s.patients)} patients`, `seed ${s.seed}`];
  if (s.arrivals) facts.push(`${formatCount(s.replications)} replications`);
  return facts.join(" · ");
}

interface Card {
  label: string;
  value: string;
  note: string;
  verdict: Verdict;
}

/** "32.2" for 32.2 avoided, "−2.1" when the variant has more; the interval as the note. */
function avoidedCard(label: string, e: Estimate, decimals: "per1000" | "deaths"): Card {
  if (unchanged(e)) return { label, value: "0", note: "no change", verdict: "No clear change" };
  const { value, interval } = formatChange(e, decimals);
  return {
    label,
    value: value.replace(/^\+/, ""),
    note: `95% CI ${interval}`,
    verdict: verdict(e, "higher"),
  };
}

/** ", ≈ 18.8 a year at 584 patients a year" where the scenario has a volume; "" otherwise. */
function perYear(e: Estimate, year: number | null, decimals: number): string {
  if (year === null || unchanged(e)) return "";
  return ` · ≈ ${formatNumber(Math.abs(e.estimate) * (year / 1000), decimals)} a year at ${formatCount(Math.round(year))} patients a year`;
}

function cards(b: RunSummary, v: VariantComparison): Card[] {
  const d = v.differences;
  const year = patientsPerYear(b);
  const defects = avoidedCard("Defects avoided per 1000 patients", d.defects_avoided_per_1000, "per1000");
  defects.note += `${perYear(d.defects_avoided_per_1000, year, 1)} (a defect is one uncaught failure: a patient can have several)`;
  const list = [defects];
  if (d.deaths_avoided_per_1000 !== null) {
    const deaths = avoidedCard("Deaths avoided per 1000 patients", d.deaths_avoided_per_1000, "deaths");
    deaths.note += perYear(d.deaths_avoided_per_1000, year, 2);
    list.push(deaths);
  }
  const r = scaled(d.reliability, 100);
  const change = formatChange(r, "shares");
  const perThousand = scaled(d.reliability, 1000);
  list.push({
    label: "Defect-free journeys (share of patients, percentage points)",
    value: unchanged(r) ? "no change" : change.value,
    note: unchanged(r)
      ? ""
      : `95% CI ${change.interval} · ${formatNumber(Math.abs(perThousand.estimate), 1)} ${perThousand.estimate >= 0 ? "more" : "fewer"} defect-free patients per 1000${perYear(perThousand, year, 1)}`,
    verdict: verdict(r, "higher"),
  });
  return list;
}

function scaled(e: Estimate, k: number): Estimate {
  return { estimate: e.estimate * k, ci95: [e.ci95[0] * k, e.ci95[1] * k] };
}

const VERDICT_CLASS: Record<Verdict, string> = {
  Better: "better",
  Worse: "worse",
  Changed: "changed",
  "No clear change": "unclear",
};

/** What the variant changed, value by value (compare.json has the same list). */
function changesTable(v: VariantComparison): Html {
  if (v.changes.length === 0)
    return html`<p class="quiet">No value differs from the baseline: the two run the same model.</p>`;
  const rows = v.changes.map(
    (c) =>
      html`<tr>${[
        html`<th scope="row"><code>${c.path}</code></th>`,
        cell(changeValue(c.baseline)),
        cell(changeValue(c.variant)),
      ]}</tr>`,
  );
  return html`<details class="changes" open><summary>What changed (${v.changes.length} ${v.changes.length === 1 ? "value" : "values"})</summary>
  ${table(["Value (--set path)", "Baseline", "Variant"], rows, [])}</details>`;
}

function headline(c: Comparison): Html {
  const blocks = c.variants.map((v, i) => {
    const items = cards(c.baseline, v).map(
      (f) => html`<div class="figure ${VERDICT_CLASS[f.verdict]}">
    <p class="figure-label">${f.label}</p><p class="figure-value">${f.value}</p><p class="figure-note">${f.note}</p>
  </div>`,
    );
    return html`<div class="variant" id="variant-${i + 1}">
  <h3>${v.scenario}</h3>
  ${changesTable(v)}
  <div class="figures">${items}</div>
</div>`;
  });
  return html`<section id="headline" aria-labelledby="headline-title">
  <h2 id="headline-title">What each change does</h2>
  <p>Each variant against the baseline, per 1000 patients, with paired 95% intervals.</p>
  ${blocks}
</section>`;
}

// --- costs and uncertainty --------------------------------------------------------------------------

/** The plain sentences of the probabilistic sensitivity analysis and the costs, per variant. */
function uncertaintySection(c: Comparison): Html | null {
  const blocks = c.variants.flatMap((v) => {
    const lines = [...economicsLines(v, PLAIN), ...variantUncertaintyLines(v, PLAIN)];
    if (lines.length === 0) return [];
    return [
      html`<h3>${v.scenario}</h3>
  <ul>${uncertaintySentences(v).map((s) => html`<li><strong>${s}</strong></li>`)}</ul>
  <pre class="quiet">${lines.join("\n")}</pre>`,
    ];
  });
  if (blocks.length === 0) return null;
  return html`<section id="uncertainty" aria-labelledby="uncertainty-title">
  <h2 id="uncertainty-title">Costs and uncertainty</h2>
  <p>With --uncertainty, every figure is recomputed in many plausible worlds (parameter sets drawn
  from what the sources and audits say), on the same patients; the charts below show the spread.</p>
  ${blocks}
</section>`;
}

const PLAIN = styler(false);

// --- every figure ----------------------------------------------------------------------------------

function figureRow(f: CompareFigure, variant: number): Html | null {
  const d = f.differences[variant];
  if (d === null || d === undefined) return null;
  const base = f.levels[0];
  const own = f.levels[variant + 1];
  const change = formatChange(d, f.group);
  const reading = verdict(d, f.better);
  // One unit for the row's two times.
  const row = [base?.value, own?.value].filter((x): x is number => x !== undefined && Number.isFinite(x));
  return html`<tr>${[
    html`<th scope="row">${f.group === "deaths" || f.group === "per1000" ? `${f.label} per 1000` : f.label}</th>`,
    cell(base === null || base === undefined ? "—" : formatLevel(base.value, f.group, row), true),
    cell(own === null || own === undefined ? "—" : formatLevel(own.value, f.group, row), true),
    cell(unchanged(d) ? "no change" : change.value, true),
    cell(unchanged(d) ? "" : change.interval, true),
    html`<td class="reading ${VERDICT_CLASS[reading]}">${reading}</td>`,
  ]}</tr>`;
}

/** One table per variant: baseline, variant, difference (in the figure's unit) and what it means. */
function figureTable(figures: CompareFigure[], v: VariantComparison, i: number): Html {
  const rows = figures.flatMap((f) => {
    const row = figureRow(f, i);
    return row === null ? [] : [row];
  });
  return html`<h3>${v.scenario}</h3>
  ${table(["Figure", "Baseline", "Variant", "Difference", "95% CI", "Reading"], rows, [1, 2, 3, 4])}
  <p class="quiet">Differences are variant − baseline; shares change in percentage points. ${pairingNote(v)}</p>`;
}

function pairingNote(v: VariantComparison): string {
  const p = v.pairing;
  const over = p.unit === "replication" ? `${p.units} replications` : `${p.units} batches of patients`;
  return p.method === "paired"
    ? `Paired patient by patient; 95% t intervals over ${over}.`
    : `The scenarios cannot be paired: unpaired (Welch) 95% intervals over ${over}, wider than paired ones.`;
}

function figures(c: Comparison): Html {
  const list = compareFigures(c);
  return html`<section id="figures" aria-labelledby="figures-title">
  <h2 id="figures-title">Every headline figure</h2>
  <p>“Better” or “Worse” when the whole 95% interval lies on one side of zero; “No clear change” when
  it includes zero. Near misses have no better direction: fewer can mean fewer failures or fewer caught.</p>
  ${c.variants.map((v, i) => figureTable(list, v, i))}
</section>`;
}

// --- scenarios and method --------------------------------------------------------------------------

function scenarios(c: Comparison, meta: CompareReportMeta): Html {
  const runs = [c.baseline, ...c.variants.map((v) => v.summary)];
  const rows = runs.map(
    (s, i) =>
      html`<tr>${[
        html`<th scope="row">${i === 0 ? "Baseline" : `Variant ${i}`}</th>`,
        cell(s.scenario),
        cell(html`<code>${meta.scenarioFiles[i] ?? ""}</code>`),
        cell(s.description === "" ? "—" : s.description),
      ]}</tr>`,
  );
  return html`<section id="scenarios" aria-labelledby="scenarios-title">
  <h2 id="scenarios-title">Scenarios</h2>
  ${table(["", "Scenario", "File", "Description"], rows, [])}
</section>`;
}

function method(c: Comparison, meta: CompareReportMeta): Html {
  const b = c.baseline;
  const files = meta.scenarioFiles.map((f, i) => html`${i === 0 ? null : ", "}<code>${f}</code>`);
  return html`<section id="method" aria-labelledby="method-title">
  <h2 id="method-title">Model and method</h2>
  <h3>Objectives</h3>
  <p>Estimate what each variant changes against the baseline — whole-journey reliability, outcomes,
  defects, metrics and waits — so that a team can choose which change to make.</p>
  <h3>Experimentation</h3>
  <dl class="facts">
    <dt>Design</dt><dd>Every scenario runs on the same patients with common random numbers: each random draw
    is keyed by (seed, replication, patient, element, purpose, visit), so wherever two scenarios agree
    their patients meet the same events, and a difference measures the change, not the luck of the draw.</dd>
    <dt>Run length</dt><dd>${runFacts(b)}; each variant takes the baseline's patients, seed and replications.</dd>
    <dt>Intervals</dt><dd>${c.variants.map((v) => html`${v.scenario}: ${pairingNote(v)} `)}</dd>
  </dl>
  <h3>Implementation</h3>
  <dl class="facts">
    <dt>Software</dt><dd>handoff-sim ${meta.version} (TypeScript)${meta.platform === undefined ? null : html`, ${meta.platform}`}</dd>
    <dt>Execution</dt><dd>${formatCount(totalEvents(c))} events in ${formatNumber(totalSeconds(c), 1)} s.</dd>
    <dt>Command</dt><dd><code class="command">${meta.command}</code></dd>
  </dl>
  <h3>Code access</h3>
  <p>Running the command above with handoff-sim ${meta.version} and the scenario files ${files}
  reproduces every figure in this report.</p>
</section>`;
}

function totalEvents(c: Comparison): number {
  return c.variants.reduce((n, v) => n + v.summary.events, c.baseline.events);
}

function totalSeconds(c: Comparison): number {
  return c.variants.reduce((n, v) => n + v.summary.wall_ms, c.baseline.wall_ms) / 1000;
}

/** The run report's look, plus the colours that say whether a change helps. */
const COMPARE_CSS = `
.variant { margin-bottom: 1.5rem; }
.variant h3 { margin-top: 1.2rem; }
.changes { margin: 0.4rem 0 0.8rem; }
.changes summary { cursor: pointer; color: var(--muted); }
.figure.better { border-top-color: #2e7d4f; }
.figure.worse { border-top-color: #b03a2e; }
.figure.unclear { border-top-color: #8e99a4; }
td.reading { white-space: nowrap; font-weight: bold; }
td.reading.better { color: #2e7d4f; }
td.reading.worse { color: #b03a2e; }
td.reading.changed { color: #1f5f8b; }
td.reading.unclear { color: var(--muted); font-weight: normal; }
`;

/** The whole comparison report as one HTML document. */
export function compareReportHtml(c: Comparison, chartList: ReportChart[], meta: CompareReportMeta): string {
  return htmlPage(`${comparisonTitle(c)} — handoff-sim comparison`, REPORT_CSS + COMPARE_CSS, meta.version, [
    header(c, meta),
    headline(c),
    uncertaintySection(c),
    chartSection(chartList),
    figures(c),
    scenarios(c, meta),
    method(c, meta),
  ]);
}

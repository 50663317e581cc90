// The "Model and method" section of the run report, in the order of STRESS-DES (Monks et al. 2019):
// objectives, logic, data, experimentation, implementation, code access — what anyone needs to
// repeat the run. Everything it says comes from the run summary and how the run was made.
import type { ModeSummary, RunSummary } from "../../analysis/summary.js";
import { elementLabel, microsystemNames } from "../charts/labels.js";
import { formatCount, formatDuration, formatNumber, formatPercent } from "../format.js";
import { type Html, html } from "./escape.js";
import { cell, table } from "./page.js";
import type { ReportMeta } from "./run-report.js";

function objectives(summary: RunSummary): Html {
  return html`<h3>1. Objectives</h3>
  <p>Estimate how reliable the whole patient journey is — the share of patients with no uncaught
  failure at any microsystem or handoff (“all-or-none”) — where the defects arise, and the outcomes,
  intervals and waits that follow, so that the team can choose which step or handoff to improve first.</p>
  ${summary.description === "" ? null : html`<p>Scenario: ${summary.description}</p>`}`;
}

function logic(summary: RunSummary): Html {
  const names = microsystemNames(summary);
  const stops = (steps: RunSummary["cascade"]) =>
    steps.filter((s) => s.kind === "microsystem").map((s) => elementLabel(names, s.element));
  const cascades = (summary.cascades ?? []).filter((c) => c.steps.length > 0);
  // Each class's main path: classes take different routes (the cath lab is the STEMI classes').
  const path =
    cascades.length > 1
      ? cascades.map((c) => `${c.class}: ${stops(c.steps).join(" → ")}`)
      : stops(cascades[0]?.steps ?? summary.cascade);
  const pathText =
    cascades.length > 1 ? `Main path of each class: ${path.join("; ")}.` : `Main path: ${path.join(" → ")}.`;
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
  ${modes} failure modes.${path.length > 0 ? html` ${pathText}` : null}</p>
  ${
    summary.reliability.analytic === null
      ? html`<p>No exact value of whole-system reliability: ${summary.reliability.analytic_note ?? "none exists for this scenario"}.</p>`
      : html`<p>Whole-system reliability is checked against its exact value from the absorbing Markov chain of the routing.</p>`
  }${deathLogic(summary)}`;
}

/** How the 30-day death enters the journey. */
function deathLogic(summary: RunSummary): Html | null {
  const o = summary.outcomes;
  if (o.mortality_per_1000 === null) return null;
  return o.decided_at === null
    ? html`<p>The 30-day death is drawn at the end of each journey, from the risk it then has.</p>`
    : html`<p>The 30-day death is drawn when the journey first reaches <code>${o.decided_at}</code>, from the risk
  it has then; a patient who dies there leaves the pathway (${formatCount(o.died)} journeys were cut short so).
  A journey that ends before that point draws it at its end. A journey cut short is defect-free when the care
  it received had no defect.</p>`;
}

/** " (off-hours: 44%; …)": the conditions that set p for a visit. */
function conditionText(f: ModeSummary): string {
  if (f.when.length === 0) return "";
  const parts = f.when.map((c) => {
    const keys = [
      c.off_hours === null ? null : c.off_hours ? "off-hours" : "staffed hours",
      c.load_at_least === null ? null : `load ≥ ${formatNumber(c.load_at_least, 2)}`,
      c.waited_at_least === null ? null : `wait ≥ ${formatDuration(c.waited_at_least)}`,
      c.classes === null ? null : c.classes.join(", "),
    ].filter((x): x is string => x !== null);
    return `${keys.join(" and ")}: ${formatPercent(c.p)}`;
  });
  return ` (${parts.join("; ")})`;
}

function parameterTable(summary: RunSummary): Html {
  const elements = [
    ...summary.microsystems.map((m) => ({ label: m.name, modes: m.modes })),
    ...summary.handoffs.map((h) => ({ label: h.name, modes: h.modes })),
  ];
  const rows = elements.flatMap((e) =>
    e.modes.map((f) => {
      const effects = [
        f.harm === 1 ? null : `risk × ${formatNumber(f.harm, 2)}`,
        f.drop ? "ends the journey" : null,
        f.goto === null ? null : `goes to ${f.goto}`,
        f.unless.length === 0 ? null : `drawn only without a defect of ${f.unless.join(", ")}`,
      ].filter((x): x is string => x !== null);
      return html`<tr>${[
        html`<th scope="row">${e.label}</th>`,
        cell(html`${f.name} <span class="id">${f.id}</span>`),
        cell(`${formatPercent(f.p)}${conditionText(f)}`, true),
        cell(formatPercent(f.detect), true),
        cell(formatPercent(f.defect_probability), true),
        cell(f.severity),
        cell(effects.length === 0 ? "—" : effects.join(", ")),
      ]}</tr>`;
    }),
  );
  return table(
    ["Where", "Failure mode", "p", "Caught", "Defect", "Severity", "Consequence"],
    rows,
    [2, 3, 4],
  );
}

function data(summary: RunSummary, meta: ReportMeta): Html {
  const source = html`<p>Input parameters come from the scenario file <code>${meta.scenarioFile}</code>,
  where each number should carry its source or be marked as an assumption.</p>`;
  const classes = summary.classes.map((c) => `${c.id} ${formatPercent(c.share, 0)}`).join(", ");
  const arrivals =
    summary.arrivals_per_day === null
      ? "no arrival process (journeys are independent)"
      : `${formatNumber(summary.arrivals_per_day, 1)} patients per day (Poisson)`;
  return html`<h3>3. Data</h3>${source}
  <p>Patient classes: ${classes}. Arrivals: ${arrivals}.</p>
  ${parameterTable(summary)}`;
}

function experimentation(summary: RunSummary): Html {
  const init = summary.arrivals
    ? `Warm-up of ${formatDuration(summary.warmup_minutes)}${warmupOrigin(summary)}: journeys that start in it are simulated but left out of every statistic.`
    : "No warm-up: without arrivals journeys do not share capacity, and each starts at a uniformly random moment of the week.";
  return html`<h3>4. Experimentation</h3>
  <dl class="facts">
    <dt>Initialisation</dt><dd>${init}</dd>
    <dt>Run length</dt><dd>${formatCount(summary.patients)} patients counted, over ${summary.replications}
    ${summary.replications === 1 ? "replication" : "independent replications"}.</dd>
    <dt>Estimation</dt><dd>Figures with 95% confidence intervals; ${
      summary.reliability.analytic === null
        ? "no exact (analytic) value exists for this scenario"
        : "whole-system reliability beside its exact (analytic) value"
    }. ${estimation(summary)}</dd>
  </dl>`;
}

/** Where the warm-up came from: the scenario, or MSER-5 on a pilot. */
function warmupOrigin(summary: RunSummary): string {
  const w = summary.warmup;
  if (w?.method !== "MSER-5") return " (set in the scenario)";
  const settled = w.settled === false ? "; the pilot had not settled, so it may be too short" : "";
  return ` (chosen by MSER-5 on a pilot of ${formatCount(w.pilot_patients ?? 0)} patients in each of the first ${formatCount(w.pilot_replications ?? 1)} replications, which dropped the first ${formatCount(w.truncated_patients ?? 0)}${settled})`;
}

/** How the intervals of figures that depend on queues were made. */
function estimation(summary: RunSummary): string {
  const a = summary.output_analysis;
  if (a === undefined || a.method === "independent journeys")
    return "Journeys are independent: shares have Wilson intervals, means normal intervals, medians and 90th percentiles distribution-free (order-statistic) intervals.";
  const shares = "Reliability and failure counts have Wilson intervals (failures do not depend on queues).";
  if (a.method === "replications")
    return `Figures that depend on queues (waits, utilisation, metrics, mortality, completed and dropped shares) have Student-t intervals over the ${formatCount(a.units)} independent replications. ${shares}`;
  const checked = a.checks.filter((c) => c.adequate).length;
  return `Figures that depend on queues have batch-means intervals: the one replication's counted patients, in arrival order, cut into ${formatCount(a.units)} batches of ${formatCount(Math.floor(a.batch_patients ?? 0))} patients; ${checked} of ${a.checks.length} checked figures had uncorrelated batch means (lag-1 autocorrelation at most 0.2 on at least 120 smaller batches). ${shares}`;
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

export function method(summary: RunSummary, meta: ReportMeta): Html {
  return html`<section id="method" aria-labelledby="method-title">
  <h2 id="method-title">Model and method</h2>
  ${objectives(summary)}${logic(summary)}${data(summary, meta)}${experimentation(summary)}${implementation(summary, meta)}
</section>`;
}

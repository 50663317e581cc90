// report.html of `sensitivity`: the leverage ranking as one self-contained page a team can mail —
// the list a team uses to establish ownership of the leverage processes, with the tornado chart,
// how it was made and how to repeat it. Built from the run report's pieces (page.ts).
import type { Sensitivity } from "../../analysis/sensitivity.js";
import { formatCount, formatPercent } from "../format.js";
import { baselineFacts, deathsCell, rankNote, reliabilityCell } from "../sensitivity.js";
import { type Html, html } from "./escape.js";
import { cell, chartSection, htmlPage, REPORT_CSS, type ReportChart, table } from "./page.js";

/** How the ranking was made: what the page needs to let anyone repeat it. */
export interface SensitivityReportMeta {
  /** The command line, e.g. `handoff-sim sensitivity scenarios/ami-baseline.yaml --rank deaths`. */
  command: string;
  scenarioFile: string;
  version: string;
  /** When the report was made (ISO 8601); omitted from the page when absent. */
  generatedAt?: string;
  /** e.g. "Node.js 20.20.2 on linux x64". */
  platform?: string;
}

function header(s: Sensitivity, meta: SensitivityReportMeta): Html {
  const made = meta.generatedAt === undefined ? null : html` · ${meta.generatedAt}`;
  return html`<header class="masthead">
  <p class="kicker">handoff-sim leverage ranking</p>
  <h1>${s.scenario}: which failure mode to fix first</h1>
  <p class="lede">Every failure mode removed (p = 0) and halved, one at a time, everything else as it is:
  the gain in defect-free journeys${s.baseline.mortality_per_1000 === null ? "" : " and the deaths avoided"}. ${rankNote(s)}</p>
  <p class="meta">Scenario <code>${meta.scenarioFile}</code> · ${baselineFacts(s)} · handoff-sim ${meta.version}${made}</p>
</header>`;
}

function ranking(s: Sensitivity): Html {
  const mortality = s.baseline.mortality_per_1000 !== null;
  const rows = s.items.map(
    (item, i) =>
      html`<tr>${[
        cell(`${i + 1}`, true),
        html`<th scope="row">${item.where}</th>`,
        cell(item.name),
        cell(formatPercent(item.p, 0), true),
        cell(reliabilityCell(item.remove.reliability), true),
        ...(mortality ? [cell(deathsCell(item.remove.mortality_per_1000), true)] : []),
        cell(reliabilityCell(item.halve.reliability), true),
        ...(mortality ? [cell(deathsCell(item.halve.mortality_per_1000), true)] : []),
      ]}</tr>`,
  );
  const headers = mortality
    ? [
        "",
        "Where",
        "Failure mode",
        "p",
        "Removed: gain (pts)",
        "Removed: deaths avoided per 1000",
        "Halved: gain (pts)",
        "Halved: deaths avoided per 1000",
      ]
    : ["", "Where", "Failure mode", "p", "Removed: gain (pts)", "Halved: gain (pts)"];
  const numeric = mortality ? [0, 3, 4, 5, 6, 7] : [0, 3, 4, 5];
  return html`<section id="ranking" aria-labelledby="ranking-title">
  <h2 id="ranking-title">The ranking</h2>
  <p>The gain is in percentage points of defect-free journeys (whole-journey reliability); deaths avoided
  are per 1000 patients. ${s.baseline.reliability_method === "analytic" ? "Gains are exact (the Markov chain of the routing)." : "Gains are simulated, ± half the paired 95% interval."}
  ${mortality ? `Deaths avoided are simulated with common random numbers on ${formatCount(s.patients)} patients per variant, ± half the paired 95% interval.` : ""}</p>
  ${s.items.length === 0 ? html`<p>No failure mode can happen: nothing to rank.</p>` : table(headers, rows, numeric)}
</section>`;
}

function method(s: Sensitivity, meta: SensitivityReportMeta): Html {
  return html`<section id="method" aria-labelledby="method-title">
  <h2 id="method-title">Model and method</h2>
  <dl class="facts">
    <dt>Design</dt><dd>Each failure mode is changed alone — its probability set to 0, then halved — and the
    scenario is solved again: exactly, where the routing has an exact answer; mortality by simulation, every
    variant on the same patients (seed ${s.seed}) with common random numbers, so the differences are paired.</dd>
    <dt>Software</dt><dd>handoff-sim ${meta.version}${meta.platform === undefined ? null : html`, ${meta.platform}`}</dd>
    <dt>Command</dt><dd><code class="command">${meta.command}</code></dd>
  </dl>
  <p>Running the command above with handoff-sim ${meta.version} and <code>${meta.scenarioFile}</code>
  reproduces every figure on this page.</p>
</section>`;
}

/** The whole ranking as one HTML document. */
export function sensitivityReportHtml(
  s: Sensitivity,
  charts: ReportChart[],
  meta: SensitivityReportMeta,
): string {
  return htmlPage(`${s.scenario} — handoff-sim leverage ranking`, REPORT_CSS, meta.version, [
    header(s, meta),
    ranking(s),
    chartSection(charts),
    method(s, meta),
  ]);
}

import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/analysis/summary.js";
import { chartsFor } from "../../src/report/charts/index.js";
import { escapeHtml, html, raw } from "../../src/report/html/escape.js";
import { type ReportChart, scopeSvg } from "../../src/report/html/page.js";
import { type ReportMeta, reportHtml } from "../../src/report/html/run-report.js";
import { renderCharts } from "../../src/report/render.js";
import {
  fullSummary,
  HOSTILE,
  hostileSummary,
  reportLeverage,
  sampleSummary,
} from "../fixtures/report-summary.js";

const META: ReportMeta = {
  command: "handoff-sim run scenarios/ami-baseline.yaml --seed 20261125",
  scenarioFile: "scenarios/ami-baseline.yaml",
  version: "0.1.0",
  generatedAt: "2026-11-25T19:00:00Z",
  platform: "Node.js 20 on linux x64",
};

async function renderedCharts(summary: RunSummary): Promise<ReportChart[]> {
  return renderCharts(chartsFor(summary, { leverage: reportLeverage(summary) }));
}

/** The document without the SVG namespace declarations, the only URLs a report may carry. */
function withoutNamespaces(page: string): string {
  return page.replace(/\sxmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, "");
}

/** The text of the section that starts at `<section id="…">`. */
function section(page: string, id: string): string {
  const start = page.indexOf(`<section id="${id}"`);
  expect(start, `section ${id}`).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf("</section>", start));
}

describe("reportHtml", async () => {
  const summary = fullSummary();
  const charts = await renderedCharts(summary);
  const page = reportHtml(summary, charts, META);

  it("is one HTML document with every chart inline", () => {
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page).toContain("<title>AMI pathway — baseline — handoff-sim report</title>");
    expect(page.match(/<svg\b/g)?.length).toBe(charts.length);
    for (const c of charts) expect(page).toContain(`<figure class="chart" id="chart-${c.name}"`);
    expect(page).toContain('aria-label="Reliability cascade"');
  });

  it("loads nothing from the network: no URL outside the SVG namespace declarations", () => {
    const bare = withoutNamespaces(page);
    expect(page).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(bare).not.toMatch(/https?:|ftp:|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    expect(bare).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|@font-face|\ssrc=/i);
    expect(bare.match(/url\(([^)]*)\)/g)?.every((u) => u.startsWith("url(#")) ?? true).toBe(true);
  });

  it("leads with the headline figures", () => {
    const head = section(page, "headline");
    expect(head).toContain('<div class="figure" id="figure-reliability">');
    expect(head).toContain('<p class="figure-value">37.1%</p>');
    expect(head).toContain("95% CI 36.4–37.8% · exact 37.1%");
    expect(head).toContain('<p class="figure-value">41.8</p>');
    expect(head).toContain('<p class="figure-value">12,340</p>');
    expect(head).toContain('<p class="figure-value">7,660</p>');
    expect(head).toContain("Door to balloon (median)");
    expect(head).toContain("71.2% within 1 h 30 min");
  });

  it("has the per-element table, outcomes and metrics", () => {
    const elements = section(page, "elements");
    for (const m of summary.microsystems)
      expect(elements).toContain(`<th scope="row">${m.name} <span class="id">${m.id}</span>`);
    expect(elements).toContain("Telemetry → Cardiac rehab");
    expect(elements).toContain(
      'No cardiac-rehab referral <span class="id">no_referral</span> — 7,660 defects',
    );
    expect(elements).toContain(
      'ECG not sent with the patient <span class="id">no_ecg_sent</span> — 140 defects, 70 caught',
    );
    const outcomes = section(page, "outcomes");
    expect(outcomes).toContain("41.8 (95% CI 40.9–42.8)");
    expect(outcomes).toContain('<th scope="row">nstemi</th>');
    const metrics = section(page, "metrics");
    expect(metrics).toContain("First medical contact to balloon");
    expect(metrics).toContain("3 h 12 min");
  });

  it("describes model and method in the STRESS-DES order, with what a rerun needs", () => {
    const method = section(page, "method");
    const order = [
      "1. Objectives",
      "2. Logic",
      "3. Data",
      "4. Experimentation",
      "5. Implementation",
      "6. Code access",
    ];
    const at = order.map((h) => method.indexOf(`<h3>${h}</h3>`));
    expect(at.every((i) => i > -1)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(method).toContain("Seed <strong>20261125</strong>");
    expect(method).toContain("20,000 patients counted, over 10");
    expect(method).toContain("Warm-up of 14 d");
    expect(method).toContain("handoff-sim 0.1.0");
    expect(method).toContain(`<code class="command">${escapeHtml(META.command)}</code>`);
    expect(method).toContain("Patient classes: stemi_ems 20%, stemi_self 15%, nstemi 65%");
    expect(method).toContain("12-lead ECG not done or not sent ahead");
  });

  it("works without mortality or charts, and names a mode the scenario did not name by its id", () => {
    const s = sampleSummary();
    s.outcomes.mortality_per_1000 = null;
    s.arrivals = false;
    s.microsystems[0]!.modes[0]!.name = "no_prehospital_ecg";
    const bare = reportHtml(s, [], META);
    expect(bare).not.toContain('id="figure-mortality"');
    expect(bare).not.toContain('<section id="charts"');
    expect(bare).toContain("no_prehospital_ecg — 401 defects, 602 caught");
    expect(bare).toContain("No warm-up");
    expect(bare).toContain(
      "Input parameters come from the scenario file <code>scenarios/ami-baseline.yaml</code>",
    );
  });

  it("warns when the visit guard stopped journeys", () => {
    const s = sampleSummary();
    s.outcomes.guard_stopped = 17;
    expect(reportHtml(s, [], META)).toContain('<p class="warning">17 journeys were stopped by the visit');
    expect(reportHtml(sampleSummary(), [], META)).not.toContain('class="warning"');
  });

  it("shows the run's warnings first, and intervals beside waits and utilisation", () => {
    const s = sampleSummary();
    s.warnings = [{ kind: "overload", microsystem: "ed", message: "Emergency department is <overloaded>" }];
    s.microsystems[0]!.wait = { mean: 17, p90: 54, ci95: [15, 19], p90_ci95: [50, 58] };
    s.microsystems[0]!.utilization = 0.69;
    s.microsystems[0]!.utilization_ci95 = [0.68, 0.7];
    const page = reportHtml(s, [], META);
    expect(page).toContain('<div class="warning" id="warnings" role="note">');
    expect(page).toContain("<li>Emergency department is &lt;overloaded&gt;.</li>");
    expect(page.indexOf('id="warnings"')).toBeLessThan(page.indexOf('class="figures"'));
    // The column of waits is in hours (other microsystems wait longer): one unit per column.
    expect(page).toContain("0.28 h (0.25–0.32 h) / 0.90 h (0.83–0.97 h)");
    expect(page).toContain("69% (68–70%)");
  });
});

describe("text from the scenario", async () => {
  const summary = hostileSummary();
  const page = reportHtml(summary, await renderedCharts(summary), {
    ...META,
    command: `handoff-sim run "${HOSTILE}.yaml"`,
    scenarioFile: `${HOSTILE}.yaml`,
  });

  it("is shown as text, never as markup", () => {
    expect(page).not.toMatch(/<script|<b>|<i>|<img/i);
    expect(page).toContain("<h1>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; pathway</h1>");
    expect(page).toContain("Description with &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;");
    expect(page).toContain("&quot;quotes&quot;");
    expect(page).toContain("&lt;b&gt;ECG&lt;/b&gt; not sent &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(page).toContain("Lost &lt;img src=x onerror=alert(1)&gt;");
    expect(page).toContain("&lt;b&gt;klass&lt;/b&gt;");
    expect(page).toContain("&lt;b&gt;Door&lt;/b&gt;-to-balloon");
    expect(page).toContain('<span class="id">&lt;i&gt;mode&lt;/i&gt;</span>');
  });
});

describe("building blocks", () => {
  it("escapes interpolations and keeps trusted markup", () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    const name = "<b>x</b>";
    expect(html`<p title="${name}">${name} ${3} ${[name, raw("<br>")]} ${null}</p>`.value).toBe(
      '<p title="&lt;b&gt;x&lt;/b&gt;">&lt;b&gt;x&lt;/b&gt; 3 &lt;b&gt;x&lt;/b&gt;<br> </p>',
    );
  });

  it("gives each chart's ids and references their own prefix", () => {
    const svg =
      '<?xml version="1.0"?><svg width="10"><defs><clipPath id="clip1"><rect/></clipPath></defs>' +
      '<g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>';
    const a = scopeSvg(svg, "cascade", "A & B");
    expect(a).toBe(
      '<svg role="img" aria-label="A &amp; B" width="10"><defs><clipPath id="cascade-clip1"><rect/></clipPath></defs>' +
        '<g clip-path="url(#cascade-clip1)"><use href="#cascade-clip1"/></g></svg>',
    );
    expect(scopeSvg(svg, "p-chart", "x")).toContain('id="p-chart-clip1"');
  });
});

describe("reportHtml: capacity (issue 12)", () => {
  it("has a capacity section only when blocking, other patients, reneging or shared resources are in the run", () => {
    const s = sampleSummary();
    expect(reportHtml(s, [], META)).not.toContain('<section id="capacity"');
    const lab = s.microsystems[0]!;
    lab.blocked = { mean: 29, p90: 120, share: 0.09 };
    lab.utilization = 0.14;
    lab.background_utilization = 0.12;
    lab.reneged = 3;
    s.outcomes.reneged = 3;
    s.resources = [
      {
        id: "beds",
        name: "Shared beds",
        microsystems: [lab.id],
        capacity: 6,
        utilization: 0.8,
        background_utilization: null,
        occupancy: { busy_minutes: 80, background_minutes: 0, available_minutes: 100 },
      },
    ];
    const page = reportHtml(s, [], META);
    const capacity = section(page, "capacity");
    expect(capacity).toContain("14% (12% other patients)");
    expect(capacity).toContain("29 min / 2 h");
    expect(capacity).toContain("Shared beds");
    expect(section(page, "outcomes")).toContain("Left after waiting too long");
  });
});

import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Comparison } from "../../src/analysis/compare.js";
import {
  compareFigures,
  formatChange,
  formatLevel,
  verdict,
} from "../../src/report/charts/compare-figures.js";
import { scenarioNames, wrapLabel } from "../../src/report/charts/compare-layout.js";
import { type ChartEntry, compareChartsFor } from "../../src/report/charts/index.js";
import { textWidth } from "../../src/report/charts/text-width.js";
import {
  type CompareReportMeta,
  compareReportHtml,
  comparisonTitle,
} from "../../src/report/html/compare-report.js";
import { renderCharts } from "../../src/report/render.js";
import { cli } from "../cli/capture.js";
import { hostileComparison, sampleComparison } from "../fixtures/comparison.js";
import { HOSTILE } from "../fixtures/report-summary.js";
import { render } from "./strict-render.js";

/** The text of every <text> element and of every line (<tspan>) of one, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]*)<\/(?:text|tspan)>/g)].map((m) =>
    m[1]!
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, "&"),
  );
}

/** Items vega drew for data: each carries its role, e.g. "bar", "point", "rule mark". */
function items(svg: string, role: string): number {
  return svg.split(`aria-roledescription="${role}"`).length - 1;
}

function chart(list: ChartEntry[], name: string): ChartEntry {
  const found = list.find((c) => c.name === name);
  expect(found, `chart ${name}`).toBeDefined();
  return found!;
}

const META: CompareReportMeta = {
  command:
    "handoff-sim compare scenarios/ami-baseline.yaml scenarios/ami-ipass.yaml scenarios/ami-cathlab-24-7.yaml",
  scenarioFiles: [
    "scenarios/ami-baseline.yaml",
    "scenarios/ami-ipass.yaml",
    "scenarios/ami-cathlab-24-7.yaml",
  ],
  version: "0.1.0",
  generatedAt: "2026-11-25T19:00:00Z",
  platform: "Node.js 20 on linux x64",
};

describe("compare figures", () => {
  const c = sampleComparison();
  const figures = compareFigures(c);
  const find = (key: string) => figures.find((f) => f.key === key)!;

  it("lists the headline figures by unit, waits only where someone waits (not at the paramedics)", () => {
    expect(figures.map((f) => `${f.group}:${f.key}`)).toEqual([
      "shares:reliability",
      "shares:completed",
      "shares:dropped",
      "shares:metric.door_to_balloon.within_target",
      "shares:metric.ems_to_balloon.within_target",
      "deaths:mortality_per_1000",
      "per1000:defects_per_1000",
      "per1000:near_misses",
      "minutes:metric.door_to_balloon.median",
      "minutes:metric.ems_to_balloon.median",
      "hours:metric.ed_length_of_stay.median",
      "waits:wait.ed",
      "waits:wait.cathlab",
      "waits:wait.ccu",
      "waits:wait.telemetry",
      "waits:wait.rehab",
    ]);
    expect(find("metric.door_to_balloon.within_target").label).toBe("Door to balloon within 1 h 30 min");
  });

  it("states every difference as variant − baseline in the unit of its group", () => {
    // Shares in percentage points; counts per 1000 patients (20,000 patients here).
    expect(find("reliability").differences[0]).toEqual({ estimate: 2, ci95: [1.5, 2.5] });
    expect(find("completed").differences[0]!.estimate).toBeCloseTo((120 / 20000) * 100, 12);
    expect(find("near_misses").differences[0]!.ci95).toEqual([-3, -1]);
    // The comparison reports defects avoided; the figure is the change in defects, so the sign flips.
    expect(find("defects_per_1000").differences[0]).toEqual({ estimate: -30, ci95: [-35, -25] });
    // The ED stay is drawn in hours, and so is its change.
    expect(find("metric.ed_length_of_stay.median").differences[1]!.estimate).toBeCloseTo(0.2, 12);
    const reliability = find("reliability").levels.map((l) => l!.value);
    expect(reliability[1]! - reliability[0]!).toBeCloseTo(0.02, 12);
    expect(reliability[2]).toBe(reliability[0]);
    expect(find("mortality_per_1000").levels[0]).toEqual({ value: 41.83, ci95: [40.91, 42.76] });
  });

  it("reads a difference: better, worse, changed, or no clear change", () => {
    expect(verdict({ estimate: 2, ci95: [1, 3] }, "higher")).toBe("Better");
    expect(verdict({ estimate: 2, ci95: [1, 3] }, "lower")).toBe("Worse");
    expect(verdict({ estimate: -2, ci95: [-3, -1] }, "lower")).toBe("Better");
    expect(verdict({ estimate: -2, ci95: [-3, -1] }, "neither")).toBe("Changed");
    expect(verdict({ estimate: 1, ci95: [-1, 3] }, "higher")).toBe("No clear change");
    expect(verdict({ estimate: 1e-12, ci95: [1e-12, 2e-12] }, "higher")).toBe("No clear change");
    expect(verdict({ estimate: 1, ci95: [Number.NaN, Number.NaN] }, "higher")).toBe("No clear change");
  });

  it("writes differences with the decimals their interval supports", () => {
    expect(formatChange({ estimate: 0.452, ci95: [0.371, 0.533] }, "shares")).toEqual({
      value: "+0.45 pts",
      interval: "+0.37 to +0.53",
    });
    expect(formatChange({ estimate: -32.2, ci95: [-34.3, -30.1] }, "per1000").value).toBe("−32.2");
    expect(formatChange({ estimate: -8.8, ci95: [-9.2, -8.3] }, "minutes").value).toBe("−8.8 min");
    expect(formatChange({ estimate: 1, ci95: [Number.NaN, 2] }, "deaths").interval).toBe("no interval");
    expect(formatLevel(0.106, "shares")).toBe("10.6%");
    expect(formatLevel(1694.6, "per1000")).toBe("1,695");
    expect(formatLevel(11, "days")).toBe("11 d");
  });

  it("writes a row's two times in one unit when their natural units differ, else as they read", () => {
    // 3.8 min beside 49 s: both in minutes.
    expect(formatLevel(3.8, "waits", [49 / 60])).toBe("3.8 min");
    expect(formatLevel(49 / 60, "waits", [3.8])).toBe("0.82 min");
    // 8 h beside 8 h 12 min share their largest unit: written naturally.
    expect(formatLevel(8, "hours", [8.2])).toBe("8 h");
    expect(formatLevel(8.2, "hours", [8])).toBe("8 h 12 min");
  });
});

describe("names in the compare charts", () => {
  it("says a shared start of the scenario names once, and keeps duplicates apart", () => {
    expect(scenarioNames(sampleComparison())).toEqual({
      prefix: "AMI pathway — ",
      names: ["baseline", "I-PASS handoffs", "cath lab staffed 24/7"],
    });
    const same = sampleComparison();
    same.variants[1]!.scenario = same.variants[0]!.scenario;
    expect(scenarioNames(same).names).toEqual(["baseline", "I-PASS handoffs", "I-PASS handoffs (2)"]);
    const apart = sampleComparison();
    apart.baseline.scenario = "Baseline";
    expect(scenarioNames(apart).prefix).toBe("");
  });

  it("wraps a long figure name onto two lines at a space", () => {
    expect(wrapLabel("Defect-free journeys")).toBe("Defect-free journeys");
    expect(wrapLabel("First medical contact to device within 90 min")).toBe(
      "First medical contact to\ndevice within 90 min",
    );
  });
});

describe("compare charts", () => {
  const c = sampleComparison();
  const entries = compareChartsFor(c);

  it("are the differences, then the figures side by side", () => {
    expect(entries.map((e) => e.name)).toEqual(["compare-differences", "compare-figures"]);
    for (const e of entries) {
      expect(e.title.length).toBeGreaterThan(0);
      expect(e.caption.length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(e.spec))).toEqual(e.spec);
    }
  });

  it("draw each variant's differences with intervals, a zero line and a verdict", async () => {
    const svg = await render(chart(entries, "compare-differences"));
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(["I-PASS handoffs", "cath lab staffed 24/7"]));
    expect(t).toEqual(
      expect.arrayContaining([
        "Shares of patients: change in percentage points",
        "30-day deaths: change per 1000 patients",
        "Median times: change in minutes",
        "Median times: change in hours",
      ]),
    );
    expect(t).toEqual(expect.arrayContaining(["Defect-free journeys", "30-day deaths (expected)"]));
    expect(t).toEqual(
      expect.arrayContaining(["+2.0 pts (+1.5 to +2.5)", "−9.0 min (−10.0 to −8.0)", "no change"]),
    );
    expect(t).toEqual(
      expect.arrayContaining([
        "Better",
        "Worse",
        "Changed (neither better nor worse)",
        "No clear change (interval includes 0)",
      ]),
    );
    expect(t).toContain("I-PASS handoffs: 30.0 fewer defects, 0.5 fewer deaths per 1000 patients");
    expect(t).toContain(
      "cath lab staffed 24/7: no clear change in defects, 0.6 fewer deaths per 1000 patients",
    );
    // One point per variant and charted figure: 11 figures, 2 variants.
    expect(items(svg, "point")).toBe(22);
  });

  it("draw the scenarios' own values side by side, with whiskers where the run has an interval", async () => {
    const svg = await render(chart(entries, "compare-figures"));
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(["baseline", "I-PASS handoffs", "cath lab staffed 24/7"]));
    expect(t).toContain("All scenarios: AMI pathway — …");
    expect(t).toEqual(expect.arrayContaining(["Shares of patients", "Median times (minutes)"]));
    expect(t).toEqual(expect.arrayContaining(["37.1%", "39.1%", "41.8", "1 h 11 min", "1 h 2 min"]));
    // 11 figures × 3 scenarios; whiskers for reliability and mortality only.
    expect(items(svg, "bar")).toBe(33);
    expect(items(svg, "rule mark")).toBe(6);
  });

  it("show markup in scenario names as text", async () => {
    for (const entry of compareChartsFor(hostileComparison())) {
      const svg = await render(entry);
      expect(svg, entry.name).not.toMatch(/<script|<b>|<img/i);
      expect(
        texts(svg).some((x) => x.includes(`${HOSTILE} <b>variant</b>`)),
        entry.name,
      ).toBe(true);
    }
  });

  it("leave out what a comparison does not have: mortality, variants", () => {
    const plain: Comparison = sampleComparison();
    plain.baseline.outcomes.mortality_per_1000 = null;
    for (const v of plain.variants) {
      v.differences.mortality_per_1000 = null;
      v.differences.deaths_avoided_per_1000 = null;
    }
    expect(compareFigures(plain).some((f) => f.group === "deaths")).toBe(false);
    expect(compareChartsFor({ ...plain, variants: [] }).map((e) => e.name)).toEqual(["compare-figures"]);
  });
});

/** The document without the SVG namespace declarations, the only URLs a report may carry. */
function withoutNamespaces(page: string): string {
  return page.replace(/\sxmlns(:\w+)?="http:\/\/www\.w3\.org\/[^"]*"/g, "");
}

describe("compare report.html", async () => {
  const c = sampleComparison();
  const charts = await renderCharts(compareChartsFor(c));
  const page = compareReportHtml(c, charts, META);

  it("is one document: the avoided defects and deaths, both charts inline, every figure, the method", () => {
    expect(page.startsWith("<!doctype html>")).toBe(true);
    expect(page.match(/<svg\b/g)?.length).toBe(2);
    expect(page).toContain('<figure class="chart" id="chart-compare-differences"');
    expect(page).toContain('<figure class="chart" id="chart-compare-figures"');
    expect(page.indexOf("chart-compare-differences")).toBeLessThan(page.indexOf("chart-compare-figures"));
    const first = page.slice(page.indexOf('id="variant-1"'), page.indexOf('id="variant-2"'));
    expect(first).toContain("Defects avoided per 1000 patients");
    expect(first).toMatch(/figure-value">30\.0<\/p><p class="figure-note">95% CI \+25\.0 to \+35\.0/);
    expect(page).toMatch(
      /<th scope="row">Door to balloon \(median\)<\/th>(<td[^>]*>[^<]*<\/td>){2}<td class="num">−9\.0 min<\/td><td class="num">−10\.0 to −8\.0<\/td><td class="reading better">Better</,
    );
    expect(page).toMatch(
      /<th scope="row">ED length of stay \(median\)<\/th><td class="num">8 h<\/td><td class="num">8 h 12 min<\/td><td class="num">\+0\.20 h<\/td>.*?reading worse">Worse</,
    );
    expect(page).toContain("scenarios/ami-cathlab-24-7.yaml");
    expect(page).toContain(META.command);
  });

  it("loads nothing from the network: no URL outside the SVG namespace declarations", () => {
    const bare = withoutNamespaces(page);
    expect(page).toContain('xmlns="http://www.w3.org/2000/svg"');
    expect(bare).not.toMatch(/https?:|ftp:|\/\/[a-z0-9.-]+\.[a-z]{2,}\//i);
    expect(bare).not.toMatch(/<script|<link|<img|<iframe|<object|<embed|@import|@font-face|\ssrc=/i);
    expect(bare.match(/url\(([^)]*)\)/g)?.every((u) => u.startsWith("url(#")) ?? true).toBe(true);
  });

  it("shows markup from scenario files as text", async () => {
    const h = hostileComparison();
    const hostile = compareReportHtml(h, await renderCharts(compareChartsFor(h)), {
      ...META,
      command: `handoff-sim compare "${HOSTILE}.yaml"`,
      scenarioFiles: [`${HOSTILE}.yaml`, "<b>v</b>.yaml"],
    });
    expect(hostile).not.toMatch(/<script|<b>|<i>|<img/i);
    expect(hostile).toMatch(
      /<h1>.* vs &lt;script&gt;alert\(1\)&lt;\/script&gt; &lt;b&gt;bold&lt;\/b&gt; pathway<\/h1>/,
    );
    expect(hostile).toContain("&lt;b&gt;variant&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;");
    expect(hostile).toContain("Description with &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;");
    expect(hostile).toContain("&lt;b&gt;Door&lt;/b&gt;-to-balloon");
    expect(hostile).toContain("<code>&lt;b&gt;v&lt;/b&gt;.yaml</code>");
  });
});

describe("handoff-sim compare writes charts and a report", () => {
  const files = ["scenarios/ami-baseline.yaml", "scenarios/ami-ipass.yaml"];
  const fast = ["--workers", "1", "--patients", "2000"];

  it("writes report.html, each chart's spec and SVG, and says where the report is", async () => {
    const out = await mkdtemp(join(tmpdir(), "handoff-sim-compare-charts-"));
    const r = await cli("compare", ...files, ...fast, "--out", out);
    expect(r.status, r.err).toBe(0);
    expect(r.err).not.toContain("warning: chart");
    expect((await readdir(out)).sort()).toEqual([
      ".handoff-sim-set.json",
      "compare-differences.svg",
      "compare-differences.vl.json",
      "compare-figures.svg",
      "compare-figures.vl.json",
      "compare.csv",
      "compare.json",
      "report.html",
    ]);
    expect(r.out.trimEnd().split("\n").at(-1)).toBe(
      `Report: ${join(out, "report.html")} · results in ${out}/`,
    );
    const page = await readFile(join(out, "report.html"), "utf8");
    // The title names the comparison, not just the baseline; the page says what the variant changed.
    expect(page).toContain("<h1>AMI pathway — I-PASS handoffs vs AMI pathway — baseline</h1>");
    expect(page).toContain(
      "<title>AMI pathway — I-PASS handoffs vs AMI pathway — baseline — handoff-sim comparison</title>",
    );
    expect(page).toContain(
      "<code>handoffs[ed-&gt;telemetry].failures[med_list_lost].p</code></th><td>0.2</td><td>0.154277</td>",
    );
    expect(page).toContain("a patient can have several");
    expect(withoutNamespaces(page)).not.toMatch(/https?:/);
    const svg = await readFile(join(out, "compare-differences.svg"), "utf8");
    expect(texts(svg)).toContain("I-PASS handoffs");
  });

  it("--no-charts writes only the numbers", async () => {
    const out = await mkdtemp(join(tmpdir(), "handoff-sim-compare-charts-"));
    const r = await cli("compare", ...files, ...fast, "--no-charts", "--out", out);
    expect(r.status, r.err).toBe(0);
    expect((await readdir(out)).sort()).toEqual([".handoff-sim-set.json", "compare.csv", "compare.json"]);
    expect(r.out.trimEnd().split("\n").at(-1)).toBe(`Results written to ${out}/`);
  });
});

describe("the differences chart with four variants", () => {
  /** Every horizontal axis's tick labels: [x centre, width] per label, one list per axis. */
  function tickLabels(svg: string): [number, number][][] {
    return [...svg.matchAll(/<g class="mark-text role-axis-label"[^>]*>(.*?)<\/g>/g)].map((group) =>
      [
        ...group[1]!.matchAll(
          /<text text-anchor="middle" transform="translate\(([-\d.e]+),[-\d.e]+\)"[^>]*>([^<]*)<\/text>/g,
        ),
      ].map((m) => [Number(m[1]), textWidth(m[2]!, 12)] as [number, number]),
    );
  }

  it("keeps every axis's tick labels apart in cells a quarter of the width", async () => {
    const c = sampleComparison();
    const [a, b] = c.variants as [Comparison["variants"][number], Comparison["variants"][number]];
    c.variants = [
      a,
      b,
      // The AMI rehab referral's size: −272 defects per 1000 beside −30, on one axis in 220 px.
      {
        ...a,
        scenario: "AMI pathway — rehab referral",
        differences: {
          ...a.differences,
          defects_avoided_per_1000: { estimate: 271.8, ci95: [260.2, 283.4] },
        },
      },
      { ...b, scenario: "AMI pathway — pre-hospital ECG" },
    ];
    const svg = await render(chart(compareChartsFor(c), "compare-differences"));
    const axes = tickLabels(svg).filter((labels) => labels.length > 0);
    expect(axes.length).toBeGreaterThanOrEqual(4 * 3);
    for (const labels of axes) {
      expect(labels.length).toBeGreaterThanOrEqual(2);
      const sorted = [...labels].sort((p, q) => p[0] - q[0]);
      for (let i = 1; i < sorted.length; i++) {
        const [x0, w0] = sorted[i - 1]!;
        const [x1, w1] = sorted[i]!;
        expect(x1 - x0, "room between two tick labels").toBeGreaterThanOrEqual((w0 + w1) / 2 + 6);
      }
    }
  });

  it("titles the report for the comparison: one variant by name, several by count", () => {
    const c = sampleComparison();
    expect(comparisonTitle(c)).toBe("2 variants vs AMI pathway — baseline");
    expect(comparisonTitle({ ...c, variants: c.variants.slice(0, 1) })).toBe(
      "AMI pathway — I-PASS handoffs vs AMI pathway — baseline",
    );
  });
});

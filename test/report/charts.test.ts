import { describe, expect, it } from "vitest";
import type { MetricSummary, RunSummary } from "../../src/analysis/summary.js";
import { timeTicks, timeUnitFor } from "../../src/report/charts/axis.js";
import { type ChartEntry, chartsFor } from "../../src/report/charts/index.js";
import { LEVERAGE_TOP } from "../../src/report/charts/leverage.js";
import { metricChart } from "../../src/report/charts/metric.js";
import { pChartRows } from "../../src/report/charts/pchart.js";
import { textWidth } from "../../src/report/charts/text-width.js";
import { formatDuration as formatMinutes, formatPercent as formatShare } from "../../src/report/format.js";
import { renderSvg } from "../../src/report/render.js";
import {
  fullSummary,
  HOSTILE,
  hostileSummary,
  reportLeverage,
  sampleSummary,
} from "../fixtures/report-summary.js";
import { svgToPng } from "./png.js";
import { render } from "./strict-render.js";

function chart(list: ChartEntry[], name: string): ChartEntry {
  const found = list.find((c) => c.name === name);
  expect(found, `chart ${name}`).toBeDefined();
  return found!;
}

/** The text of every <text> element and of every line (<tspan>) of one, entities decoded. */
function texts(svg: string): string[] {
  return [...svg.matchAll(/<(?:text|tspan)\b[^>]*>([^<]*)<\/(?:text|tspan)>/g)].map((m) =>
    m[1]!
      .replace(/&lt;/g, "<")
      .replace(/&gt;/g, ">")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&"),
  );
}

const marks = (svg: string, type: string) => svg.split(`class="mark-${type} role-mark`).length - 1;

describe("chartsFor", () => {
  const summary = fullSummary();
  const all = chartsFor(summary, { leverage: reportLeverage(summary) });

  it("returns every chart a full run has, in reading order", () => {
    expect(all.map((c) => c.name)).toEqual([
      "cascade",
      "leverage",
      "metric-door-to-balloon-8780c8cf",
      "metric-ems-to-balloon-4d6e67dc",
      "metric-ed-length-of-stay-65176dd5",
      "p-chart",
      "waits",
    ]);
    for (const c of all) {
      expect(c.title.length).toBeGreaterThan(0);
      expect(c.caption.length).toBeGreaterThan(0);
      expect(JSON.parse(JSON.stringify(c.spec))).toEqual(c.spec);
    }
  });

  it("compiles and renders every spec without a single warning", async () => {
    for (const c of all) {
      const svg = await render(c);
      expect(svg.startsWith("<svg")).toBe(true);
      expect(svg).toContain(`viewBox="0 0 `);
    }
  });

  it("leaves out what does not apply: no leverage, weeks, utilisation, cascade or metrics", () => {
    const bare: RunSummary = {
      ...sampleSummary(),
      arrivals: false,
      cascade: [],
      cascades: [],
      weekly: [{ week: 1, patients: 0, defect_free: 0 }],
      metrics: { empty: { ...sampleSummary().metrics.door_to_balloon!, n: 0, histogram: [] } },
      microsystems: sampleSummary().microsystems.map((m) => ({ ...m, utilization: null })),
    };
    expect(chartsFor(bare)).toEqual([]);
    expect(chartsFor(bare, { leverage: [] })).toEqual([]);
  });
});

describe("reliability cascade", () => {
  it("draws simulated and analytic curves over each class's main path, with names, not ids", async () => {
    const svg = await render(chart(chartsFor(sampleSummary()), "cascade"));
    const t = texts(svg);
    expect(t).toContain("Reliability cascade");
    expect(t.filter((x) => x === "Patients still defect-free")).toHaveLength(2);
    expect(t).toEqual(
      expect.arrayContaining(["Start", "Paramedics (EMS)", "→ Emergency department", "→ Cath lab"]),
    );
    expect(t).toEqual(expect.arrayContaining(["Simulated", "Analytic (exact)", "100%", "0%"]));
    expect(t).toContain("stemi_ems (20% of patients): end of the main path: 66.0% (exact 66.0%)");
    expect(t).toContain("nstemi (65% of patients): end of the main path: 81.0% (exact 81.0%)");
    expect(t).toContain("73.0%");
    expect(marks(svg, "line")).toBe(4);
    expect(svg.split("<path").length).toBeGreaterThan(10);
  });

  it("draws only the simulated curve when there is no analytic value", async () => {
    const s = sampleSummary();
    s.cascades = s.cascades.map((c) => ({ ...c, steps: c.steps.map((x) => ({ ...x, analytic: null })) }));
    const svg = await render(chart(chartsFor(s), "cascade"));
    const t = texts(svg);
    expect(t).toContain("Simulated");
    expect(t).not.toContain("Analytic (exact)");
    expect(marks(svg, "line")).toBe(2);
  });

  it("rounds its point labels as the report does, and sets the path's end beside the whole journey", async () => {
    const s = sampleSummary();
    s.classes = [{ id: "all", share: 1, start: "paramedics" }];
    const steps = s.cascade.map((c) => ({ ...c }));
    // d3's ".1%" would print 11.7% here while the subtitle and the report say 11.6%.
    steps[2] = { ...steps[2]!, simulated: 0.11649010294277132, analytic: 0.1149 };
    s.cascades = [{ class: "all", share: 1, steps }];
    const t = texts(await render(chart(chartsFor(s), "cascade")));
    expect(t).toContain("11.6%");
    expect(t).not.toContain("11.7%");
    expect(t).toContain("End of the main path: 11.6% (exact 11.5%); whole journey over every route: 37.1%");
  });
});

describe("leverage chart", () => {
  const summary = sampleSummary();

  it("names element and failure mode, and shows both reliability and deaths", async () => {
    const entry = chart(chartsFor(summary, { leverage: reportLeverage(summary) }), "leverage");
    const t = texts(await render(entry));
    expect(t).toContain("Defect-free journeys gained (percentage points)");
    expect(t).toContain("Deaths avoided per 1000 patients");
    expect(t).toEqual(expect.arrayContaining(["Telemetry → Cardiac rehab", "No cardiac-rehab referral"]));
    expect(t).toEqual(expect.arrayContaining(["Removed (p = 0)", "Halved"]));
    // 15 failure modes in the sample: only the top LEVERAGE_TOP are drawn, and the subtitle says so.
    expect(reportLeverage(summary).length).toBe(15);
    expect(t).toContain(`The ${LEVERAGE_TOP} modes with the largest gain from removal, of 15`);
    expect(t).toContain("+17.6");
  });

  it("falls back to mode ids for modes without a name and to one panel without mortality", async () => {
    const unnamed = sampleSummary();
    for (const el of [...unnamed.microsystems, ...unnamed.handoffs]) for (const m of el.modes) m.name = m.id;
    const items = reportLeverage(unnamed)
      .slice(0, 3)
      .map((i) => ({
        ...i,
        remove: { ...i.remove, mortality_per_1000: null },
        halve: { ...i.halve, mortality_per_1000: null },
      }));
    const t = texts(await render(chart(chartsFor(unnamed, { leverage: items }), "leverage")));
    expect(t).toContain("no_referral");
    expect(t).not.toContain("Deaths avoided per 1000 patients");
    expect(t).toContain("All 3 failure modes, largest gain from removal first");
  });
});

describe("metric distribution", () => {
  it("draws the bars, the target line with its label, and the median", async () => {
    const svg = await render(chart(chartsFor(sampleSummary()), "metric-door-to-balloon-8780c8cf"));
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(["Door to balloon", "Target 1 h 30 min", "Median 1 h 11 min"]));
    expect(t).toEqual(expect.arrayContaining(["Time (minutes)", "Journeys", "Within target", "Over target"]));
    expect(t).toContain("71.2% within the target of 1 h 30 min");
    expect(marks(svg, "rect")).toBe(1);
    expect(marks(svg, "rule")).toBe(2);
  });

  it("splits a bin that straddles the target into a part within and a part over", () => {
    const spec = metricChart("d2b", sampleSummary().metrics.door_to_balloon!).spec;
    const rows = (spec.data as { values: { lo: number; hi: number; count: number; side: string }[] }).values;
    expect(rows).toEqual([
      { lo: 0, hi: 50, count: 1362, side: "Within target" },
      { lo: 50, hi: 90, count: 3747, side: "Within target" },
      { lo: 90, hi: 100, count: 3747, side: "Over target" },
      { lo: 100, hi: 150, count: 1703, side: "Over target" },
    ]);
  });

  it("switches to days for long intervals and has no target marks without a target", async () => {
    const metric: MetricSummary = {
      name: "Discharge to follow-up",
      n: 100,
      mean: 9000,
      median: 7200,
      p90: 20000,
      target: null,
      within_target: null,
      histogram: [0, 1, 2, 3, 4].map((i) => ({
        lo: i * 7 * 1440,
        hi: (i + 1) * 7 * 1440,
        count: 40 - i * 8,
      })),
    };
    const t = texts(await render(metricChart("followup", metric)));
    expect(t).toContain("Time (days)");
    expect(t).toContain("Median 5 d");
    expect(t).toEqual(expect.arrayContaining(["0", "7", "14", "21", "28", "35"]));
    expect(t.some((x) => x.startsWith("Target"))).toBe(false);
    expect(t).not.toContain("Over target");
  });
});

describe("metric distribution: long tails and crowded labels", () => {
  /** A follow-up interval: most within a month, a thin tail out to 200 days. */
  const followup = (): MetricSummary => ({
    name: "Discharge to follow-up",
    n: 1000,
    mean: 20000,
    median: 15840,
    p90: 40000,
    target: 10080,
    within_target: 0.3,
    histogram: Array.from({ length: 20 }, (_, i) => ({
      lo: i * 14400,
      hi: (i + 1) * 14400,
      count: [300, 400, 150, 80, 40, 15, 5, 3, 2, 1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 2][i]!,
    })),
  });

  it("ends the axis where 99% of the journeys are and says how many lie beyond", async () => {
    const entry = metricChart("followup", followup());
    const rows = (entry.spec.data as { values: { hi: number }[] }).values;
    // 990 of 1000 journeys lie in the first 7 bins (70 days).
    expect(Math.max(...rows.map((r) => r.hi))).toBe(70);
    const t = texts(await render(entry));
    expect(t).toEqual(expect.arrayContaining(["10 longer journeys (1.0%)", "not drawn: up to 200 d →"]));
    expect(t).toEqual(expect.arrayContaining(["0", "7", "14", "56"]));
  });

  it("keeps the whole axis when nothing is left to trim", async () => {
    const t = texts(await render(chart(chartsFor(sampleSummary()), "metric-door-to-balloon-8780c8cf")));
    expect(t.some((x) => x.includes("not drawn"))).toBe(false);
  });

  it("moves a label that would run into the y axis to the right of its line, one line lower", () => {
    const layers = (metricChart("followup", followup()).spec as { layer: { mark: unknown }[] }).layer;
    const labels = layers
      .map((l) => l.mark as { type: string; align?: string; dy?: number })
      .filter((m) => m.type === "text" && m.dy !== undefined && m.dy < 30);
    // The median (11 d) labels to the right of its line; the target (7 d, 75 px from the axis)
    // has no room on its left, so it goes right too, under the median's label.
    expect(labels.map((m) => [m.align, m.dy])).toEqual([
      ["left", 4],
      ["left", 21],
    ]);
  });
});

describe("p-chart", () => {
  it("uses a weighted centre line and per-week 3-sigma limits, clamped to [0, 1]", () => {
    const { centre, rows } = pChartRows([
      { week: 1, patients: 100, defect_free: 60 },
      { week: 2, patients: 300, defect_free: 60 },
      { week: 3, patients: 2, defect_free: 2 },
      { week: 4, patients: 0, defect_free: 0 },
    ]);
    expect(centre).toBeCloseTo((60 + 60 + 2) / 402, 12);
    expect(rows.map((r) => r.week)).toEqual([1, 2, 3]);
    const sigma = (n: number) => Math.sqrt((centre * (1 - centre)) / n);
    expect(rows[0]!.ucl).toBeCloseTo(centre + 3 * sigma(100), 4);
    expect(rows[1]!.lcl).toBeCloseTo(centre - 3 * sigma(300), 4);
    expect(rows[2]!.ucl).toBe(1);
    expect(rows[2]!.lcl).toBe(0);
    expect(rows.map((r) => r.signal.startsWith("Outside"))).toEqual([true, true, false]);
  });

  it("marks the weeks outside the limits and labels the limits", async () => {
    const svg = await render(chart(chartsFor(fullSummary()), "p-chart"));
    const t = texts(svg);
    expect(t).toEqual(expect.arrayContaining(["UCL", "LCL", "p̄ 37.1%", "Defect-free journeys"]));
    expect(t).toContain(
      "2 of 52 weeks outside the limits (chance alone puts about 0.1 there): look for a special cause before reacting",
    );
    expect(t).toContain("Outside limits (special cause)");
    expect(marks(svg, "symbol")).toBe(1);
  });
});

describe("waits and utilisation", () => {
  it("shows the microsystems that can queue, with waits in humane units and utilisation", async () => {
    const svg = await render(chart(chartsFor(sampleSummary()), "waits"));
    const t = texts(svg);
    for (const m of sampleSummary().microsystems.filter((x) => x.id !== "cardiology"))
      expect(t).toContain(m.name);
    expect(t).toEqual(
      expect.arrayContaining(["38 min", "1 h 35 min", "3 d", "7 d", "78%", "no capacity limit"]),
    );
    expect(t).toEqual(
      expect.arrayContaining(["Busy share of capacity", "Wait (days)", "Mean", "90th percentile"]),
    );
    // Without capacity and without waits, the cardiology practice never queues: named, not drawn.
    expect(t).not.toContain("Cardiology practice");
    expect(t).toContain("Without a capacity limit, so never a queue (not shown): Cardiology practice");
  });

  it("says why a 90th percentile of 0 sits beside a long mean, and when nobody waited", async () => {
    const s = sampleSummary();
    s.microsystems[1]!.wait = { mean: 26.4, p90: 0 };
    s.microsystems[2]!.wait = { mean: 0.79, p90: 0 };
    s.microsystems[3]!.wait = { mean: 0, p90: 0 };
    s.microsystems[3]!.utilization = 0.002;
    const t = texts(await render(chart(chartsFor(s), "waits")));
    expect(t).toEqual(expect.arrayContaining(["26 min", "47 s", "nobody waited", "< 1%"]));
    expect(t.filter((x) => x === "0 min: at least 9 in 10 did not wait")).toHaveLength(2);
    expect(t).not.toContain("0 min");
  });
});

describe("text from the scenario inside charts", () => {
  it("is escaped by vega: markup in names stays text", async () => {
    const s = hostileSummary();
    s.weekly = fullSummary().weekly;
    // The ranking of the modes whose names carry markup: the paramedics' and their handoff's.
    const leverage = reportLeverage(s).filter((i) => i.element.startsWith("paramedics"));
    const entries = chartsFor(s, { leverage });
    for (const entry of entries) {
      const svg = await render(entry);
      expect(svg, entry.name).not.toMatch(/<script|<b>|<i>|<img/i);
    }
    const cascade = await render(chart(entries, "cascade"));
    expect(cascade).toContain("&lt;b&gt;Paramedics&lt;/b&gt; &lt;script&gt;alert(1)&lt;/script&gt;");
    expect(texts(cascade).some((t) => t.startsWith("<b>Paramedics</b> <script>"))).toBe(true);
    const bars = texts(await render(chart(entries, "leverage")));
    expect(bars).toContain(`<b>ECG</b> not sent ${HOSTILE}`);
  });
});

describe("render", () => {
  it("never loads data from elsewhere: a URL is refused and reported", async () => {
    const warnings: string[] = [];
    await renderSvg(
      {
        data: { url: "http://example.com/data.csv" },
        mark: "point",
        encoding: { x: { field: "a", type: "quantitative" } },
      },
      (w) => warnings.push(w),
    );
    expect(warnings.some((w) => w.includes("Loading failed") && w.includes("inline"))).toBe(true);
  });

  it("rasterises an SVG to a PNG twice its size", async () => {
    const svg = await render(chart(chartsFor(sampleSummary()), "cascade"));
    const png = svgToPng(svg);
    expect([...png.slice(0, 8)]).toEqual([137, 80, 78, 71, 13, 10, 26, 10]);
    const view = new DataView(png.buffer, png.byteOffset);
    const width = Number(/width="(\d+)"/.exec(svg)![1]);
    expect(view.getUint32(16)).toBe(width * 2);
  });

  it("measures text with DejaVu Sans widths", () => {
    expect(textWidth("iiii", 10)).toBeCloseTo(11.12, 2);
    expect(textWidth("WWWW", 10)).toBeCloseTo(39.56, 2);
    expect(textWidth("Cath lab", 12, true)).toBeGreaterThan(textWidth("Cath lab", 12));
  });
});

describe("formatting", () => {
  it("says times the way people do, with the rule every report uses (report/format.ts)", () => {
    expect(formatMinutes(0)).toBe("0 min");
    expect(formatMinutes(5.5)).toBe("5.5 min");
    expect(formatMinutes(71.2)).toBe("1 h 11 min");
    expect(formatMinutes(192)).toBe("3 h 12 min");
    expect(formatMinutes(180)).toBe("3 h");
    expect(formatMinutes(10080)).toBe("7 d");
    expect(formatMinutes(4 * 1440 + 300)).toBe("4.2 d");
    // Past nine days, whole days; under a minute, seconds.
    expect(formatMinutes(15775)).toBe("11 d");
    expect(formatMinutes(0.79)).toBe("47 s");
    expect(formatMinutes(0.001)).toBe("< 1 s");
    expect(formatMinutes(-0.5)).toBe("−30 s");
  });

  it("chooses a time unit and clock-friendly ticks", () => {
    expect(timeUnitFor(300).name).toBe("minutes");
    expect(timeUnitFor(600).name).toBe("hours");
    expect(timeUnitFor(5000).name).toBe("days");
    expect(timeTicks(240, timeUnitFor(240))).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240]);
    expect(timeTicks(30, timeUnitFor(40000))).toEqual([0, 7, 14, 21, 28]);
  });

  it("writes shares as percentages, with more decimals near 0 and 100%", () => {
    expect(formatShare(0.37125)).toBe("37.1%");
    expect(formatShare(0.9995)).toBe("99.95%");
    expect(formatShare(1)).toBe("100.0%");
    expect(formatShare(0)).toBe("0.0%");
    expect(formatShare(0.46, 0)).toBe("46%");
  });
});

// Opens report.html in a real browser (Debian's headless Chromium, driven by playwright-core):
// the charts and headline figures must be there, nothing may be fetched from anywhere, no script
// may run, and a screenshot is left in output/screenshots/report.png for people to look at.
// .ci/install-browser.sh installs the browser; outside CI the test is skipped if it is missing.
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/analysis/summary.js";
import { chartsFor, compareChartsFor } from "../../src/report/charts/index.js";
import { compareReportHtml } from "../../src/report/html/compare-report.js";
import { reportHtml } from "../../src/report/html/run-report.js";
import { renderCharts } from "../../src/report/render.js";
import { sampleComparison } from "../fixtures/comparison.js";
import { fullSummary, HOSTILE, hostileSummary, reportLeverage } from "../fixtures/report-summary.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = fileURLToPath(new URL("../../output/screenshots/report.png", import.meta.url));
const COMPARE_SCREENSHOT = fileURLToPath(
  new URL("../../output/screenshots/compare-report.png", import.meta.url),
);
const canRun = existsSync(CHROMIUM) || process.env.CI !== undefined;
if (!canRun) {
  console.warn(`browser test skipped: ${CHROMIUM} is missing (install it with .ci/install-browser.sh)`);
}

async function writeReport(dir: string, summary: RunSummary): Promise<string> {
  const charts = await renderCharts(chartsFor(summary, { leverage: reportLeverage(summary) }));
  const page = reportHtml(summary, charts, {
    command: "handoff-sim run scenarios/ami-baseline.yaml",
    scenarioFile: "scenarios/ami-baseline.yaml",
    version: "0.1.0",
  });
  const file = join(dir, `report-${charts.length}-${summary.scenario.length}.html`);
  await writeFile(file, page);
  return pathToFileURL(file).href;
}

async function writeCompareReport(dir: string): Promise<string> {
  const comparison = sampleComparison();
  const page = compareReportHtml(comparison, await renderCharts(compareChartsFor(comparison)), {
    command: "handoff-sim compare scenarios/ami-baseline.yaml scenarios/ami-ipass.yaml",
    scenarioFiles: [
      "scenarios/ami-baseline.yaml",
      "scenarios/ami-ipass.yaml",
      "scenarios/ami-cathlab-24-7.yaml",
    ],
    version: "0.1.0",
  });
  const file = join(dir, "compare-report.html");
  await writeFile(file, page);
  return pathToFileURL(file).href;
}

interface Visit {
  page: Page;
  /** Every request the page made, the document itself included. */
  requests: string[];
  dialogs: string[];
}

async function open(browser: Browser, url: string): Promise<Visit> {
  // Wall-display width: the page should read well on a large screen.
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  const dialogs: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  page.on("dialog", (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  // Anything but the report itself is refused (and recorded above), so a stray reference fails
  // the test instead of reaching the network.
  await page.route("**/*", (route) => (route.request().url() === url ? route.continue() : route.abort()));
  await page.goto(url, { waitUntil: "load" });
  return { page, requests, dialogs };
}

describe.skipIf(!canRun)("report.html in headless Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "handoff-report-"));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("shows the charts and the headline figures, fetches nothing, and is screenshot", async () => {
    const summary = fullSummary();
    const url = await writeReport(dir, summary);
    const { page, requests, dialogs } = await open(browser, url);

    const charts = page.locator("figure.chart svg");
    await expect.poll(() => charts.count()).toBe(7);
    for (const svg of await charts.all()) {
      const box = await svg.boundingBox();
      expect(box?.width).toBeGreaterThan(500);
      expect(box?.height).toBeGreaterThan(200);
    }
    // One panel per class's main path, each with its axis.
    expect(
      await page.locator("#chart-cascade svg text", { hasText: /^Patients still defect-free$/ }).count(),
    ).toBe(summary.cascades.length);
    expect(await page.locator("#chart-p-chart svg text", { hasText: /^UCL$/ }).count()).toBe(1);
    expect(await page.locator("#figure-reliability .figure-value").textContent()).toBe("37.1%");
    expect(await page.locator("#figure-mortality .figure-value").textContent()).toBe("41.8");
    expect(await page.locator("h2").allTextContents()).toEqual([
      "Headline figures",
      "Charts",
      "Where defects arise",
      "Outcomes",
      "Metrics",
      "Model and method",
    ]);

    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    expect(await page.evaluate<number>('performance.getEntriesByType("resource").length')).toBe(0);
    expect(await page.evaluate<number>("document.scripts.length")).toBe(0);

    await mkdir(join(SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();
  });

  it("shows a comparison's differences and figures, fetches nothing, and is screenshot", async () => {
    const url = await writeCompareReport(dir);
    const { page, requests, dialogs } = await open(browser, url);
    const charts = page.locator("figure.chart svg");
    await expect.poll(() => charts.count()).toBe(2);
    for (const svg of await charts.all()) expect((await svg.boundingBox())?.width).toBeGreaterThan(500);
    // The variant heads its column in each of the five groups of figures.
    expect(
      await page.locator("#chart-compare-differences svg text", { hasText: /^I-PASS handoffs$/ }).count(),
    ).toBe(5);
    expect(await page.locator("#variant-1 .figure-value").first().textContent()).toBe("30.0");
    expect(requests).toEqual([url]);
    expect(dialogs).toEqual([]);
    await mkdir(join(COMPARE_SCREENSHOT, ".."), { recursive: true });
    await page.screenshot({ path: COMPARE_SCREENSHOT, fullPage: true });
    await page.close();
  });

  it("shows markup from the scenario as text and runs none of it", async () => {
    const summary = hostileSummary();
    const url = await writeReport(dir, summary);
    const { page, requests, dialogs } = await open(browser, url);

    expect(await page.locator("h1").textContent()).toBe(`${HOSTILE} <b>bold</b> pathway`);
    expect(await page.locator("#chart-cascade svg text", { hasText: "<b>Paramedics</b>" }).count()).toBe(1);
    expect(await page.evaluate<number>('document.querySelectorAll("script, img, b, i, iframe").length')).toBe(
      0,
    );
    expect(dialogs).toEqual([]);
    expect(requests).toEqual([url]);
    await page.close();
  });
});

// Accessibility and small screens, in the real page: an axe-core audit (WCAG 2.1 A and AA, contrast
// included) of every view — editing, a run's results, a map element's details, compare, explain,
// story — with no serious or critical violation allowed; the page used by keyboard alone (Tab to
// the map's nodes, the form's inputs and the Run button, Enter runs); and at 1024 × 768 no view
// scrolls the page sideways. Also what a run now reports, on the map's hover and in the results:
// waits and utilisation with their intervals, blocked time, other patients' share, shared
// resources, patients who left the queue, the run's warnings and its costs.
import type { ChildProcess } from "node:child_process";
import { copyFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../cli/built.js";
import {
  axeViolations,
  canRun,
  launchChromium,
  serious,
  startStudio,
  type Violation,
} from "./studio-page.js";

/** Two wards share two beds; a patient who waits an hour for Ward A leaves; too short a run (a warning). */
const CAPACITY = `name: Shared beds
seed: 7
patients: 3000
replications: 4
arrivals: { per_day: 150, warmup: 2 d }
handoff_defaults: { time: 10 min }
resources:
  - { id: beds, name: Shared beds, capacity: 2 }
microsystems:
  - id: triage
    name: Triage
    time: { mean: 10 min }
    capacity: 1
    cost: { per_visit: 100 }
    failures:
      - { id: missed, name: Sign missed, p: 0.05 }
    next:
      - { to: ward_a, p: 0.5 }
      - { to: ward_b, p: 0.5 }
  - id: ward_a
    name: Ward A
    time: { mean: 2 h }
    uses: beds
    max_wait: 1 h
    cost: { per_visit: 900 }
    next: []
  - id: ward_b
    name: Ward B
    time: { mean: 2 h }
    uses: beds
    cost: { per_visit: 800 }
    next: []
`;

describe.skipIf(!canRun)("the studio: accessibility, keyboard and 1024 px", () => {
  let dir: string;
  let studio: { child: ChildProcess; url: string };
  let browser: Browser;
  let page: Page;
  const audits: Record<string, Violation[]> = {};

  /** axe-core's WCAG 2.1 A/AA audit of the page as it is; the page must not scroll sideways either. */
  async function audit(view: string): Promise<Violation[]> {
    const violations = await axeViolations(page);
    audits[view] = violations;
    await writeFile(join(dir, `a11y-${view}.json`), JSON.stringify(violations, null, 2));
    const wide = await page.evaluate<{ scroll: number; client: number }>(
      "({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })",
    );
    expect(wide.scroll, `${view}: the page scrolls sideways at 1024 px`).toBeLessThanOrEqual(wide.client);
    await page.screenshot({ path: join(dir, `a11y-${view}.png`) });
    return serious(violations);
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "handoff-studio-a11y-"));
    await copyFile(join(ROOT, "scenarios", "ami-baseline.yaml"), join(dir, "ami.yaml"));
    await writeFile(join(dir, "capacity.yaml"), CAPACITY);
    studio = await startStudio([join(dir, "ami.yaml"), join(dir, "capacity.yaml")]);
    browser = await launchChromium();
    // axe is injected as a script: the studio's Content-Security-Policy would refuse it.
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, bypassCSP: true });
    page = await context.newPage();
    await page.goto(studio.url);
    // The map, then the headline once the checker has spoken (the bundled baseline has no exact
    // figure since issue 13: the page says why).
    await page.locator('[data-microsystem="cathlab"]').waitFor({ timeout: 30_000 });
    await page
      .getByText(/outside staffed hours/)
      .first()
      .waitFor({ timeout: 30_000 });
  }, 60_000);

  afterAll(async () => {
    const summary = Object.entries(audits).map(
      ([view, list]) =>
        `${view}: ${list.length === 0 ? "none" : list.map((v) => `${v.id} (${v.impact}, ${v.nodes.length})`).join(", ")}`,
    );
    // The folder (1024 × 768 screenshots, each view's violations) is kept when a view failed or
    // STUDIO_SCREENSHOTS is set, to look at.
    const keep =
      process.env.STUDIO_SCREENSHOTS !== undefined ||
      Object.values(audits).some((l) => serious(l).length > 0);
    console.log(
      `studio axe audit (WCAG 2.1 A/AA violations per view):\n  ${summary.join("\n  ")}${keep ? `\nscreenshots in ${dir}` : ""}`,
    );
    await browser?.close();
    studio?.child.kill();
    if (!keep && dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  it("the editing view passes the audit", async () => {
    expect(await audit("edit")).toEqual([]);
  });

  it("is usable by keyboard alone: Tab reaches a map node, a probability input and Run; Enter runs", async () => {
    await page.locator("body").focus();
    const seen: string[] = [];
    for (let i = 0; i < 250 && !seen.includes("run"); i++) {
      await page.keyboard.press("Tab");
      const where = await page.evaluate<string>(`(() => {
        const e = document.activeElement;
        if (e === null) return "none";
        if (e.closest(".cm-editor")) return "editor";
        return e.getAttribute("data-microsystem") ? "node:" + e.getAttribute("data-microsystem")
          : (e.getAttribute("data-testid") ?? e.tagName.toLowerCase());
      })()`);
      // The YAML editor takes Tab for indenting; Escape then Tab leaves it (CodeMirror's way out).
      if (where === "editor") await page.keyboard.press("Escape");
      seen.push(where);
    }
    expect(seen.some((s) => s.startsWith("node:"))).toBe(true);
    expect(seen.some((s) => s.startsWith("p:"))).toBe(true);
    expect(seen).toContain("editor");
    expect(seen.at(-1)).toBe("run");
    await page.keyboard.press("Enter");
    await expect.poll(() => page.getByTestId("sim-reliability").count(), { timeout: 120_000 }).toBe(1);
  }, 180_000);

  it("the results show the intervals, blocking, other patients and costs, and pass the audit", async () => {
    await expect.poll(() => page.locator(".chart svg").count(), { timeout: 30_000 }).toBeGreaterThan(2);
    const rows = page.locator('[data-testid="capacity"] [data-row="cathlab"]');
    expect(await rows.textContent()).toMatch(/\d+ (s|min|h) \/ \d/); // blocked mean / p90 at the blocking cath lab
    expect(await page.locator('[data-testid="capacity"] [data-row="ccu"]').textContent()).toMatch(/\d+%/);
    expect(await page.getByTestId("cost-per-patient").textContent()).toMatch(/^\d[\d,]*$/);
    expect(await page.getByTestId("cost-per-year").count()).toBe(1);
    // Utilisation with its 95% interval in the table of microsystems.
    expect(await page.locator(".results table").first().textContent()).toMatch(/[\d.]+% \([\d.]+–[\d.]+%\)/);
    // The map's hover: waits and utilisation with their intervals, blocked time, other patients.
    await page.locator('[data-microsystem="cathlab"]').hover();
    const hover = page.getByTestId("map-hover");
    await expect.poll(() => hover.textContent()).toContain("Catheterization lab");
    expect(await hover.textContent()).toMatch(/wait mean .*p90 .*utilisation [\d.]+% \([\d.]+–[\d.]+%\)/);
    expect(await hover.textContent()).toContain("blocked after care");
    await page.locator('[data-microsystem="ccu"]').hover();
    await expect.poll(() => hover.textContent()).toContain("by other patients");
    expect(await audit("results")).toEqual([]);
  });

  it("a map element's details pass the audit", async () => {
    await page.locator('[data-microsystem="ccu"]').click();
    await expect.poll(() => page.getByTestId("element-details").count()).toBe(1);
    expect(await page.getByTestId("element-details").textContent()).toContain("utilisation");
    expect(await audit("details")).toEqual([]);
    await page.getByRole("button", { name: "Close the details" }).click();
  });

  it("compare shows what changed and the costs, and passes the audit", async () => {
    const input = page.getByTestId("p:ccu->telemetry#med_list_lost");
    await input.fill("0.05");
    await input.press("Enter");
    await page.getByRole("tab", { name: "Compare" }).click();
    await page.getByLabel("Patients to compare").fill("4000");
    await page.getByTestId("compare").click();
    await expect.poll(() => page.getByTestId("compare-reliability").count(), { timeout: 120_000 }).toBe(1);
    expect(await page.getByTestId("compared-changes").textContent()).toContain(
      "handoffs[ccu->telemetry].failures[med_list_lost].p",
    );
    const economics = await page.getByTestId("economics").textContent();
    expect(economics).toContain("Incremental cost per patient");
    expect(economics).toMatch(/Cost per death avoided|death is avoided|per death avoided/);
    expect(await audit("compare")).toEqual([]);
  }, 180_000);

  it("explain and story pass the audit", async () => {
    await page.getByRole("tab", { name: "Explain" }).click();
    // The bundled baseline has no exact answer since issue 13: the view says why instead.
    await expect
      .poll(() => page.getByTestId("explain-text").textContent())
      .toMatch(/defect-free|No exact explanation/);
    expect(await audit("explain")).toEqual([]);
    await page.getByRole("tab", { name: "Story" }).click();
    await page.getByTestId("tell-story").click();
    await expect.poll(() => page.getByTestId("story-text").textContent()).toContain("patient");
    await page.getByRole("button", { name: "Next ▶" }).click();
    expect(await audit("story")).toEqual([]);
  });

  it("a run with shared resources, reneging and a warning shows them", async () => {
    await page.getByRole("tab", { name: "Results" }).click();
    await page.getByLabel("Scenario file").selectOption({ label: "capacity.yaml" });
    await expect.poll(() => page.locator("[data-microsystem]").count()).toBe(3);
    await page.getByTestId("run").click();
    await expect.poll(() => page.getByTestId("sim-reliability").count(), { timeout: 120_000 }).toBe(1);
    expect(await page.getByTestId("run-warnings").textContent()).toContain("too short");
    expect(await page.getByTestId("reneged").textContent()).toMatch(/^\d[\d,]*$/);
    expect(await page.locator('[data-testid="capacity"] [data-row="beds"]').textContent()).toContain(
      "Ward A, Ward B",
    );
    await page.locator('[data-microsystem="ward_a"]').hover();
    const hover = await page.getByTestId("map-hover").textContent();
    expect(hover).toContain("shares Shared beds");
    expect(hover).toContain("left the queue");
    expect(await audit("capacity")).toEqual([]);
  });
});

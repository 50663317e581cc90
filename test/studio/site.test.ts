// The studio as a static site (`npm run build:site`), for a teaching site with no server of its
// own: opened from the disk (file://) and from a plain local web server, a scenario dropped on the
// page and one opened with "Open…", run in the page, and the result downloaded — the summary the
// page downloads is `run --json`'s to the bit. No request may leave the page's own origin.
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { extname, join, normalize } from "node:path";
import { promisify } from "node:util";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { builtBin, ROOT } from "../cli/built.js";
import { axeViolations, canRun, launchChromium, serious } from "./studio-page.js";

const run = promisify(execFile);

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".txt": "text/plain",
};

/** A plain static web server on 127.0.0.1 (what any web host does with the folder). */
function serve(folder: string): Promise<{ server: Server; origin: string }> {
  const server = createServer(async (req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    const file = join(folder, path === "/" ? "index.html" : path);
    if (!file.startsWith(folder)) return res.writeHead(403).end();
    try {
      const body = await readFile(file);
      res.writeHead(200, { "Content-Type": TYPES[extname(file)] ?? "application/octet-stream" }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) =>
    server.listen(0, "127.0.0.1", () =>
      resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
    ),
  );
}

/** Drops files on the page as a user dragging them from a file manager would. */
async function drop(page: Page, files: { name: string; text: string }[]): Promise<void> {
  const transfer = await page.evaluateHandle((list) => {
    // The page's own classes (the test's types have no DOM).
    const dom = globalThis as unknown as {
      DataTransfer: new () => { items: { add(file: unknown): void } };
      File: new (parts: string[], name: string, options: { type: string }) => unknown;
    };
    const dt = new dom.DataTransfer();
    for (const f of list) dt.items.add(new dom.File([f.text], f.name, { type: "text/yaml" }));
    return dt;
  }, files);
  await page.dispatchEvent(".studio", "dragover", { dataTransfer: transfer });
  await page.dispatchEvent(".studio", "drop", { dataTransfer: transfer });
}

describe.skipIf(!canRun)("the studio as a static site (npm run build:site)", () => {
  let dir: string;
  let site: string;
  let browser: Browser;
  let web: { server: Server; origin: string };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "handoff-studio-site-"));
    site = join(dir, "site");
    await run(process.execPath, [join(ROOT, "studio", "build.mjs"), "--site", site]);
    web = await serve(site);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    web?.server.close();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  });

  for (const where of ["file", "server"] as const) {
    it(`from ${where === "file" ? "the disk (file://)" : "a local web server"}: drop a scenario, run it, download the result`, async () => {
      const page = await browser.newPage({ viewport: { width: 1024, height: 768 }, acceptDownloads: true });
      const requests: string[] = [];
      const errors: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      page.on("pageerror", (e) => errors.push(e.message));
      const origin = where === "file" ? "file://" : `${web.origin}/`;
      await page.goto(where === "file" ? `file://${join(site, "index.html")}` : `${web.origin}/`);
      const exact = page.getByTestId("exact-reliability");
      await expect.poll(() => exact.textContent(), { timeout: 30_000 }).toMatch(/%$/);
      // It starts with the bundled AMI pathway.
      expect(await page.locator("[data-microsystem]").count()).toBe(9);
      // The static page's own controls (Open…) pass the accessibility audit too.
      expect(serious(await axeViolations(page))).toEqual([]);

      // A scenario dropped on the page, under a name of its own.
      const source = join(ROOT, "scenarios", "teaching", "branching.yaml");
      await drop(page, [{ name: "dropped.yaml", text: await readFile(source, "utf8") }]);
      await expect
        .poll(() => page.getByLabel("Scenario file").locator("option:checked").textContent())
        .toBe("dropped.yaml");
      const cli = JSON.parse(
        (
          await run(
            process.execPath,
            [builtBin(), "run", source, "--json", "--no-charts", "--out", join(dir, `out-${where}`)],
            { maxBuffer: 64 << 20 },
          )
        ).stdout,
      ) as { reliability: { estimate: number; analytic: number | null }; microsystems: unknown[] };
      await expect.poll(() => page.locator("[data-microsystem]").count()).toBe(cli.microsystems.length);
      expect(Number(await exact.getAttribute("data-value"))).toBe(cli.reliability.analytic);

      await page.getByTestId("run").click();
      const sim = page.getByTestId("sim-reliability");
      await expect.poll(() => sim.count(), { timeout: 60_000 }).toBe(1);
      expect(Number(await sim.getAttribute("data-value"))).toBe(cli.reliability.estimate);

      // The result, downloaded: the summary `run --json` prints, figure for figure.
      const download = page.waitForEvent("download");
      await page.getByTestId("download-summary").click();
      const file = await download;
      expect(file.suggestedFilename()).toMatch(/-summary\.json$/);
      const summary = JSON.parse(await readFile((await file.path())!, "utf8")) as typeof cli;
      expect(summary.reliability).toEqual(cli.reliability);
      expect(summary.microsystems).toEqual(cli.microsystems);

      // And a file opened with "Open…", then the YAML downloaded back.
      await page.setInputFiles('input[type="file"]', join(ROOT, "scenarios", "teaching", "seven-steps.yaml"));
      await expect.poll(() => page.locator("[data-microsystem]").count()).toBe(7);
      const yaml = page.waitForEvent("download");
      await page.getByRole("button", { name: "Download YAML" }).click();
      expect((await yaml).suggestedFilename()).toBe("seven-steps.yaml");

      expect(requests.filter((u) => !u.startsWith(origin) && !u.startsWith("blob:"))).toEqual([]);
      expect(errors).toEqual([]);
      await page.close();
    }, 120_000);
  }
});

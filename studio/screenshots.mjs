// The docs' two screenshots, from the current page: `node studio/screenshots.mjs` (after `npm run
// build`; needs Debian's chromium) writes docs/studio.png (the AMI pathway after a run: the map
// coloured by exact reliability, a microsystem's hover with its waits and utilisation, the form,
// the YAML editor and the results) and docs/studio-story.png (a patient's story replayed on the
// map). The studio serves a copy of the AMI baseline from a temporary folder.
import { copyFile, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { startStudioServer } = await import(path.join(ROOT, "dist/src/node/studio/server.js"));
const { Workspace } = await import(path.join(ROOT, "dist/src/node/studio/workspace.js"));

const dir = await mkdtemp(path.join(tmpdir(), "handoff-studio-shots-"));
const scenario = path.join(dir, "ami-baseline.yaml");
await copyFile(path.join(ROOT, "scenarios", "ami-baseline.yaml"), scenario);
const server = await startStudioServer({
  workspace: await Workspace.open([scenario]),
  assets: path.join(ROOT, "dist", "studio"),
});
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
  await page.goto(server.url);
  await page.getByTestId("exact-reliability").filter({ hasText: /%$/ }).waitFor({ timeout: 60_000 });
  await page.getByTestId("run").click();
  await page.getByTestId("sim-reliability").waitFor({ timeout: 120_000 });
  await page.locator(".chart svg").first().waitFor();
  await page.locator('[data-microsystem="cathlab"]').hover();
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(ROOT, "docs", "studio.png") });

  await page.mouse.move(0, 0);
  await page.getByRole("tab", { name: "Story" }).click();
  await page.getByLabel("find").selectOption("defect");
  await page.getByTestId("tell-story").click();
  await page.getByTestId("story-text").waitFor();
  // Step through to the first defect the story marks, and a little beyond.
  for (let i = 0; i < 40; i++) {
    if ((await page.locator("[data-testid=pathway-map] .defect").count()) > 0) break;
    await page.getByRole("button", { name: "Next ▶" }).click();
  }
  await page.getByRole("button", { name: "Next ▶" }).click();
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(ROOT, "docs", "studio-story.png") });
  for (const f of ["studio.png", "studio-story.png"])
    console.log(`docs/${f}: ${Math.round((await stat(path.join(ROOT, "docs", f))).size / 1024)} KiB`);
} finally {
  await browser.close();
  await server.close();
  await rm(dir, { recursive: true, force: true });
}

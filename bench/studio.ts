// `npm run bench:studio`: the studio in headless Chromium — bundle size (raw and gzipped), time to
// the first exact figure after the page starts loading and the first check's own time, each edit's
// check (validate + exact) and its whole update (the value applied → the new figure painted), the
// first edit of a page apart from the later ones, and the time of a 20,000-patient AMI run in the
// page (Web Workers) beside the command line's own for the same run at the same moment (its
// wall_ms). Medians over STUDIO_RUNS fresh pages (default 6).
// Needs Debian's chromium (.ci/install-browser.sh) and a build (`npm run build`).
import { execFile } from "node:child_process";
import { copyFile, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { chromium } from "playwright-core";
import { startStudioServer } from "../src/node/studio/server.js";
import { Workspace } from "../src/node/studio/workspace.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ASSETS = join(ROOT, "dist", "studio");
const RUNS = Number(process.env.STUDIO_RUNS ?? 6);

/** The page's globals, as seen from the functions Playwright runs inside it (this file has no DOM types). */
interface PageGlobals {
  __studio?: Record<string, number | undefined>;
  document: { querySelector(s: string): { textContent: string | null; disabled?: boolean } | null };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const kib = (n: number) => `${(n / 1024).toFixed(0)} KiB`;

async function bundle(): Promise<void> {
  let raw = 0;
  let gz = 0;
  for (const f of ["index.html", "studio.js", "studio.css"]) {
    const bytes = await readFile(join(ASSETS, f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
    console.log(
      `  ${f.padEnd(11)} ${kib(bytes.length).padStart(9)} raw, ${kib(gzipSync(bytes, { level: 9 }).length).padStart(8)} gzipped`,
    );
  }
  console.log(`  total       ${kib(raw).padStart(9)} raw, ${kib(gz).padStart(8)} gzipped`);
}

/** `handoff-sim run FILE --json`'s own simulation time (wall_ms), as the CLI measures it. */
async function cliRun(scenario: string, dir: string): Promise<number> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      join(ROOT, "bin", "handoff-sim.js"),
      "run",
      scenario,
      "--json",
      "--no-charts",
      "--out",
      join(dir, "out"),
    ],
    { maxBuffer: 64 * 1024 * 1024 },
  );
  return (JSON.parse(stdout) as { wall_ms: number }).wall_ms;
}

async function main(): Promise<void> {
  console.log("Studio bundle (dist/studio):");
  await bundle();
  const dir = await mkdtemp(join(tmpdir(), "handoff-bench-studio-"));
  const scenario = join(dir, "ami.yaml");
  await copyFile(join(ROOT, "scenarios", "ami-baseline.yaml"), scenario);
  const server = await startStudioServer({ workspace: await Workspace.open([scenario]), assets: ASSETS });
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
  const first: number[] = [];
  const firstCheck: number[] = [];
  const cli: number[] = [];
  /** Per edit: the check (validate + exact) and the whole update, edit → figure painted. */
  const firstEdit = { check: [] as number[], update: [] as number[] };
  const laterEdits = { check: [] as number[], update: [] as number[] };
  const coldRuns: number[] = [];
  const warmRuns: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      const page = await context.newPage();
      await page.goto(server.url);
      await page.waitForFunction(
        () => ((globalThis as unknown as PageGlobals).__studio?.firstExactMs ?? 0) > 0,
        null,
        {
          timeout: 60_000,
        },
      );
      first.push(await page.evaluate<number>("window.__studio.firstExactMs"));
      firstCheck.push(await page.evaluate<number>("window.__studio.checkMs"));
      // The first edit as soon as the first figure shows, then four more.
      for (const [k, p] of ["0.5", "0.4", "0.59", "0.45", "0.55"].entries()) {
        const before = await page.getByTestId("exact-reliability").textContent();
        await page.getByTestId("p:ed#late_ecg").fill(p);
        await page.getByTestId("p:ed#late_ecg").press("Enter");
        await page.waitForFunction(
          (b) =>
            (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="exact-reliability"]')
              ?.textContent !== b,
          before,
        );
        await page.waitForFunction(
          () => (globalThis as unknown as PageGlobals).__studio?.editStart === undefined,
        );
        const into = k > 0 ? laterEdits : firstEdit;
        into.check.push(await page.evaluate<number>("window.__studio.lastCheckMs"));
        into.update.push(await page.evaluate<number>("window.__studio.lastUpdateMs"));
      }
      for (let r = 0; r < 2; r++) {
        await page.getByTestId("run").click();
        // The previous run's results leave while this one runs; then this run's arrive.
        if (r > 0) await page.getByTestId("run-ms").waitFor({ state: "detached" });
        await page.getByTestId("run-ms").waitFor({ timeout: 120_000 });
        await page.waitForFunction(
          () =>
            (globalThis as unknown as PageGlobals).document.querySelector('[data-testid="run"]')?.disabled ===
            false,
        );
        const seconds = Number(await page.getByTestId("run-ms").textContent());
        (r === 0 ? coldRuns : warmRuns).push(seconds * 1000);
      }
      // The command line's own simulation time for the same run, at the same moment (its wall_ms).
      cli.push(await cliRun(scenario, dir));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\nAMI baseline in the page, ${RUNS} fresh pages (medians; all values: ms):`);
  console.log(
    `  first exact figure after navigation start  ${median(first).toFixed(0)}   [${first.map((x) => x.toFixed(0)).join(", ")}]`,
  );
  console.log(
    `  the first check (validate + exact), at load ${median(firstCheck).toFixed(1).padStart(6)}   [${firstCheck.map((x) => x.toFixed(1)).join(", ")}]`,
  );
  const list = (xs: number[]) =>
    `${median(xs).toFixed(1).padStart(6)}   [${xs.map((x) => x.toFixed(1)).join(", ")}]`;
  console.log(`  first edit: check (validate + exact)        ${list(firstEdit.check)}`);
  console.log(`              edit → figure painted         ${list(firstEdit.update)}`);
  console.log(`  later edits: check                         ${list(laterEdits.check)}`);
  console.log(`               edit → figure painted         ${list(laterEdits.update)}`);
  console.log(
    `  20,000-patient run, first of the page      ${median(coldRuns).toFixed(0)}   [${coldRuns.map((x) => x.toFixed(0)).join(", ")}]`,
  );
  console.log(
    `  the CLI's run --json (wall_ms, same time)  ${median(cli).toFixed(0)}   [${cli.map((x) => x.toFixed(0)).join(", ")}]`,
  );
  console.log(
    `  20,000-patient run, workers started        ${median(warmRuns).toFixed(0)}   [${warmRuns.map((x) => x.toFixed(0)).join(", ")}]`,
  );
}

await main();

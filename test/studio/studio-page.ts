// What the studio's browser tests share: Debian's Chromium (headless, with the flags this machine
// needs) and `handoff-sim studio` started as a real process, with the URL it prints.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, chromium, type Page } from "playwright-core";
import { builtBin } from "../cli/built.js";

export const CHROMIUM = "/usr/bin/chromium";
/** Without Chromium the browser tests are skipped, except on CI (where .ci/run installs it). */
export const canRun = existsSync(CHROMIUM) || process.env.CI !== undefined;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** Starts `handoff-sim studio ARGS --no-open` and resolves with its printed URL. */
export function startStudio(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [builtBin(), "studio", ...args, "--no-open"], { stdio: "pipe" });
    let out = "";
    let err = "";
    child.stdout.on("data", (chunk) => {
      out += chunk;
      const line = out.split("\n")[0]!;
      if (out.includes("\n")) resolve({ child, url: line.trim() });
    });
    child.stderr.on("data", (chunk) => {
      err += chunk;
    });
    child.on("exit", (code) => reject(new Error(`studio exited (${code}): ${err}`)));
  });
}

/** "12.3%" → 0.123 */
export function share(text: string | null): number {
  const m = /(-?[\d.]+)%/.exec(text ?? "");
  if (m === null) throw new Error(`not a percentage: ${text}`);
  return Number(m[1]) / 100;
}

const AXE = createRequire(import.meta.url).resolve("axe-core/axe.min.js");

export interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/**
 * axe-core's WCAG 2.1 A and AA audit of the page as it is now (contrast included). The page's
 * Content-Security-Policy refuses an injected script: open it in a context with `bypassCSP`.
 */
export async function axeViolations(page: Page): Promise<Violation[]> {
  if ((await page.evaluate("typeof window.axe")) === "undefined") await page.addScriptTag({ path: AXE });
  return page.evaluate<Violation[]>(`axe.run(document, {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations"],
  }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`);
}

/** The violations that fail a test: serious and critical ones. */
export function serious(list: Violation[]): Violation[] {
  return list.filter((v) => v.impact === "serious" || v.impact === "critical");
}

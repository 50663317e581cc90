// What the studio's browser tests share: Debian's Chromium (headless, with the flags this machine
// needs) and `handoff-sim studio` started as a real process, with the URL it prints.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";
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

// The compiled command-line program, for tests that need a real process (signals, the current
// folder). `npm test` builds first; run `npm run build` before running such a test file alone.
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const BIN = path.join(ROOT, "bin", "handoff-sim.js");

/** The path of bin/handoff-sim.js, after checking that the build it loads includes `module`. */
export function builtBin(module = "src/cli/main.js"): string {
  if (!existsSync(path.join(ROOT, "dist", module))) {
    throw new Error(`dist/${module} is missing: run \`npm run build\` first`);
  }
  return BIN;
}

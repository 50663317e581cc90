// Where the time of a user's default run goes: the run of bench/user.ts (default workers, charts,
// 1 M patients) once more under `node --cpu-prof`, and the top entries by self time of the main
// thread and of each worker thread.
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CASE_FILES } from "./cases.js";
import { runProcess } from "./measure.js";
import { topEntries } from "./profile-top.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export function printProfile(patients: number, entries = 8): void {
  const dir = mkdtempSync(join(tmpdir(), "handoff-profile-"));
  try {
    const args = [
      "--cpu-prof",
      `--cpu-prof-dir=${dir}`,
      join(ROOT, "bin/handoff-sim.js"),
      "run",
      join(ROOT, CASE_FILES["chain-queued"]),
      "--patients",
      String(patients),
      "--out",
      join(dir, "out"),
    ];
    const wall = runProcess(process.execPath, args).wall_ms;
    console.log(
      `\nProfile of the user's default run (${patients.toLocaleString("en-US")} patients, charts, default workers; ${(wall / 1000).toFixed(2)} s under the profiler), self time:`,
    );
    // Node names profiles CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main one.
    const files = readdirSync(dir)
      .filter((f) => f.endsWith(".cpuprofile"))
      .sort((a, b) => Number(a.split(".")[4]) - Number(b.split(".")[4]));
    for (const f of files) {
      const thread = Number(f.split(".")[4]);
      const { total_ms, entries: top } = topEntries(join(dir, f), entries);
      console.log(
        `  ${thread === 0 ? "main thread" : `worker thread ${thread}`} (${Math.round(total_ms)} ms sampled):`,
      );
      for (const e of top)
        console.log(
          `    ${(100 * e.share).toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(6)} ms  ${e.name}  ${e.where}`,
        );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// `npm run bench`: patients/s, events/s, wall time and peak memory, median of several fresh
// processes (a single cold run varies 2–3× on this shared machine), one worker and all workers.
// Also: why keyed draws are counter-based (seeding a seedrandom generator per decision).
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import seedrandom from "seedrandom";
import { draw, entityKey, seedKey, stringKey } from "../src/engine/random.js";
import { CASES, type CaseName } from "./cases.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PATIENTS: Record<CaseName, number> = {
  chain: Number(process.env.BENCH_PATIENTS ?? 1_000_000),
  "chain-queued": Number(process.env.BENCH_PATIENTS ?? 1_000_000),
  ami: Number(process.env.BENCH_AMI_PATIENTS ?? 200_000),
};
const one = fileURLToPath(new URL("./one.js", import.meta.url));

interface Measurement {
  wall_ms: number;
  patients: number;
  events: number;
  max_rss_mb: number;
}

function measure(name: CaseName, workers: number, patients = PATIENTS[name], runCount = RUNS): Measurement {
  const runs: Measurement[] = [];
  for (let i = 0; i < runCount; i++) {
    const out = execFileSync(process.execPath, [one, name, String(workers), String(patients)], {
      encoding: "utf8",
    });
    runs.push(JSON.parse(out.trim().split("\n").pop()!) as Measurement);
  }
  const median = (f: (m: Measurement) => number) => {
    const xs = runs.map(f).sort((a, b) => a - b);
    return xs[Math.floor(xs.length / 2)]!;
  };
  return {
    wall_ms: median((m) => m.wall_ms),
    patients: runs[0]!.patients,
    events: runs[0]!.events,
    max_rss_mb: median((m) => m.max_rss_mb),
  };
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

function drawsPerSecond(): { counter: number; seedrandom: number } {
  const n = 2_000_000;
  const seed = seedKey(1);
  const site = stringKey("ed#time");
  let acc = 0;
  let t = performance.now();
  for (let i = 0; i < n; i++) acc += draw(entityKey(seed, 0, i), site, 1, 0);
  const counter = n / ((performance.now() - t) / 1000);
  const m = 20_000;
  t = performance.now();
  for (let i = 0; i < m; i++) acc += seedrandom.alea(`1/0/${i}/ed#time/1`)();
  const seeded = m / ((performance.now() - t) / 1000);
  if (acc < 0) console.log(acc); // keeps the loops from being optimised away
  return { counter, seedrandom: seeded };
}

const cores = availableParallelism();
console.log(
  `handoff-sim benchmark: median of ${RUNS} fresh processes each, ${cores} cores, Node ${process.version}\n`,
);
const rows: string[][] = [["case", "workers", "patients", "wall s", "patients/s", "events/s", "peak MB"]];
const speedups: string[] = [];
for (const name of CASES) {
  const byWorkers = new Map<number, Measurement>();
  for (const workers of [...new Set([1, cores])]) {
    const m = measure(name, workers);
    byWorkers.set(workers, m);
    const s = m.wall_ms / 1000;
    rows.push([
      name,
      String(workers),
      fmt(m.patients),
      s.toFixed(2),
      fmt(m.patients / s),
      fmt(m.events / s),
      fmt(m.max_rss_mb),
    ]);
  }
  if (cores > 1)
    speedups.push(
      `${name}: ${(byWorkers.get(1)!.wall_ms / byWorkers.get(cores)!.wall_ms).toFixed(2)}× with ${cores} workers`,
    );
}
// Memory must not grow with the number of patients: one long run, one worker.
const big = Number(process.env.BENCH_BIG_PATIENTS ?? 10_000_000);
if (big > 0) {
  const m = measure("chain", 1, big, 1);
  const s = m.wall_ms / 1000;
  rows.push([
    "chain (memory)",
    "1",
    fmt(m.patients),
    s.toFixed(2),
    fmt(m.patients / s),
    fmt(m.events / s),
    fmt(m.max_rss_mb),
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const r of rows)
  console.log(r.map((cell, c) => (c < 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
if (speedups.length > 0) console.log(`\nSpeed-up: ${speedups.join("; ")}`);
const d = drawsPerSecond();
console.log(
  `\nKeyed draws: counter-based ${fmt(d.counter)}/s vs a seedrandom.alea generator seeded per draw ${fmt(d.seedrandom)}/s (${(d.counter / d.seedrandom).toFixed(0)}×).`,
);

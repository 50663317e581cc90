// `npm run bench`: patients/s, events/s, wall time and peak memory, median of several fresh
// processes (a single cold run varies 2–3× on this shared machine).
// 1. The engine, in fresh processes that load only the simulator (bench/one.ts), one worker and all.
// 2. The event heap's limit at the heap size of the queued run, against the engine's in-loop rate.
// 3. The command line the way a user runs it, against the same model in SimPy (bench/user.ts), and
//    where its time goes (a CPU profile of each thread, bench/profile.ts).
// 4. Why keyed draws are counter-based (seeding a seedrandom generator per decision).
// 5. `compare --uncertainty 100` on the AMI scenario, 1 worker and all (bench/uncertainty.ts).
// Environment: BENCH_RUNS (3), BENCH_PATIENTS (1,000,000), BENCH_AMI_PATIENTS (200,000),
// BENCH_SIMPY_PATIENTS (50,000), BENCH_BIG_PATIENTS (10,000,000; 0 skips the memory runs),
// BENCH_ONLY (engine | user | uncertainty: one part only), BENCH_PROFILE (1; 0 skips the profile),
// BENCH_DRAWS (100; 0 skips the uncertainty part).
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import seedrandom from "seedrandom";
import { draw, entityKey, seedKey, stringKey } from "../src/engine/random.js";
import { CASES, type CaseName } from "./cases.js";
import { fmt, median, printTable } from "./measure.js";
import { printProfile } from "./profile.js";
import { printUncertaintyBench, uncertaintyBench } from "./uncertainty.js";
import { printUserBench, userBench } from "./user.js";

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PATIENTS: Record<CaseName, number> = {
  chain: Number(process.env.BENCH_PATIENTS ?? 1_000_000),
  "chain-queued": Number(process.env.BENCH_PATIENTS ?? 1_000_000),
  ami: Number(process.env.BENCH_AMI_PATIENTS ?? 200_000),
};
const BIG = Number(process.env.BENCH_BIG_PATIENTS ?? 10_000_000);
const ONLY = process.env.BENCH_ONLY ?? "";
const one = fileURLToPath(new URL("./one.js", import.meta.url));
const heap = fileURLToPath(new URL("./heap.js", import.meta.url));

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
  return {
    wall_ms: median(runs.map((m) => m.wall_ms)),
    patients: runs[0]!.patients,
    events: runs[0]!.events,
    max_rss_mb: median(runs.map((m) => m.max_rss_mb)),
  };
}

function engineRow(label: string, workers: number, m: Measurement): string[] {
  const s = m.wall_ms / 1000;
  return [
    label,
    String(workers),
    fmt(m.patients),
    fmt(s, 2),
    fmt(m.patients / s),
    fmt(m.events / s),
    fmt(m.max_rss_mb),
  ];
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

if (ONLY !== "user" && ONLY !== "uncertainty") {
  console.log("The engine (simulation only: no start-up, charts or files):");
  const rows: string[][] = [["case", "workers", "patients", "wall s", "patients/s", "events/s", "peak MB"]];
  const speedups: string[] = [];
  let queuedOne: Measurement | null = null;
  for (const name of CASES) {
    const byWorkers = new Map<number, Measurement>();
    for (const workers of [...new Set([1, cores])]) {
      const m = measure(name, workers);
      byWorkers.set(workers, m);
      if (name === "chain-queued" && workers === 1) queuedOne = m;
      rows.push(engineRow(name, workers, m));
    }
    if (cores > 1)
      speedups.push(
        `${name}: ${fmt(byWorkers.get(1)!.wall_ms / byWorkers.get(cores)!.wall_ms, 2)}× with ${cores} workers`,
      );
  }
  // Memory must not grow with the number of patients: one long run per worker count.
  if (BIG > 0) {
    for (const workers of [...new Set([1, cores])]) {
      rows.push(engineRow("chain (memory)", workers, measure("chain", workers, BIG, 1)));
    }
  }
  printTable(rows);
  if (speedups.length > 0) console.log(`\nSpeed-up: ${speedups.join("; ")}`);
  const h = JSON.parse(execFileSync(process.execPath, [heap, "chain-queued"], { encoding: "utf8" })) as {
    mean_size: number;
    pairs_per_s: number;
  };
  if (queuedOne !== null) {
    const inLoop = queuedOne.events / (queuedOne.wall_ms / 1000);
    console.log(
      `\nEvent heap on this machine, ${h.mean_size} pending events (the queued run's mean): ${fmt(h.pairs_per_s)} push+pop pairs/s. ` +
        `The queued run, one worker: ${fmt(inLoop)} events/s in the loop = ${fmt((100 * inLoop) / h.pairs_per_s, 0)}% of the heap's limit ` +
        `(${fmt(queuedOne.events / queuedOne.patients, 1)} events per patient).`,
    );
  }
  const d = drawsPerSecond();
  console.log(
    `\nKeyed draws: counter-based ${fmt(d.counter)}/s vs a seedrandom.alea generator seeded per draw ${fmt(d.seedrandom)}/s (${fmt(d.counter / d.seedrandom)}×).`,
  );
}

if (ONLY !== "engine" && ONLY !== "uncertainty") {
  const options = {
    runs: RUNS,
    patients: PATIENTS["chain-queued"],
    simpyPatients: Number(process.env.BENCH_SIMPY_PATIENTS ?? 50_000),
    bigPatients: BIG,
  };
  printUserBench(userBench(options), options);
  if (process.env.BENCH_PROFILE !== "0") printProfile(options.patients);
}

const DRAWS = Number(process.env.BENCH_DRAWS ?? 100);
if ((ONLY === "" || ONLY === "uncertainty") && DRAWS > 0)
  printUncertaintyBench(uncertaintyBench(RUNS, DRAWS), RUNS, DRAWS);

// The command line the way a user runs it, in fresh processes (start-up, simulation, charts and
// files all included), against the same model in SimPy (bench/simpy/chain_queued.py).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CASE_FILES } from "./cases.js";
import { fmt, median, medianRun, printTable, pythonWithSimpy, runProcess } from "./measure.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const CLI = join(ROOT, "bin/handoff-sim.js");
const SIMPY_MODEL = join(ROOT, "bench/simpy/chain_queued.py");

export interface UserBenchOptions {
  runs: number;
  /** Patients of the user's default run (the target is stated at 1,000,000). */
  patients: number;
  /** Patients of each SimPy run (its patients/s does not depend on the count). */
  simpyPatients: number;
  /** Patients of the memory run (independent journeys, default workers). */
  bigPatients: number;
}

interface Row {
  label: string;
  patients: number;
  wall_ms: number;
  max_rss_mb: number;
}

export function userBench(o: UserBenchOptions): { rows: Row[]; simpy: number | null } {
  const out = mkdtempSync(join(tmpdir(), "handoff-bench-"));
  const queued = join(ROOT, CASE_FILES["chain-queued"]);
  const cli = (label: string, patients: number, args: string[], runs = o.runs): Row => {
    const m = medianRun(runs, process.execPath, [CLI, ...args, "--out", out]);
    return { label, patients, ...m };
  };
  const run = (patients: number, extra: string[]) => [
    "run",
    queued,
    "--patients",
    String(patients),
    ...extra,
  ];
  const rows: Row[] = [];
  try {
    rows.push(cli("start-up: --version", 0, ["--version"], 5));
    rows.push(
      cli("start-up: run --no-charts, 1,000 patients", 1000, run(1000, ["--no-charts", "--workers", "1"]), 5),
    );
    rows.push(cli("user's default run (charts, default workers)", o.patients, run(o.patients, [])));
    rows.push(cli("1 worker, charts", 100_000, run(100_000, ["--workers", "1"])));
    rows.push(cli("1 worker, --no-charts", 100_000, run(100_000, ["--workers", "1", "--no-charts"])));
    rows.push(cli("1 worker, --no-charts", o.patients, run(o.patients, ["--workers", "1", "--no-charts"])));
    rows.push(cli("default workers, --no-charts", o.patients, run(o.patients, ["--no-charts"])));
    if (o.bigPatients > 0) {
      const big = ["run", join(ROOT, CASE_FILES.chain), "--patients", String(o.bigPatients), "--no-charts"];
      rows.push(cli("memory: independent journeys, default workers", o.bigPatients, big));
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
  return { rows, simpy: simpyRate(o) };
}

/** SimPy's patients/s on the same model (whole process, imports included), or null without SimPy. */
function simpyRate(o: UserBenchOptions): number | null {
  const python = pythonWithSimpy();
  if (python === null) return null;
  const walls: number[] = [];
  for (let i = 0; i < o.runs; i++)
    walls.push(runProcess(python, [SIMPY_MODEL, String(o.simpyPatients), "10", "1"]).wall_ms);
  return o.simpyPatients / (median(walls) / 1000);
}

export function printUserBench(result: { rows: Row[]; simpy: number | null }, o: UserBenchOptions): void {
  const { rows, simpy } = result;
  console.log(
    `\nThe command line as a user runs it (${CASE_FILES["chain-queued"]}; whole process, median of ${o.runs} fresh processes):`,
  );
  const table = [["run", "patients", "wall s", "patients/s", "× SimPy", "peak MB"]];
  for (const r of rows) {
    const rate = r.patients > 0 ? r.patients / (r.wall_ms / 1000) : Number.NaN;
    const ratio = simpy !== null && r.patients >= 100_000 ? `${fmt(rate / simpy, 1)}×` : "";
    table.push([
      r.label,
      r.patients > 0 ? fmt(r.patients) : "",
      fmt(r.wall_ms / 1000, 2),
      r.patients > 0 ? fmt(rate) : "",
      ratio,
      fmt(r.max_rss_mb),
    ]);
  }
  printTable(table);
  if (simpy === null) {
    console.log(
      "SimPy reference skipped: no python3 here can import simpy (Debian: apt-get install python3-simpy3).",
    );
  } else {
    const target = rows.find((r) => r.label.startsWith("user's default"))!;
    const ratio = target.patients / (target.wall_ms / 1000) / simpy;
    console.log(
      `SimPy 3 on the same model (bench/simpy/chain_queued.py, ${fmt(o.simpyPatients)} patients, whole process): ${fmt(simpy)} patients/s.`,
    );
    console.log(`User's default run: ${fmt(ratio, 1)}× SimPy's patients/s (target ≥ 20×, goal 50×).`);
  }
}

// `compare --uncertainty` the way a user runs it (the I-PASS comparison of the AMI scenario, charts
// and files included), in fresh processes with 1 worker and with every core: wall time, CPU time
// (all threads) and peak memory, medians. The machine is shared, so CPU time is the steadier
// figure: on a loaded machine the wall time of 2 workers is bounded by the cores left to them.
// Environment: BENCH_RUNS (3), BENCH_DRAWS (100), BENCH_CLI (another build's bin/handoff-sim.js, to
// measure a "before").
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { fmt, medianRun, printTable } from "./measure.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

export interface UncertaintyRow {
  workers: number;
  wall_ms: number;
  cpu_s: number;
  max_rss_mb: number;
}

export function uncertaintyBench(
  runs: number,
  draws: number,
  cli = join(ROOT, "bin/handoff-sim.js"),
): UncertaintyRow[] {
  const out = mkdtempSync(join(tmpdir(), "handoff-bench-uncertainty-"));
  const args = (workers: number) => [
    cli,
    "compare",
    join(ROOT, "scenarios/ami-baseline.yaml"),
    join(ROOT, "scenarios/ami-ipass.yaml"),
    "--uncertainty",
    String(draws),
    "--workers",
    String(workers),
    "--out",
    out,
  ];
  try {
    return [...new Set([1, availableParallelism()])].map((workers) => ({
      workers,
      ...medianRun(runs, process.execPath, args(workers)),
    }));
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

export function printUncertaintyBench(rows: UncertaintyRow[], runs: number, draws: number): void {
  console.log(
    `\ncompare scenarios/ami-baseline.yaml scenarios/ami-ipass.yaml --uncertainty ${draws} (charts; whole process, median of ${runs}):`,
  );
  const table = [["workers", "wall s", "CPU s (all threads)", "peak MB"]];
  for (const r of rows)
    table.push([String(r.workers), fmt(r.wall_ms / 1000, 1), fmt(r.cpu_s, 1), fmt(r.max_rss_mb)]);
  printTable(table);
  if (rows.length > 1)
    console.log(
      `Speed-up with ${rows[1]!.workers} workers: ${fmt(rows[0]!.wall_ms / rows[1]!.wall_ms, 2)}× (wall).`,
    );
}

if (process.argv[1]?.endsWith("uncertainty.js")) {
  const runs = Number(process.env.BENCH_RUNS ?? 3);
  const draws = Number(process.env.BENCH_DRAWS ?? 100);
  printUncertaintyBench(uncertaintyBench(runs, draws, process.env.BENCH_CLI || undefined), runs, draws);
}

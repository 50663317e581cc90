// Fresh-process measurements for the benchmark: wall time from this process (the whole child, from
// exec to exit: start-up, simulation, charts, files) and peak memory from /usr/bin/time when the
// machine has it. A single cold run varies 2–3× on a shared machine, so every figure is a median.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

export interface ProcessRun {
  wall_ms: number;
  /** Peak resident set size of the child (all its threads), MB; NaN without /usr/bin/time. */
  max_rss_mb: number;
  /** CPU time of the child, user + system, all threads (s); NaN without /usr/bin/time. */
  cpu_s: number;
  stdout: string;
}

const TIME = "/usr/bin/time";
const haveTime = existsSync(TIME);

/** Runs `command args` once in a fresh process; throws with its stderr if it fails. */
export function runProcess(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): ProcessRun {
  const argv = haveTime ? ["-f", "__rss_kb=%M __cpu_s=%U+%S", command, ...args] : args;
  const began = performance.now();
  const r = spawnSync(haveTime ? TIME : command, argv, { encoding: "utf8", env, maxBuffer: 1 << 28 });
  const wall = performance.now() - began;
  if (r.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${r.status}): ${r.stderr}`);
  const rss = /__rss_kb=(\d+)/.exec(r.stderr ?? "");
  const cpu = /__cpu_s=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? "");
  return {
    wall_ms: wall,
    max_rss_mb: rss === null ? Number.NaN : Number(rss[1]) / 1024,
    cpu_s: cpu === null ? Number.NaN : Number(cpu[1]) + Number(cpu[2]),
    stdout: r.stdout,
  };
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const n = s.length;
  if (n === 0) return Number.NaN;
  return n % 2 === 1 ? s[(n - 1) / 2]! : (s[n / 2 - 1]! + s[n / 2]!) / 2;
}

/** Median wall time and peak memory of `runs` fresh processes. */
export function medianRun(
  runs: number,
  command: string,
  args: string[],
): { wall_ms: number; max_rss_mb: number; cpu_s: number; last: string } {
  const all: ProcessRun[] = [];
  for (let i = 0; i < runs; i++) all.push(runProcess(command, args));
  return {
    wall_ms: median(all.map((r) => r.wall_ms)),
    max_rss_mb: median(all.map((r) => r.max_rss_mb)),
    cpu_s: median(all.map((r) => r.cpu_s)),
    last: all.at(-1)!.stdout,
  };
}

/** A python3 that can import simpy (Debian's python3-simpy3 lives in /usr/bin/python3), or null. */
export function pythonWithSimpy(): string | null {
  for (const python of ["/usr/bin/python3", "python3"]) {
    try {
      execFileSync(python, ["-c", "import simpy"], { stdio: "ignore" });
      return python;
    } catch {
      // not this one
    }
  }
  return null;
}

export function fmt(n: number, decimals = 0): string {
  if (!Number.isFinite(n)) return "n/a";
  return n.toLocaleString("en-US", { minimumFractionDigits: decimals, maximumFractionDigits: decimals });
}

/** Prints rows as an aligned table: the first column left-aligned, the others right-aligned. */
export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length)));
  for (const r of rows)
    console.log(r.map((cell, c) => (c < 1 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join("  "));
}

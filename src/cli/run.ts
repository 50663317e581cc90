// `handoff-sim run <scenario>`: simulate, print the summary (or JSON), write the output files.
// With --shard K/N --partial FILE: run one Nth of the work and write a mergeable partial result.
import { basename, dirname, join } from "node:path";
import type { Command } from "commander";
import { runScenario } from "../analysis/run.js";
import { sensitivity } from "../analysis/sensitivity.js";
import { runShard, type Shard } from "../analysis/shards.js";
import type { RunSummary } from "../analysis/summary.js";
import { defaultWorkers } from "../parallel/pool.js";
import { slugify, writeOutputs } from "../report/files.js";
import { type RunFileOptions, runFiles } from "../report/outputs.js";
import { formatRunSummary } from "../report/terminal.js";
import { runTraced } from "../report/trace.js";
import type { Assignment } from "../scenario/set.js";
import { VERSION } from "../version.js";
import { type Io, UsageError } from "./io.js";
import { patientCount, seedValue, shardOption, workerCount } from "./options.js";
import { progressBar } from "./progress.js";
import { loadForCommand } from "./scenario.js";
import { addSetFlag } from "./set.js";

export interface RunFlags {
  patients?: number;
  seed?: number;
  out?: string;
  json?: boolean;
  workers?: number;
  shard?: Shard;
  partial?: string;
  /** `--trace FILE`: every event of every journey, streamed to CSV (forces one thread). */
  trace?: string;
  /** `--set path=value` changes (src/scenario/set.ts). */
  set?: Assignment[];
  /** false with --no-charts. */
  charts?: boolean;
}

/** The flags `run`, `compare` and `sensitivity` share. */
export function addRunFlags(command: Command): Command {
  return command
    .option("--patients <n>", "journeys to simulate (overrides the scenario)", patientCount)
    .option("--seed <s>", "random seed (overrides the scenario)", seedValue)
    .option("--workers <n>", "worker threads (default: the number of cores)", workerCount)
    .option("--out <dir>", "where to write results (default: output/<scenario-slug>)")
    .option("--json", "print one JSON document on stdout instead of the summary");
}

export function registerRun(program: Command, io: Io, done: (status: number) => void): void {
  addSetFlag(addRunFlags(program.command("run")))
    .description("simulate a scenario and summarise the reliability of the whole journey")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--shard <k/n>", "run only shard K of N (with --partial)", shardOption)
    .option("--partial <file>", "write this shard's mergeable partial result to FILE")
    .option("--trace <file>", "stream every event of every journey to a CSV file (runs in one thread)")
    .option("--no-charts", "skip the charts and report.html (faster)")
    .addHelpText(
      "after",
      "\nExamples:\n  handoff-sim run scenarios/ami-baseline.yaml --patients 100000 --seed 7\n" +
        "  handoff-sim run scenarios/ami-baseline.yaml --shard 2/8 --partial part-2.json",
    )
    .action(async (file: string, flags: RunFlags) => done(await runCommand(file, flags, io)));
}

export async function runCommand(file: string, flags: RunFlags, io: Io): Promise<number> {
  if ((flags.shard === undefined) !== (flags.partial === undefined)) {
    throw new UsageError("--shard and --partial go together: --shard K/N --partial FILE");
  }
  if (flags.trace !== undefined && flags.shard !== undefined) {
    throw new UsageError("--trace traces a whole run: it cannot be combined with --shard");
  }
  const spec = await loadForCommand(file, io, flags.set);
  const bar = progressBar(io, "Simulating");
  const options = {
    patients: flags.patients,
    seed: flags.seed,
    workers: flags.workers ?? defaultWorkers(),
    progress: bar.update,
  };
  try {
    if (flags.shard !== undefined && flags.partial !== undefined) {
      const partial = await runShard(spec, flags.shard, options);
      await writeOutputs(dirname(flags.partial), { [basename(flags.partial)]: JSON.stringify(partial) });
      io.err(`Shard ${flags.shard.k}/${flags.shard.n} written to ${flags.partial}`);
      return 0;
    }
    const summary =
      flags.trace === undefined
        ? await runScenario(spec, options)
        : runTraced(spec, options, flags.trace, io.err);
    bar.stop();
    const charts = flags.charts !== false;
    // The tornado chart ranks failure modes by their exact effect on reliability: analytic, so
    // it costs milliseconds (`sensitivity` adds the simulated mortality effects).
    // Without an exact answer (summary.reliability.analytic null) the ranking would need a
    // simulation per failure mode: that is `sensitivity`'s job, not a side effect of `run`.
    const exact = summary.reliability.analytic !== null;
    const leverage = charts && exact ? await sensitivity({ ...spec, mortality: null }) : undefined;
    const files = await runFiles(summary, {
      charts,
      model: spec,
      leverage,
      meta: reportMeta(file),
      onWarning: chartWarning(io),
    });
    await report(summary, files, flags.out ?? join("output", slugify(spec.name)), flags.json === true, io);
    return 0;
  } finally {
    bar.stop();
  }
}

/** Writes the run's files and prints its summary (shared with `merge`). */
export async function report(
  summary: RunSummary,
  files: Record<string, string>,
  dir: string,
  json: boolean,
  io: Io,
): Promise<void> {
  await writeOutputs(dir, files);
  if (json) {
    io.out(JSON.stringify(summary, null, 2));
    return;
  }
  const where =
    "report.html" in files
      ? `Report: ${join(dir, "report.html")} · results in ${dir}/`
      : `Results written to ${dir}/`;
  io.out(`${formatRunSummary(summary, { color: io.interactive })}\n${where}`);
}

/** Chart warnings are worth seeing but never worth failing a run for. */
export function chartWarning(io: Io): (message: string) => void {
  return (message) => io.err(`warning: chart: ${message}`);
}

/** How the report's "model and method" section says this run can be reproduced. */
export function reportMeta(scenarioFile: string): RunFileOptions["meta"] {
  return {
    command: ["handoff-sim", ...process.argv.slice(2)].join(" "),
    scenarioFile,
    version: VERSION,
    generatedAt: new Date().toISOString(),
    platform: `Node.js ${process.versions.node} on ${process.platform} ${process.arch}`,
  };
}

// `handoff-sim run <scenario>`: simulate, write the run's files, print the summary. Flag parsing,
// one library call, writing and printing; what a run is and computes lives behind the API.
import { join } from "node:path";
import type { Command } from "commander";
import {
  type Assignment,
  formatRunSummary,
  leverage,
  OutputError,
  outputFileProblem,
  outputFolderProblem,
  preloadCharts,
  type RunFileOptions,
  type RunSummary,
  type RunWarning,
  run,
  runFiles,
  runShard,
  type Shard,
  slugify,
  traceRun,
  VERSION,
  writeFileAtomically,
  writeOutputs,
} from "../node.js";
import { type Io, UsageError } from "./io.js";
import { drawCount, patientCount, seedValue, shardOption, workerCount } from "./options.js";
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
  /** `--trace FILE`: every event of every journey, streamed to a CSV event log (forces one thread). */
  trace?: string;
  /** `--set path=value` changes (src/scenario/set.ts). */
  set?: Assignment[];
  /** false with --no-charts. */
  charts?: boolean;
  /** `--uncertainty N`: parameter sets drawn from the uncertain inputs. */
  uncertainty?: number;
  /** `--inner-patients N`: patients per parameter set (default: chosen by a pilot). */
  innerPatients?: number;
}

/** The flags `run`, `compare` and `sensitivity` share. */
export function addRunFlags(command: Command): Command {
  return command
    .option("--patients <n>", "journeys to simulate (overrides the scenario)", patientCount)
    .option("--seed <s>", "random seed (overrides the scenario)", seedValue)
    .option("--workers <n>", "worker threads (default: the number of cores)", workerCount)
    .option("--out <dir>", "where to write results (default: output/<scenario-slug>)")
    .option("--json", "print one JSON document on stdout instead of the summary")
    .option(
      "--uncertainty <n>",
      "draw N parameter sets from the uncertain inputs ({observed, of}, {beta}, {median, ci95}) and report their spread",
      drawCount,
    )
    .option("--inner-patients <n>", "patients per parameter set (default: chosen by a pilot)", patientCount);
}

export function registerRun(program: Command, io: Io, done: (status: number) => void): void {
  addSetFlag(addRunFlags(program.command("run")))
    .description("simulate a scenario and summarise the reliability of the whole journey")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--shard <k/n>", "run only shard K of N (with --partial)", shardOption)
    .option("--partial <file>", "write this shard's mergeable partial result to FILE")
    .option(
      "--trace <file>",
      "write every event of every journey to a CSV event log (docs/trace.md; runs in one thread)",
    )
    .option("--no-charts", "skip the charts and report.html (faster)")
    .addHelpText(
      "after",
      "\nExamples:\n  handoff-sim run scenarios/ami-baseline.yaml --patients 100000 --seed 7\n" +
        "  handoff-sim run scenarios/ami-baseline.yaml --shard 2/8 --partial part-2.json\n" +
        "  handoff-sim run scenarios/ami-baseline.yaml --patients 1000 --trace events.csv",
    )
    .action(async (file: string, flags: RunFlags) => done(await runCommand(file, flags, io)));
}

/** `--inner-patients` sets the patients per parameter set: without `--uncertainty` there are none. */
export function checkInnerPatients(flags: { uncertainty?: number; innerPatients?: number }): void {
  if (flags.innerPatients !== undefined && flags.uncertainty === undefined)
    throw new UsageError(
      "--inner-patients sets the patients per parameter set: it needs --uncertainty N (use --patients for a plain run)",
    );
}

export async function runCommand(file: string, flags: RunFlags, io: Io): Promise<number> {
  checkInnerPatients(flags);
  if ((flags.shard === undefined) !== (flags.partial === undefined)) {
    throw new UsageError("--shard and --partial go together: --shard K/N --partial FILE");
  }
  if (flags.uncertainty !== undefined && (flags.shard !== undefined || flags.trace !== undefined)) {
    throw new UsageError(
      "--uncertainty runs many parameter sets: it cannot be combined with --shard or --trace",
    );
  }
  if (flags.trace !== undefined && flags.shard !== undefined) {
    throw new UsageError("--trace traces a whole run: it cannot be combined with --shard");
  }
  checkOutputs(flags);
  const model = await loadForCommand(file, io, flags.set);
  // The chart libraries load while the run simulates (workers leave this thread idle).
  if (flags.charts !== false && flags.shard === undefined) preloadCharts();
  const bar = progressBar(io, "Simulating");
  const options = {
    patients: flags.patients,
    seed: flags.seed,
    workers: flags.workers,
    onProgress: bar.update,
    // An overloaded unit is told before the run starts; the rest as soon as the run ends.
    onWarning: (w: RunWarning) => {
      bar.stop();
      io.err(`warning: ${w.message}`);
    },
    uncertainty: flags.uncertainty,
    innerPatients: flags.innerPatients,
  };
  try {
    if (flags.shard !== undefined && flags.partial !== undefined) {
      const partial = await runShard(model, flags.shard, options);
      await writeFileAtomically(flags.partial, JSON.stringify(partial));
      io.err(`Shard ${flags.shard.k}/${flags.shard.n} written to ${flags.partial}`);
      return 0;
    }
    let summary: RunSummary;
    if (flags.trace === undefined) summary = await run(model, options);
    else {
      const traced = await traceRun(model, flags.trace, options);
      io.err(`Trace of ${traced.rows} events written to ${flags.trace}`);
      summary = traced.summary;
    }
    bar.stop();
    const charts = flags.charts !== false;
    const files = await runFiles(summary, {
      charts,
      leverage: charts ? await leverage(model) : null,
      meta: reportMeta(file),
      onWarning: chartWarning(io),
    });
    await report(summary, files, flags.out ?? join("output", slugify(model.name)), flags.json === true, io);
    return 0;
  } finally {
    bar.stop();
  }
}

/**
 * Refuses, before anything runs, outputs that would be written through a symbolic link or onto a
 * device or another kind of file (`--trace /dev/null` replaced the device with a regular file).
 */
export function checkOutputs(flags: { out?: string; trace?: string; partial?: string }): void {
  const problems = [
    flags.out === undefined ? null : outputFolderProblem(flags.out),
    flags.trace === undefined ? null : outputFileProblem(flags.trace),
    flags.partial === undefined ? null : outputFileProblem(flags.partial),
  ].filter((p) => p !== null);
  if (problems.length > 0) throw new OutputError(problems.join("; "));
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
  io.out(`${formatRunSummary(summary, { color: io.interactive })}\n${where(dir, files)}`);
}

/**
 * What a run's figures cannot be taken at face value for (guard stops, overload…), on stderr:
 * for the commands whose runs do not print them as they come (`merge`, `compare`).
 */
export function runWarnings(summary: RunSummary, io: Io, prefix = ""): void {
  for (const w of summary.warnings ?? []) io.err(`warning: ${prefix}${w.message}`);
}

/** Where the results went, the report first. */
export function where(dir: string, files: Record<string, string>): string {
  return "report.html" in files
    ? `Report: ${join(dir, "report.html")} · results in ${dir}/`
    : `Results written to ${dir}/`;
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

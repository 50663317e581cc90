// `handoff-sim merge FILE...`: combines shard partials into exactly what a single run gives.
import { join } from "node:path";
import type { Command } from "commander";
import { MergeError, mergePartials, readPartialFile, runFiles, slugify } from "../node.js";
import { type Io, UsageError } from "./io.js";
import { chartWarning, report, reportMeta, runWarnings } from "./run.js";

export function registerMerge(program: Command, io: Io, done: (status: number) => void): void {
  program
    .command("merge")
    .description("combine the partial results of `run --shard K/N --partial FILE` into one run's results")
    .argument("<partial...>", "partial result files, one per shard")
    .option("--out <dir>", "where to write results (default: output/<scenario-slug>)")
    .option("--json", "print one JSON document on stdout instead of the summary")
    .option("--no-charts", "skip the charts and report.html (faster)")
    .addHelpText("after", "\nExample:\n  handoff-sim merge part-*.json --json > merged.json")
    .action(async (files: string[], flags: { out?: string; json?: boolean; charts?: boolean }) => {
      // Each file is read (bounded) and checked whole (node/partial.ts), then the set as one run.
      let summary: ReturnType<typeof mergePartials>;
      try {
        summary = mergePartials(files.map(readPartialFile), files);
      } catch (error) {
        if (error instanceof MergeError) throw new UsageError(`cannot merge: ${error.message}`);
        throw error;
      }
      runWarnings(summary, io);
      const outputs = await runFiles(summary, {
        charts: flags.charts !== false,
        meta: reportMeta(files.join(" ")),
        onWarning: chartWarning(io),
      });
      await report(
        summary,
        outputs,
        flags.out ?? join("output", slugify(summary.scenario)),
        flags.json === true,
        io,
      );
      done(0);
    });
}

// `handoff-sim compare <baseline> [variant...]`: paired what-if comparison. Every scenario runs on
// the same patients with common random numbers; each variant is reported against the baseline.
import { join } from "node:path";
import type { Command } from "commander";
import { type Comparison, compareScenarios } from "../analysis/compare.js";
import type { ModelSpec } from "../model/spec.js";
import { defaultWorkers } from "../parallel/pool.js";
import { formatComparison } from "../report/compare.js";
import { slugify, writeOutputs } from "../report/files.js";
import { compareFiles } from "../report/outputs.js";
import { formatIssue, loadScenario } from "../scenario/load.js";
import type { Assignment } from "../scenario/set.js";
import { type Io, UsageError } from "./io.js";
import { progressBar } from "./progress.js";
import { addRunFlags, chartWarning, reportMeta } from "./run.js";
import { addSetFlag } from "./set.js";

export interface CompareFlags {
  patients?: number;
  seed?: number;
  workers?: number;
  out?: string;
  json?: boolean;
  set?: Assignment[];
  /** false with --no-charts. */
  charts?: boolean;
}

const HELP = `
Each variant is usually a file that \`extends\` the baseline and changes what differs. Every
scenario runs on the same patients with common random numbers (the same draws wherever the
models agree), so differences are paired: with arrivals, over the replications; without, over
40 batches of patients. The variant takes the baseline's patients, seed and replications.
--set applies to every variant; with no variant file, the variant is the baseline with the
--set changes. Results go to output/<baseline-slug>-compare/ (or --out): compare.json, compare.csv
and, unless --no-charts, the charts (*.vl.json, *.svg) and report.html.

Examples:
  handoff-sim compare scenarios/ami-baseline.yaml scenarios/ami-ipass.yaml
  handoff-sim compare scenarios/ami-baseline.yaml --set 'handoffs[ccu->telemetry].failures[med_list_lost].p=0.1'`;

export function registerCompare(program: Command, io: Io, done: (status: number) => void): void {
  const command = addRunFlags(program.command("compare"))
    .description("paired what-if comparison of variants with a baseline (common random numbers)")
    .argument("<baseline>", "baseline scenario file")
    .argument("[variants...]", "variant scenario files")
    .option("--no-charts", "skip the charts and report.html (faster)")
    .addHelpText("after", HELP);
  addSetFlag(command, "each variant").action(
    async (baseline: string, variants: string[], flags: CompareFlags) =>
      done(await compareCommand(baseline, variants, flags, io)),
  );
}

export async function compareCommand(
  baselineFile: string,
  variantFiles: string[],
  flags: CompareFlags,
  io: Io,
): Promise<number> {
  const sets = flags.set ?? [];
  if (variantFiles.length === 0 && sets.length === 0)
    throw new UsageError("compare needs a variant: a scenario file, or --set changes to the baseline");
  const load = scenarioLoader(io);
  const baseline = await load(baselineFile, []);
  const variants: ModelSpec[] = [];
  for (const file of variantFiles.length > 0 ? variantFiles : [baselineFile]) {
    variants.push(named(await load(file, sets), sets));
  }
  const bar = progressBar(io, "Comparing");
  let comparison: Comparison;
  try {
    comparison = await compareScenarios(baseline, variants, {
      patients: flags.patients,
      seed: flags.seed,
      workers: flags.workers ?? defaultWorkers(),
      progress: bar.update,
      warn: (message) => io.err(`warning: ${message}`),
    });
  } finally {
    bar.stop();
  }
  const dir = flags.out ?? join("output", `${slugify(baseline.name)}-compare`);
  const { scenarioFile, ...meta } = reportMeta(baselineFile);
  const files = await compareFiles(comparison, {
    charts: flags.charts !== false,
    meta: {
      ...meta,
      scenarioFiles: [scenarioFile, ...variants.map((_, i) => variantFiles[i] ?? baselineFile)],
    },
    onWarning: chartWarning(io),
  });
  await writeOutputs(dir, files);
  if (flags.json === true) io.out(JSON.stringify(comparison, null, 2));
  else io.out(`${formatComparison(comparison, { color: io.interactive })}\n${where(dir, files)}`);
  return 0;
}

/** Where the results went, the report first (as `run` says it). */
function where(dir: string, files: Record<string, string>): string {
  return "report.html" in files
    ? `Report: ${join(dir, "report.html")} · results in ${dir}/`
    : `Results written to ${dir}/`;
}

/**
 * Loads scenarios, printing each warning once: variants extend the baseline, so its warnings
 * would otherwise repeat for every file.
 */
function scenarioLoader(io: Io): (file: string, set: Assignment[]) => Promise<ModelSpec> {
  const printed = new Set<string>();
  return async (file, set) => {
    const { spec, warnings } = await loadScenario(file, { set });
    for (const w of warnings) {
      const text = formatIssue(w);
      if (!printed.has(text)) io.err(`warning: ${text}`);
      printed.add(text);
    }
    return spec;
  };
}

/** A variant made with --set says so in its name, so reports never show two scenarios alike. */
function named(spec: ModelSpec, sets: Assignment[]): ModelSpec {
  if (sets.length === 0) return spec;
  return { ...spec, name: `${spec.name} (--set ${sets.map((s) => s.text).join(", ")})` };
}

// `handoff-sim compare <baseline> [variant...]`: paired what-if comparison. Every scenario runs on
// the same patients with common random numbers; each variant is reported against the baseline.
import { join } from "node:path";
import type { Command } from "commander";
import {
  type Assignment,
  type Comparison,
  compare,
  compareFiles,
  formatComparison,
  loadComparison,
  slugify,
  writeOutputs,
} from "../node.js";
import { type Io, UsageError } from "./io.js";
import { amountValue } from "./options.js";
import { progressBar } from "./progress.js";
import {
  addRunFlags,
  chartWarning,
  checkInnerPatients,
  checkOutputs,
  reportMeta,
  runWarnings,
  where,
} from "./run.js";
import { printWarnings } from "./scenario.js";
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
  uncertainty?: number;
  innerPatients?: number;
  /** `--wtp AMOUNT`: willingness to pay per death avoided. */
  wtp?: number;
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
  handoff-sim compare scenarios/ami-baseline.yaml scenarios/ami-ipass.yaml --uncertainty 100 --wtp 1000000
  handoff-sim compare scenarios/ami-baseline.yaml --set 'handoffs[ccu->telemetry].failures[med_list_lost].p=0.1'`;

export function registerCompare(program: Command, io: Io, done: (status: number) => void): void {
  const command = addRunFlags(program.command("compare"))
    .description("paired what-if comparison of variants with a baseline (common random numbers)")
    .argument("<baseline>", "baseline scenario file")
    .argument("[variants...]", "variant scenario files")
    .option("--no-charts", "skip the charts and report.html (faster)")
    .option(
      "--wtp <amount>",
      "willingness to pay per death avoided, in the scenario's currency: the net monetary benefit",
      amountValue,
    )
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
  checkInnerPatients(flags);
  const set = flags.set ?? [];
  checkOutputs(flags);
  if (variantFiles.length === 0 && set.length === 0)
    throw new UsageError("compare needs a variant: a scenario file, or --set changes to the baseline");
  const scenarios = await loadComparison(baselineFile, variantFiles, { set });
  printWarnings(scenarios.warnings, io);
  const bar = progressBar(io, "Comparing");
  let comparison: Comparison;
  try {
    comparison = await compare(scenarios.baseline, scenarios.variants, {
      patients: flags.patients,
      seed: flags.seed,
      workers: flags.workers,
      onProgress: bar.update,
      warn: (message) => io.err(`warning: ${message}`),
      uncertainty: flags.uncertainty,
      innerPatients: flags.innerPatients,
      wtp: flags.wtp,
    });
  } finally {
    bar.stop();
  }
  for (const s of [comparison.baseline, ...comparison.variants.map((v) => v.summary)])
    runWarnings(s, io, `${s.scenario}: `);
  const dir = flags.out ?? join("output", `${slugify(scenarios.baseline.name)}-compare`);
  const { scenarioFile: _, ...meta } = reportMeta(baselineFile);
  const files = await compareFiles(comparison, {
    charts: flags.charts !== false,
    meta: { ...meta, scenarioFiles: scenarios.files },
    onWarning: chartWarning(io),
  });
  await writeOutputs(dir, files);
  if (flags.json === true) io.out(JSON.stringify(comparison, null, 2));
  else io.out(`${formatComparison(comparison, { color: io.interactive })}\n${where(dir, files)}`);
  return 0;
}

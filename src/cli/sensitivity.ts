// `handoff-sim sensitivity <scenario>`: the leverage ranking — every failure mode removed and
// halved, exact for reliability, simulated with common random numbers for mortality.
import { join } from "node:path";
import { type Command, InvalidArgumentError } from "commander";
import {
  AnalysisError,
  formatSensitivity,
  SENSITIVITY_PATIENTS,
  SENSITIVITY_RANKS,
  type Sensitivity,
  type SensitivityRank,
  sensitivity,
  sensitivityFiles,
  slugify,
  writeOutputs,
} from "../node.js";
import type { CompareFlags } from "./compare.js";
import { type Io, UsageError } from "./io.js";
import { progressBar } from "./progress.js";
import { addRunFlags, chartWarning, checkOutputs, reportMeta, where } from "./run.js";
import { loadForCommand } from "./scenario.js";
import { addSetFlag } from "./set.js";

const HELP = `
Reliability changes are exact (the Markov chain of the routing); mortality changes are
simulated with common random numbers on ${SENSITIVITY_PATIENTS.toLocaleString("en-US")} patients per variant
(fewer if the scenario has fewer; more with --patients). --rank deaths sorts by the deaths
each removal avoids (needs a mortality model). Results go to output/<scenario-slug>-sensitivity/
(or --out): sensitivity.json, sensitivity.csv and, unless --no-charts, the tornado chart
(leverage.vl.json, leverage.svg) and report.html.

Examples:
  handoff-sim sensitivity scenarios/ami-baseline.yaml --rank deaths
  handoff-sim sensitivity scenarios/ami-baseline.yaml --json > leverage.json`;

interface SensitivityFlags extends CompareFlags {
  rank?: SensitivityRank;
}

export function registerSensitivity(program: Command, io: Io, done: (status: number) => void): void {
  const command = addRunFlags(program.command("sensitivity"))
    .description("leverage ranking: the gain from removing or halving each failure mode")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--rank <by>", `sort by ${SENSITIVITY_RANKS.join(" or ")} (default reliability)`, parseRank)
    .option("--no-charts", "skip the chart and report.html (faster)")
    .addHelpText("after", HELP);
  addSetFlag(command).action(async (file: string, flags: SensitivityFlags) =>
    done(await sensitivityCommand(file, flags, io)),
  );
}

function parseRank(value: string): SensitivityRank {
  if (!(SENSITIVITY_RANKS as readonly string[]).includes(value))
    throw new InvalidArgumentError(`expected ${SENSITIVITY_RANKS.join(" or ")}.`);
  return value as SensitivityRank;
}

export async function sensitivityCommand(file: string, flags: SensitivityFlags, io: Io): Promise<number> {
  if (flags.innerPatients !== undefined)
    throw new UsageError(
      "sensitivity --uncertainty solves each parameter set exactly (no patients per set): --inner-patients does not apply",
    );
  checkOutputs(flags);
  const spec = await loadForCommand(file, io, flags.set ?? []);
  const bar = progressBar(io, "Ranking");
  let result: Sensitivity;
  try {
    result = await sensitivity(spec, {
      patients: flags.patients,
      seed: flags.seed,
      workers: flags.workers,
      rank: flags.rank,
      onProgress: bar.update,
      uncertainty: flags.uncertainty,
    });
  } catch (error) {
    if (error instanceof AnalysisError) throw new UsageError(`${file}: ${error.message}`);
    throw error;
  } finally {
    bar.stop();
  }
  if (flags.patients === undefined && result.patients > 0 && result.patients < spec.patients)
    io.err(
      `note: simulated ${SENSITIVITY_PATIENTS.toLocaleString("en-US")} patients per variant (the scenario has ${spec.patients.toLocaleString("en-US")}); use --patients for more`,
    );
  const dir = flags.out ?? join("output", `${slugify(spec.name)}-sensitivity`);
  const files = await sensitivityFiles(result, {
    charts: flags.charts !== false,
    meta: reportMeta(file),
    onWarning: chartWarning(io),
  });
  await writeOutputs(dir, files);
  if (flags.json === true) io.out(files["sensitivity.json"]!.trimEnd());
  else io.out(`${formatSensitivity(result, { color: io.interactive })}\n${where(dir, files)}`);
  return 0;
}

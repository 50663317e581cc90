// `handoff-sim sensitivity <scenario>`: the leverage ranking — every failure mode removed and
// halved, exact for reliability, simulated with common random numbers for mortality.
import { join } from "node:path";
import type { Command } from "commander";
import {
  formatSensitivity,
  SENSITIVITY_PATIENTS,
  type Sensitivity,
  sensitivity,
  sensitivityCsv,
  slugify,
  writeOutputs,
} from "../node.js";
import type { CompareFlags } from "./compare.js";
import type { Io } from "./io.js";
import { progressBar } from "./progress.js";
import { addRunFlags } from "./run.js";
import { loadForCommand } from "./scenario.js";
import { addSetFlag } from "./set.js";

const HELP = `
Reliability changes are exact (the Markov chain of the routing); mortality changes are
simulated with common random numbers on ${SENSITIVITY_PATIENTS.toLocaleString("en-US")} patients per variant
(fewer if the scenario has fewer; more with --patients). Results go to
output/<scenario-slug>-sensitivity/ (or --out): sensitivity.json, sensitivity.csv.

Example:
  handoff-sim sensitivity scenarios/ami-baseline.yaml --json > leverage.json`;

export function registerSensitivity(program: Command, io: Io, done: (status: number) => void): void {
  const command = addRunFlags(program.command("sensitivity"))
    .description("leverage ranking: the gain from removing or halving each failure mode")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .addHelpText("after", HELP);
  addSetFlag(command).action(async (file: string, flags: CompareFlags) =>
    done(await sensitivityCommand(file, flags, io)),
  );
}

export async function sensitivityCommand(file: string, flags: CompareFlags, io: Io): Promise<number> {
  const spec = await loadForCommand(file, io, flags.set ?? []);
  const bar = progressBar(io, "Ranking");
  let result: Sensitivity;
  try {
    result = await sensitivity(spec, {
      patients: flags.patients,
      seed: flags.seed,
      workers: flags.workers,
      onProgress: bar.update,
      uncertainty: flags.uncertainty,
    });
  } finally {
    bar.stop();
  }
  if (flags.patients === undefined && result.patients > 0 && result.patients < spec.patients)
    io.err(
      `note: simulated ${SENSITIVITY_PATIENTS.toLocaleString("en-US")} patients per variant (the scenario has ${spec.patients.toLocaleString("en-US")}); use --patients for more`,
    );
  const dir = flags.out ?? join("output", `${slugify(spec.name)}-sensitivity`);
  const json = JSON.stringify(result, null, 2);
  await writeOutputs(dir, { "sensitivity.json": `${json}\n`, "sensitivity.csv": sensitivityCsv(result) });
  if (flags.json === true) io.out(json);
  else io.out(`${formatSensitivity(result, { color: io.interactive })}\nResults written to ${dir}/`);
  return 0;
}

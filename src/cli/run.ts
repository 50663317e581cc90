// `handoff-sim run <scenario>`: simulate, print the summary (or JSON), write the output files.
import { join } from "node:path";
import { runModel } from "../analysis/run.js";
import { slugify, writeOutputs } from "../report/files.js";
import { runFiles } from "../report/outputs.js";
import { formatRunSummary } from "../report/terminal.js";
import type { Io } from "./io.js";
import { loadForCommand } from "./scenario.js";

export interface RunFlags {
  patients?: number;
  seed?: number;
  out?: string;
  json?: boolean;
}

export async function runCommand(file: string, flags: RunFlags, io: Io): Promise<number> {
  const spec = await loadForCommand(file, io);
  const summary = runModel(spec, { patients: flags.patients, seed: flags.seed });
  const dir = flags.out ?? join("output", slugify(spec.name));
  await writeOutputs(dir, runFiles(summary));
  if (flags.json) io.out(JSON.stringify(summary, null, 2));
  else io.out(`${formatRunSummary(summary, { color: io.interactive })}\nResults written to ${dir}/`);
  return 0;
}

// handoff-sim on Node.js: the package's "./node" export. Everything of "." (src/index.ts), plus what
// needs the file system or threads: scenario files, worker threads, atomic output files, the trace
// file, shards. `run`, `compare`, `sensitivity` and `explain` here run their units in worker
// threads by default (`workers`, default: the number of cores); results are identical for any count.

import {
  type CompareOptions,
  type Comparison,
  compare as compareIn,
  type Explanation,
  explain as explainIn,
  type Model,
  type RunOptions,
  type RunSummary,
  run as runIn,
  type Sensitivity,
  type SensitivityOptions,
  sensitivity as sensitivityIn,
} from "./index.js";
import { withWorkers } from "./node/pool.js";

export * from "./index.js";
export { drawPool } from "./node/draw-pool.js";
export {
  abandonWrites,
  MANIFEST,
  OutputError,
  outputFileProblem,
  outputFolderProblem,
  pendingTemporaries,
  slugify,
  writeFileAtomically,
  writeOutputs,
} from "./node/files.js";
export {
  type ComparisonFiles,
  checkScenarioFile,
  type FileCheck,
  type LoadOptions,
  loadComparison,
  loadScenarioFile,
} from "./node/load.js";
export { readPartialFile } from "./node/partial.js";
export { defaultWorkers, interruptUnits, withWorkers, workerPool } from "./node/pool.js";
export { MergeError, mergePartials, type PartialResult, runShard, type Shard } from "./node/shards.js";
export {
  type StudioServer,
  type StudioServerOptions,
  startStudioServer,
} from "./node/studio/server.js";
export { Workspace, WorkspaceError } from "./node/studio/workspace.js";
export { TraceFileWriter } from "./node/trace-file.js";
export { traceRun } from "./node/trace-run.js";
export type { CompareReportMeta } from "./report/html/compare-report.js";
export type { ReportMeta } from "./report/html/run-report.js";
export type { SensitivityReportMeta } from "./report/html/sensitivity-report.js";
export {
  type CompareFileOptions,
  compareFiles,
  preloadCharts,
  type RunFileOptions,
  runFiles,
  type SensitivityFileOptions,
  sensitivityFiles,
} from "./report/outputs.js";

/** `run` in worker threads (`workers`, default: the number of cores). */
export function run(model: Model, options: RunOptions = {}): Promise<RunSummary> {
  return runIn(model, withWorkers(options));
}

/** `compare` in worker threads. */
export function compare(
  baseline: Model,
  variants: Model[],
  options: CompareOptions = {},
): Promise<Comparison> {
  return compareIn(baseline, variants, withWorkers(options));
}

/** `sensitivity` in worker threads. */
export function sensitivity(model: Model, options: SensitivityOptions = {}): Promise<Sensitivity> {
  return sensitivityIn(model, withWorkers(options));
}

/** `explain` with its simulation in worker threads. */
export function explain(
  model: Model,
  options: RunOptions & { simulate?: boolean } = {},
): Promise<Explanation> {
  return explainIn(model, withWorkers(options));
}

// handoff-sim as a library: the package's "." export. Browser-safe — nothing reachable from here
// imports a Node built-in or touches `process` or `Buffer` (test/index.test.ts bundles it for the
// browser and runs it without them). What needs the file system or threads is in "./node"
// (src/node.ts). The command line (src/cli) is a caller of these functions. Reference: docs/api.md.
//
// In the order of the data flow:
//   scenario text → Model: parseScenario, checkScenario, scenarioJsonSchema, ScenarioError
//   Model → exact answer: exact
//   Model → simulation: run, units, simulateUnit (the executor seam), compare, sensitivity,
//     leverage, explain, story (one patient replayed, as typed JourneyEvents)
//   results → reports: runChartSpecs, compareChartSpecs, tellStory, explanationText,
//     formatRunSummary, formatComparison, formatSensitivity, the CSVs, the one formatting module
// (The exports below are sorted by module, as the linter keeps them.)

import type { ModelSpec } from "./model/spec.js";

/** The validated model: plain data, structured-clonable (it can be posted to a Web Worker), every time in minutes. */
export type Model = ModelSpec;

export {
  type CompareOptions,
  type Comparison,
  compareScenarios as compare,
  type Differences,
  type ModelChange,
  type Pairing,
  type VariantComparison,
} from "./analysis/compare.js";
export {
  type DrawExecutor,
  type DrawRequest,
  type DrawResult,
  simulateDraw,
} from "./analysis/draw.js";
export type {
  NetBenefit,
  Ratio,
  VariantEconomics,
} from "./analysis/economics.js";
export { type Exact, exact } from "./analysis/exact.js";
export { type Explanation, explain } from "./analysis/explain-data.js";
export { IHI_LEVELS, type ReliabilityLevel, reliabilityLevel } from "./analysis/ihi.js";
export { AnalysisError } from "./analysis/markov.js";
export {
  type RunOptions,
  run,
  simulateUnit,
  type TallyJSON,
  type Unit,
  type UnitExecutor,
  units,
} from "./analysis/run.js";
export {
  type LeverageEffect,
  type LeverageItem,
  leverage,
  SENSITIVITY_PATIENTS,
  SENSITIVITY_RANKS,
  type Sensitivity,
  type SensitivityItem,
  type SensitivityOptions,
  type SensitivityRank,
  sensitivity,
} from "./analysis/sensitivity.js";
export type * from "./analysis/summary.js";
export { MAX_DRAWS, MC_SHARE_TARGET, PILOT_DRAWS } from "./analysis/uncertainty.js";
export { CALENDAR_EPOCH_MS } from "./model/calendar.js";
export { SimulationError } from "./model/errors.js";
export type * from "./model/events.js";
export { EVENT_KINDS } from "./model/events.js";
export { InterruptedError } from "./model/interrupt.js";
export type {
  Arrivals,
  Background,
  CapacityShift,
  Distribution,
  FailureMode,
  Handoff,
  MaxWait,
  Metric,
  Microsystem,
  Milestone,
  ModeCondition,
  Mortality,
  PatientClass,
  Route,
  SharedResource,
  StaffedHours,
  TimeToTreatment,
} from "./model/spec.js";
export { DEFAULT_SEVERITY, SEVERITIES } from "./model/spec.js";
export {
  FIND_KINDS,
  type FindKind,
  type Story,
  type StoryDelay,
  StoryError,
  type StoryMetric,
  type StoryMode,
  type StoryOptions,
  type StoryPlace,
  type StoryRisk,
  story,
} from "./model/story.js";
export { WorkloadError } from "./model/workload.js";
export {
  type ChartEntry,
  compareChartSpecs,
  runChartSpecs,
  runCharts,
  sensitivityChartSpecs,
} from "./report/charts/index.js";
export { comparisonCsv, formatComparison } from "./report/compare.js";
export { elementsCsv, summaryCsv } from "./report/csv.js";
export { explanationText } from "./report/explain.js";
export {
  formatClock,
  formatCount,
  formatDuration,
  formatEstimate,
  formatInterval,
  formatNumber,
  formatPercent,
  formatTimestamp,
} from "./report/format.js";
export { formatSensitivity, sensitivityCsv } from "./report/sensitivity.js";
export { tellStory } from "./report/story.js";
export { formatRunSummary } from "./report/terminal.js";
export { TRACE_COLUMNS, traceHeader, traceRow } from "./report/trace.js";
export { describeModel, modelChanges } from "./scenario/changes.js";
export { scenarioJsonSchema } from "./scenario/format.js";
export { escapeControls, formatIssue } from "./scenario/issues.js";
export { MAX_PATIENTS, MAX_SHARDS, MAX_WORKERS } from "./scenario/limits.js";
export {
  checkScenario,
  type Finding,
  type ParseOptions,
  type ParseResult,
  parseScenario,
  parseScenarioText,
  ScenarioError,
} from "./scenario/parse.js";
export { type Assignment, parseAssignment, SET_SYNTAX, SetSyntaxError } from "./scenario/set.js";
export { starterScenario, starterScenarioJson } from "./scenario/starter.js";
export { VERSION } from "./version.js";

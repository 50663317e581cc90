// The one place the studio touches the library: everything it shows comes through here, from the
// browser-safe public API (src/index.ts) — the same functions the command line calls, so the page
// and the CLI agree to the bit. Plus the studio's own browser-safe helpers for editing YAML text
// (src/scenario/edit.ts, variant.ts), which the library does not have.
export {
  type Comparison,
  checkScenario,
  compare,
  compareChartSpecs,
  comparisonCsv,
  type Exact,
  type Explanation,
  elementsCsv,
  exact,
  explain,
  explanationText,
  type Finding,
  type FindKind,
  formatCount,
  formatDuration,
  formatInterval,
  formatPercent,
  type JourneyEvent,
  leverage,
  type Model,
  modelChanges,
  type RunSummary,
  run,
  runChartSpecs,
  type Story,
  scenarioJsonSchema,
  simulateUnit,
  story,
  summaryCsv,
  tellStory,
  type Unit,
  type UnitExecutor,
  VERSION,
} from "../../src/index.js";
export { capacityMicrosystems } from "../../src/report/capacity.js";
// The reports' own wording of a run's and a comparison's figures (the one formatting module, and
// the helpers the terminal and HTML reports format costs, utilisation and changes with), so the
// page reads exactly as `run` and `compare` print.
export {
  type CompareFigure,
  compareFigures,
  formatChange,
  formatLevel,
  unchanged,
  type Verdict,
  verdict,
} from "../../src/report/charts/compare-figures.js";
export { changeValue } from "../../src/report/compare.js";
export {
  durationUnit,
  formatDurationEstimate,
  formatDurationInEstimate,
  formatNumber,
  formatPercentEstimate,
  formatWaitP90,
  percentDecimals,
  validInterval,
} from "../../src/report/format.js";
export { utilizationCell } from "../../src/report/terminal.js";
export { amountInterval, formatAmount, ratioText } from "../../src/report/uncertainty.js";
export { patientsPerYear } from "../../src/report/volume.js";
export {
  type EditPath,
  type EditValue,
  flowText,
  formatEditPath,
  setValue,
  valueAt,
} from "../../src/scenario/edit.js";
export { type Change, makeVariant, scenarioChanges } from "../../src/scenario/variant.js";

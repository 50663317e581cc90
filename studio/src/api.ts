// The one place the studio touches the library: everything it shows comes through here, from the
// browser-safe public API (src/index.ts) — the same functions the command line calls, so the page
// and the CLI agree to the bit. Plus the studio's own browser-safe helpers for editing YAML text
// (src/scenario/edit.ts, variant.ts), which the library does not have.
export {
  type Comparison,
  checkScenario,
  compare,
  compareChartSpecs,
  type Exact,
  type Explanation,
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
  tellStory,
  type Unit,
  type UnitExecutor,
  VERSION,
} from "../../src/index.js";
export {
  type EditPath,
  type EditValue,
  flowText,
  formatEditPath,
  setValue,
  valueAt,
} from "../../src/scenario/edit.js";
export { type Change, makeVariant, scenarioChanges } from "../../src/scenario/variant.js";

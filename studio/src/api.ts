// The one place the studio touches the library: everything it shows comes through here, from the
// browser-safe public API (src/index.ts) — the same functions the command line calls, so the page
// and the CLI agree to the bit. Plus the studio's own browser-safe helpers for editing YAML text.

export {
  type EditPath,
  type EditValue,
  flowText,
  formatEditPath,
  setValue,
  valueAt,
} from "../../src/scenario/edit.js";
export { type Change, makeVariant, scenarioChanges } from "../../src/scenario/variant.js";
export {
  checkScenario,
  compare,
  compareChartSpecs,
  type Exact,
  exact,
  explain,
  type Finding,
  formatDuration,
  formatInterval,
  formatPercent,
  type Model,
  run,
  runChartSpecs,
  scenarioJsonSchema,
  simulateUnit,
  story,
  tellStory,
  type Unit,
  type UnitExecutor,
  VERSION,
} from "./interim/lib.js";

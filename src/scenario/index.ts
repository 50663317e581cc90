// Public API of the scenario format: load a file into a ModelSpec, or get the JSON Schema.

export {
  type ScenarioInput,
  scenarioJsonSchema,
} from "./format.js";
export { formatIssue, ScenarioError, type ScenarioIssue } from "./issues.js";
export { type LoadResult, loadScenario, loadScenarioText } from "./load.js";
export { parseProbability, parseTime } from "./units.js";

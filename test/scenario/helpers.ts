// Shared helpers of the scenario tests.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenarioText } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";

const here = path.dirname(fileURLToPath(import.meta.url));
export const GOOD = path.join(here, "../fixtures/scenarios");
export const BAD = path.join(here, "../fixtures/bad");

/** The formatted issues of a scenario that must be rejected (fails the test if it is accepted). */
export async function issuesOf(text: string, file = "s.yaml"): Promise<string[]> {
  return (await rejection(text, file)).format().split("\n");
}

/** The ScenarioError of a scenario that must be rejected. */
export async function rejection(text: string, file = "s.yaml"): Promise<ScenarioError> {
  try {
    await loadScenarioText(text, file);
  } catch (error) {
    if (error instanceof ScenarioError) return error;
    throw error;
  }
  throw new Error("the scenario was accepted but should have been rejected");
}

/** Lines joined with newlines: scenario texts whose line numbers are easy to read in a test. */
export function lines(...rows: string[]): string {
  return `${rows.join("\n")}\n`;
}

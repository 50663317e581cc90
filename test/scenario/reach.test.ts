import { describe, expect, it } from "vitest";
import { loadScenarioText } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/issues.js";

const scenario = (p: string) => `name: loop at the end
microsystems:
  - id: a
    time: 10 min
    failures: [{ id: redo, p: ${p}, goto: a }]
    next: []
`;

async function messages(text: string): Promise<string[]> {
  try {
    await loadScenarioText(text, "s.yaml");
    return [];
  } catch (error) {
    if (error instanceof ScenarioError) return error.issues.map((i) => i.message);
    throw error;
  }
}

describe("every journey can end", () => {
  it("a goto defect at the last step does not stop journeys from ending there", async () => {
    expect(await messages(scenario("0.1"))).toEqual([]);
  });

  it("a certain goto (p = 1, never caught) at the last step is a trap", async () => {
    expect(await messages(scenario("1"))).toEqual([
      expect.stringContaining("no end of the journey can be reached"),
    ]);
  });
});

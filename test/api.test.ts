// docs/api.md stays true: every name src/index.ts and src/node.ts export is in it, and the
// contract's names are exported (the studio codes against them).
import { readFileSync } from "node:fs";
import { dirname, join, normalize } from "node:path";
import { describe, expect, it } from "vitest";
import * as index from "../src/index.js";
import * as node from "../src/node.js";

/** Every name a module exports, following `export * from` (types included). */
function exportedNames(file: string, seen = new Set<string>()): string[] {
  if (seen.has(file)) return [];
  seen.add(file);
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  const declared =
    /^export\s+(?:declare\s+)?(?:async\s+)?(?:function|const|class|interface|type|let|enum)\s+([A-Za-z_$][\w$]*)/gm;
  for (const m of text.matchAll(declared)) out.push(m[1]!);
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\{([^}]*)\}/gm)) {
    for (const part of m[1]!.split(",")) {
      const name = part.trim().replace(/^type\s+/, "");
      if (name !== "") out.push(name.split(/\s+as\s+/).at(-1)!);
    }
  }
  for (const m of text.matchAll(/^export\s+(?:type\s+)?\*\s+from\s+"([^"]+)";/gm)) {
    out.push(...exportedNames(normalize(join(dirname(file), m[1]!.replace(/\.js$/, ".ts"))), seen));
  }
  return [...new Set(out)];
}

describe("docs/api.md", () => {
  const doc = readFileSync("docs/api.md", "utf8");
  const mentioned = (name: string): boolean => new RegExp(`\\b${name.replace("$", "\\$")}\\b`).test(doc);

  it("mentions every export of src/index.ts and src/node.ts", () => {
    const names = [...exportedNames("src/index.ts"), ...exportedNames("src/node.ts")];
    expect(names.length).toBeGreaterThan(100);
    expect(names.filter((n) => !mentioned(n))).toEqual([]);
  });

  it("finds the runtime exports by their declared names", () => {
    for (const name of Object.keys(index)) expect(exportedNames("src/index.ts"), name).toContain(name);
    for (const name of Object.keys(node)) {
      expect([...exportedNames("src/index.ts"), ...exportedNames("src/node.ts")], name).toContain(name);
    }
  });

  it("exports the contract's names (docs/api.md; the studio codes against them)", () => {
    const browser = [
      "parseScenario",
      "checkScenario",
      "scenarioJsonSchema",
      "ScenarioError",
      "exact",
      "units",
      "simulateUnit",
      "run",
      "compare",
      "sensitivity",
      "explain",
      "story",
      "runChartSpecs",
      "compareChartSpecs",
      "formatDuration",
      "formatPercent",
      "formatInterval",
      "tellStory",
      "VERSION",
    ];
    for (const name of browser)
      expect(typeof (index as Record<string, unknown>)[name], name).not.toBe("undefined");
    for (const name of ["loadScenarioFile", "workerPool", "run", "writeOutputs", "TraceFileWriter"])
      expect(typeof (node as Record<string, unknown>)[name], name).not.toBe("undefined");
    // node's run is its own (worker threads by default), not index's.
    expect(node.run).not.toBe(index.run);
  });
});

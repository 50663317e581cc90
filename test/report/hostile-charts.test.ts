// Charts from any ids and names a scenario may hold: JavaScript's property names (vega failed with
// "Operator not defined" on a text equal to `constructor`), U+2028 and other controls (an
// ILLEGAL token in a sort expression, invalid XML in an SVG), thousands of labels (a sort array
// became an expression nested 2,000 deep), and ids that differ only by case or `-`/`_` (their
// chart files overwrote each other).
import { describe, expect, it } from "vitest";
import { run } from "../../src/analysis/run.js";
import { leverage } from "../../src/analysis/sensitivity.js";
import { loadScenarioText } from "../../src/node/load.js";
import { chartSafe, chartText } from "../../src/report/charts/chart-text.js";
import { wrapLabel } from "../../src/report/charts/compare-layout.js";
import { wrap } from "../../src/report/explain.js";
import { runFiles } from "../../src/report/outputs.js";

const META = {
  command: "test",
  scenarioFile: "s.yaml",
  version: "test",
  generatedAt: "now",
  platform: "test",
};

async function files(text: string, patients = 300): Promise<Record<string, string>> {
  const { model } = await loadScenarioText(text, "s.yaml");
  const summary = await run(model, { patients });
  return runFiles(summary, {
    charts: true,
    leverage: await leverage(model),
    meta: META,
    onWarning: () => {},
  });
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: XML forbids these in an SVG
const FORBIDDEN = /[\u0000-\u0008\u000b\u001b\u2028\u202e]/;

const NAMES = ["__proto__", "constructor", "hasOwnProperty", "toString", "valueOf", "isPrototypeOf"];

describe("charts render whatever the ids and names", () => {
  it("JavaScript's property names as microsystem, mode and metric ids and names", {
    timeout: 60_000,
  }, async () => {
    const text = [
      "name: constructor",
      "microsystems:",
      ...NAMES.map(
        (id) =>
          `  - { id: ${id}, time: { median: 10 min, p90: 20 min }, failures: [{ id: ${id}, p: 0.05 }] }`,
      ),
      `metrics: [${NAMES.map((id) => `{ id: ${id}, from: journey.start, to: valueOf.end }`).join(", ")}]`,
      "",
    ].join("\n");
    const out = await files(text);
    expect(Object.keys(out).filter((n) => n.startsWith("metric-") && n.endsWith(".svg"))).toHaveLength(
      NAMES.length,
    );
    for (const [name, content] of Object.entries(out))
      if (name.endsWith(".svg")) expect(content).toMatch(/^<svg/);
    expect(out["cascade.svg"]).toContain("constructor");
  });

  it("U+2028, bidirectional overrides and control characters in names: valid XML, visible text", async () => {
    const text = [
      'name: "pathway\\u2028two"',
      "microsystems:",
      '  - { id: ed, name: "E\\u2028D\\e[31m", time: 10 min, failures: [{ id: f, name: "mode\\u2029x\\u202e", p: 0.1 }] }',
      '  - { id: ward, name: "Ward 😀 é 中文", time: { median: 10 min, p90: 20 min } }',
      'metrics: [{ id: m, name: "m\\u2028n", from: journey.start, to: ward.end }]',
      "",
    ].join("\n");
    const out = await files(text);
    for (const [name, content] of Object.entries(out))
      if (name.endsWith(".svg")) expect(content).not.toMatch(FORBIDDEN);
    expect(out["cascade.svg"]).toContain("Ward 😀 é 中文");
  });

  it("a chain of 1,000 microsystems: the cascade draws 2,000 labels", { timeout: 60_000 }, async () => {
    const lines = [
      "name: long chain",
      "handoff_defaults: { failures: [{ id: lost, p: 0.001 }] }",
      "microsystems:",
    ];
    for (let i = 0; i < 1000; i++)
      lines.push(`  - { id: m${i}, time: 1 min, failures: [{ id: f, p: 0.001 }] }`);
    const out = await files(`${lines.join("\n")}\n`, 100);
    expect(out["cascade.svg"]).toMatch(/^<svg/);
    expect(out["leverage.svg"]).toMatch(/^<svg/);
  });

  it("metric ids that differ by case or by - and _ get files of their own", async () => {
    const text = [
      "name: colliding metric ids",
      "microsystems: [{ id: a, time: 10 min }, { id: b, time: { median: 20 min, p90: 40 min } }]",
      "metrics:",
      "  - { id: door-to-b, from: journey.start, to: b.start }",
      "  - { id: door_to_b, from: journey.start, to: b.end }",
      "  - { id: Door_To_B, from: a.end, to: b.end }",
      "",
    ].join("\n");
    const names = Object.keys(await files(text)).filter(
      (n) => n.startsWith("metric-") && n.endsWith(".vl.json"),
    );
    expect(names).toHaveLength(3);
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(3);
    expect(names).toContain("metric-door-to-b.vl.json");
    for (const n of names) expect(n.length).toBeLessThanOrEqual(70);
  });
});

describe("text for charts, and wrapping, in linear time", () => {
  it("chartText: prototype names get a zero-width space, controls U+FFFD, separators a space", () => {
    expect(chartText("constructor")).toBe("constructor\u200b");
    expect(chartText("a constructor")).toBe("a constructor");
    expect(chartText("a\u2028b\u001bc\u202ed")).toBe("a b\ufffdcd");
    expect(chartSafe({ x: ["toString", 1, null] })).toEqual({ x: ["toString\u200b", 1, null] });
  });

  // A quadratic wrap would take hours on a million characters (the timeout fails it).
  it("wraps a million characters of spaces and arrows", { timeout: 10_000 }, () => {
    expect(wrap(`${" ".repeat(500_000)}${"a -> ".repeat(100_000)}`).length).toBeGreaterThan(1000);
    expect(wrapLabel(`${"-> ".repeat(300_000)}x`)).toContain("\n");
    expect(
      wrapLabel(`x${" ".repeat(1_000_000)}y`)
        .split("\n")
        .at(-1),
    ).toBe("y");
    expect(wrapLabel("Door to balloon within ninety minutes", 20)).toBe(
      "Door to balloon\nwithin ninety minutes",
    );
  });
});

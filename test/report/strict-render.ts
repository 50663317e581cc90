import { expect } from "vitest";
import type { ChartEntry } from "../../src/report/charts/index.js";
import { renderSvg } from "../../src/report/render.js";

/** Renders a chart and fails on any warning vega-lite or vega reports. */
export async function render(entry: ChartEntry): Promise<string> {
  const warnings: string[] = [];
  const svg = await renderSvg(entry.spec, (w) => warnings.push(w));
  expect(warnings, `${entry.name}: warnings`).toEqual([]);
  return svg;
}

// The page every HTML report shares: one self-contained document with inline CSS and SVG only — no
// script, font, image or stylesheet from anywhere — so it opens offline and cannot phone home; and
// the pieces the reports build it from (tables, cells, the chart figures).
import { slug } from "../charts/axis.js";
import { escapeHtml, type Html, html, type Part, raw } from "./escape.js";

/** A rendered chart as the report shows it. */
export interface ReportChart {
  /** Unique name (the file stem); also scopes the SVG's internal ids. */
  name: string;
  title: string;
  svg: string;
  /** How to read it; shown under the chart. */
  caption?: string;
}

/**
 * Several SVGs share one document, so their internal ids (clip paths, gradients) must not collide:
 * prefix every id and every reference to one with the chart's name. Also drops an XML prolog.
 */
export function scopeSvg(svg: string, name: string, title: string): string {
  const prefix = `${slug(name)}-`;
  return svg
    .replace(/^<\?xml[^>]*\?>\s*/, "")
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}${id})`)
    .replace(/\bhref="#([^"]+)"/g, (_, id: string) => `href="#${prefix}${id}"`)
    .replace(/^<svg\b/, `<svg role="img" aria-label="${escapeHtml(title)}"`);
}

/** A table; `numeric` lists the columns whose values are right-aligned numbers. */
export function table(headers: string[], rows: Html[], numeric: number[]): Html {
  const head = headers.map(
    (h, i) => html`<th scope="col"${raw(numeric.includes(i) ? ' class="num"' : "")}>${h}</th>`,
  );
  return html`<div class="table-wrap"><table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

/** A table cell: text left, numbers right-aligned. */
export function cell(value: Part, numeric = false): Html {
  return numeric ? html`<td class="num">${value}</td>` : html`<td>${value}</td>`;
}

/** The charts, each in a figure with its caption (shared with the compare report). */
export function chartSection(list: ReportChart[]): Html | null {
  if (list.length === 0) return null;
  const figures = list.map(
    (c) => html`<figure class="chart" id="chart-${slug(c.name)}" data-chart="${c.name}">
    ${raw(scopeSvg(c.svg, c.name, c.title))}
    ${c.caption === undefined ? null : html`<figcaption>${c.caption}</figcaption>`}
  </figure>`,
  );
  return html`<section id="charts" aria-labelledby="charts-title">
  <h2 id="charts-title">Charts</h2>
  <div class="charts">${figures}</div>
</section>`;
}

// Style: calm, high contrast, large type for a wall or projector; locally installed fonts only.

export const REPORT_CSS = `
:root {
  --ink: #1f2a35; --muted: #5f6b76; --line: #d9dee3; --soft: #f4f6f8; --accent: #1f5f8b; --warn: #9a3412;
  color-scheme: light;
}
* { box-sizing: border-box; }
html { font-size: 17px; }
body {
  margin: 0; background: #fff; color: var(--ink); line-height: 1.5;
  font-family: "DejaVu Sans", "Segoe UI", "Helvetica Neue", Arial, sans-serif;
  font-variant-numeric: tabular-nums;
}
main { max-width: 1180px; margin: 0 auto; padding: 2.5rem 2rem 4rem; }
h1 { font-size: 2rem; line-height: 1.2; margin: 0.2rem 0 0.6rem; }
h2 { font-size: 1.35rem; margin: 3rem 0 1rem; padding-bottom: 0.35rem; border-bottom: 2px solid var(--ink); }
h3 { font-size: 1.05rem; margin: 1.8rem 0 0.6rem; }
p { margin: 0.5rem 0; max-width: 72ch; }
code { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 0.88em;
  background: var(--soft); padding: 0.05em 0.3em; border-radius: 3px; }
code.command { display: inline-block; white-space: pre-wrap; word-break: break-all; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 0.75rem; color: var(--muted); margin: 0; }
.lede { font-size: 1.1rem; color: var(--ink); }
.meta { color: var(--muted); font-size: 0.88rem; max-width: none; }
.masthead { border-bottom: 1px solid var(--line); padding-bottom: 1rem; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(15rem, 1fr)); gap: 1rem; }
.figure { border: 1px solid var(--line); border-top: 4px solid var(--accent); border-radius: 4px;
  padding: 0.8rem 1rem; background: #fff; }
.figure-label { margin: 0; color: var(--muted); font-size: 0.85rem; }
.figure-value { margin: 0.15rem 0; font-size: 2rem; font-weight: bold; line-height: 1.2; }
.figure-note { margin: 0; color: var(--muted); font-size: 0.8rem; }
.warning { border-left: 4px solid var(--warn); background: #fff7ed; padding: 0.6rem 1rem; }
.charts { display: grid; grid-template-columns: 1fr; gap: 2rem; }
figure.chart { margin: 0; padding: 1rem; border: 1px solid var(--line); border-radius: 4px; background: #fff; }
figure.chart svg { display: block; width: 100%; max-width: 980px; height: auto; margin: 0 auto; }
figcaption { color: var(--muted); font-size: 0.88rem; margin-top: 0.6rem; max-width: 80ch; }
.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; }
th, td { text-align: left; vertical-align: top; padding: 0.45rem 0.6rem; border-bottom: 1px solid var(--line); }
thead th { border-bottom: 2px solid var(--ink); font-weight: bold; white-space: nowrap; }
tbody th { font-weight: normal; }
tbody tr:nth-child(even) { background: var(--soft); }
.num { text-align: right; white-space: nowrap; }
.id { color: var(--muted); font-size: 0.8em; font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; }
.quiet { color: var(--muted); }
ul.modes { margin: 0; padding-left: 1.1rem; }
dl.facts { display: grid; grid-template-columns: 11rem 1fr; gap: 0.4rem 1rem; margin: 0.5rem 0; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
@media (min-width: 1500px) {
  html { font-size: 18px; }
  main { max-width: 1500px; }
  .charts { grid-template-columns: 1fr 1fr; }
}
@media print {
  html { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 1.5rem; }
  figure.chart, .figure, tr { break-inside: avoid; }
  figure.chart { border: none; padding: 0; }
  .table-wrap { overflow: visible; }
  tbody tr:nth-child(even) { background: none; }
}
`;

// ---------------------------------------------------------------------------------------------

/**
 * One self-contained HTML document: inline CSS, no script, nothing loaded from anywhere. Every
 * value in `title` and `sections` is escaped by the `html` template.
 */
export function htmlPage(title: string, css: string, version: string, sections: (Html | null)[]): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="handoff-sim ${version}">
<title>${title}</title>
<style>${raw(css)}</style>
</head>
<body>
<main>
${sections}
</main>
</body>
</html>
`.value;
}

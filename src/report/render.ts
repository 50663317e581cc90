// Vega-Lite → Vega → SVG on the server (no browser), and SVG → PNG for looking at a chart.
// vega and vega-lite load lazily (~250 ms together) so runs with --no-charts never pay for them.
import { createRequire } from "node:module";
import type { LoggerInterface, Spec as VegaSpec } from "vega";
import type { TopLevelSpec } from "vega-lite";
import type { ChartEntry } from "./charts/types.js";

type VegaModule = typeof import("vega");
type VegaLiteModule = typeof import("vega-lite");

/** vega exports its text measurer but its typings leave it out. */
interface VegaTextMetrics {
  textMetrics: { width: (item: TextItem, text: unknown) => number };
}

let libraries: Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> | undefined;

function loadLibraries(): Promise<{ vega: VegaModule; vegaLite: VegaLiteModule }> {
  libraries ??= Promise.all([import("vega"), import("vega-lite")]).then(([vega, vegaLite]) => {
    // Without a canvas, vega guesses every glyph at 0.8 em: labels get cut at half their room and
    // layouts leave wide gaps. Measure with DejaVu Sans's real advance widths instead (the only
    // font here, and the one the SVG asks for), as vl-convert does with its own metrics.
    (vega as unknown as VegaTextMetrics).textMetrics.width = measureText;
    return { vega, vegaLite };
  });
  return libraries;
}

// Advance widths (1/1000 em) of DejaVu Sans Book and Bold for U+0020…U+007E, read from the fonts.
const REGULAR =
  "318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636," +
  "337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,557,863,748,787,603,787,695,635," +
  "611,732,684,989,685,611,685,390,337,390,838,500,500,613,635,550,635,615,352,635,634,278,278,579,278,974," +
  "634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838";
const BOLD =
  "348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696," +
  "400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,637,995,837,850,733,850,770,720," +
  "682,812,774,1103,771,724,725,457,365,457,838,500,500,675,716,593,716,678,435,716,712,343,343,665,343,1042," +
  "712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838";
const ADVANCE = { regular: REGULAR.split(",").map(Number), bold: BOLD.split(",").map(Number) };
/** A few non-ASCII characters the charts use; anything else counts as an average glyph. */
const WIDE: Record<string, number> = {
  "→": 838,
  "−": 838,
  "×": 838,
  "—": 1000,
  "…": 1000,
  "–": 500,
  "·": 318,
};

/** Width in px of one line of text in DejaVu Sans. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? ADVANCE.bold : ADVANCE.regular;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += (code >= 32 && code < 127 ? table[code - 32] : WIDE[ch]) ?? (bold ? 680 : 620);
  }
  return (units * fontSize) / 1000;
}

interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/** vega's text-width hook: the width as drawn, so capped at the item's truncation limit. */
function measureText(item: TextItem, text: unknown): number {
  const size = item.fontSize ?? 11;
  const weight = item.fontWeight;
  const bold = weight === "bold" || weight === "bolder" || (typeof weight === "number" && weight >= 600);
  const width = textWidth(text == null ? "" : String(text).trim(), size, bold);
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}

/**
 * A logger that hands every warning and error to `sink` instead of the console: the report must
 * not print library chatter, and tests fail on any warning. Closures, not a class: vega calls the
 * methods detached from the object.
 */
function collectingLogger(sink: WarningSink): LoggerInterface {
  let current = 2;
  const text = (args: unknown[]) => args.map((a) => (a instanceof Error ? a.message : String(a))).join(" ");
  const logger = {
    level(value?: number) {
      if (value === undefined) return current;
      current = value;
      return logger;
    },
    error(...args: unknown[]) {
      sink(`error: ${text(args)}`);
      return logger;
    },
    warn(...args: unknown[]) {
      sink(`warning: ${text(args)}`);
      return logger;
    },
    info: () => logger,
    debug: () => logger,
  };
  return logger as LoggerInterface;
}

/** Called with each warning vega-lite or vega reports while compiling or rendering. */
export type WarningSink = (message: string) => void;

/** Compiles a Vega-Lite spec to a Vega spec. */
export async function compileChart(spec: TopLevelSpec, onWarning: WarningSink = () => {}): Promise<VegaSpec> {
  const { vegaLite } = await loadLibraries();
  return vegaLite.compile(spec, { logger: collectingLogger(onWarning) }).spec;
}

/** Renders a Vega-Lite spec to a standalone SVG document (a string starting with `<svg`). */
export async function renderSvg(spec: TopLevelSpec, onWarning: WarningSink = () => {}): Promise<string> {
  const { vega } = await loadLibraries();
  const compiled = await compileChart(spec, onWarning);
  // The specs carry their data inline; a loader that refuses everything guarantees that rendering
  // never reaches for the network or the disk.
  const loader = vega.loader();
  loader.load = () => Promise.reject(new Error("charts must carry their data inline"));
  const view = new vega.View(vega.parse(compiled), {
    renderer: "none",
    loader,
    logger: collectingLogger(onWarning),
  });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** A chart with its SVG: what `report.html` takes, and what `run` writes as `<name>.svg`. */
export type RenderedChart = ChartEntry & { svg: string };

/** Renders each chart to SVG, in order (vega loads once, on the first). */
export async function renderCharts(
  entries: ChartEntry[],
  onWarning: WarningSink = () => {},
): Promise<RenderedChart[]> {
  const out: RenderedChart[] = [];
  for (const entry of entries) out.push({ ...entry, svg: await renderSvg(entry.spec, onWarning) });
  return out;
}

interface ResvgModule {
  Resvg: typeof import("@resvg/resvg-js").Resvg;
}

/**
 * Rasterises an SVG to PNG at twice its size (for people to look at, not for the report).
 * resvg is a dev dependency, loaded here on first use with a synchronous require.
 */
export function svgToPng(svg: string, zoom = 2): Uint8Array {
  const require = createRequire(import.meta.url);
  const { Resvg } = require("@resvg/resvg-js") as ResvgModule;
  const resvg = new Resvg(svg, {
    background: "white",
    fitTo: { mode: "zoom", value: zoom },
    // Only DejaVu is installed; vega writes generic families, so map them onto it.
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
  });
  return resvg.render().asPng();
}

// Vega-Lite → Vega → SVG, without a browser (vega's "none" renderer): the SVGs of the run and
// compare reports. vega and vega-lite load lazily (~250 ms together) so runs with --no-charts never
// pay for them.
import type { LoggerInterface, Spec as VegaSpec } from "vega";
import type { TopLevelSpec } from "vega-lite";
import { measureText, type TextItem } from "./charts/text-width.js";
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

/**
 * Starts loading vega and vega-lite now, so a run that will draw charts loads them while it
 * simulates (in worker threads the main thread is idle meanwhile) instead of after. A failure is
 * not lost: rendering loads them again and reports it.
 */
export function preloadCharts(): void {
  loadLibraries().catch(() => {
    libraries = undefined;
  });
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

// SVG → PNG, for people to look at a chart (not part of any report). resvg is a dev dependency,
// loaded on first use with a synchronous require.
import { createRequire } from "node:module";

interface ResvgModule {
  Resvg: typeof import("@resvg/resvg-js").Resvg;
}

/** Rasterises an SVG to PNG at twice its size. */
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

import type { TopLevelSpec } from "vega-lite";

/** One chart of a report: a Vega-Lite spec plus the words the HTML report puts around it. */
export interface ChartEntry {
  /** File-name stem: `<name>.vl.json`, `<name>.svg`. Unique within a report. */
  name: string;
  /** Short title (also drawn inside the chart, so a saved SVG stands alone). */
  title: string;
  /** One or two sentences on how to read the chart, for the report's caption. */
  caption: string;
  spec: TopLevelSpec;
}

// Building blocks of a spec, typed so that a layer or panel built in its own function is checked
// where it is written. Derived from TopLevelSpec: vega-lite exports the named types only as unstable.
type LayeredSpec = Extract<TopLevelSpec, { layer: unknown }>;
type HConcatSpec = Extract<TopLevelSpec, { hconcat: unknown }>;
/** One layer of a layered chart. */
export type LayerChild = LayeredSpec["layer"][number];
/** One panel of a side-by-side chart. */
export type Panel = HConcatSpec["hconcat"][number];

// One interactive Vega-Lite chart: the same spec the report renders to SVG, here drawn live with
// tooltips. Vega runs with its expression interpreter (no eval, so the page's CSP can forbid it),
// and the action menu offers only local exports (no "open in editor" link to another site).
import { useEffect, useRef } from "preact/hooks";
import embed, { type Result } from "vega-embed";
import { expressionInterpreter } from "vega-interpreter";

/**
 * The report's spec with tooltips on every mark (the report's SVGs have none to show): the fields a
 * mark encodes, with their titles and formats, appear on hover.
 */
export function withTooltips(spec: object, name = "chart"): object {
  const s = spec as { config?: { mark?: object }; description?: string; title?: unknown };
  // Vega names its SVG by the spec's description (aria-label): a chart must have a text alternative.
  const title = typeof s.title === "string" ? s.title : (s.title as { text?: unknown } | undefined)?.text;
  const description =
    s.description ??
    (typeof title === "string" ? title : Array.isArray(title) ? title.join(" ") : `Chart: ${name}`);
  return {
    ...s,
    description,
    config: { ...s.config, mark: { tooltip: { content: "encoding" }, ...s.config?.mark } },
  };
}

/**
 * Names each group of marks Vega drew without one (a layer's rules, say) after the chart and the
 * mark's kind: a screen reader announces the group, and axe's svg-img-alt asks for a name.
 */
function nameMarkGroups(root: HTMLElement, chart: string): void {
  for (const group of root.querySelectorAll('[aria-roledescription$="mark container"]:not([aria-label])'))
    group.setAttribute(
      "aria-label",
      `${chart}: ${group.getAttribute("aria-roledescription")?.replace(" container", "s")}`,
    );
}

export function Chart({ name, spec }: { name: string; spec: object }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let result: Result | null = null;
    let cancelled = false;
    if (ref.current === null) return;
    embed(ref.current, withTooltips(spec, name) as never, {
      ast: true,
      expr: expressionInterpreter,
      renderer: "svg",
      tooltip: true,
      actions: { export: true, source: false, compiled: false, editor: false },
      // Charts have no external data: refuse any URL a spec might carry.
      loader: {
        load: () => Promise.reject(new Error("no external data")),
        sanitize: () => Promise.reject(new Error("no external data")),
      } as never,
    })
      .then((r) => {
        if (cancelled) r.finalize();
        else result = r;
        if (ref.current === null) return;
        nameMarkGroups(ref.current, (withTooltips(spec, name) as { description: string }).description);
        // The actions menu's button is an icon: give it a name.
        ref.current
          .querySelector("details > summary")
          ?.setAttribute("aria-label", `Save or export the chart ${name}`);
      })
      .catch((error: unknown) => {
        if (ref.current)
          ref.current.textContent = `chart ${name}: ${error instanceof Error ? error.message : String(error)}`;
      });
    return () => {
      cancelled = true;
      result?.finalize();
    };
  }, [spec, name]);
  return <div class="chart" data-chart={name} ref={ref} />;
}

// The page's two live processes, as Preact hooks: checking the text as it changes (validator and
// exact analysis, debounced), and running the simulation in the worker pool (progress, cancel).
import type { RefObject } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { leverage, type Model, type RunSummary, run, runChartSpecs } from "./api.js";
import type { YamlEditor } from "./editor/yaml-editor.js";
import type { StudioFile } from "./files.js";
import type { Host } from "./host.js";
import { normalizePath } from "./paths.js";
import type { WorkerPool } from "./pool.js";
import { type Checked, checkText } from "./scenario-state.js";

/** A pause this long in typing re-checks the text (the check itself takes milliseconds). */
const DEBOUNCE_MS = 60;

/** Timings for the benchmark (bench/studio.ts) and the browser test. */
function timing(): Record<string, number> {
  const global = window as unknown as { __studio?: Record<string, number> };
  global.__studio ??= {};
  return global.__studio;
}

/**
 * The check of `text`, and the last valid model and exact figures: those stay on screen (marked
 * stale) while the text has problems — typing a word makes the file invalid for a moment, and the
 * map should not flicker. The editor shows this file's findings inline.
 */
export function useChecked(
  text: string,
  file: StudioFile | undefined,
  host: Host,
  editor: RefObject<YamlEditor | null>,
): { checked: Checked | null; lastModel: Model | null; lastExact: Checked["exact"] } {
  const [checked, setChecked] = useState<Checked | null>(null);
  const [last, setLast] = useState<{ model: Model | null; exact: Checked["exact"] }>({
    model: null,
    exact: null,
  });
  useEffect(() => {
    if (file === undefined) return;
    const timer = setTimeout(() => {
      const result = checkText(text, file.name, host.files);
      setChecked(result);
      if (result.model !== null) setLast({ model: result.model, exact: result.exact });
      const t = timing();
      if (t.firstExactMs === undefined && result.exact !== null) {
        t.firstExactMs = performance.now(); // ms since navigation started
        t.checkMs = result.ms;
      }
      t.lastCheckMs = result.ms;
      const mine = (f: { file: string }) => normalizePath(f.file) === normalizePath(file.name);
      editor.current?.showFindings(result.findings.filter(mine), result.warnings.filter(mine));
    }, DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, file?.key]);
  return { checked, lastModel: last.model, lastExact: last.exact };
}

export interface RunState {
  status: "idle" | "running" | "done" | "error" | "cancelled";
  done: number;
  total: number;
  summary?: RunSummary;
  model?: Model;
  charts?: Record<string, object>;
  /** Wall time of the run in the page, simulation and summary. */
  ms?: number;
  error?: string;
}

const IDLE: RunState = { status: "idle", done: 0, total: 0 };

/** A run of the library's `run` in the worker pool; a new run cancels the one under way. */
export function useRun(pool: WorkerPool) {
  const [state, setState] = useState<RunState>(IDLE);
  const abort = useRef<AbortController | null>(null);
  const start = async (model: Model, patients?: number) => {
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    const began = performance.now();
    setState({ status: "running", done: 0, total: 0 });
    try {
      const summary = await run(model, {
        patients,
        executeUnits: pool.execute,
        signal: controller.signal,
        onProgress: (done, total) => setState((s) => ({ ...s, done, total })),
      });
      const ms = performance.now() - began;
      // The tornado chart ranks failure modes by their exact effect, as `run` does: analytic, fast.
      const charts = runChartSpecs(summary, { leverage: await leverage(model) });
      setState({ status: "done", done: 1, total: 1, summary, model, charts, ms });
    } catch (error) {
      const cancelled = controller.signal.aborted;
      setState({
        ...IDLE,
        status: cancelled ? "cancelled" : "error",
        error: cancelled ? "Run cancelled." : error instanceof Error ? error.message : String(error),
      });
    }
  };
  return { state, start, cancel: () => abort.current?.abort(), reset: () => setState(IDLE) };
}

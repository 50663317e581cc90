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

/**
 * A pause this long in typing re-checks the text: the check takes 10–25 ms for the AMI scenario
 * (about 0.1 s the very first time, at load, while the JavaScript engine compiles the parser); a
 * pause keeps fast typing from checking every keystroke. A form edit is checked at once
 * (checkNow), and a file just opened too. (Checking the loaded text a few more times while the page
 * was idle, to have the code compiled before the first edit, did not make the first edit faster:
 * measured with bench/studio.ts, see docs/studio.md, "Speed".)
 */
const DEBOUNCE_MS = 40;

/** Timings for the benchmark (bench/studio.ts) and the browser test. */
function timing(): Record<string, number | undefined> {
  const global = window as unknown as { __studio?: Record<string, number | undefined> };
  global.__studio ??= {};
  return global.__studio;
}

/** When the user changed the text (a form value applied, a key typed): the start of an update. */
export function markEdit(): void {
  timing().editStart = performance.now();
}

/** An edit that changed nothing after all (the form refused the value). */
export function unmarkEdit(): void {
  timing().editStart = undefined;
}

/**
 * The check of `text`, and the last valid model and exact figures: those stay on screen (marked
 * stale) while the text has problems — typing a word makes the file invalid for a moment, and the
 * map should not flicker. The editor shows this file's findings inline. `checkNow` checks a text at
 * once (a form edit); otherwise a text is checked after a pause in typing.
 */
export function useChecked(
  text: string,
  file: StudioFile | undefined,
  host: Host,
  editor: RefObject<YamlEditor | null>,
): {
  checked: Checked | null;
  lastModel: Model | null;
  lastExact: Checked["exact"];
  checkNow: (text: string) => void;
} {
  const [checked, setChecked] = useState<Checked | null>(null);
  const [last, setLast] = useState<{ model: Model | null; exact: Checked["exact"] }>({
    model: null,
    exact: null,
  });
  /** The file and text last checked: the pause's check of a text checked at once is skipped. */
  const done = useRef<string | null>(null);
  const check = (next: string) => {
    if (file === undefined) return;
    done.current = `${file.key}\u0000${next}`;
    const result = checkText(next, file.name, host.files);
    setChecked(result);
    if (result.model !== null) setLast({ model: result.model, exact: result.exact });
    const t = timing();
    if (t.firstExactMs === undefined && result.exact !== null) {
      t.firstExactMs = performance.now(); // ms since navigation started
      t.checkMs = result.ms;
    }
    t.lastCheckMs = result.ms;
    t.checks = (t.checks ?? 0) + 1;
    const mine = (f: { file: string }) => normalizePath(f.file) === normalizePath(file.name);
    editor.current?.showFindings(result.findings.filter(mine), result.warnings.filter(mine));
  };
  useEffect(() => {
    if (file === undefined || done.current === `${file.key}\u0000${text}`) return;
    // A file just opened is checked at once (nobody is typing yet); typing, after a pause.
    const opened = !done.current?.startsWith(`${file.key}\u0000`);
    const timer = setTimeout(() => check(text), opened ? 0 : DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, file?.key]);
  // The figure of an edit is on screen (effects run after the browser has painted): its latency.
  useEffect(() => {
    const t = timing();
    if (checked === null || t.editStart === undefined) return;
    t.lastUpdateMs = performance.now() - t.editStart;
    t.editStart = undefined;
  }, [checked]);
  return { checked, lastModel: last.model, lastExact: last.exact, checkNow: check };
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

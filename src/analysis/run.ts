// One run of a scenario: simulate its units of work, analyse exactly where the math allows,
// summarise. Where the units run is not decided here: the caller passes an `executeUnits` function
// (src/node.ts plugs in worker threads); by default they run in this thread, one after the other,
// yielding to the event loop between units so a page stays responsive and an abort or Ctrl-C is
// heard within one unit's time. Whatever order units come back in, their tallies are merged in
// unit order, so the result is identical to the bit for any executor.
import { type CompiledModel, compile } from "../model/compiled.js";
import type { JourneyMonitor } from "../model/events.js";
import {
  type Overrides,
  runUnit,
  simulate,
  type Unit,
  units as unitsOf,
  withOverrides,
} from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { Tally, type TallyJSON, tallyFromJSON, tallyToJSON } from "../model/tally.js";
import { resolveWarmup, type WarmupChoice } from "../model/warmup.js";
import { type Analysis, AnalysisError, analyze } from "./analytic.js";
import { costPerPatient, hasCosts } from "./costs.js";
import type { DrawExecutor } from "./draw.js";
import { offeredLoad, overloadWarnings } from "./load.js";
import { type RunContext, summarize } from "./summarize.js";
import type { RunSummary, RunWarning } from "./summary.js";
import { runUncertainty } from "./uncertainty.js";

export type { Unit } from "../model/simulate.js";
export type { TallyJSON } from "../model/tally.js";

/**
 * Runs `units` of `model` and calls `onUnit` once per unit with its tally, in any order, then
 * resolves. Rejects (with an AbortError) when `signal` aborts. An executor may also report how far
 * a unit under way has got (`onUnitProgress(unit, share done)`), so progress moves within long units.
 */
export type UnitExecutor = (
  model: ModelSpec,
  units: Unit[],
  onUnit: (unit: Unit, tally: TallyJSON) => void,
  signal?: AbortSignal,
  onUnitProgress?: (unit: Unit, fraction: number) => void,
) => Promise<void>;

export interface RunOptions extends Overrides {
  /**
   * Parameter sets to draw from the uncertain inputs (docs/semantics.md §9): the summary then has
   * `uncertainty`. `patients` caps the patients per set; `innerPatients` fixes them (no pilot).
   */
  uncertainty?: number;
  /** Patients per parameter set with `uncertainty` (default: chosen by a pilot). */
  innerPatients?: number;
  /** Worker threads, for executors that have them (src/node.ts); ignored in this thread. */
  workers?: number;
  /** Called after each unit of work with (done, total), for progress bars. */
  onProgress?: (done: number, total: number) => void;
  /** Aborting rejects the run's promise with an AbortError (between units of work). */
  signal?: AbortSignal;
  /** Where the units run; default: this thread, yielding between units. */
  executeUnits?: UnitExecutor;
  /**
   * Where the parameter sets of `uncertainty` run, one whole set (every scenario's inner run) per
   * task (analysis/draw.ts); default: this thread, yielding between sets.
   */
  executeDraws?: DrawExecutor;
  /**
   * Receives every event of every journey (model/events.ts). A monitor sees the journeys as they
   * happen, so the units then run in this thread (events cannot cross threads) and `executeUnits`
   * is not used.
   */
  monitor?: JourneyMonitor;
  /**
   * Told each warning as soon as it is known: an overloaded microsystem before the first unit
   * runs, the rest (waits that keep growing, a run too short to estimate its waits) at the end.
   * Every warning is also in the summary's `warnings`.
   */
  onWarning?: (warning: RunWarning) => void;
}

/** The exact analysis, or null when the routing has none (it cannot end, say). */
export function analyzeOrNull(spec: ModelSpec): Analysis | null {
  return analyzeWithNote(spec).analysis;
}

/** The exact analysis, or null with the reason in plain words (a loop with no way out, a p that depends on the visit…). */
export function analyzeWithNote(spec: ModelSpec): { analysis: Analysis | null; note: string | null } {
  try {
    return { analysis: analyze(spec), note: null };
  } catch (error) {
    if (!(error instanceof AnalysisError)) throw error;
    return { analysis: null, note: error.message };
  }
}

/** The units of work of a run of `model` (with the options' overrides). */
export function units(model: ModelSpec, options: Overrides = {}): Unit[] {
  return unitsOf(withOverrides(model, options));
}

/**
 * Compiled models of recent calls, so a worker running many units of one model compiles it once,
 * with one scratch tally it empties for each unit: a unit's tally becomes JSON at once, so nothing
 * is allocated per unit but the JSON (measured: a 2-worker run of 10 M independent patients peaked
 * at 490 MB when each unit allocated its own sketches, 2.2 MB a unit that the GC reclaimed late).
 */
const compiled = new WeakMap<ModelSpec, { model: CompiledModel; scratch: Tally }>();

/**
 * What one unit of work computes: its tally, as plain JSON (what a worker sends back).
 * `onProgress` is told the share of the unit done, a few dozen times per unit.
 */
export function simulateUnit(
  model: ModelSpec,
  unit: Unit,
  onProgress?: (fraction: number) => void,
): TallyJSON {
  let c = compiled.get(model);
  if (c === undefined) {
    const m = compile(model);
    c = { model: m, scratch: new Tally(m) };
    compiled.set(model, c);
  }
  return tallyToJSON(runUnit(c.model, unit, null, c.scratch, onProgress ?? null));
}

/** A unit's tally as an executor hands it back: JSON from another thread, the object from this one. */
type UnitResult = TallyJSON | Tally;

type Executor = (
  model: ModelSpec,
  units: Unit[],
  onUnit: (unit: Unit, tally: UnitResult) => void,
  signal?: AbortSignal,
  onUnitProgress?: (unit: Unit, fraction: number) => void,
) => Promise<void>;

/** The default executor: this thread, one unit after the other (no JSON round trip). */
function inThisThread(model: CompiledModel, monitor: JourneyMonitor | null): Executor {
  return async (_spec, selected, onUnit, signal, onUnitProgress) => {
    for (const u of selected) {
      signal?.throwIfAborted();
      const progress = onUnitProgress === undefined ? null : (f: number) => onUnitProgress(u, f);
      onUnit(u, runUnit(model, u, monitor, null, progress));
      await yieldToEventLoop();
    }
    signal?.throwIfAborted();
  };
}

/**
 * Lets the event loop turn (a page repaints, an abort or a signal is handled). setImmediate where it
 * exists (Node), else a message round trip (browsers: no 4 ms timer clamp per unit), else a timer.
 */
export function yieldToEventLoop(): Promise<void> {
  const g = globalThis as unknown as {
    setImmediate?: (f: () => void) => unknown;
    MessageChannel?: new () => Channel;
  };
  if (typeof g.setImmediate === "function") {
    const immediate = g.setImmediate;
    return new Promise((resolve) => immediate(resolve));
  }
  if (typeof g.MessageChannel === "function") {
    if (channel === null) {
      channel = new g.MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
    }
    const c = channel;
    return new Promise((resolve) => {
      waiting.push(resolve);
      c.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}

interface Port {
  onmessage: ((event: unknown) => void) | null;
  postMessage(message: unknown): void;
}
interface Channel {
  port1: Port;
  port2: Port;
}
let channel: Channel | null = null;
const waiting: (() => void)[] = [];

/**
 * Runs `selected` units of `model` (already compiled as `compiledModel`) with the options'
 * executor; hands each tally to `onUnit` and merges it into the total in unit order, as soon as it
 * is next in line (memory stays flat however many units run: a unit that comes early waits as
 * the compact JSON it came as, and the worker pool keeps only a few units ahead, node/pool.ts).
 * Progress counts finished units plus the share done of units under way.
 */
export async function runUnitsInOrder(
  compiledModel: CompiledModel,
  selected: Unit[],
  options: RunOptions,
  onUnit?: (unit: Unit, tally: Tally) => void,
): Promise<Tally> {
  const total = new Tally(compiledModel);
  const position = new Map(selected.map((u, i) => [u.index, i]));
  const waiting = new Map<number, UnitResult>();
  const underWay = new Map<number, number>();
  let next = 0;
  let done = 0;
  const report = (): void => {
    let partial = 0;
    for (const f of underWay.values()) partial += f;
    options.onProgress?.(done + partial, selected.length);
  };
  const receive = (unit: Unit, result: UnitResult): void => {
    const i = position.get(unit.index);
    if (i === undefined || i < next || waiting.has(i))
      throw new Error(`unit ${unit.index} was not asked for, or came twice`);
    waiting.set(i, result);
    // Hand over every tally that is now next in line; later ones wait.
    for (let t = waiting.get(next); t !== undefined; t = waiting.get(next)) {
      waiting.delete(next);
      if (t instanceof Tally || onUnit !== undefined) {
        const tally = t instanceof Tally ? t : tallyFromJSON(compiledModel, t);
        total.merge(tally);
        onUnit?.(selected[next]!, tally);
      } else total.mergeJSON(compiledModel, t);
      next++;
    }
    underWay.delete(unit.index);
    done++;
    report();
  };
  const progress = (unit: Unit, fraction: number): void => {
    const i = position.get(unit.index);
    // A late message about a unit already back, or nonsense from an executor, moves nothing.
    if (i === undefined || i < next || waiting.has(i) || !(fraction >= 0 && fraction < 1)) return;
    underWay.set(unit.index, fraction);
    report();
  };
  const monitor = options.monitor ?? null;
  const execute: Executor =
    monitor === null && options.executeUnits !== undefined
      ? options.executeUnits
      : inThisThread(compiledModel, monitor);
  await execute(
    compiledModel.spec,
    selected,
    receive,
    options.signal,
    options.onProgress === undefined ? undefined : progress,
  );
  if (next < selected.length)
    throw new Error(`units of work missing: ${selected.length - next} never came back`);
  return total;
}

/**
 * What a run decides before its first unit: the exact analysis, the offered load and its overload
 * warnings, and the warm-up (the scenario's, or MSER-5's on a pilot when the file sets none). The
 * returned model has its warm-up fixed, so workers and shards need not choose it again.
 */
export function prepareRun(effective: ModelSpec): {
  model: ModelSpec;
  analysis: Analysis | null;
  context: Required<RunContext>;
} {
  const { analysis, note } = analyzeWithNote(effective);
  const { model, warmup } = resolveWarmup(effective);
  return { model, analysis, context: runContext(effective, analysis, warmup, note) };
}

/**
 * A run's context from its model, warm-up choice and why it has no exact answer (`merge` rebuilds
 * it rather than trust a file).
 */
export function runContext(
  spec: ModelSpec,
  analysis: Analysis | null,
  warmup: WarmupChoice,
  analyticNote: string | null,
): Required<RunContext> {
  const load = offeredLoad(spec, analysis);
  return {
    warmup,
    load,
    warnings: [...overloadWarnings(spec, load), ...warmupWarnings(warmup)],
    analyticNote,
  };
}

function warmupWarnings(w: WarmupChoice): RunWarning[] {
  if (w.settled !== false) return [];
  return [
    {
      kind: "warmup",
      microsystem: null,
      message: `the warm-up could not be settled: MSER-5 dropped the first ${w.truncated_patients} of a ${w.pilot_patients}-patient pilot, which was still filling up; the figures may carry the start-up's bias. Set arrivals.warmup, or run more patients`,
    },
  ];
}

/** Simulates `model` (with the options' overrides) and summarises it: what `run --json` prints. */
export async function run(model: ModelSpec, options: RunOptions = {}): Promise<RunSummary> {
  const began = performance.now();
  const prepared = prepareRun(withOverrides(model, options));
  const effective = prepared.model;
  for (const w of prepared.context.warnings) options.onWarning?.(w);
  const m = compile(effective);
  const unitCosts: number[] = [];
  // Only a run with costs looks at each unit's tally (merging straight from JSON otherwise).
  const onUnit = hasCosts(effective)
    ? (_: Unit, t: Tally) => {
        unitCosts.push(costPerPatient(m, t, patientsOf(t)));
      }
    : undefined;
  const tally = await runUnitsInOrder(m, unitsOf(effective), options, onUnit);
  const summary = summarize(
    m,
    tally,
    prepared.analysis,
    performance.now() - began,
    unitCosts,
    prepared.context,
  );
  for (const w of (summary.warnings ?? []).slice(prepared.context.warnings.length)) options.onWarning?.(w);
  if (options.uncertainty === undefined) return summary;
  const uncertainty = await runUncertainty(effective, { ...options, draws: options.uncertainty });
  return { ...summary, uncertainty, wall_ms: performance.now() - began };
}

/** Counted journeys of a tally. */
function patientsOf(t: Tally): number {
  let n = 0;
  for (const x of t.patients) n += x;
  return n;
}

/** The same run synchronously in this thread, with an optional monitor (tests, replays, small what-ifs). */
export function runModel(
  model: ModelSpec,
  options: Overrides & { monitor?: JourneyMonitor } = {},
): RunSummary {
  const began = performance.now();
  const prepared = prepareRun(withOverrides(model, options));
  const { model: m, tally } = simulate(prepared.model, { monitor: options.monitor ?? null });
  return summarize(m, tally, prepared.analysis, performance.now() - began, [], prepared.context);
}

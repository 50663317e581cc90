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
import { type Analysis, AnalysisError, analyze } from "./analytic.js";
import { costPerPatient, hasCosts } from "./costs.js";
import { summarize } from "./summarize.js";
import type { RunSummary } from "./summary.js";
import { runUncertainty } from "./uncertainty.js";

export type { Unit } from "../model/simulate.js";
export type { TallyJSON } from "../model/tally.js";

/**
 * Runs `units` of `model` and calls `onUnit` once per unit with its tally, in any order, then
 * resolves. Rejects (with an AbortError) when `signal` aborts.
 */
export type UnitExecutor = (
  model: ModelSpec,
  units: Unit[],
  onUnit: (unit: Unit, tally: TallyJSON) => void,
  signal?: AbortSignal,
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
   * Receives every event of every journey (model/events.ts). A monitor sees the journeys as they
   * happen, so the units then run in this thread (events cannot cross threads) and `executeUnits`
   * is not used.
   */
  monitor?: JourneyMonitor;
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

/** Compiled models of recent calls, so a worker running many units of one model compiles it once. */
const compiled = new WeakMap<ModelSpec, CompiledModel>();

/** What one unit of work computes: its tally, as plain JSON (what a worker sends back). */
export function simulateUnit(model: ModelSpec, unit: Unit): TallyJSON {
  let m = compiled.get(model);
  if (m === undefined) {
    m = compile(model);
    compiled.set(model, m);
  }
  return tallyToJSON(runUnit(m, unit));
}

/** A unit's tally as an executor hands it back: JSON from another thread, the object from this one. */
type UnitResult = TallyJSON | Tally;

type Executor = (
  model: ModelSpec,
  units: Unit[],
  onUnit: (unit: Unit, tally: UnitResult) => void,
  signal?: AbortSignal,
) => Promise<void>;

/** The default executor: this thread, one unit after the other (no JSON round trip). */
function inThisThread(model: CompiledModel, monitor: JourneyMonitor | null): Executor {
  return async (_spec, selected, onUnit, signal) => {
    for (const u of selected) {
      signal?.throwIfAborted();
      onUnit(u, runUnit(model, u, monitor));
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
 * is next in line (memory stays flat however many units run).
 */
export async function runUnitsInOrder(
  compiledModel: CompiledModel,
  selected: Unit[],
  options: RunOptions,
  onUnit: (unit: Unit, tally: Tally) => void = () => {},
): Promise<Tally> {
  const total = new Tally(compiledModel);
  const position = new Map(selected.map((u, i) => [u.index, i]));
  const waiting = new Map<number, Tally>();
  let next = 0;
  let done = 0;
  const receive = (unit: Unit, result: UnitResult): void => {
    const i = position.get(unit.index);
    if (i === undefined || i < next || waiting.has(i))
      throw new Error(`unit ${unit.index} was not asked for, or came twice`);
    waiting.set(i, result instanceof Tally ? result : tallyFromJSON(compiledModel, result));
    // Hand over every tally that is now next in line; later ones wait.
    for (let t = waiting.get(next); t !== undefined; t = waiting.get(next)) {
      waiting.delete(next);
      total.merge(t);
      onUnit(selected[next]!, t);
      next++;
    }
    options.onProgress?.(++done, selected.length);
  };
  const monitor = options.monitor ?? null;
  const execute: Executor =
    monitor === null && options.executeUnits !== undefined
      ? options.executeUnits
      : inThisThread(compiledModel, monitor);
  await execute(compiledModel.spec, selected, receive, options.signal);
  if (next < selected.length)
    throw new Error(`units of work missing: ${selected.length - next} never came back`);
  return total;
}

/** Simulates `model` (with the options' overrides) and summarises it: what `run --json` prints. */
export async function run(model: ModelSpec, options: RunOptions = {}): Promise<RunSummary> {
  const effective = withOverrides(model, options);
  const began = performance.now();
  const m = compile(effective);
  const unitCosts: number[] = [];
  const costed = hasCosts(effective);
  const tally = await runUnitsInOrder(m, unitsOf(effective), options, (_, t) => {
    if (costed) unitCosts.push(costPerPatient(m, t, patientsOf(t)));
  });
  const { analysis, note } = analyzeWithNote(effective);
  const summary = summarize(m, tally, analysis, performance.now() - began, unitCosts, note);
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
  const effective = withOverrides(model, options);
  const began = performance.now();
  const { model: m, tally } = simulate(effective, { monitor: options.monitor ?? null });
  const { analysis, note } = analyzeWithNote(effective);
  return summarize(m, tally, analysis, performance.now() - began, [], note);
}

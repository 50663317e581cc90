// One parameter set's inner run: the unit of work of `--uncertainty` (docs/semantics.md §9). A
// draw of every scenario (baseline and variants) with that set's values, each simulated on the same
// patients, reduced at once to the few figures the uncertainty summaries read, per scenario and
// per unit of work (for the Monte Carlo variance). Whole draws are what a worker runs: a draw's
// answer is a few hundred numbers, where its units' tallies would be megabytes of sketches to send
// back, rebuild and summarise on the main thread (measured, bench/uncertainty.ts: with a task per
// replication, 2 workers spent more CPU than 1, 46.9 s against 43.9 s; with a task per set, 22.5 s
// and 19.5 s, the main thread idle 83% of the time).
//
// `simulateDraw` is synchronous and pure: the same request gives the same numbers in any thread,
// so results are identical for any number of workers.
import { type CompiledModel, compile } from "../model/compiled.js";
import { runUnit, withOverrides } from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { Tally } from "../model/tally.js";
import { resolveWarmup } from "../model/warmup.js";
import { pairingUnits } from "./compare.js";
import { costPerPatient, hasCosts } from "./costs.js";
import { drawParameters, withParameters } from "./parameters.js";
import { analyzeOrNull, yieldToEventLoop } from "./run.js";
import { share } from "./stats.js";

/** Which parameter set to draw and simulate. */
export interface DrawRequest {
  /** Draw index: with the seed, it keys every parameter's value. */
  index: number;
  /** Patients per scenario (the same patients in every set and scenario). */
  inner: number;
  /** Keys the parameter streams and the patients alike. */
  seed: number;
}

/** The figures a draw reports, as `figuresOf` defines them (NaN = not available). */
export interface DrawFigureRow {
  reliability: number;
  mortality_per_1000: number;
  cost_per_patient: number;
  defects_per_1000: number;
}

/** One scenario in one parameter set: its whole-run figures and those of each unit of work. */
export interface ScenarioDraw {
  figures: DrawFigureRow;
  /** In unit order: replications with arrivals, batches of patients without (compare.ts). */
  units: DrawFigureRow[];
}

export interface DrawResult {
  index: number;
  /** Every parameter's value in this set, by id (the first scenario's value where several have it). */
  values: [string, number][];
  /** Per scenario, in the order given. */
  runs: ScenarioDraw[];
  /** Exact reliability per scenario; null where the routing has no exact answer. */
  exact: (number | null)[];
}

/**
 * Runs `requests` (draws of `scenarios`, whose warm-up is already fixed) and calls `onDraw` once per
 * draw, in any order, then resolves; rejects with an AbortError when `signal` aborts. An executor
 * may report how far a draw under way has got (`onDrawProgress(index, share done)`).
 */
export type DrawExecutor = (
  scenarios: readonly ModelSpec[],
  requests: DrawRequest[],
  onDraw: (result: DrawResult) => void,
  signal?: AbortSignal,
  onDrawProgress?: (index: number, fraction: number) => void,
) => Promise<void>;

/** The default draw executor: this thread, one draw after the other, yielding between draws. */
export const drawsInThisThread: DrawExecutor = async (
  scenarios,
  requests,
  onDraw,
  signal,
  onDrawProgress,
) => {
  for (const r of requests) {
    signal?.throwIfAborted();
    const progress = onDrawProgress === undefined ? undefined : (f: number) => onDrawProgress(r.index, f);
    onDraw(simulateDraw(scenarios, r, progress));
    await yieldToEventLoop();
  }
  signal?.throwIfAborted();
};

/**
 * Two tallies per scenario, kept between draws (a draw changes numbers, never the model's shape):
 * the run's total and the unit's scratch, so a draw allocates no sketches (each is 272 KiB).
 */
const tallies = new WeakMap<ModelSpec, { total: Tally; scratch: Tally }>();

function talliesFor(spec: ModelSpec, model: CompiledModel): { total: Tally; scratch: Tally } {
  let t = tallies.get(spec);
  if (t === undefined || t.total.visits.length !== model.elementCount) {
    t = { total: new Tally(model), scratch: new Tally(model) };
    tallies.set(spec, t);
  }
  return t;
}

/** Simulates one parameter set of every scenario. `onProgress` hears the share of the draw done. */
export function simulateDraw(
  scenarios: readonly ModelSpec[],
  request: DrawRequest,
  onProgress?: (fraction: number) => void,
): DrawResult {
  const values = new Map<string, number>();
  const runs: ScenarioDraw[] = [];
  const exact: (number | null)[] = [];
  scenarios.forEach((spec, s) => {
    const drawn = drawParameters(spec, request.seed, request.index);
    for (const [id, v] of drawn) if (!values.has(id)) values.set(id, v);
    const model = withParameters(spec, drawn);
    exact.push(analyzeOrNull(model)?.overall.defectFree ?? null);
    const effective = resolveWarmup(
      withOverrides(model, { patients: request.inner, seed: request.seed }),
    ).model;
    const compiled = compile(effective);
    const { total, scratch } = talliesFor(spec, compiled);
    total.reset();
    const units: DrawFigureRow[] = [];
    const selected = pairingUnits(effective);
    selected.forEach((unit, u) => {
      runUnit(compiled, unit, null, scratch);
      units.push(figuresOfTally(compiled, scratch));
      total.merge(scratch);
      onProgress?.((s + (u + 1) / selected.length) / scenarios.length);
    });
    runs.push({ figures: figuresOfTally(compiled, total), units });
  });
  return { index: request.index, values: [...values], runs, exact };
}

/** The draw's figures of a tally: the same numbers `figuresOf(summarize(model, tally))` gives. */
export function figuresOfTally(model: CompiledModel, tally: Tally): DrawFigureRow {
  let patients = 0;
  for (const n of tally.patients) patients += n;
  let defectFree = 0;
  for (const n of tally.defectFree) defectFree += n;
  let defects = 0;
  for (let i = 0; i < tally.occurrences.length; i++) defects += tally.occurrences[i]! - tally.caught[i]!;
  return {
    reliability: share(defectFree, patients),
    mortality_per_1000: model.mortalityBase === null ? Number.NaN : 1000 * share(tally.riskSum, patients),
    cost_per_patient: hasCosts(model.spec) ? costPerPatient(model, tally, patients) : Number.NaN,
    defects_per_1000: patients > 0 ? (1000 * defects) / patients : Number.NaN,
  };
}

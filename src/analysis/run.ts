// One run of a scenario: simulate (in this thread or in workers), analyse exactly where the math
// allows, summarise.
import { type CompiledModel, compile } from "../model/compiled.js";
import type { Tracer } from "../model/journey.js";
import { simulate, type Unit, units } from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { Tally } from "../model/tally.js";
import { forEachUnit } from "../parallel/pool.js";
import { type Analysis, analyze } from "./analytic.js";
import { summarize } from "./summarize.js";
import type { RunSummary } from "./summary.js";

export interface RunOptions {
  /** Overrides the scenario's `patients`. */
  patients?: number;
  /** Overrides the scenario's `seed`. */
  seed?: number;
  /** Worker threads (default 1 here; the command line defaults to the number of cores). */
  workers?: number;
  /** Monitoring of every step (forces one thread: a tracer cannot cross threads). */
  tracer?: Tracer | null;
  progress?: (done: number, total: number) => void;
}

/** The scenario with command-line overrides applied. */
export function withOverrides(spec: ModelSpec, options: Pick<RunOptions, "patients" | "seed">): ModelSpec {
  const patients = options.patients ?? spec.patients;
  return {
    ...spec,
    patients,
    seed: options.seed ?? spec.seed,
    // Replications share the patients: never more replications than patients.
    replications: Math.min(spec.replications, patients),
  };
}

/** The exact analysis, or null when the routing has none (it cannot end, say). */
export function analyzeOrNull(spec: ModelSpec): Analysis | null {
  try {
    return analyze(spec);
  } catch {
    return null;
  }
}

/** Runs in this thread (tests, story, small what-ifs). */
export function runModel(spec: ModelSpec, options: RunOptions = {}): RunSummary {
  const effective = withOverrides(spec, options);
  const began = performance.now();
  const { model, tally } = simulate(effective, { tracer: options.tracer, progress: options.progress });
  return summarize(model, tally, analyzeOrNull(effective), performance.now() - began);
}

/** Runs the given units (all by default) in workers; tallies merge in unit order. */
export async function simulateUnits(
  model: CompiledModel,
  selected: Unit[],
  options: RunOptions,
  onUnit: (unit: Unit, tally: Tally) => void = () => {},
): Promise<Tally> {
  const total = new Tally(model);
  let done = 0;
  await forEachUnit(model, selected, options.workers ?? 1, (unit, tally) => {
    total.merge(tally);
    onUnit(unit, tally);
    options.progress?.(++done, selected.length);
  });
  return total;
}

/** Runs the whole scenario, in worker threads when `workers` > 1; identical results for any count. */
export async function runScenario(spec: ModelSpec, options: RunOptions = {}): Promise<RunSummary> {
  if (options.tracer) return runModel(spec, options);
  const effective = withOverrides(spec, options);
  const began = performance.now();
  const model = compile(effective);
  const tally = await simulateUnits(model, units(effective), options);
  return summarize(model, tally, analyzeOrNull(effective), performance.now() - began);
}

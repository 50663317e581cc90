// Shards: one Nth of a run's units, written as a partial result file that merges exactly. Partials
// keep one tally per unit so that the merge folds units in the same order as a single run does
// (floating-point addition is not associative: merging shard totals would differ in the last bit).
// Node side because shards are files, and their fingerprint is a SHA-256 from node:crypto (kept, so
// partial files of earlier versions still merge). What a partial file holds is checked as
// untrusted input (node/partial.ts) before anything is merged.
import { costPerPatient, hasCosts } from "../analysis/costs.js";
import { analyzeOrNull, prepareRun, type RunOptions, runContext, runUnitsInOrder } from "../analysis/run.js";
import { summarize } from "../analysis/summarize.js";
import type { RunSummary } from "../analysis/summary.js";
import { compile } from "../model/compiled.js";
import { units, withOverrides } from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { Tally, tallyFromJSON, tallyToJSON } from "../model/tally.js";
import { VERSION } from "../version.js";
import {
  checkPartial,
  fingerprint,
  PARTIAL_FORMAT,
  PartialError,
  type PartialResult,
  type Shard,
  shardUnits,
} from "./partial.js";

import { withWorkers } from "./pool.js";

export { PARTIAL_FORMAT, PartialError, type PartialResult, type Shard, shardUnits };

export async function runShard(
  spec: ModelSpec,
  shard: Shard,
  options: RunOptions = {},
): Promise<PartialResult> {
  const began = performance.now();
  // Every shard decides the same warm-up (it is a function of the model and seed).
  const prepared = prepareRun(withOverrides(spec, options));
  const effective = prepared.model;
  const model = compile(effective);
  const kept: PartialResult["units"] = [];
  await runUnitsInOrder(model, shardUnits(units(effective), shard), withWorkers(options), (unit, tally) => {
    kept.push({ unit, tally: tallyToJSON(tally) });
  });
  return {
    format: PARTIAL_FORMAT,
    version: VERSION,
    fingerprint: fingerprint(effective),
    spec: effective,
    shard,
    wall_ms: performance.now() - began,
    units: kept,
    context: prepared.context,
  };
}

/**
 * Merges partial results into exactly the summary a single run gives (but for wall time). Each
 * partial is checked whole (node/partial.ts: its spec, fingerprint, units and tallies), then the
 * set: one scenario, one cut, every shard once. `names` (file names) go into the messages.
 */
export function mergePartials(input: readonly unknown[], names: readonly string[] = []): RunSummary {
  const label = (i: number): string => names[i] ?? `partial ${i + 1}`;
  const partials = input.map((p, i) => {
    try {
      return checkPartial(p);
    } catch (error) {
      if (error instanceof PartialError) throw new PartialError(`${label(i)}: ${error.message}`);
      throw error;
    }
  });
  const first = partials[0];
  if (first === undefined) throw new PartialError("nothing to merge");
  partials.forEach((p, i) => {
    if (p.fingerprint !== first.fingerprint)
      throw new PartialError(`${label(i)} and ${label(0)} come from different scenarios or settings`);
    if (p.shard.n !== first.shard.n)
      throw new PartialError(`${label(i)}: cut into ${p.shard.n} shards, ${label(0)} into ${first.shard.n}`);
  });
  const seen = new Map<number, number>();
  partials.forEach((p, i) => {
    const before = seen.get(p.shard.k);
    if (before !== undefined)
      throw new PartialError(`${label(i)}: shard ${p.shard.k} was given twice (also ${label(before)})`);
    seen.set(p.shard.k, i);
  });
  const missing = Array.from({ length: first.shard.n }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new PartialError(`missing shard(s) ${listed(missing)} of ${first.shard.n}`);
  const model = compile(first.spec);
  const all = partials.flatMap((p) => p.units).sort((a, b) => a.unit.index - b.unit.index);
  const total = new Tally(model);
  // Each unit's cost per patient, as a single run keeps them, for the cost's interval.
  const costs = hasCosts(first.spec);
  const unitCosts: number[] = [];
  for (const u of all) {
    const t = tallyFromJSON(model, u.tally);
    total.merge(t);
    if (costs)
      unitCosts.push(
        costPerPatient(
          model,
          t,
          t.patients.reduce((a, b) => a + b, 0),
        ),
      );
  }
  const wall = partials.reduce((a, p) => a + p.wall_ms, 0);
  // The context is rebuilt from the checked spec and warm-up, never taken from a file: its
  // load figures and warnings reach the report and the terminal.
  const analysis = analyzeOrNull(first.spec);
  const context =
    first.context === undefined ? undefined : runContext(first.spec, analysis, first.context.warmup);
  return summarize(model, total, analysis, wall, unitCosts, context);
}

/** The first few of a long list, and how many more. */
function listed(values: number[]): string {
  return values.length <= 10
    ? values.join(", ")
    : `${values.slice(0, 10).join(", ")} and ${values.length - 10} more`;
}

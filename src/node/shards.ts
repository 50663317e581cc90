// Shards: one Nth of a run's units, written as a partial result file that merges exactly. Partials
// keep one tally per unit so that the merge folds units in the same order as a single run does
// (floating-point addition is not associative: merging shard totals would differ in the last bit).
// Node side because shards are files, and their fingerprint is a SHA-256 from node:crypto (kept, so
// partial files of earlier versions still merge). What a partial file holds is checked as
// untrusted input (node/partial.ts) before anything is merged.
import { costPerPatient, hasCosts } from "../analysis/costs.js";
import {
  analyzeWithNote,
  prepareRun,
  type RunOptions,
  runContext,
  runUnitsInOrder,
} from "../analysis/run.js";
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
  MergeError,
  PARTIAL_FORMAT,
  type PartialResult,
  type Shard,
  shardUnits,
} from "./partial.js";

import { withWorkers } from "./pool.js";

export { MergeError, PARTIAL_FORMAT, type PartialResult, type Shard, shardUnits };

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
 * set: one scenario, one cut, every shard once. `files` names each partial (its file) in the
 * messages, so the one at fault is found among hundreds.
 */
export function mergePartials(input: readonly unknown[], files: readonly string[] = []): RunSummary {
  const name = (i: number): string => files[i] ?? `partial ${i + 1}`;
  const partials = input.map((p, i) => {
    checkShape(p, name(i));
    try {
      return checkPartial(p);
    } catch (error) {
      if (error instanceof MergeError) throw new MergeError(`${name(i)}: ${error.message}`);
      throw error;
    }
  });
  const first = partials[0];
  if (first === undefined) throw new MergeError("nothing to merge");
  partials.forEach((p, i) => {
    if (p.fingerprint !== first.fingerprint)
      throw new MergeError(
        `${name(i)} comes from another scenario or other settings than ${name(0)}: ${runOf(p)}, not ${runOf(first)}`,
      );
    if (p.shard.n !== first.shard.n)
      throw new MergeError(
        `${name(i)} is shard ${p.shard.k}/${p.shard.n}, but ${name(0)} is one of ${first.shard.n}`,
      );
  });
  const seen = new Map<number, number>();
  partials.forEach((p, i) => {
    const other = seen.get(p.shard.k);
    if (other !== undefined)
      throw new MergeError(`${name(i)} and ${name(other)} are both shard ${p.shard.k}/${p.shard.n}`);
    seen.set(p.shard.k, i);
  });
  const missing = Array.from({ length: first.shard.n }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0)
    throw new MergeError(
      `missing shard(s) ${listed(missing)} of ${first.shard.n} (given: ${listed(partials.map((_, i) => name(i)))})`,
    );
  const model = compile(first.spec);
  const all = partials
    .flatMap((p, i) => p.units.map((u) => ({ ...u, file: i })))
    .sort((a, b) => a.unit.index - b.unit.index);
  const total = new Tally(model);
  // Each unit's cost per patient, as a single run keeps them, for the cost's interval.
  const costs = hasCosts(first.spec);
  const unitCosts: number[] = [];
  for (const u of all) {
    let t: Tally;
    try {
      t = tallyFromJSON(model, u.tally);
    } catch (error) {
      throw new MergeError(`${name(u.file)}: unit ${u.unit.index} ${(error as Error).message}`);
    }
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
  const { analysis, note } = analyzeWithNote(first.spec);
  const context =
    first.context === undefined
      ? { analyticNote: note }
      : runContext(first.spec, analysis, first.context.warmup, note);
  return summarize(model, total, analysis, wall, unitCosts, context);
}

/** The first few of a long list, and how many more. */
function listed(values: readonly (number | string)[]): string {
  return values.length <= 10
    ? values.join(", ")
    : `${values.slice(0, 10).join(", ")} and ${values.length - 10} more`;
}

/** The run a partial is part of, in a few words: "“AMI pathway” (20,000 patients, seed 7)". */
function runOf(p: PartialResult): string {
  const { name, patients, seed } = p.spec as Partial<ModelSpec>;
  return `"${String(name)}" (${String(patients)} patients, seed ${String(seed)})`;
}

/** A partial as `run --partial` writes it: the fields the merge reads, of the right kinds. */
function checkShape(p: unknown, name: string): asserts p is PartialResult {
  const r = p as Partial<PartialResult> | null;
  if (r === null || typeof r !== "object" || Array.isArray(r) || r.format !== PARTIAL_FORMAT)
    throw new MergeError(
      `${name} is not a partial result of this format (${PARTIAL_FORMAT}): write it with run --shard K/N --partial FILE`,
    );
  const shardOk =
    typeof r.shard === "object" &&
    r.shard !== null &&
    Number.isInteger(r.shard.k) &&
    Number.isInteger(r.shard.n) &&
    r.shard.k >= 1 &&
    r.shard.k <= r.shard.n;
  if (!shardOk || typeof r.fingerprint !== "string" || typeof r.spec !== "object" || !Array.isArray(r.units))
    throw new MergeError(
      `${name} is damaged: a partial result needs its format, fingerprint, spec, shard and units`,
    );
}

// Shards: one Nth of a run's units, written as a partial result file that merges exactly. Partials
// keep one tally per unit so that the merge folds units in the same order as a single run does
// (floating-point addition is not associative: merging shard totals would differ in the last bit).
// Node side because shards are files, and their fingerprint is a SHA-256 from node:crypto (kept, so
// partial files of earlier versions still merge).
import { createHash } from "node:crypto";
import { analyzeOrNull, prepareRun, type RunOptions, runUnitsInOrder } from "../analysis/run.js";
import { type RunContext, summarize } from "../analysis/summarize.js";
import type { RunSummary } from "../analysis/summary.js";
import { compile } from "../model/compiled.js";
import { type Unit, units, withOverrides } from "../model/simulate.js";
import type { ModelSpec } from "../model/spec.js";
import { Tally, type TallyJSON, tallyFromJSON, tallyToJSON } from "../model/tally.js";
import { VERSION } from "../version.js";
import { withWorkers } from "./pool.js";

export const PARTIAL_FORMAT = "handoff-sim-partial/1";

export interface Shard {
  /** 1-based. */
  k: number;
  n: number;
}

export interface PartialResult {
  format: typeof PARTIAL_FORMAT;
  version: string;
  /** Fingerprint of the effective model: partials of different runs refuse to merge. */
  fingerprint: string;
  spec: ModelSpec;
  shard: Shard;
  wall_ms: number;
  units: { unit: Unit; tally: TallyJSON }[];
  /** How the run's warm-up was decided, its offered load and early warnings (every shard has the same). */
  context?: RunContext;
}

/** Units of shard k of n: a contiguous, nearly equal share. */
export function shardUnits(all: Unit[], shard: Shard): Unit[] {
  const from = Math.floor(((shard.k - 1) * all.length) / shard.n);
  const to = Math.floor((shard.k * all.length) / shard.n);
  return all.slice(from, to);
}

export function fingerprint(spec: ModelSpec): string {
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 16);
}

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

/** Merges partial results into exactly the summary a single run gives (but for wall time). */
export function mergePartials(partials: PartialResult[]): RunSummary {
  const first = partials[0];
  if (first === undefined) throw new Error("nothing to merge");
  for (const p of partials) {
    if (p.format !== PARTIAL_FORMAT)
      throw new Error(`not a partial result of this format (${PARTIAL_FORMAT})`);
    if (p.fingerprint !== first.fingerprint)
      throw new Error("partials come from different scenarios or settings");
    if (p.shard.n !== first.shard.n) throw new Error("partials were cut into different numbers of shards");
  }
  const shards = new Set(partials.map((p) => p.shard.k));
  if (shards.size !== partials.length) throw new Error("a shard was given twice");
  const missing = Array.from({ length: first.shard.n }, (_, i) => i + 1).filter((k) => !shards.has(k));
  if (missing.length > 0) throw new Error(`missing shard(s) ${missing.join(", ")} of ${first.shard.n}`);
  const model = compile(first.spec);
  const all = partials.flatMap((p) => p.units).sort((a, b) => a.unit.index - b.unit.index);
  const total = new Tally(model);
  for (const u of all) total.merge(tallyFromJSON(model, u.tally));
  const wall = partials.reduce((a, p) => a + p.wall_ms, 0);
  return summarize(model, total, analyzeOrNull(first.spec), wall, [], first.context);
}

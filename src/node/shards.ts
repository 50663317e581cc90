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

/** A set of partials that cannot be merged; the message names the file at fault. */
export class MergeError extends Error {
  override name = "MergeError";
}

/**
 * Merges partial results into exactly the summary a single run gives (but for wall time). `files`
 * names each partial (its file) in the messages, so the one at fault is found among hundreds.
 */
export function mergePartials(partials: PartialResult[], files: readonly string[] = []): RunSummary {
  const name = (i: number): string => files[i] ?? `partial ${i + 1}`;
  const first = partials[0];
  if (first === undefined) throw new MergeError("nothing to merge");
  partials.forEach((p, i) => {
    checkShape(p, name(i));
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
      `missing shard(s) ${missing.join(", ")} of ${first.shard.n} (given: ${partials.map((_, i) => name(i)).join(", ")})`,
    );
  const model = compile(first.spec);
  const all = partials
    .flatMap((p, i) => p.units.map((u) => ({ ...u, file: i })))
    .sort((a, b) => a.unit.index - b.unit.index);
  const total = new Tally(model);
  for (const u of all) {
    try {
      total.merge(tallyFromJSON(model, u.tally));
    } catch (error) {
      throw new MergeError(`${name(u.file)}: unit ${u.unit.index} ${(error as Error).message}`);
    }
  }
  const wall = partials.reduce((a, p) => a + p.wall_ms, 0);
  return summarize(model, total, analyzeOrNull(first.spec), wall, [], first.context);
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

// A partial result file (`run --shard K/N --partial FILE`) read back for `merge` is input from
// outside, like a scenario: it may be edited, truncated, copied from another run or written to
// mislead. So everything in it is checked before it is used, and a problem names the file and the
// field at fault:
// - the envelope: format, shard {k, n} with 1 ≤ k ≤ n ≤ MAX_SHARDS, a finite wall time;
// - the embedded model (a ModelSpec): its shape field by field (ModelSpec's schema below), the
//   bounds a scenario file has (patients, replications, seed, max_visits, probabilities, times),
//   every id it refers to defined once, and the workload check the loader applies;
// - the fingerprint: recomputed from that spec, never trusted (a copied fingerprint does not let
//   another scenario's shard in);
// - the units: exactly the units shard k of n of that spec has (so a relabelled or repeated
//   shard is refused), and each unit's tally finite, non-negative, whole where it counts, and
//   consistent (defect-free ≤ patients, the journeys' ends add up to its patients).
import { createHash } from "node:crypto";
import { z } from "zod";
import { compile } from "../model/compiled.js";
import { type Unit, units } from "../model/simulate.js";
import { type ModelSpec, SEVERITIES } from "../model/spec.js";
import type { TallyJSON } from "../model/tally.js";
import { ARRAY_FIELDS, SCALAR_FIELDS, Tally, tallyFromJSON } from "../model/tally.js";
import type { WarmupChoice } from "../model/warmup.js";
import { checkWorkload } from "../model/workload.js";
import {
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PATIENTS,
  MAX_SHARDS,
  MAX_TEXT,
  MAX_VISITS,
} from "../scenario/limits.js";
import { readRegularFile } from "./read.js";

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
  /** How the run's warm-up was decided (every shard has the same); merge rebuilds the rest. */
  context?: { warmup: WarmupChoice };
}

/** A set of partials that cannot be merged; the message names the file (and field) at fault. */
export class MergeError extends Error {
  override name = "MergeError";
}

export function fingerprint(spec: ModelSpec): string {
  return createHash("sha256").update(JSON.stringify(spec)).digest("hex").slice(0, 16);
}

/** Units of shard k of n: a contiguous, nearly equal share. */
export function shardUnits(all: Unit[], shard: Shard): Unit[] {
  const from = Math.floor(((shard.k - 1) * all.length) / shard.n);
  const to = Math.floor((shard.k * all.length) / shard.n);
  return all.slice(from, to);
}

/**
 * The largest partial file read (bytes). A shard's file holds a tally per unit (sparse sketches):
 * a million-patient run's shard is a few MB; this bounds what JSON.parse may be asked to hold.
 */
export const MAX_PARTIAL_BYTES = 256 * 1024 * 1024;

/**
 * The JSON of a partial result file, read with the size cap and without following it onto a
 * device or a FIFO (node/read.ts); mergePartials checks what it holds. Throws MergeError.
 */
export function readPartialFile(file: string): unknown {
  const read = readRegularFile(file, { maxBytes: MAX_PARTIAL_BYTES });
  if (!read.ok) throw new MergeError(`${file}: ${read.message}`);
  try {
    return JSON.parse(Buffer.from(read.bytes).toString("utf8"));
  } catch {
    throw new MergeError(`${file}: not a partial result (invalid JSON)`);
  }
}

// --- the schema of a ModelSpec ------------------------------------------------------------------

/** 100 years in minutes: the longest time a scenario may hold (scenario-reference.md, Limits). */
const MAX_MINUTES = 100 * 365.25 * 24 * 60;
// zod refuses NaN and ±Infinity in every number.
const finite = z.number();
const minutes = finite.min(0).max(MAX_MINUTES);
const positiveMinutes = minutes.refine((x) => x > 0, "above 0");
const probability = finite.min(0).max(1);
const nonNegative = finite.min(0);
const whole = (min: number, max: number) => z.number().int().min(min).max(max);
const id = z.string().min(1).max(MAX_ID_LENGTH);
const name = z.string().max(MAX_NAME_LENGTH);
const ids = z.array(id).nullable();
const weights = (n: number) => z.array(nonNegative).length(n).nullable();
const days = z.array(whole(0, 6)).max(7);

const distribution = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("fixed"), value: minutes }),
  z
    .strictObject({ kind: z.literal("lognormal"), median: positiveMinutes, p90: positiveMinutes })
    .refine((d) => d.p90 > d.median, "p90 above the median"),
  z.strictObject({ kind: z.literal("exponential"), mean: positiveMinutes }),
  z
    .strictObject({ kind: z.literal("triangular"), min: minutes, mode: minutes, max: minutes })
    .refine((d) => d.min <= d.mode && d.mode <= d.max && d.max > d.min, "min ≤ mode ≤ max, max above min"),
  z
    .strictObject({ kind: z.literal("uniform"), min: minutes, max: minutes })
    .refine((d) => d.max > d.min, "max above min"),
  z.strictObject({ kind: z.literal("gamma"), mean: positiveMinutes, sd: positiveMinutes }),
]);

const hours = z.strictObject({ open: minutes, close: minutes, days });

/** A `when` condition of a failure mode (issue 13): the keys it asks about, null = not asked. */
const condition = z.strictObject({
  offHours: z.boolean().nullable(),
  loadAtLeast: nonNegative.max(1e6).nullable(),
  waitedAtLeast: minutes.nullable(),
  classes: ids,
  p: probability,
  baseP: probability.optional(),
});

const failureMode = z.strictObject({
  id,
  name,
  p: probability,
  classes: ids,
  detect: probability,
  recoverTime: distribution.nullable(),
  delay: distribution.nullable(),
  harm: nonNegative.max(1e6),
  drop: z.boolean(),
  goto: id.nullable(),
  unless: z.array(id).optional(),
  when: z.array(condition).optional(),
  severity: z.enum(SEVERITIES).optional(),
  relativeRisk: nonNegative.max(1e6).optional(),
  baseP: probability.optional(),
  cost: nonNegative.optional(),
  caughtCost: nonNegative.optional(),
});

const shift = z.strictObject({
  from: minutes,
  to: minutes,
  n: whole(0, MAX_PATIENTS),
  days,
});

const milestone = z.discriminatedUnion("kind", [
  z.strictObject({ kind: z.literal("journey.start") }),
  z.strictObject({ kind: z.literal("microsystem"), id, event: z.enum(["arrive", "start", "end"]) }),
]);

const microsystem = z.strictObject({
  id,
  name,
  time: distribution,
  capacity: whole(1, MAX_PATIENTS).nullable(),
  hours: hours.nullable(),
  offHoursDelay: distribution.nullable(),
  failures: z.array(failureMode),
  next: z.array(z.strictObject({ to: id, p: probability.nullable(), classes: ids })),
  cost: z
    .strictObject({ perVisit: nonNegative, perHour: nonNegative, perHourWaiting: nonNegative })
    .nullish(),
  untilOpen: z.boolean().optional(),
  shifts: z.array(shift).nullish(),
  uses: id.nullish(),
  blocking: z.boolean().optional(),
  priority: z.record(id, finite).nullish(),
  timeByClass: z.record(id, distribution).nullish(),
  background: z
    .strictObject({
      perDay: nonNegative.max(1e6),
      time: distribution,
      byHour: weights(24),
      byDay: weights(7),
      priority: finite,
    })
    .nullish(),
  maxWait: z.strictObject({ after: minutes, goto: id.nullable(), defect: z.boolean() }).nullish(),
});

const modelSpec = z.strictObject({
  name: name.min(1),
  description: z.string().max(MAX_TEXT),
  seed: whole(0, Number.MAX_SAFE_INTEGER),
  patients: whole(1, MAX_PATIENTS),
  classes: z.array(z.strictObject({ id, share: probability, start: id, priority: finite.optional() })).min(1),
  arrivals: z
    .strictObject({
      perDay: finite.refine((x) => x > 0, "above 0").max(1e6),
      byHour: weights(24),
      warmup: minutes,
      byDay: weights(7).optional(),
    })
    .nullable(),
  replications: whole(1, MAX_PATIENTS),
  microsystems: z.array(microsystem).min(1),
  handoffs: z.array(
    z.strictObject({
      from: id,
      to: id,
      time: distribution,
      failures: z.array(failureMode),
      declared: z.boolean(),
      hours: hours.nullish(),
      cost: z.strictObject({ perTransfer: nonNegative }).nullish(),
      timeByClass: z.record(id, distribution).nullish(),
    }),
  ),
  mortality: z
    .strictObject({
      base: z.record(id, probability),
      delays: z.array(
        z.strictObject({
          from: milestone,
          to: milestone,
          reference: minutes,
          rrPer30Min: nonNegative.max(1e6),
        }),
      ),
      decidedAt: milestone.nullish(),
    })
    .nullable(),
  metrics: z.array(
    z.strictObject({
      id,
      name,
      from: milestone,
      to: milestone,
      target: minutes.nullable(),
      classes: ids.optional(),
    }),
  ),
  maxVisits: whole(1, MAX_VISITS),
  resources: z
    .array(
      z.strictObject({
        id,
        name,
        capacity: whole(1, MAX_PATIENTS).nullable(),
        shifts: z.array(shift).nullable(),
      }),
    )
    .optional(),
  economics: z
    .strictObject({
      currency: z.string().max(40).nullable(),
      volumePerYear: nonNegative.max(1e9).nullable(),
      programme: z.strictObject({ perYear: nonNegative, perPatient: nonNegative }).nullable(),
    })
    .optional(),
  parameters: z
    .array(
      z.strictObject({
        id: z.string().max(MAX_TEXT),
        label: z.string().max(MAX_TEXT),
        distribution: z.discriminatedUnion("kind", [
          z.strictObject({ kind: z.literal("beta"), a: finite.positive(), b: finite.positive() }),
          z.strictObject({ kind: z.literal("lognormal"), median: finite.positive(), sigma: nonNegative }),
        ]),
        value: finite,
        targets: z.array(
          z.discriminatedUnion("kind", [
            z.strictObject({
              kind: z.literal("mode"),
              element: z.string().max(2 * MAX_ID_LENGTH + 2),
              mode: id,
              field: z.enum(["p", "detect", "harm", "relative_risk"]),
            }),
            z.strictObject({ kind: z.literal("base"), classId: id }),
            z.strictObject({ kind: z.literal("rr_per_30min"), term: whole(0, MAX_TEXT).optional() }),
          ]),
        ),
      }),
    )
    .optional(),
});

// --- the tallies --------------------------------------------------------------------------------

const count = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const amount = finite.min(0);
/** engine/sketch.ts's serial form; Sketch.fromJSON checks the rest (buckets, counts adding up). */
const SketchJSONSchema = z.strictObject({
  v: z.literal(1),
  count,
  min: amount.nullable(),
  max: amount.nullable(),
  sum_whole: count,
  sum_frac: count,
  index: z.array(count),
  counts: z.array(count),
});
/**
 * Tally fields that count (journeys, visits, events): whole numbers. Every other field of a tally
 * is a finite non-negative amount (minutes, risks, sums of squares). The field lists are the
 * tally's own (model/tally.ts), so a field added there is checked here too.
 */
const COUNTS = new Set<string>([
  "patients",
  "defectFree",
  "visits",
  "defects",
  "offHours",
  "occurrences",
  "caught",
  "withinTarget",
  "renegedVisits",
  "blockedVisits",
  "completed",
  "dropped",
  "guardStopped",
  "nearMisses",
  "events",
  "reneged",
  "worstSeverity",
  "died",
]);
const fieldsOf = <T>(fields: readonly string[], kind: (count: boolean) => T): Record<string, T> =>
  Object.fromEntries(fields.map((f) => [f, kind(COUNTS.has(f))]));
const sums = z.array(finite);
const tally = z.strictObject({
  arrays: z.strictObject(fieldsOf(ARRAY_FIELDS, (c) => z.array(c ? count : amount))),
  scalars: z.strictObject(fieldsOf(SCALAR_FIELDS, (c) => (c ? count : amount))),
  metrics: z.array(SketchJSONSchema),
  waits: z.array(SketchJSONSchema),
  weekly: z.array(z.tuple([count, count]).refine(([n, ok]) => ok <= n, "defect-free above journeys")),
  replications: z.array(
    z.strictObject({
      replication: count,
      patients: count,
      defectFree: count,
      riskSum: amount,
      window: amount,
      busy: z.array(amount),
      background: z.array(amount).optional(),
      available: z.array(amount).optional(),
      resources: z.array(z.strictObject({ busy: amount, background: amount, available: amount })).optional(),
      output: z
        .strictObject({
          patients: count,
          y: sums,
          x: sums,
          q: z.array(finite.nullable()),
          halves: z.strictObject({ y: sums, x: sums }).optional(),
          batchQ: z.array(finite.nullable()).optional(),
          microY: sums.optional(),
          microX: sums.optional(),
        })
        .optional(),
    }),
  ),
  blocked: z.array(SketchJSONSchema).optional(),
  output: z.strictObject({ batches: whole(1, MAX_PATIENTS), y: sums, x: sums }).nullish(),
});

const unit = z.strictObject({ index: count, from: count, to: count });

const envelope = z.strictObject({
  format: z.literal(PARTIAL_FORMAT, { error: `not a partial result of this format (${PARTIAL_FORMAT})` }),
  version: z.string().max(100),
  fingerprint: z.string().max(100),
  spec: z.unknown(),
  shard: z
    .strictObject({ k: whole(1, MAX_SHARDS), n: whole(1, MAX_SHARDS) })
    .refine((s) => s.k <= s.n, "k at most n"),
  wall_ms: amount,
  units: z.array(z.strictObject({ unit, tally })),
  // Only the warm-up choice is read (strictly); the load and warnings are rebuilt from the spec.
  context: z
    .looseObject({
      warmup: z.strictObject({
        minutes,
        method: z.enum(["scenario", "MSER-5", "none"]),
        pilot_patients: count.optional(),
        pilot_replications: count.optional(),
        truncated_patients: count.optional(),
        settled: z.boolean().optional(),
      }),
    })
    .optional(),
});

/** The first problem zod found, as `field: message`. */
function problem(error: z.ZodError, prefix: string): MergeError {
  const issue = error.issues[0]!;
  const path = [prefix, ...issue.path.map(String)].filter((p) => p !== "").join(".");
  return new MergeError(`${path === "" ? "" : `${path}: `}${issue.message}`);
}

// --- the checks ---------------------------------------------------------------------------------

/** Checks a parsed partial result (throws MergeError naming the field). */
export function checkPartial(json: unknown): PartialResult {
  const outer = envelope.safeParse(json);
  if (!outer.success) throw problem(outer.error, "");
  const inner = modelSpec.safeParse(outer.data.spec);
  if (!inner.success) throw problem(inner.error, "spec");
  // The file's own objects, not zod's copies: they hold the same values (strict objects: no key
  // is dropped) in the order they were written, which the fingerprint depends on.
  const spec = (json as { spec: ModelSpec }).spec;
  checkReferences(spec);
  const partial = { ...outer.data, spec } as PartialResult;
  if (fingerprint(spec) !== partial.fingerprint)
    throw new MergeError(
      "fingerprint: does not match the scenario the file holds (recomputed from its spec)",
    );
  try {
    checkWorkload(spec);
    compile(spec);
  } catch (error) {
    throw new MergeError(`spec: ${(error as Error).message}`);
  }
  const warmup = partial.context?.warmup;
  if (warmup !== undefined && warmup.minutes !== (spec.arrivals?.warmup ?? 0))
    throw new MergeError(
      `context.warmup.minutes: ${warmup.minutes}, the spec's warm-up is ${spec.arrivals?.warmup ?? 0}`,
    );
  checkUnits(partial);
  return warmup === undefined ? partial : { ...partial, context: { warmup } };
}

/** Every id defined once and every reference to one defined. */
function checkReferences(spec: ModelSpec): void {
  const fail = (where: string, message: string): never => {
    throw new MergeError(`spec.${where}: ${message}`);
  };
  const defined = (list: readonly { id: string }[], where: string): Set<string> => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.id)) fail(`${where}.${i}.id`, `"${x.id}" is defined twice`);
      seen.add(x.id);
    });
    return seen;
  };
  const ms = defined(spec.microsystems, "microsystems");
  const classes = defined(spec.classes, "classes");
  const resources = defined(spec.resources ?? [], "resources");
  defined(spec.metrics, "metrics");
  const known = (set: Set<string>, value: string | null | undefined, where: string): void => {
    if (value != null && !set.has(value)) fail(where, `"${value}" is not defined`);
  };
  const knownAll = (set: Set<string>, values: readonly string[] | null | undefined, where: string): void => {
    for (const v of values ?? []) known(set, v, where);
  };
  const milestone = (m: { kind: string; id?: string }, where: string): void => {
    if (m.kind === "microsystem") known(ms, m.id, `${where}.id`);
  };
  const modes = (list: ModelSpec["microsystems"][number]["failures"], where: string): void => {
    defined(list, where);
    list.forEach((f, i) => {
      known(ms, f.goto, `${where}.${i}.goto`);
      knownAll(classes, f.classes, `${where}.${i}.classes`);
      // `unless` names earlier modes of the same element (docs/semantics.md §3).
      const earlier = new Set(list.slice(0, i).map((m) => m.id));
      knownAll(earlier, f.unless, `${where}.${i}.unless`);
      (f.when ?? []).forEach((c, j) => {
        knownAll(classes, c.classes, `${where}.${i}.when.${j}.classes`);
      });
    });
  };
  spec.classes.forEach((c, i) => {
    known(ms, c.start, `classes.${i}.start`);
  });
  const share = spec.classes.reduce((a, c) => a + c.share, 0);
  if (Math.abs(share - 1) > 1e-9) fail("classes", `the shares add up to ${share}, not 1`);
  spec.microsystems.forEach((m, i) => {
    const where = `microsystems.${i}`;
    modes(m.failures, `${where}.failures`);
    m.next.forEach((r, j) => {
      known(ms, r.to, `${where}.next.${j}.to`);
      knownAll(classes, r.classes, `${where}.next.${j}.classes`);
    });
    known(resources, m.uses, `${where}.uses`);
    known(ms, m.maxWait?.goto, `${where}.maxWait.goto`);
    knownAll(classes, Object.keys(m.priority ?? {}), `${where}.priority`);
    knownAll(classes, Object.keys(m.timeByClass ?? {}), `${where}.timeByClass`);
  });
  const pairs = new Set<string>();
  spec.handoffs.forEach((h, i) => {
    const where = `handoffs.${i}`;
    known(ms, h.from, `${where}.from`);
    known(ms, h.to, `${where}.to`);
    const key = `${h.from}\u0000${h.to}`;
    if (pairs.has(key)) fail(where, `the handoff ${h.from} -> ${h.to} is defined twice`);
    pairs.add(key);
    modes(h.failures, `${where}.failures`);
    knownAll(classes, Object.keys(h.timeByClass ?? {}), `${where}.timeByClass`);
  });
  // Every route and goto has its handoff (the spec lists them all, declared or defaulted).
  const edge = (from: string, to: string, where: string): void => {
    if (!pairs.has(`${from}\u0000${to}`)) fail(where, `no handoff ${from} -> ${to}`);
  };
  spec.microsystems.forEach((m, i) => {
    for (const [j, r] of m.next.entries()) edge(m.id, r.to, `microsystems.${i}.next.${j}`);
  });
  if (spec.mortality !== null) {
    knownAll(classes, Object.keys(spec.mortality.base), "mortality.base");
    spec.mortality.delays.forEach((d, i) => {
      milestone(d.from, `mortality.delays.${i}.from`);
      milestone(d.to, `mortality.delays.${i}.to`);
    });
    const at = spec.mortality.decidedAt;
    if (at !== null && at !== undefined) {
      if (at.kind !== "microsystem") fail("mortality.decidedAt", "a microsystem milestone");
      milestone(at, "mortality.decidedAt");
    }
  }
  const terms = spec.mortality?.delays.length ?? 0;
  spec.parameters?.forEach((p, i) => {
    p.targets.forEach((t, j) => {
      if (t.kind === "rr_per_30min" && (t.term ?? 0) >= terms)
        fail(`parameters.${i}.targets.${j}`, "names a time-to-treatment term the mortality does not have");
    });
  });
  spec.metrics.forEach((m, i) => {
    milestone(m.from, `metrics.${i}.from`);
    milestone(m.to, `metrics.${i}.to`);
    knownAll(classes, m.classes, `metrics.${i}.classes`);
  });
  if (spec.replications > spec.patients) fail("replications", "more replications than patients");
  if (spec.arrivals === null && spec.replications !== 1) fail("replications", "1 without arrivals");
}

/** The units are exactly shard k of n's, and each tally fits the model and adds up. */
function checkUnits(partial: PartialResult): void {
  const expected = shardUnits(units(partial.spec), partial.shard);
  if (partial.units.length !== expected.length)
    throw new MergeError(
      `units: shard ${partial.shard.k} of ${partial.shard.n} has ${expected.length} units, the file ${partial.units.length}`,
    );
  const model = compile(partial.spec);
  const empty = new Tally(model);
  const queued = partial.spec.arrivals !== null;
  partial.units.forEach(({ unit, tally }, i) => {
    const want = expected[i]!;
    const where = `units.${i}`;
    if (unit.index !== want.index || unit.from !== want.from || unit.to !== want.to)
      throw new MergeError(
        `${where}.unit: not unit ${want.index} (patients ${want.from} to ${want.to}) of shard ${partial.shard.k} of ${partial.shard.n}`,
      );
    const fail = (field: string, message: string): never => {
      throw new MergeError(`${where}.tally${field === "" ? "" : `.${field}`}: ${message}`);
    };
    for (const f of ARRAY_FIELDS) {
      const n = empty[f].length;
      if (tally.arrays[f].length !== n)
        fail(`arrays.${f}`, `${tally.arrays[f].length} values, the model has ${n}`);
    }
    const a = tally.arrays;
    const s = tally.scalars;
    a.defectFree.forEach((ok, c) => {
      if (ok > a.patients[c]!) fail(`arrays.defectFree.${c}`, "more defect-free journeys than journeys");
    });
    a.caught.forEach((c, m) => {
      if (c > a.occurrences[m]!) fail(`arrays.caught.${m}`, "more caught than occurred");
    });
    const patients = a.patients.reduce((x, y) => x + y, 0);
    if (!queued && patients !== unit.to - unit.from)
      fail("arrays.patients", `${patients} journeys, the unit has ${unit.to - unit.from}`);
    const ended = s.completed + s.dropped + s.guardStopped + s.reneged + s.died;
    if (ended !== patients)
      fail("scalars", `${ended} journeys ended (completed, dropped, stopped, reneged, died) of ${patients}`);
    if (s.deaths > patients) fail("scalars.deaths", "more deaths than journeys");
    if (s.died > s.deaths) fail("scalars.died", "more journeys ended by death than deaths");
    const withDefect = a.worstSeverity.reduce((x, y) => x + y, 0);
    const clean = a.defectFree.reduce((x, y) => x + y, 0);
    if (withDefect + clean !== patients)
      fail(
        "arrays.worstSeverity",
        `${withDefect} journeys with a defect and ${clean} without, of ${patients}`,
      );
    if (tally.metrics.length !== model.metricSlots.length) fail("metrics", "does not fit the model");
    if (tally.waits.length !== model.microsystems.length) fail("waits", "does not fit the model");
    const weeks = tally.weekly.reduce((x, [n]) => x + n, 0);
    if (weeks > patients) fail("weekly", `${weeks} journeys by week, ${patients} in all`);
    try {
      tallyFromJSON(model, tally);
    } catch (error) {
      fail("", (error as Error).message);
    }
    for (const r of tally.replications) {
      if (r.busy.length !== model.microsystems.length) fail("replications.busy", "does not fit the model");
      if (r.defectFree > r.patients) fail("replications", "more defect-free journeys than journeys");
    }
  });
}

// The scenario file format v1, as users write it: ONE zod schema gives the TypeScript types, the
// validation and the JSON Schema editors use. Every error message here is the "expected …" half of
// an issue ("found 1.4, expected a probability in [0, 1] or a percent string"); `schema-issues.ts`
// adds the "found" half and the location. Cross-references (ids, routes, sums) are checked after
// the schema, in `checks/`, because they need the whole file.

import { z } from "zod";
import { weekCoverage } from "../model/rules.js";
import { DEFAULT_SEVERITY, SEVERITIES } from "../model/spec.js";
import { idRecord } from "./id-record.js";
import { withVariants } from "./json-schema.js";
import {
  MAX_ID_LENGTH,
  MAX_NAME_LENGTH,
  MAX_PATH_LENGTH,
  MAX_PATIENTS,
  MAX_PER_DAY,
  MAX_TEXT,
  MAX_VISITS,
} from "./limits.js";
import {
  CLOCK_PATTERN,
  CLOSE_PATTERN,
  DAY_NAMES,
  dayIndex,
  PERCENT_PATTERN,
  parseClock,
  parseProbability,
  parseTime,
  TIME_PATTERN,
} from "./units.js";

/** The "expected" phrases shared by schemas and checks. */
export const EXPECT = {
  time: 'a non-negative time: minutes, or a number with a unit such as "45 s", "30 min", "1.5 h", "3 d", "2 wk"',
  probability: "a probability in [0, 1] or a percent string",
  distribution:
    "a time distribution: a time, {median, p90}, {mean}, {min, mode, max}, {min, max} or {mean, sd}",
  id: "an id: a letter or _, then letters, digits, _ or -",
  milestone: "a milestone: journey.start or <microsystem>.arrive, .start or .end",
  microsystemMilestone: "a milestone of a microsystem: <microsystem>.arrive, .start or .end",
  clock: 'a clock time "HH:MM" from 00:00 to 23:59',
  close: 'a clock time "HH:MM" from 00:00 to 24:00 (24:00 = the end of the day)',
  day: `a day: ${DAY_NAMES.join(", ")}`,
  boolean: "true or false",
  text: "a text",
} as const;

const ID_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const MICROSYSTEM_MILESTONE_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*\.(arrive|start|end)$/;
const MILESTONE_PATTERN = /^(journey\.start|[A-Za-z_][A-Za-z0-9_-]*\.(arrive|start|end))$/;

export { MAX_PATIENTS, MAX_PER_DAY } from "./limits.js";

const text = (description: string, max = MAX_NAME_LENGTH) =>
  z
    .string({ error: EXPECT.text })
    .max(max, { error: `a text of at most ${max} characters`, abort: true })
    .describe(description);
const id = (description: string) =>
  z
    .string({ error: EXPECT.id })
    .max(MAX_ID_LENGTH, { error: `an id of at most ${MAX_ID_LENGTH} characters`, abort: true })
    .regex(ID_PATTERN, { error: EXPECT.id })
    .describe(description);
const idList = (description: string) =>
  z
    .array(id("An id."), { error: `a list of ids` })
    .min(1, { error: "a non-empty list of ids" })
    .describe(description);
const integer = (min: number, max: number, expected: string) =>
  z
    .number({ error: expected })
    .int({ error: expected })
    .min(min, { error: expected })
    .max(max, { error: expected });
const positiveNumber = (expected: string) => z.number({ error: expected }).positive({ error: expected });
const flag = (description: string) =>
  z.boolean({ error: EXPECT.boolean }).default(false).describe(description);

// ---------------------------------------------------------------------------------------------
// Times, probabilities, distributions

/** Whether a value being parsed is text of the given pattern (to run a refinement only then). */
const matches = (pattern: RegExp, value: unknown): boolean =>
  typeof value === "string" && pattern.test(value);

/**
 * The longest time any field may hold, in minutes: 100 years. Longer is a typo (an extra zero, a
 * wrong unit); unbounded, a lognormal's tail or a delay model overflows to Infinity and NaN.
 */
export const MAX_TIME_MINUTES = 100 * 365 * 24 * 60;
const TOO_LONG = "a time of at most 100 years (36500 d)";

export const timeSchema = z
  .union(
    [
      z
        .number({ error: EXPECT.time })
        .min(0, { error: EXPECT.time })
        .max(MAX_TIME_MINUTES, { error: TOO_LONG }),
      z
        .string({ error: EXPECT.time })
        .regex(TIME_PATTERN, { error: EXPECT.time })
        .refine((t) => (parseTime(t) ?? 0) <= MAX_TIME_MINUTES, {
          error: TOO_LONG,
          when: (payload) => matches(TIME_PATTERN, payload.value),
        }),
    ],
    { error: EXPECT.time },
  )
  .meta({
    id: "Time",
    description:
      "A time: a bare number is minutes; or a number with a unit: s, min, h, d, wk (e.g. 30 min, 1.5 h).",
  });

/**
 * A whole number from 2 to 100 written for a probability is almost always a percentage without its
 * sign (`p: 15` for 15%): say how to write it. (1.5 could as well be 0.15 or 1.5%: no guess.)
 */
function probabilityExpected(issue: { input?: unknown }): string {
  const x = issue.input;
  return typeof x === "number" && Number.isInteger(x) && x > 1 && x <= 100
    ? `${EXPECT.probability} (did you mean "${x}%"?)`
    : EXPECT.probability;
}

export const probabilitySchema = z
  .union(
    [
      z
        .number({ error: EXPECT.probability })
        .min(0, { error: EXPECT.probability })
        .max(1, { error: probabilityExpected }),
      z
        .string({ error: EXPECT.probability })
        .regex(PERCENT_PATTERN, { error: EXPECT.probability })
        // Only for percentages: text that is not one at all gets one message, not also "up to 100%".
        .refine((s) => parseProbability(s) !== null, {
          error: `${EXPECT.probability} up to 100%`,
          when: (payload) => matches(PERCENT_PATTERN, payload.value),
        }),
    ],
    { error: EXPECT.probability },
  )
  .meta({
    id: "Probability",
    description: 'A probability: a number in [0, 1] or a percent string such as "5%".',
  });

type Ctx = z.core.$RefinementCtx;
type TimeValue = number | string;

/** Adds an issue at `key` unless `ok`; parameters that are not valid times were reported already. */
function expectThat(ctx: Ctx, ok: boolean, key: string, expected: string): void {
  if (!ok) ctx.addIssue({ code: "custom", path: [key], message: expected });
}
const minutes = (t: TimeValue): number => parseTime(t) ?? Number.NaN;
/** A time as the user wrote it, for messages; a bare number is minutes, so say so. */
const shown = (t: TimeValue): string => (typeof t === "number" ? `${t} min` : t.trim());

const lognormal = z
  .strictObject({
    median: timeSchema.describe("Median time (half of the times are shorter)."),
    p90: timeSchema.describe("90th percentile: 9 times out of 10 are shorter. Must exceed the median."),
  })
  .superRefine((d, ctx) => {
    const [median, p90] = [minutes(d.median), minutes(d.p90)];
    expectThat(ctx, !(median <= 0), "median", "a median greater than 0");
    expectThat(ctx, !(p90 <= median), "p90", `a p90 greater than the median (${shown(d.median)})`);
  })
  .describe("Lognormal distribution given by its median and 90th percentile.");

const exponential = z
  .strictObject({ mean: timeSchema.describe("Mean time.") })
  .superRefine((d, ctx) => expectThat(ctx, !(minutes(d.mean) <= 0), "mean", "a mean greater than 0"))
  .describe("Exponential distribution given by its mean.");

const triangular = z
  .strictObject({
    min: timeSchema.describe("Shortest time."),
    mode: timeSchema.describe("Most likely time, between min and max."),
    max: timeSchema.describe("Longest time, greater than min."),
  })
  .superRefine((d, ctx) => {
    const [min, mode, max] = [minutes(d.min), minutes(d.mode), minutes(d.max)];
    expectThat(ctx, !(max <= min), "max", `a max greater than the min (${shown(d.min)})`);
    expectThat(
      ctx,
      !(mode < min || mode > max),
      "mode",
      `a mode between min and max (${shown(d.min)} and ${shown(d.max)})`,
    );
  })
  .describe("Triangular distribution.");

const uniform = z
  .strictObject({
    min: timeSchema.describe("Shortest time."),
    max: timeSchema.describe("Longest time, greater than min."),
  })
  .superRefine((d, ctx) =>
    expectThat(
      ctx,
      !(minutes(d.max) <= minutes(d.min)),
      "max",
      `a max greater than the min (${shown(d.min)})`,
    ),
  )
  .describe("Uniform distribution between min and max.");

const gamma = z
  .strictObject({
    mean: timeSchema.describe("Mean time."),
    sd: timeSchema.describe("Standard deviation."),
  })
  .superRefine((d, ctx) => {
    expectThat(ctx, !(minutes(d.mean) <= 0), "mean", "a mean greater than 0");
    expectThat(ctx, !(minutes(d.sd) <= 0), "sd", "a standard deviation greater than 0");
  })
  .describe("Gamma distribution given by its mean and standard deviation.");

export const distributionSchema = z
  .union([timeSchema, lognormal, exponential, triangular, uniform, gamma], { error: EXPECT.distribution })
  .meta({
    id: "Distribution",
    description:
      "A time distribution, chosen by its keys: a time (fixed), {median, p90} lognormal, {mean} exponential, " +
      "{min, mode, max} triangular, {min, max} uniform, {mean, sd} gamma.",
  });

/** `{ by_class: { <class>: distribution, default: distribution } }`: a time that depends on the class. */
const byClassTime = z
  .strictObject({
    by_class: idRecord(id("A class id, or `default`."), distributionSchema, {
      error: "a mapping from class id (or default) to a time distribution",
    }).describe("A time distribution per class id; `default` for the classes not listed."),
  })
  .describe("A time that depends on the patient's class.");

/** A service or transfer time: a distribution, or one per class. */
export const stepTimeSchema = z
  .union([...distributionSchema.options, byClassTime], { error: EXPECT.distribution })
  .meta({
    id: "StepTime",
    description:
      "A time distribution, or { by_class: { <class>: <distribution>, default: <distribution> } }.",
  });

/** `off_hours_delay`: an on-call delay (a distribution), or `until_open`. */
const offHoursSchema = z
  .union([z.literal("until_open", { error: "until_open" }), ...distributionSchema.options], {
    error: `until_open, or ${EXPECT.distribution}`,
  })
  .describe(
    "Outside staffed hours: until_open (no service starts before the next opening), or an extra on-call delay (a time distribution).",
  );

// ---------------------------------------------------------------------------------------------
// Capacity (issue 12): places by shift, priorities, other patients, time by class, reneging

/** The largest queue priority: priorities order patients; a billion levels is more than enough. */
const MAX_PRIORITY = 1_000_000;
const clockText = (description: string) =>
  z.string({ error: EXPECT.clock }).regex(CLOCK_PATTERN, { error: EXPECT.clock }).describe(description);
const dayList = (description: string) =>
  z
    .array(z.enum(DAY_NAMES, { error: EXPECT.day }), { error: "a list of days" })
    .min(1, { error: "a non-empty list of days" })
    .describe(description);
const priorityValue = (description: string) =>
  integer(-MAX_PRIORITY, MAX_PRIORITY, `a whole number from -${MAX_PRIORITY} to ${MAX_PRIORITY}`).describe(
    description,
  );

const hourWeights = z
  .array(z.number({ error: "a non-negative weight" }).min(0, { error: "a non-negative weight" }), {
    error: "a list of 24 weights",
  })
  .length(24, { error: "a list of 24 weights, one per hour from 00:00" })
  .refine((w) => w.some((x) => x > 0), { error: "24 weights, not all 0" })
  .describe("24 relative weights for the hours of the day, from 00:00 (default: flat).");

const dayWeights = z
  .array(z.number({ error: "a non-negative weight" }).min(0, { error: "a non-negative weight" }), {
    error: "a list of 7 weights",
  })
  .length(7, { error: "a list of 7 weights, one per day from Monday" })
  .refine((w) => w.some((x) => x > 0), { error: "7 weights, not all 0" })
  .describe(
    "7 relative weights for the days of the week, Monday first, multiplied with by_hour (default: flat).",
  );

const shiftSchema = z
  .strictObject({
    from: clockText('Start of the shift "HH:MM".'),
    to: clockText('End of the shift "HH:MM"; at or before `from` runs past midnight (equal: 24 hours).'),
    n: integer(0, Number.MAX_SAFE_INTEGER, "a whole number of places, 0 or more").describe(
      "Places during the shift.",
    ),
    days: dayList("Days on which the shift starts (default: every day).").optional(),
  })
  .describe("A staffing shift.");

const MINUTES_PER_DAY = 1440;
const dayClock = (minuteOfWeek: number): string => {
  const day = Math.floor(minuteOfWeek / MINUTES_PER_DAY) % 7;
  const m = minuteOfWeek % MINUTES_PER_DAY;
  return `${DAY_NAMES[day]} ${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
};
/** "mon 20:00–22:00", or "fri 20:00–mon 08:00" across days. */
const stretch = (a: number, b: number): string => {
  const from = dayClock(a);
  const to = dayClock(b % (7 * MINUTES_PER_DAY));
  return from.slice(0, 3) === to.slice(0, 3) && b - a < MINUTES_PER_DAY
    ? `${from}–${to.slice(4)}`
    : `${from}–${to}`;
};

/** The shifts must cover the week exactly once, and give somebody a place at some time. */
function checkShifts(shifts: z.infer<typeof shiftSchema>[], ctx: Ctx): void {
  const spans = shifts.map((s) => ({
    from: parseClock(s.from) ?? 0,
    to: parseClock(s.to) ?? 0,
    days: [...new Set((s.days ?? DAY_NAMES).map(dayIndex))],
  }));
  const { gaps, overlap } = weekCoverage(spans);
  if (overlap !== null)
    ctx.addIssue({
      code: "custom",
      path: [overlap.second],
      message: `shifts that do not overlap (this one and capacity[${overlap.first}] both cover ${dayClock(overlap.at)})`,
    });
  if (gaps.length > 0) {
    const shown = gaps.slice(0, 3).map(([a, b]) => stretch(a, b));
    const more = gaps.length > 3 ? ` and ${gaps.length - 3} more` : "";
    ctx.addIssue({
      code: "custom",
      path: [],
      message: `shifts that cover the whole week (not covered: ${shown.join(", ")}${more})`,
    });
  }
  if (shifts.every((s) => s.n === 0))
    ctx.addIssue({
      code: "custom",
      path: [],
      message: "a shift with at least 1 place (with none, nobody is ever served)",
    });
}

export const capacitySchema = z
  .union(
    [
      integer(1, Number.MAX_SAFE_INTEGER, "a positive whole number of patients"),
      z
        .array(shiftSchema, { error: "a list of shifts" })
        .min(1, { error: "a non-empty list of shifts" })
        .superRefine(checkShifts),
    ],
    { error: "a positive whole number of patients, or a list of shifts { from, to, n, days }" },
  )
  .meta({
    id: "Capacity",
    description:
      "Places (patients served at once): a whole number, or shifts [{ from, to, n, days }] that cover the week without overlap.",
  });

export const backgroundSchema = z
  .strictObject({
    per_day: positiveNumber(`a positive number of patients per day, at most ${MAX_PER_DAY}`)
      .max(MAX_PER_DAY, { error: `a positive number of patients per day, at most ${MAX_PER_DAY}` })
      .describe("Mean arrivals of other patients per day (Poisson)."),
    time: distributionSchema.describe("How long each of them holds a place."),
    by_hour: hourWeights.optional(),
    by_day: dayWeights.optional(),
    priority: priorityValue("Their queue priority (default 0).").optional(),
  })
  .describe("Other patients who use the same places and are never counted in the pathway's figures.");

const renegeSchema = z
  .union(
    [
      z.literal("leave", { error: "leave" }),
      z.strictObject({ goto: id("Microsystem the patient goes to instead (through the handoff to it).") }),
    ],
    { error: "leave, or { goto: <microsystem id> }" },
  )
  .describe("What a patient who waited max_wait does: leave (the journey ends) or go elsewhere.");

/** `max_wait`, `then`, `defect`: reneging, in the microsystem's own keys. */
const renegeKeys = {
  max_wait: timeSchema
    .refine((t) => (parseTime(t) ?? 0) > 0, {
      error: "a time greater than 0",
      when: (payload) => parseTime(payload.value as TimeValue) !== null,
    })
    .optional()
    .describe("A patient who waits this long for a place (opening hours included) leaves the queue."),
  // biome-ignore lint/suspicious/noThenProperty: the key users write; its value is never a function, so no object is thenable
  then: renegeSchema.optional(),
  defect: z
    .boolean({ error: EXPECT.boolean })
    .optional()
    .describe("Whether leaving the queue counts as a defect of this microsystem (default true)."),
};

// ---------------------------------------------------------------------------------------------
// Uncertain inputs and costs (docs/semantics.md §9–10). A probability may be written from audit
// counts or as a Beta; a multiplier as a published estimate with its 95% interval (lognormal).
// Any of them may carry an `id`: every field written with the same id is one parameter.

const parameterId = () =>
  id("Parameter id: every uncertain value written with this id is one parameter (one draw).").optional();

/** Beta(k + 1, n − k + 1): the posterior of a uniform prior after k events in n. */
const observedSchema = z
  .strictObject({
    observed: integer(0, Number.MAX_SAFE_INTEGER, "a whole number of events, 0 or more").describe(
      "Events counted (e.g. failed handoffs in an audit).",
    ),
    of: integer(1, Number.MAX_SAFE_INTEGER, "a whole number of cases, at least 1").describe(
      "Cases looked at (e.g. handoffs audited).",
    ),
    id: parameterId(),
  })
  .superRefine((d, ctx) =>
    expectThat(ctx, !(d.observed > d.of), "observed", `at most the number of cases (of: ${d.of})`),
  )
  .describe("A probability known from counts: Beta(observed + 1, of − observed + 1).");

const positiveShape = z
  .number({ error: "a positive number" })
  .positive({ error: "a positive number" })
  .max(1e9, { error: "a positive number up to 1e9" });

const betaSchema = z
  .strictObject({
    beta: z
      .tuple([positiveShape, positiveShape], { error: "a list of two positive numbers [a, b]" })
      .describe("Shape parameters [a, b]; the mean is a / (a + b)."),
    id: parameterId(),
  })
  .describe("A probability with a Beta(a, b) distribution.");

export const uncertainProbabilitySchema = z
  .union([probabilitySchema, observedSchema, betaSchema], {
    error: `${EXPECT.probability}, { observed, of } or { beta: [a, b] }`,
  })
  .meta({
    id: "UncertainProbability",
    description:
      "A probability: a number, a percent string, { observed: k, of: n } (Beta(k+1, n−k+1)) or { beta: [a, b] }.",
  });

/**
 * How far the median may sit from the interval's geometric centre √(lo·hi), as a share of the
 * interval's half-width on the log scale: further, and the interval is not a lognormal's.
 */
export const LOGNORMAL_CENTRE_TOLERANCE = 0.25;

const lognormalMultiplierSchema = z
  .strictObject({
    median: z.number({ error: "a positive number" }).positive({ error: "a positive number" }),
    ci95: z
      .tuple(
        [
          z.number({ error: "a positive number" }).positive({ error: "a positive number" }),
          z.number({ error: "a positive number" }).positive({ error: "a positive number" }),
        ],
        { error: "a list of two positive numbers [lower, upper]" },
      )
      .describe("The 95% interval [lower, upper], as published."),
    id: parameterId(),
  })
  .superRefine((d, ctx) => {
    const [lo, hi] = d.ci95;
    if (!(lo < hi)) return expectThat(ctx, false, "ci95", "an interval [lower, upper] with lower < upper");
    if (!(lo < d.median && d.median < hi))
      return expectThat(ctx, false, "median", `a median inside the interval [${lo}, ${hi}]`);
    const half = Math.log(hi / lo) / 2;
    const off = Math.abs(Math.log(d.median) - (Math.log(lo) + Math.log(hi)) / 2);
    const centre = Number(Math.sqrt(lo * hi).toPrecision(4));
    expectThat(
      ctx,
      off <= LOGNORMAL_CENTRE_TOLERANCE * half,
      "median",
      `a median near √(lower·upper) = ${centre}: the interval of a lognormal is symmetric on the log scale ` +
        `(allowed: within ${LOGNORMAL_CENTRE_TOLERANCE * 100}% of its half-width there)`,
    );
  })
  .describe("A multiplier with a lognormal distribution, from its median and 95% interval.");

/** A multiplier: a number ≥ `min`, or { median, ci95 } (lognormal). */
function multiplierSchema(expected: string, positive: boolean) {
  const fixed = positive
    ? z.number({ error: expected }).positive({ error: expected })
    : z.number({ error: expected }).min(0, { error: expected });
  return z
    .union([fixed, lognormalMultiplierSchema], { error: `${expected}, or { median, ci95: [lower, upper] }` })
    .meta({
      description: "A multiplier: a number, or { median, ci95: [lower, upper] } (lognormal).",
    });
}

const amount = (description: string) =>
  z
    .number({ error: "a non-negative amount" })
    .min(0, { error: "a non-negative amount" })
    .max(1e12, { error: "an amount up to 1e12" })
    .describe(description);

const microsystemCostSchema = z
  .strictObject({
    per_visit: amount("Cost of each visit.").optional(),
    per_hour: amount(
      "Cost per hour of stay: from gaining a place to leaving (off-hours delay, service, failure time).",
    ).optional(),
    per_hour_waiting: amount("Cost per hour waiting for a place (with arrivals and a capacity).").optional(),
  })
  .describe("What a visit costs, in the scenario's currency.");

const handoffCostSchema = z
  .strictObject({ per_transfer: amount("Cost of each transfer.").optional() })
  .describe("What a transfer costs, in the scenario's currency.");

const programmeCostSchema = z
  .strictObject({
    per_year: amount("Fixed cost a year (needs volume_per_year to share it out per patient).").optional(),
    per_patient: amount("Cost per patient.").optional(),
  })
  .describe("What a change (a variant) costs to run.");

// ---------------------------------------------------------------------------------------------
// Elements

/** One item of a failure mode's `when`: the keys it asks about (all must hold) and the `p` it sets. */
export const conditionSchema = z
  .strictObject({
    off_hours: z
      .boolean({ error: EXPECT.boolean })
      .optional()
      .describe(
        "true: the visit starts outside the element's staffed hours (false: inside them). A handoff is judged by its own `hours`, else the sending microsystem's.",
      ),
    load_at_least: z
      .number({ error: "a non-negative load (patients in service and waiting per place)" })
      .min(0, { error: "a non-negative load (patients in service and waiting per place)" })
      .max(1e6, { error: "a load of at most 1000000" })
      .optional()
      .describe(
        "(patients in service + waiting) / capacity found on arrival, before joining, at least this (a handoff: the sending microsystem's).",
      ),
    waited_at_least: timeSchema
      .optional()
      .describe(
        "The wait for capacity before this visit's service, at least this (a handoff: the sending microsystem's).",
      ),
    classes: idList("The patient is of one of these classes.").optional(),
    p: probabilitySchema.describe("The mode's probability for a visit that meets this condition."),
  })
  .refine(
    (c) =>
      c.off_hours !== undefined ||
      c.load_at_least !== undefined ||
      c.waited_at_least !== undefined ||
      c.classes !== undefined,
    { error: "a condition: at least one of off_hours, load_at_least, waited_at_least or classes, with p" },
  )
  .meta({ id: "Condition", description: "A condition that sets a failure mode's p for a visit." });

export const failureModeSchema = z
  .strictObject({
    id: id("Failure mode id, unique within its microsystem or handoff."),
    name: text("Human-readable name (default: the id).").optional(),
    p: uncertainProbabilitySchema.describe(
      "Probability that it occurs, per visit (microsystem) or per transfer (handoff).",
    ),
    classes: idList("Patient classes it applies to (default: all).").optional(),
    detect: uncertainProbabilitySchema
      .default(0)
      .describe("Probability that an occurrence is caught (a near miss)."),
    recover_time: distributionSchema.optional().describe("Time a caught occurrence costs."),
    delay: distributionSchema.optional().describe("Time an uncaught occurrence (a defect) costs."),
    harm: multiplierSchema("a non-negative risk multiplier", false)
      .default(1)
      .describe("Multiplier on the patient's outcome risk for a defect."),
    drop: flag("A defect ends the journey (lost to follow-up)."),
    goto: id("A defect sends the patient to this microsystem instead of the normal route.").optional(),
    unless: idList(
      "Ids of earlier failure modes of the same microsystem or handoff: this one is drawn only when none of them produced a defect on this visit.",
    ).optional(),
    when: z
      .array(conditionSchema, { error: "a list of conditions" })
      .min(1, { error: "a non-empty list of conditions" })
      .optional()
      .describe("Conditions that set p for a visit: the first that holds wins; otherwise `p`."),
    severity: z
      .enum(SEVERITIES, { error: `a severity: ${SEVERITIES.join(", ")}` })
      .optional()
      .describe(
        `How badly a defect harms the patient, on the AHRQ Common Formats harm scale (default: ${DEFAULT_SEVERITY}).`,
      ),
    relative_risk: multiplierSchema("a positive relative risk", true)
      .optional()
      .describe("Multiplies `p`: a change's effect (e.g. a variant's published relative risk)."),
    cost: amount("Cost of each defect (an uncaught occurrence).").optional(),
    caught_cost: amount("Cost of each caught occurrence (a near miss).").optional(),
  })
  .meta({ id: "FailureMode", description: "A way a step or handoff fails." });

const failures = z
  .array(failureModeSchema, { error: "a list of failure modes" })
  .describe("Failure modes, drawn independently of each other.");

export const routeSchema = z
  .strictObject({
    to: id("Microsystem the patient goes to."),
    p: probabilitySchema
      .optional()
      .describe(
        "Share of the eligible patients taking this route; may be omitted for a single eligible route.",
      ),
    classes: idList(
      "Classes this route is reserved for (default: the classes without a reserved route).",
    ).optional(),
  })
  .describe("A route onward.");

/** `open: "24:00"` is a day that ends as it opens: say how to write "from midnight". */
function openExpected(issue: { input?: unknown }): string {
  return issue.input === "24:00"
    ? `${EXPECT.clock} (24:00 closes a day; a day opens at "00:00")`
    : EXPECT.clock;
}

const hoursSchema = z
  .strictObject({
    open: z
      .string({ error: EXPECT.clock })
      .regex(CLOCK_PATTERN, { error: openExpected })
      .describe('Opening time "HH:MM".'),
    close: z
      .string({ error: EXPECT.close })
      .regex(CLOSE_PATTERN, { error: EXPECT.close })
      .describe(
        'Closing time "HH:MM", or "24:00" for the end of the day ("00:00" to "24:00" is always staffed); at or before `open` means the shift runs past midnight.',
      ),
    days: z
      .array(z.enum(DAY_NAMES, { error: EXPECT.day }), { error: "a list of days" })
      .min(1, { error: "a non-empty list of days" })
      .optional()
      .describe("Days on which a shift opens (default: every day)."),
  })
  .describe("Staffed hours; outside them `off_hours_delay` applies.");

export const microsystemSchema = z
  .strictObject({
    id: id("Microsystem id, unique in the scenario."),
    name: text("Human-readable name (default: the id).").optional(),
    time: stepTimeSchema.describe("Service time."),
    capacity: capacitySchema
      .optional()
      .describe(
        "Patients served at once, or places by shift (default: unlimited). Applies only with `arrivals`.",
      ),
    hours: hoursSchema.optional(),
    off_hours_delay: offHoursSchema.optional(),
    failures: failures.optional(),
    next: z
      .array(routeSchema, { error: "a list of routes" })
      .optional()
      .describe("Routes onward (default: the next microsystem in the list; [] ends the journey)."),
    cost: microsystemCostSchema.optional(),
    // Capacity (issue 12)
    uses: id("A shared resource (`resources`) whose places it uses, instead of its own capacity.").optional(),
    blocking: z
      .boolean({ error: EXPECT.boolean })
      .optional()
      .describe("A patient who has finished here keeps its place until the next microsystem has one."),
    priority: idRecord(id("Class id."), priorityValue("Queue priority here."), {
      error: "a mapping from class id to a whole number",
    })
      .optional()
      .describe("Queue priority per class here, overriding classes[].priority (higher is served first)."),
    background: backgroundSchema.optional(),
    ...renegeKeys,
  })
  .describe("A front-line unit of care.");

export const classSchema = z
  .strictObject({
    id: id("Patient class id."),
    share: probabilitySchema.describe("Share of the patients in this class; the shares sum to 1."),
    start: id("Microsystem where journeys of this class start (default: the scenario's start).").optional(),
    priority: priorityValue(
      "Queue priority: higher is served first, ties first come first served, never preemptive (default 0).",
    ).optional(),
  })
  .describe("A patient class.");

export const handoffSchema = z
  .strictObject({
    from: id("Microsystem the transfer leaves."),
    to: id("Microsystem the transfer reaches."),
    time: stepTimeSchema.optional().describe("Transfer time (default: handoff_defaults.time, else 0)."),
    failures: failures.optional(),
    hours: hoursSchema
      .optional()
      .describe(
        "Staffed hours that off_hours conditions of its failure modes use (default: the sending microsystem's).",
      ),
    cost: handoffCostSchema.optional(),
  })
  .describe("A handoff between two microsystems; fields left out come from handoff_defaults.");

const milestone = (description: string) =>
  z
    .string({ error: EXPECT.milestone })
    .regex(MILESTONE_PATTERN, { error: EXPECT.milestone })
    .describe(`${description} journey.start or <microsystem>.arrive|start|end (first visit).`);

export const metricSchema = z
  .strictObject({
    id: id("Metric id."),
    name: text("Human-readable name (default: the id).").optional(),
    from: milestone("Milestone where the interval starts:"),
    to: milestone("Milestone where the interval ends:"),
    target: timeSchema.optional().describe("Target interval; the share of journeys within it is reported."),
    classes: idList("Only journeys of these classes (default: every class).").optional(),
  })
  .describe("An interval between two milestones.");

const arrivalsSchema = z
  .strictObject({
    per_day: positiveNumber(`a positive number of patients per day, at most ${MAX_PER_DAY}`)
      .max(MAX_PER_DAY, { error: `a positive number of patients per day, at most ${MAX_PER_DAY}` })
      .describe("Mean arrivals per day (Poisson)."),
    by_hour: hourWeights.optional(),
    warmup: timeSchema
      .optional()
      .describe(
        "Journeys starting before this time are left out of every statistic (default: chosen by the run from its own output, MSER-5).",
      ),
    by_day: dayWeights.optional(),
  })
  .describe("Patients arrive by a Poisson process and compete for capacity.");

const delayTermSchema = z
  .strictObject({
    from: milestone("Start of the time-to-treatment interval:"),
    to: milestone("End of the time-to-treatment interval:"),
    reference: timeSchema.describe("Interval at which the risk is the base risk."),
    rr_per_30min: multiplierSchema("a positive relative risk", true).describe(
      "Relative risk per 30 minutes beyond (or before) the reference.",
    ),
  })
  .meta({ id: "DelayTerm", description: "A time-to-treatment term of the mortality model." });

const mortalitySchema = z
  .strictObject({
    base: z
      .union(
        [
          uncertainProbabilitySchema,
          idRecord(id("Class id."), uncertainProbabilitySchema, { error: "a mapping of class ids" }),
        ],
        {
          error: `${EXPECT.probability} (or { observed, of } or { beta: [a, b] }), or a mapping from class id to one`,
        },
      )
      .describe("Base 30-day mortality risk: one for all classes, or one per class id."),
    delay: z
      .union([delayTermSchema, z.array(delayTermSchema, { error: "a list of time-to-treatment terms" })], {
        error: "a time-to-treatment term {from, to, reference, rr_per_30min}, or a list of them",
      })
      .optional()
      .describe("Risk grows with time-to-treatment intervals: one term, or a list whose factors multiply."),
    decided_at: z
      .string({ error: EXPECT.microsystemMilestone })
      .regex(MICROSYSTEM_MILESTONE_PATTERN, { error: EXPECT.microsystemMilestone })
      .refine((m) => !m.startsWith("journey."), {
        error: `${EXPECT.microsystemMilestone} (journey.start is where every journey begins: no death is drawn there)`,
      })
      .optional()
      .describe(
        "Where the 30-day death is drawn: <microsystem>.arrive|start|end (first visit); a death there ends the journey. Default: the end of the journey.",
      ),
  })
  .describe("30-day mortality model.");

export const resourceSchema = z
  .strictObject({
    id: id("Resource id, unique among the resources."),
    name: text("Human-readable name (default: the id).").optional(),
    capacity: capacitySchema.describe("Its places: a whole number, or shifts."),
  })
  .describe("A pool of places (beds, a scanner, a team) shared by the microsystems that `use` it.");

// ---------------------------------------------------------------------------------------------
// The file

export const scenarioSchema = z
  .strictObject({
    $schema: text("JSON Schema of this file, for editors; ignored.", MAX_PATH_LENGTH).optional(),
    name: z
      .string({ error: "a non-empty name" })
      .min(1, { error: "a non-empty name" })
      .max(MAX_NAME_LENGTH, { error: `a name of at most ${MAX_NAME_LENGTH} characters` })
      .describe("Scenario name."),
    description: text("Free text.", MAX_TEXT).optional(),
    extends: text(
      "Scenario file to start from, relative to this file; lists merge by id.",
      MAX_PATH_LENGTH,
    ).optional(),
    seed: integer(0, Number.MAX_SAFE_INTEGER, "a non-negative whole number")
      .default(1)
      .describe("Random seed."),
    patients: integer(1, MAX_PATIENTS, `a whole number of patients from 1 to ${MAX_PATIENTS}`)
      .default(10000)
      .describe("Journeys to simulate, in total over the replications."),
    classes: z
      .array(classSchema, { error: "a list of classes" })
      .min(1, { error: "a non-empty list of classes" })
      .optional()
      .describe("Patient classes (default: one class `all`)."),
    arrivals: arrivalsSchema.optional(),
    replications: integer(1, MAX_PATIENTS, "a whole number of replications, at least 1")
      .optional()
      .describe("Independent runs for confidence intervals (default: 10 with arrivals, else 1)."),
    start: id("Microsystem where journeys start (default: the first one).").optional(),
    microsystems: z
      .array(microsystemSchema, { error: "a list of microsystems" })
      .min(1, { error: "a non-empty list of microsystems" })
      .describe("The microsystems, in journey order."),
    handoff_defaults: z
      .strictObject({
        time: stepTimeSchema.optional().describe("Transfer time of every handoff (default: 0)."),
        failures: failures.optional(),
        cost: handoffCostSchema.optional(),
      })
      .optional()
      .describe("What a handoff takes for the fields it leaves out."),
    handoffs: z
      .array(handoffSchema, { error: "a list of handoffs" })
      .optional()
      .describe("Handoffs that differ."),
    outcomes: z
      .strictObject({ mortality: mortalitySchema.optional() })
      .optional()
      .describe("Outcome models."),
    metrics: z
      .array(metricSchema, { error: "a list of metrics" })
      .optional()
      .describe("Intervals to report."),
    max_visits: integer(1, MAX_VISITS, `a whole number of visits from 1 to ${MAX_VISITS}`)
      .optional()
      .describe(
        "Visit guard: a journey stops (reported) after this many microsystem visits (default: 100, or 10 per microsystem when there are more than 10).",
      ),
    currency: text('Currency of every cost, as readers should see it (e.g. "USD 2013").', 40).optional(),
    volume_per_year: positiveNumber("a positive number of patients a year")
      .max(1e9, { error: "a positive number of patients a year, at most 1e9" })
      .optional()
      .describe("Patients a year: turns per-patient figures into per-year ones."),
    programme_cost: programmeCostSchema.optional(),
    resources: z
      .array(resourceSchema, { error: "a list of resources" })
      .optional()
      .describe("Pools of places that several microsystems share (`uses`)."),
  })
  .meta({
    title: "handoff-sim scenario (format v1)",
    description: "A patient journey through clinical microsystems.",
  });

/** A scenario as users write it (defaults not applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after the schema: defaults applied, values still as written (times, percents). */
export type Scenario = z.infer<typeof scenarioSchema>;
export type MicrosystemInput = z.infer<typeof microsystemSchema>;
export type FailureModeInput = z.infer<typeof failureModeSchema>;
export type RouteInput = z.infer<typeof routeSchema>;
export type ClassInput = z.infer<typeof classSchema>;
export type HandoffInput = z.infer<typeof handoffSchema>;
export type MetricInput = z.infer<typeof metricSchema>;
export type DistributionInput = z.infer<typeof distributionSchema>;
export type ConditionInput = z.infer<typeof conditionSchema>;
export type DelayTermInput = z.infer<typeof delayTermSchema>;
export type UncertainProbabilityInput = z.infer<typeof uncertainProbabilitySchema>;
export type MultiplierInput = number | z.infer<typeof lognormalMultiplierSchema>;
export type StepTimeInput = z.infer<typeof stepTimeSchema>;
export type CapacityInput = z.infer<typeof capacitySchema>;
export type ResourceInput = z.infer<typeof resourceSchema>;
export type BackgroundInput = z.infer<typeof backgroundSchema>;

/**
 * The JSON Schema (draft 2020-12) of the file format, describing what users write: a whole
 * scenario, or with `extends` a variant that writes only what differs (json-schema.ts).
 */
export function scenarioJsonSchema(): Record<string, unknown> {
  return withVariants(z.toJSONSchema(scenarioSchema, { io: "input" }) as Record<string, unknown>);
}

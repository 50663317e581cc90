// Zod's issues turned into findings a user can act on: the full field path, "found X, expected Y",
// "unknown key" with a suggestion, and, where a value could have several shapes (a distribution),
// the shape the user evidently meant rather than a list of every way it failed.

import { z } from "zod";
import { type Finding, mismatch } from "./finding.js";
import { formatPath, type Path, type PathSegment, quoted } from "./issues.js";
import { isRecord, valueAt } from "./source-map.js";
import { closest } from "./suggest.js";

type Schema = z.core.$ZodType;
type Issue = z.core.$ZodIssue;

/** Where a batch of issues applies: the schema and value at `path` (issue paths are relative to it). */
interface Scope {
  schema: Schema;
  value: unknown;
  path: Path;
}

/** Findings for the issues of parsing `value` with `schema`. */
export function schemaFindings(schema: Schema, value: unknown, issues: readonly Issue[]): Finding[] {
  return withoutMisspeltMissing(issues.flatMap((issue) => translate({ schema, value, path: [] }, issue)));
}

/**
 * `tme: 30 min` is one mistake, not two: the "unknown key "tme" (did you mean "time"?)" finding
 * says all there is to say, so the "time: missing" finding it implies is dropped.
 */
function withoutMisspeltMissing(findings: Finding[]): Finding[] {
  const meant = new Set(
    findings.flatMap((f) => (f.meant === undefined ? [] : [formatPath([...f.path.slice(0, -1), f.meant])])),
  );
  return findings.filter(
    (f) => !(f.found === undefined && f.message.startsWith("missing") && meant.has(formatPath(f.path))),
  );
}

function translate(scope: Scope, issue: Issue): Finding[] {
  const rel = issue.path.map(segment);
  const path = [...scope.path, ...rel];
  switch (issue.code) {
    case "unrecognized_keys":
      return issue.keys.map((key) => unknownKey(scope, rel, key));
    case "invalid_union":
      return union(scope, rel, issue);
    case "invalid_key":
      return [{ ...mismatch(path, `${rel.at(-1)}`, keyExpectation(issue)), anchor: "key" }];
    default: {
      const value = valueAt(scope.value, rel);
      return [explained(mismatch(path, value, issue.message), issue, value)];
    }
  }
}

/** Adds what a non-programmer needs to fix two common mismatches. */
function explained(finding: Finding, issue: Issue, value: unknown): Finding {
  // YAML reads `name: 2024` or `name: true` as a number or a boolean; quotes make it text.
  if (issue.code === "invalid_type" && issue.expected === "string" && isNumberOrBoolean(value)) {
    const text = String(value);
    return {
      ...finding,
      message: `${finding.message} (to use ${text} as text, write it in quotes: "${text}")`,
    };
  }
  // A list of the wrong length: say how long it is.
  if ((issue.code === "too_small" || issue.code === "too_big") && Array.isArray(value)) {
    const n = value.length;
    const found = n === 0 ? "an empty list" : `a list of ${n} item${n === 1 ? "" : "s"}`;
    return { ...finding, found, message: `found ${found}, expected ${issue.message}` };
  }
  return finding;
}

function isNumberOrBoolean(value: unknown): boolean {
  return typeof value === "number" || typeof value === "boolean";
}

function segment(key: PropertyKey): PathSegment {
  return typeof key === "symbol" ? String(key) : key;
}

function keyExpectation(issue: z.core.$ZodIssueInvalidKey): string {
  return issue.issues[0]?.message ?? "a valid key";
}

/** Words people write for a key of the format, too far from it in spelling for `closest` to find. */
const SYNONYMS: Readonly<Record<string, string>> = {
  probability: "p",
  prob: "p",
  chance: "p",
  duration: "time",
  routes: "next",
  steps: "microsystems",
  units: "microsystems",
};

function synonym(key: string, allowed: readonly string[]): string | undefined {
  const meant = Object.hasOwn(SYNONYMS, key.toLowerCase()) ? SYNONYMS[key.toLowerCase()] : undefined;
  return meant !== undefined && allowed.includes(meant) ? meant : undefined;
}

/** YAML 1.1's merge key `<<` is not part of YAML 1.2, which scenario files use. */
const MERGE_KEY_HINT = ": YAML merge keys are not supported; write the keys out, or use extends";

function unknownKey(scope: Scope, rel: Path, key: string): Finding {
  const object = valueAt(scope.value, rel);
  const known = objectKeys(schemaAt(scope.schema, scope.value, rel));
  const unused = known.filter((k) => !isRecord(object) || !Object.hasOwn(object, k));
  // A key already written is a likely meaning too (`--set 'microsystems[ed].tme=5 min'` adds `tme`
  // beside the `time` the file has), but only after the keys still free.
  const meant = closest(key, unused) ?? synonym(key, unused) ?? closest(key, known);
  const finding: Finding = {
    path: [...scope.path, ...rel, key],
    message: `unknown key ${quoted(key)}${meant === undefined ? "" : ` (did you mean ${quoted(meant)}?)`}${key === "<<" ? MERGE_KEY_HINT : ""}`,
    anchor: "key",
  };
  if (meant !== undefined) finding.meant = meant;
  return finding;
}

/** A union that failed: report the option the value evidently meant, else the union's message. */
function union(scope: Scope, rel: Path, issue: z.core.$ZodIssueInvalidUnion): Finding[] {
  const value = valueAt(scope.value, rel);
  const option = isRecord(value)
    ? intendedOption(value, issue.errors)
    : Array.isArray(value)
      ? listOption(issue.errors)
      : undefined;
  const schema = unwrap(schemaAt(scope.schema, scope.value, rel));
  const options = schema instanceof z.ZodUnion ? (schema.options as readonly Schema[]) : [];
  const chosen = option === undefined ? undefined : options[option];
  if (option === undefined || chosen === undefined)
    return [mismatch([...scope.path, ...rel], value, issue.message)];
  const inner: Scope = { schema: chosen, value, path: [...scope.path, ...rel] };
  return (issue.errors[option] ?? []).flatMap((nested) => translate(inner, nested));
}

/**
 * The option an object was meant for: among the options that accept an object, the one whose keys
 * it uses (at least one) with the fewest mistakes; undefined on a tie. An unknown key or a missing
 * key is one mistake; an unknown key that looks like a misspelling of a missing one is half of one,
 * so `{min, mdoe}` is taken for `{min, mode, max}` rather than for `{min, max}`. (Zod settles
 * unambiguous cases itself; this runs only when every option failed on its shape.)
 */
function intendedOption(
  value: Record<string, unknown>,
  errors: readonly (readonly Issue[])[],
): number | undefined {
  let best: number | undefined;
  let bestCost = Number.POSITIVE_INFINITY;
  let tie = false;
  for (const [i, issues] of errors.entries()) {
    // A literal (`until_open`, `leave`) fails an object at its root with invalid_value: not meant.
    if (
      issues.some(
        (e) =>
          e.path.length === 0 &&
          (e.code === "invalid_type" || e.code === "invalid_union" || e.code === "invalid_value"),
      )
    )
      continue;
    const unknown = issues.flatMap((e) =>
      e.code === "unrecognized_keys" && e.path.length === 0 ? e.keys : [],
    );
    if (Object.keys(value).length - unknown.length < 1) continue;
    const missing = issues.flatMap((e) =>
      e.path.length === 1 && valueAt(value, e.path.map(segment)) === undefined ? [String(e.path[0])] : [],
    );
    const misspelt = unknown.filter((key) => closest(key, missing) !== undefined).length;
    const cost = unknown.length + missing.length - 1.5 * misspelt;
    if (cost === bestCost) tie = true;
    if (cost < bestCost) [best, bestCost, tie] = [i, cost, false];
  }
  return tie ? undefined : best;
}

/**
 * The option a list was meant for: the only one that accepts a list (a capacity is a number or a
 * list of shifts), so a bad shift is reported where it is; undefined when there is no single one.
 */
function listOption(errors: readonly (readonly Issue[])[]): number | undefined {
  const lists = [...errors.entries()].filter(
    ([, issues]) =>
      !issues.some((e) => e.path.length === 0 && (e.code === "invalid_type" || e.code === "invalid_union")),
  );
  return lists.length === 1 ? lists[0]![0] : undefined;
}

/** The schema of the value at `rel` under a value of `schema` (for the keys it allows). */
function schemaAt(schema: Schema, value: unknown, rel: Path): Schema | undefined {
  let current: Schema | undefined = schema;
  let node = value;
  for (const key of rel) {
    current = current && child(current, node, key);
    node = valueAt(node, [key]);
  }
  return current;
}

function child(schema: Schema, value: unknown, key: PathSegment): Schema | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) {
    const shape = s.shape as Record<string, Schema>;
    return Object.hasOwn(shape, key) ? shape[String(key)] : undefined;
  }
  if (s instanceof z.ZodArray) return s.element as Schema;
  if (s instanceof z.ZodRecord) return s.valueType as Schema;
  if (s instanceof z.ZodUnion) {
    const option = bestObjectOption(s.options as readonly Schema[], value);
    return option && child(option, value, key);
  }
  return undefined;
}

/**
 * The keys an object at this schema may have. For a union, the keys of every option: the parser
 * may have settled on `{mean}` for `{mean, sdd}`, but the suggestion should still be `sd`.
 */
function objectKeys(schema: Schema | undefined): string[] {
  const s = schema && unwrap(schema);
  if (s instanceof z.ZodObject) return Object.keys(s.shape);
  if (s instanceof z.ZodUnion)
    return [...new Set((s.options as readonly Schema[]).flatMap((o) => objectKeys(o)))];
  return [];
}

/** The object option sharing the most keys with `value` (for a union the parser already chose from). */
function bestObjectOption(options: readonly Schema[], value: unknown): Schema | undefined {
  const keys = isRecord(value) ? Object.keys(value) : [];
  let best: Schema | undefined;
  let bestShared = -1;
  for (const option of options) {
    const s = unwrap(option);
    if (!(s instanceof z.ZodObject)) continue;
    const shared = keys.filter((k) => Object.hasOwn(s.shape, k)).length;
    if (shared > bestShared) [best, bestShared] = [s, shared];
  }
  return best;
}

/** The schema inside optional, default and similar wrappers. */
function unwrap(schema: Schema | undefined): Schema | undefined {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.unwrap() as Schema;
  }
  return s;
}

/** The "expected" phrase for issues of schemas without their own message (per-parse error map). */
export const fallbackExpected: z.core.$ZodErrorMap = (issue) => {
  switch (issue.code) {
    case "invalid_type":
      return TYPE_NAMES[issue.expected] ?? `a ${issue.expected}`;
    case "invalid_value":
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
    case "too_small":
      return `at least ${String(issue.minimum)}`;
    case "too_big":
      return `at most ${String(issue.maximum)}`;
    default:
      return undefined;
  }
};

const TYPE_NAMES: Readonly<Record<string, string>> = {
  string: "a text",
  number: "a number",
  boolean: "true or false",
  object: "a mapping",
  array: "a list",
};

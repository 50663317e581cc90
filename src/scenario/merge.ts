// `extends`: a scenario starts from another file and overrides it. Objects merge key by key, lists
// of things with an id merge by id (handoffs by their from/to pair), a merged item is deep-merged
// with the base item, anything else (scalars, other lists, time distributions) is replaced whole.
// `key: null` removes an inherited key. Positions are copied from whichever file wrote each value.

import type { PathSegment } from "./issues.js";
import { emptyRecord, isRecord, type SourceMap, setOwn } from "./source-map.js";

type ItemKey = (item: unknown) => string | undefined;

const byId: ItemKey = (item) => (isRecord(item) && typeof item.id === "string" ? item.id : undefined);
const byEdge: ItemKey = (item) =>
  isRecord(item) && typeof item.from === "string" && typeof item.to === "string"
    ? `${item.from}->${item.to}`
    : undefined;

/**
 * Lists merged item by item, by where they are ("*" stands for any list index), with the keys that
 * identify an item. Every other list is replaced whole. (The JSON Schema of variants follows these
 * rules too: src/scenario/json-schema.ts.)
 */
export const MERGED_LIST_KEYS: ReadonlyMap<string, readonly string[]> = new Map([
  ["microsystems", ["id"]],
  ["classes", ["id"]],
  ["metrics", ["id"]],
  ["microsystems.*.failures", ["id"]],
  ["handoffs.*.failures", ["id"]],
  ["handoff_defaults.failures", ["id"]],
  ["handoffs", ["from", "to"]],
]);

const MERGED_LISTS: ReadonlyMap<string, ItemKey> = new Map(
  [...MERGED_LIST_KEYS].map(([pattern, keys]) => [pattern, keys.length === 1 ? byId : byEdge]),
);

/**
 * Keys holding a time distribution. Merging `{median, p90}` into `{mean}` would make a shape that
 * is neither, so a distribution is always replaced whole.
 */
const DISTRIBUTION_KEYS = new Set(["time", "off_hours_delay", "recover_time"]);

/**
 * Top-level keys a file never inherits: a description says what one file is about, so a variant
 * without its own has none (reports showing the baseline's words under the variant's name misled).
 */
const OWN_KEYS = ["description"];

/** The scenario `over` applied on top of `base`. */
export function mergeScenario(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  map: SourceMap,
): Record<string, unknown> {
  const merged = mergeObjects(base, over, [], map);
  for (const key of OWN_KEYS) if (!Object.hasOwn(over, key)) delete merged[key];
  return merged;
}

function mergeValue(base: unknown, over: unknown, pattern: string[], map: SourceMap): unknown {
  if (
    isRecord(base) &&
    isRecord(over) &&
    !isDistribution(pattern) &&
    !isUncertain(base) &&
    !isUncertain(over)
  )
    return mergeObjects(base, over, pattern, map);
  const itemKey = MERGED_LISTS.get(pattern.join("."));
  if (Array.isArray(base) && Array.isArray(over) && itemKey)
    return mergeLists(base, over, itemKey, pattern, map);
  return over;
}

/** Keys only an uncertain value has (docs/semantics.md §9). */
const UNCERTAIN_KEYS = new Set(["observed", "of", "beta", "median", "ci95"]);

/**
 * An uncertain value (`{ observed, of }`, `{ beta }`, `{ median, ci95 }`) is replaced whole too:
 * merging `{ beta: [2, 8] }` into `{ observed: 8, of: 40 }` would make a value that is neither.
 */
export function isUncertain(value: Record<string, unknown>): boolean {
  // `median` alone is also a time distribution's key (`{ median, p90 }`), which merges by the key's name.
  return Object.keys(value).some((k) => UNCERTAIN_KEYS.has(k) && k !== "median");
}

/** Whether the value at `pattern` (keys, "*" for list items) is a time distribution, replaced whole. */
export function isDistribution(pattern: readonly string[]): boolean {
  const key = pattern.at(-1) ?? "";
  // A failure mode's `delay` is a distribution; `outcomes.mortality.delay` is a mergeable object.
  return DISTRIBUTION_KEYS.has(key) || (key === "delay" && pattern.at(-3) === "failures");
}

function mergeObjects(
  base: Record<string, unknown>,
  over: Record<string, unknown>,
  pattern: string[],
  map: SourceMap,
): Record<string, unknown> {
  const out = emptyRecord();
  map.register(out, map.self(over) ?? map.self(base) ?? unknownPos);
  for (const key of Object.keys(base)) {
    if (!Object.hasOwn(over, key)) copyEntry(out, key, base, key, base[key], map);
    else if (over[key] !== null)
      copyEntry(out, key, over, key, mergeValue(base[key], over[key], [...pattern, key], map), map);
  }
  for (const key of Object.keys(over)) {
    if (!Object.hasOwn(base, key) && over[key] !== null) copyEntry(out, key, over, key, over[key], map);
  }
  return out;
}

function mergeLists(
  base: unknown[],
  over: unknown[],
  itemKey: ItemKey,
  pattern: string[],
  map: SourceMap,
): unknown[] {
  const out: unknown[] = [];
  map.register(out, map.self(over) ?? map.self(base) ?? unknownPos);
  const slots = new Map<string, number>();
  for (const [i, item] of base.entries()) {
    const key = itemKey(item);
    if (key !== undefined && !slots.has(key)) slots.set(key, out.length);
    copyEntry(out, out.length, base, i, item, map);
  }
  for (const [i, item] of over.entries()) {
    const key = itemKey(item);
    const slot = key === undefined ? undefined : slots.get(key);
    if (slot === undefined) {
      copyEntry(out, out.length, over, i, item, map);
      continue;
    }
    // Only the first item with an id merges; a repeated id is appended so it is reported as a duplicate.
    slots.delete(key as string);
    copyEntry(out, slot, over, i, mergeValue(out[slot], item, [...pattern, "*"], map), map);
  }
  return out;
}

/** Puts `value` at `key` of `target`, with the position `source` recorded for `sourceKey`. */
function copyEntry(
  target: Record<string, unknown> | unknown[],
  key: PathSegment,
  source: object,
  sourceKey: PathSegment,
  value: unknown,
  map: SourceMap,
): void {
  if (Array.isArray(target)) target[key as number] = value;
  else setOwn(target, key as string, value);
  const entry = map.entry(source, sourceKey);
  if (entry) map.setEntry(target, key, entry);
}

const unknownPos = { file: "", line: 1, column: 1 };

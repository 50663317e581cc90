// The values that differ between two scenario trees, named by `--set` paths. One walk for the two
// readers: the studio's "what changed" and its variant files (variant.ts: the trees as written,
// compared by the `extends` merge rules, so the difference can be written as an `extends` file), and
// `compare`'s `changes` (changes.ts: two models written back in the file's words, with routes
// compared by destination too). Browser-safe, no dependency.

import { type EditPath, type EditStep, formatEditPath } from "./edit-path.js";
import { isDistribution, isUncertain, MERGED_LIST_KEYS } from "./merge.js";

/** One value that differs: `before` undefined = added, `after` undefined = removed. */
export interface Change {
  path: string;
  before?: unknown;
  after?: unknown;
}

/** Names the list item a step selects, or undefined when it has no identifying key. */
export type Identify = (item: unknown) => EditStep | undefined;

/** How two trees are compared: which lists go item by item, and what is replaced whole. */
export interface DiffRules {
  /** Lists compared item by item, by where they are ("*" = any list index). */
  lists: ReadonlyMap<string, Identify>;
  /** Whether the value at a pattern is a time distribution (compared whole). */
  isDistribution: (pattern: readonly string[]) => boolean;
  /** Whether a mapping is a value compared whole wherever it is (an uncertain value). */
  isWhole?: (value: Record<string, unknown>) => boolean;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

const byId: Identify = (item) =>
  isRecord(item) && typeof item.id === "string" ? { id: item.id } : undefined;
const byEdge: Identify = (item) =>
  isRecord(item) && typeof item.from === "string" && typeof item.to === "string"
    ? { from: item.from, to: item.to }
    : undefined;

/** A step that reads `[key]`: how `--set` selects a route, by its destination. */
export const byKey =
  (key: string): Identify =>
  (item) =>
    isRecord(item) && typeof item[key] === "string" ? { id: item[key] } : undefined;

/** The rules of `extends` (merge.ts): what a variant file can express. */
export const MERGE_RULES: DiffRules = {
  lists: new Map(
    [...MERGED_LIST_KEYS].map(([pattern, keys]) => [pattern, keys.length === 1 ? byId : byEdge]),
  ),
  isDistribution,
  isWhole: isUncertain,
};

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export interface Walk {
  rules: DiffRules;
  changes: Change[];
  /** Differences `extends` cannot express (a removed list item, an item without an id). */
  problems: string[];
}

/** What to write over `base` to get `over` (recording each change in `walk`); undefined when the same. */
export function diff(base: unknown, over: unknown, path: EditPath, pattern: string[], walk: Walk): unknown {
  if (same(base, over)) return undefined;
  const whole = walk.rules.isWhole ?? (() => false);
  if (
    isRecord(base) &&
    isRecord(over) &&
    !walk.rules.isDistribution(pattern) &&
    !whole(base) &&
    !whole(over)
  ) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(over)) {
      const d = Object.hasOwn(base, key)
        ? diff(base[key], over[key], [...path, key], [...pattern, key], walk)
        : added(over[key], [...path, key], walk);
      if (d !== undefined) out[key] = d;
    }
    for (const key of Object.keys(base)) {
      if (Object.hasOwn(over, key)) continue;
      walk.changes.push({ path: formatEditPath([...path, key]), before: base[key] });
      out[key] = null;
    }
    return out;
  }
  const identify = walk.rules.lists.get(pattern.join("."));
  if (Array.isArray(base) && Array.isArray(over) && identify !== undefined)
    return diffList(base, over, identify, path, pattern, walk);
  walk.changes.push({ path: formatEditPath(path), before: base, after: over });
  return over;
}

function added(value: unknown, path: EditPath, walk: Walk): unknown {
  walk.changes.push({ path: formatEditPath(path), after: value });
  return value;
}

function diffList(
  base: unknown[],
  over: unknown[],
  identify: Identify,
  path: EditPath,
  pattern: string[],
  walk: Walk,
): unknown[] | undefined {
  const key = (item: unknown) => {
    const step = identify(item);
    return step === undefined ? undefined : JSON.stringify(step);
  };
  const baseItems = new Map(base.map((item) => [key(item), item]));
  const out: unknown[] = [];
  for (const item of over) {
    const step = identify(item);
    if (step === undefined) {
      walk.problems.push(`${formatEditPath(path)}: an item without an id cannot be merged by extends`);
      continue;
    }
    const k = JSON.stringify(step);
    if (!baseItems.has(k)) {
      out.push(added(item, [...path, step], walk));
      continue;
    }
    const d = diff(baseItems.get(k), item, [...path, step], [...pattern, "*"], walk);
    if (d !== undefined) out.push(Object.assign({}, step, d));
  }
  const kept = new Set(over.map(key));
  for (const item of base) {
    if (kept.has(key(item))) continue;
    const step = identify(item);
    const where = step === undefined ? formatEditPath(path) : formatEditPath([...path, step]);
    walk.changes.push({ path: where, before: item });
    walk.problems.push(`${where} was removed: a variant can change or add list items, not remove them`);
  }
  return out.length === 0 ? undefined : out;
}

/** The values that differ between two trees, in the order of the edited one's keys. */
export function treeChanges(base: unknown, edited: unknown, rules: DiffRules = MERGE_RULES): Change[] {
  const walk: Walk = { rules, changes: [], problems: [] };
  diff(base, edited, [], [], walk);
  return walk.changes;
}

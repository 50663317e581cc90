// A what-if as a file: given a baseline scenario and an edited copy, the list of values that
// changed, and a variant file that `extends` the baseline with only those values. Browser-safe.
//
// The diff follows the `extends` merge rules (src/scenario/merge.ts): mappings key by key, lists of
// microsystems, classes, metrics and failure modes by `id`, handoffs by their from/to pair, time
// distributions and every other value whole; `key: null` removes a key. A test merges each variant
// back over its baseline and checks that the edited scenario comes out, so the two cannot drift.

import { parse } from "yaml";
import { type EditPath, type EditStep, formatEditPath, yamlText } from "./edit.js";

/** One value that differs: `before` undefined = added, `after` undefined = removed. */
export interface Change {
  path: string;
  before?: unknown;
  after?: unknown;
}

export interface Variant {
  /** The variant file's text, or null when the change cannot be written as an `extends` file. */
  text: string | null;
  changes: Change[];
  /** Why `text` is null: changes `extends` cannot express (a removed list item, say). */
  problems: string[];
}

type Identify = (item: unknown) => EditStep | undefined;

const byId: Identify = (item) =>
  isRecord(item) && typeof item.id === "string" ? { id: item.id } : undefined;
const byEdge: Identify = (item) =>
  isRecord(item) && typeof item.from === "string" && typeof item.to === "string"
    ? { from: item.from, to: item.to }
    : undefined;

/** The lists `extends` merges item by item, by where they are ("*" = any item). As in merge.ts. */
const MERGED_LISTS: ReadonlyMap<string, Identify> = new Map([
  ["microsystems", byId],
  ["classes", byId],
  ["metrics", byId],
  ["microsystems.*.failures", byId],
  ["handoffs.*.failures", byId],
  ["handoff_defaults.failures", byId],
  ["handoffs", byEdge],
]);
const DISTRIBUTION_KEYS = new Set(["time", "off_hours_delay", "recover_time"]);

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function isDistribution(pattern: string[]): boolean {
  const key = pattern.at(-1) ?? "";
  return DISTRIBUTION_KEYS.has(key) || (key === "delay" && pattern.at(-3) === "failures");
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

interface Walk {
  changes: Change[];
  problems: string[];
}

/** What to write over `base` to get `over`; undefined when they are the same. */
function diff(base: unknown, over: unknown, path: EditPath, pattern: string[], walk: Walk): unknown {
  if (same(base, over)) return undefined;
  if (isRecord(base) && isRecord(over) && !isDistribution(pattern)) {
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
  const identify = MERGED_LISTS.get(pattern.join("."));
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

/** The values that differ between two scenario trees (as parsed from YAML), in file order. */
export function scenarioChanges(base: unknown, edited: unknown): Change[] {
  const walk: Walk = { changes: [], problems: [] };
  diff(base, edited, [], [], walk);
  return walk.changes;
}

export interface VariantOptions {
  /** What the variant's `extends` says: the baseline's path from the variant's folder. */
  extendsPath: string;
  /** The variant's scenario name (a `name` key is always written, so reports tell them apart). */
  name: string;
}

/** The variant of `baseText` that gives `editedText`, as an `extends` file with only what changed. */
export function makeVariant(baseText: string, editedText: string, options: VariantOptions): Variant {
  const base: unknown = parse(baseText);
  const edited: unknown = parse(editedText);
  const walk: Walk = { changes: [], problems: [] };
  const d = diff(base, edited, [], [], walk);
  const body: Record<string, unknown> = isRecord(d) ? { ...d } : {};
  if (
    isRecord(edited) &&
    typeof edited.extends === "string" &&
    !same(edited.extends, (base as { extends?: unknown })?.extends)
  )
    walk.problems.push("extends was changed: a variant extends its baseline");
  delete body.extends;
  delete body.name;
  const tree = { extends: options.extendsPath, name: options.name, ...body };
  const header =
    `# A variant of ${options.extendsPath}, made in the handoff-sim studio: it extends the baseline\n` +
    "# and writes only what differs from it.\n";
  return {
    text: walk.problems.length > 0 ? null : header + yamlText(tree),
    changes: walk.changes,
    problems: walk.problems,
  };
}

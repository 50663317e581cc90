// A best-effort typed view of a scenario tree for the cross-reference checks. Each top-level field
// and each list item is parsed on its own, so one bad value (already reported by the schema) does
// not hide the unknown ids, bad sums or dead ends elsewhere: every problem is reported in one pass.

import {
  type ClassInput,
  classSchema,
  type FailureModeInput,
  failureModeSchema,
  type HandoffInput,
  handoffSchema,
  type MetricInput,
  type MicrosystemInput,
  metricSchema,
  microsystemSchema,
  type ResourceInput,
  resourceSchema,
  type Scenario,
  scenarioSchema,
} from "./format.js";
import { emptyRecord, isRecord } from "./source-map.js";

/** An item of a list with its index in the (merged) list, for field paths. */
export interface Entry<T> {
  index: number;
  value: T;
  /**
   * Fields that were invalid (already reported) and are left out of `value`, or kept only in part
   * (a list keeps its valid elements). Checks that need such a field whole skip the item.
   */
  dropped: ReadonlySet<string>;
  /** For a list field that lost invalid elements: the original index of each element kept. */
  kept: ReadonlyMap<string, readonly number[]>;
}

/** The index, in the file, of element `k` of the list field `key` of an entry. */
export function originalIndex(entry: Entry<unknown>, key: string, k: number): number {
  return entry.kept.get(key)?.[k] ?? k;
}

type TopKey =
  | "start"
  | "arrivals"
  | "replications"
  | "patients"
  | "outcomes"
  | "handoff_defaults"
  | "programme_cost"
  | "volume_per_year";
export type TopFields = Partial<Pick<Scenario, TopKey>>;

export interface ScenarioView {
  /** Top-level fields that are valid (an invalid or absent one is undefined). */
  top: TopFields;
  microsystems: Entry<MicrosystemInput>[];
  /** `classes` as written; undefined when absent (one default class). */
  classes: Entry<ClassInput>[] | undefined;
  handoffs: Entry<HandoffInput>[];
  metrics: Entry<MetricInput>[];
  /** Shared pools of places (`resources`). */
  resources: Entry<ResourceInput>[];
  /** The id written at each index of each list, valid item or not (undefined if none). */
  ids: {
    microsystems: (string | undefined)[];
    classes: (string | undefined)[];
    metrics: (string | undefined)[];
    resources: (string | undefined)[];
  };
  /** The ids of the patient classes (`all` when `classes` is absent). */
  classIds: string[];
  /** The failure modes of `handoff_defaults` (read even when another of its fields is invalid). */
  defaultFailures: FailureModeInput[];
  /**
   * Whether every microsystem / class / handoff (and handoff_defaults) is valid. `graph`: whether
   * every field the journey graph is made of is — each microsystem's id, routes and failure modes,
   * each handoff's ends and failure modes, handoff_defaults' failure modes, each class's id and
   * start. Checks of the whole graph (can every journey end? is every edge a route?) need exactly
   * those, or they would report consequences of problems reported already; a missing `time` or a
   * bad `share` does not change the graph, so those checks run beside its finding.
   */
  complete: { microsystems: boolean; classes: boolean; handoffs: boolean; graph: boolean };
}

/** The name of the default class when `classes` is absent. */
export const DEFAULT_CLASS = "all";

const TOP_KEYS: readonly TopKey[] = [
  "start",
  "arrivals",
  "replications",
  "patients",
  "outcomes",
  "handoff_defaults",
  "programme_cost",
  "volume_per_year",
];

/** Fields of each list's items that the journey graph is made of (see `complete.graph`). */
const GRAPH_FIELDS = {
  microsystems: ["id", "next", "failures"],
  handoffs: ["from", "to", "failures"],
  classes: ["id", "start"],
  failures: ["id", "p", "detect", "classes", "drop", "goto"],
} as const;

export function buildView(tree: unknown): ScenarioView {
  const root = isRecord(tree) ? tree : {};
  const microsystems = entries(root.microsystems, microsystemSchema);
  const classes = root.classes === undefined ? undefined : entries(root.classes, classSchema);
  const handoffs = entries(root.handoffs, handoffSchema);
  const metrics = entries(root.metrics, metricSchema);
  const resources = entries(root.resources, resourceSchema);
  const classIds = rawIds(root.classes);
  const top = topFields(root);
  const defaults = root.handoff_defaults;
  const defaultFailures = entries(isRecord(defaults) ? defaults.failures : undefined, failureModeSchema);
  const graph =
    (defaults === undefined ||
      (isRecord(defaults) &&
        graphFieldsValid(defaults.failures, defaultFailures.items, GRAPH_FIELDS.failures))) &&
    graphFieldsValid(root.microsystems, microsystems.items, GRAPH_FIELDS.microsystems) &&
    graphFieldsValid(root.handoffs, handoffs.items, GRAPH_FIELDS.handoffs) &&
    (classes === undefined || graphFieldsValid(root.classes, classes.items, GRAPH_FIELDS.classes));
  return {
    top,
    microsystems: microsystems.items,
    classes: classes?.items,
    handoffs: handoffs.items,
    metrics: metrics.items,
    resources: resources.items,
    ids: {
      microsystems: rawIds(root.microsystems),
      classes: classIds,
      metrics: rawIds(root.metrics),
      resources: rawIds(root.resources),
    },
    classIds: root.classes === undefined ? [DEFAULT_CLASS] : classIds.filter((id) => id !== undefined),
    defaultFailures: top.handoff_defaults?.failures ?? defaultFailures.items.map((e) => e.value),
    complete: {
      microsystems: microsystems.complete,
      classes: classes?.complete ?? true,
      handoffs:
        handoffs.complete && (root.handoff_defaults === undefined || top.handoff_defaults !== undefined),
      graph,
    },
  };
}

/** Whether every item of a list (absent = none) is in the view with all the given fields valid. */
function graphFieldsValid<T>(list: unknown, items: Entry<T>[], fields: readonly string[]): boolean {
  if (list === undefined) return true;
  return (
    Array.isArray(list) &&
    items.length === list.length &&
    items.every((item) => fields.every((field) => !item.dropped.has(field)))
  );
}

function topFields(root: Record<string, unknown>): TopFields {
  const top: Record<string, unknown> = {};
  for (const key of TOP_KEYS) {
    const parsed = scenarioSchema.shape[key].safeParse(root[key]);
    if (parsed.success && parsed.data !== undefined) top[key] = parsed.data;
  }
  return top as TopFields;
}

interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false; error: { issues: ParseIssue[] } };
}
interface ParseIssue {
  path: PropertyKey[];
  code: string;
  keys?: string[];
}

/**
 * Stand-ins for required fields dropped because they are invalid, so the rest of the item can still
 * be checked. They never reach a model: a file with any issue is not compiled.
 */
const PLACEHOLDERS: Readonly<Record<string, unknown>> = { time: 0, share: 0 };

function entries<T>(list: unknown, schema: Parser<T>): { items: Entry<T>[]; complete: boolean } {
  if (list === undefined) return { items: [], complete: true };
  if (!Array.isArray(list)) return { items: [], complete: false };
  const items: Entry<T>[] = [];
  let complete = true;
  for (const [index, item] of list.entries()) {
    const parsed = schema.safeParse(item);
    if (parsed.success) {
      items.push({ index, value: parsed.data, dropped: new Set(), kept: new Map() });
      continue;
    }
    complete = false;
    const partial = withoutInvalidFields(item, parsed.error.issues, schema);
    if (partial) items.push({ index, ...partial });
  }
  return { items, complete };
}

/**
 * An item with its invalid fields removed (a list field keeps its valid elements), re-parsed; or
 * undefined when what is left is still invalid (e.g. its id is bad).
 */
function withoutInvalidFields<T>(
  item: unknown,
  issues: ParseIssue[],
  schema: Parser<T>,
): Omit<Entry<T>, "index"> | undefined {
  if (!isRecord(item)) return undefined;
  const copy: Record<string, unknown> = Object.assign(emptyRecord(), item);
  const dropped = new Set<string>();
  const badElements = new Map<string, Set<number>>();
  for (const issue of issues) {
    const [key, index, sub] = issue.path;
    if (key === undefined) for (const unknown of issue.keys ?? []) delete copy[unknown];
    if (typeof key !== "string") continue;
    if (typeof index === "number" && typeof sub === "string" && withoutNeutral(copy, key, index, sub))
      continue;
    dropped.add(key);
    if (Array.isArray(copy[key]) && typeof index === "number")
      badElements.set(key, (badElements.get(key) ?? new Set()).add(index));
    else if (Object.hasOwn(PLACEHOLDERS, key)) copy[key] = PLACEHOLDERS[key];
    else delete copy[key];
  }
  const kept = new Map<string, number[]>();
  for (const [key, bad] of badElements) {
    const list = copy[key];
    if (!Array.isArray(list)) continue;
    const indices = list.map((_, i) => i).filter((i) => !bad.has(i));
    copy[key] = indices.map((i) => list[i]);
    kept.set(key, indices);
  }
  const parsed = schema.safeParse(copy);
  return parsed.success ? { value: parsed.data, dropped, kept } : undefined;
}

/**
 * Optional fields of a list element (a failure mode) that no cross-check reads: when one of them
 * is invalid, the element is kept without it instead of being left out, so a bad `harm` does not
 * hide the journey graph from the checks that walk it.
 */
const NEUTRAL_FIELDS = new Set(["name", "harm", "recover_time", "delay"]);

/** Removes `copy[key][index][sub]` if it is a neutral field (copying what it changes); whether it did. */
function withoutNeutral(copy: Record<string, unknown>, key: string, index: number, sub: string): boolean {
  const list = copy[key];
  if (!NEUTRAL_FIELDS.has(sub) || !Array.isArray(list)) return false;
  const element: unknown = list[index];
  if (!isRecord(element)) return false;
  const repaired = Object.assign(emptyRecord(), element);
  delete repaired[sub];
  copy[key] = list.map((e: unknown, i) => (i === index ? repaired : e));
  return true;
}

function rawIds(list: unknown): (string | undefined)[] {
  if (!Array.isArray(list)) return [];
  return list.map((item) => (isRecord(item) && typeof item.id === "string" ? item.id : undefined));
}

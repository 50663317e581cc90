// `--set <path>=<value>`: change one value of a scenario from the command line, without writing a
// file. The assignment is applied to the scenario's merged tree (after `extends`, before
// validation), so the value is parsed and checked exactly like file content: units, percents,
// ranges, ids, and an unknown key is an error. Problems point at the `--set` that caused them.
//
// Path syntax (SET_SYNTAX below is the user-facing summary):
//   key            a mapping key:                      patients, arrivals.per_day
//   [id]           the list item with that id:          microsystems[cathlab], classes[nstemi]
//   [from->to]     a handoff (listed, or taking the defaults): handoffs[ccu->telemetry]
//   [to]           a route, by its destination:         microsystems[ed].next[ccu]
//   [0]            a list item by position (0-based):   microsystems[ed].next[0]
// joined by dots after keys: handoffs[ccu->telemetry].failures[med_list_lost].p=0.1
// The value is YAML, as in a file: 0.1, "5%", 30 min, {median: 3 d, p90: 10 d}, [a, b].
// `null` removes the key (as in `extends`: the default applies again) or the list item.

import { quoted, renderValue, ScenarioError, type ScenarioIssue } from "./issues.js";
import { MAX_PATH_LENGTH } from "./limits.js";
import { emptyRecord, isRecord, type Pos, type SourceMap, setOwn } from "./source-map.js";
import { closest, didYouMean } from "./suggest.js";
import { parseYamlSource } from "./yaml-source.js";

export const SET_SYNTAX = `--set PATH=VALUE changes one value of the scenario (repeatable), checked like file content:
  PATH   keys joined by dots; a list item by id in brackets, a handoff by [from->to]
         (one the file does not list starts from handoff_defaults), a route by
         [destination], or any item by position [0]
  VALUE  as written in a scenario file: 0.1, 5%, 30 min, {median: 3 d, p90: 10 d};
         null removes the key (its default applies) or the list item
  e.g.   --set 'handoffs[ccu->telemetry].failures[med_list_lost].p=0.1'
         --set 'microsystems[cathlab].capacity=2'   --set patients=5000`;

/** A step of a `--set` path. */
export type SetSegment = { kind: "key"; key: string } | { kind: "item"; selector: string };

export interface Assignment {
  /** As typed: `path=value`. */
  text: string;
  /** The path as typed (before `=`). */
  pathText: string;
  path: SetSegment[];
  /** The value's YAML text. */
  value: string;
}

/** A `--set` argument that is not `path=value`. */
export class SetSyntaxError extends Error {}

/** Parses `path=value`; throws SetSyntaxError with a message saying what is wrong. */
export function parseAssignment(text: string): Assignment {
  const eq = text.indexOf("=");
  if (eq < 0) throw new SetSyntaxError(`expected PATH=VALUE, e.g. patients=5000 (got ${quoted(text)})`);
  const pathText = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  if (pathText === "") throw new SetSyntaxError(`no path before "=" in ${quoted(text)}`);
  if (pathText.length > MAX_PATH_LENGTH)
    throw new SetSyntaxError(`path too long: ${pathText.length} characters, at most ${MAX_PATH_LENGTH}`);
  if (value === "")
    throw new SetSyntaxError(`no value after "=" in ${quoted(text)} (write null to remove a key)`);
  return { text, pathText, path: parsePath(pathText), value };
}

const KEY = /^[^.[\]=\s]+/;

function parsePath(text: string): SetSegment[] {
  const segments: SetSegment[] = [];
  let rest = text;
  while (rest !== "") {
    if (rest.startsWith("[")) {
      const close = rest.indexOf("]");
      const selector = close < 0 ? "" : rest.slice(1, close).trim();
      if (selector === "")
        throw new SetSyntaxError(`bad path ${quoted(text)}: expected [id], [from->to] or [index]`);
      segments.push({ kind: "item", selector });
      rest = rest.slice(close + 1);
      continue;
    }
    if (segments.length > 0) {
      if (!rest.startsWith("."))
        throw new SetSyntaxError(`bad path ${quoted(text)}: expected "." or "[" before ${quoted(rest)}`);
      rest = rest.slice(1);
    }
    const key = KEY.exec(rest)?.[0];
    if (key === undefined)
      throw new SetSyntaxError(
        `bad path ${quoted(text)}: expected a key at ${rest ? quoted(rest) : "the end"}`,
      );
    segments.push({ kind: "key", key });
    rest = rest.slice(key.length);
  }
  if (segments[0]?.kind !== "key")
    throw new SetSyntaxError(`bad path ${quoted(text)}: it must start with a key`);
  return segments;
}

/**
 * Applies the assignments, in order, to the merged scenario tree (mutating it) and records where
 * each value came from in `map`, so validation issues point at the `--set`. Throws ScenarioError
 * listing every assignment whose path does not lead anywhere or whose value is not valid YAML.
 */
export function applyAssignments(
  tree: Record<string, unknown>,
  assignments: readonly Assignment[],
  map: SourceMap,
): Record<string, unknown> {
  const issues: ScenarioIssue[] = [];
  for (const a of assignments) {
    const issue = applyOne(tree, a, map);
    if (issue !== null) issues.push(issue);
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return tree;
}

/** Where a `--set` "was written": a file named after it, so issues read `--set "p=2":1:1 …`. */
function origin(a: Assignment): Pos {
  return { file: `--set ${quoted(a.text)}`, line: 1, column: 1 };
}

function applyOne(root: Record<string, unknown>, a: Assignment, map: SourceMap): ScenarioIssue | null {
  const fail = (message: string): ScenarioIssue => ({ ...origin(a), path: a.pathText, message });
  const first = a.path[0];
  if (first?.kind === "key" && first.key === "extends")
    return fail("extends cannot be set: it is followed before --set applies");
  const parsed = parseValue(a, map);
  if (!parsed.ok) return parsed.issue;
  let node: unknown = root;
  const shown: SetSegment[] = [];
  for (const [i, segment] of a.path.entries()) {
    const where = shown.length === 0 ? "the scenario" : showPath(shown);
    const last = i === a.path.length - 1;
    if (segment.kind === "key") {
      if (!isRecord(node))
        return fail(`${where} is ${kind(node)}, not a mapping: cannot take key ${quoted(segment.key)}`);
      if (last) return assignKey(node, segment.key, parsed.value, origin(a), map);
      const parent: Record<string, unknown> = node;
      node = childOf(node, segment.key, a.path[i + 1]!, map, origin(a), shown.length === 0);
      if (node === undefined)
        return fail(
          `${showPath([...shown, segment])} is not in the scenario${didYouMean(segment.key, Object.keys(parent))}`,
        );
    } else {
      if (!Array.isArray(node))
        return fail(`${where} is ${kind(node)}, not a list: cannot select [${segment.selector}]`);
      let index = findItem(node, segment.selector);
      if (index < 0 && isHandoffList(shown))
        index = addDefaultedHandoff(root, node, segment.selector, map, origin(a));
      if (index < 0)
        return fail(`no item [${segment.selector}] in ${where}${suggestItem(node, segment.selector)}`);
      if (last) return assignItem(node, index, parsed.value, origin(a), map);
      node = node[index];
    }
    shown.push(segment);
  }
  return null;
}

type ParsedValue = { ok: true; value: unknown } | { ok: false; issue: ScenarioIssue };

/** The value as YAML, through the same safe parser as files (no custom tags, bounded aliases). */
function parseValue(a: Assignment, map: SourceMap): ParsedValue {
  const parsed = parseYamlSource(a.value, origin(a).file, map);
  const issue = parsed.issues[0];
  if (issue !== undefined) return { ok: false, issue: { ...issue, path: a.pathText } };
  return { ok: true, value: parsed.value };
}

/**
 * The mapping or list under `key`, created (as a mapping) when a key leads on into a new mapping —
 * or, for the scenario's `handoffs`, as a list when a handoff is selected in a file that lists none.
 */
function childOf(
  node: Record<string, unknown>,
  key: string,
  next: SetSegment,
  map: SourceMap,
  pos: Pos,
  top: boolean,
): unknown {
  const child = Object.hasOwn(node, key) ? node[key] : undefined;
  if (child !== undefined && child !== null) return child;
  // `arrivals.per_day=3` on a scenario without arrivals starts the mapping; a list cannot be
  // started this way (an item selected in an empty list would not exist anyway), except the
  // handoffs, whose unlisted items exist all the same: they take handoff_defaults.
  const handoffs = top && key === "handoffs" && next.kind === "item" && edgeOf(next.selector) !== null;
  if (next.kind === "item" && !handoffs) return undefined;
  const created: Record<string, unknown> | unknown[] = handoffs ? [] : emptyRecord();
  map.register(created, pos);
  setOwn(node, key, created);
  map.setEntry(node, key, { key: pos, value: pos });
  return created;
}

const EDGE = /^\s*([A-Za-z_][A-Za-z0-9_-]*)\s*->\s*([A-Za-z_][A-Za-z0-9_-]*)\s*$/;

function edgeOf(selector: string): { from: string; to: string } | null {
  const m = EDGE.exec(selector);
  return m === null ? null : { from: m[1]!, to: m[2]! };
}

function isHandoffList(shown: readonly SetSegment[]): boolean {
  return shown.length === 1 && shown[0]?.kind === "key" && shown[0].key === "handoffs";
}

/**
 * A handoff the file does not list still exists: it takes handoff_defaults whole. Selecting one
 * lists it, with a copy of the defaults (positions kept, so findings in them point at
 * handoff_defaults), so `handoffs[cathlab->ccu].time=20 min` changes that handoff alone. Its index,
 * or -1 when the selector is not `from->to`. (A pair that is not an edge of the journey is then
 * reported as such by the checks, like a listed one.)
 */
function addDefaultedHandoff(
  root: Record<string, unknown>,
  list: unknown[],
  selector: string,
  map: SourceMap,
  pos: Pos,
): number {
  const edge = edgeOf(selector);
  if (edge === null) return -1;
  const item = emptyRecord();
  map.register(item, pos);
  for (const [key, value] of Object.entries(edge)) {
    setOwn(item, key, value);
    map.setEntry(item, key, { key: pos, value: pos });
  }
  const defaults = root.handoff_defaults;
  if (isRecord(defaults)) {
    for (const key of ["time", "failures"]) {
      if (!Object.hasOwn(defaults, key) || defaults[key] === null || defaults[key] === undefined) continue;
      setOwn(item, key, copyTree(defaults[key], map));
      const entry = map.entry(defaults, key);
      if (entry) map.setEntry(item, key, entry);
    }
  }
  list.push(item);
  map.setEntry(list, list.length - 1, { key: pos, value: pos });
  return list.length - 1;
}

/** A deep copy of a tree value, with the positions of the original. */
function copyTree(value: unknown, map: SourceMap): unknown {
  if (Array.isArray(value)) {
    const out = value.map((v) => copyTree(v, map));
    copyPositions(value, out, map);
    return out;
  }
  if (!isRecord(value)) return value;
  const out = emptyRecord();
  for (const [k, v] of Object.entries(value)) setOwn(out, k, copyTree(v, map));
  copyPositions(value, out, map);
  return out;
}

function copyPositions(from: object, to: object, map: SourceMap): void {
  const self = map.self(from);
  if (self === undefined) return;
  map.register(to, self);
  for (const key of Array.isArray(from) ? from.keys() : Object.keys(from)) {
    const entry = map.entry(from, key);
    if (entry) map.setEntry(to, key, entry);
  }
}

function assignKey(
  node: Record<string, unknown>,
  key: string,
  value: unknown,
  pos: Pos,
  map: SourceMap,
): null {
  if (value === null) {
    delete node[key];
    return null;
  }
  setOwn(node, key, value);
  map.setEntry(node, key, { key: pos, value: pos });
  return null;
}

function assignItem(list: unknown[], index: number, value: unknown, pos: Pos, map: SourceMap): null {
  if (value === null) {
    list.splice(index, 1);
    return null;
  }
  list[index] = value;
  map.setEntry(list, index, { key: pos, value: pos });
  return null;
}

/** The key an item is selected by: its id, a handoff's from->to, a route's destination. */
function itemKey(item: unknown): string | undefined {
  if (!isRecord(item)) return undefined;
  if (typeof item.id === "string") return item.id;
  if (typeof item.from === "string" && typeof item.to === "string") return `${item.from}->${item.to}`;
  if (typeof item.to === "string") return item.to;
  return undefined;
}

/** Index of the item selected by id (or from->to, or destination), else by position; -1 if none. */
export function findItem(list: readonly unknown[], selector: string): number {
  const byKey = list.findIndex((item) => itemKey(item) === selector.replace(/\s+/g, ""));
  if (byKey >= 0) return byKey;
  if (/^\d+$/.test(selector)) {
    const index = Number(selector);
    return index < list.length ? index : -1;
  }
  return -1;
}

/**
 * ` (did you mean [cathlab]?)` for a selector that looks like a misspelt id, edge or destination,
 * as a file with the same typo gets; otherwise the items there are.
 */
function suggestItem(list: readonly unknown[], selector: string): string {
  const keys = list.map(itemKey).filter((k): k is string => k !== undefined);
  const meant = closest(selector.replace(/\s+/g, ""), keys);
  return meant === undefined ? known(list) : ` (did you mean [${meant}]?)`;
}

function known(list: readonly unknown[]): string {
  const keys = list.map(itemKey).filter((k): k is string => k !== undefined);
  if (keys.length === 0) return list.length === 0 ? " (the list is empty)" : ` (items 0–${list.length - 1})`;
  const shown = keys.slice(0, 12).join(", ");
  return ` (there are: ${shown}${keys.length > 12 ? ", …" : ""})`;
}

function showPath(segments: readonly SetSegment[]): string {
  return segments
    .map((s, i) => (s.kind === "item" ? `[${s.selector}]` : i === 0 ? s.key : `.${s.key}`))
    .join("");
}

function kind(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (isRecord(value)) return "a mapping";
  return `the value ${renderValue(value)}`;
}

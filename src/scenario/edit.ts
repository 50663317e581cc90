// Editing scenario text the way a person would: change one value and leave every other byte —
// comments, key order, alignment, quoting — where it was. Browser-safe (the studio's form uses it).
//
// A value that is already written is replaced in place in the text (its source range, from the
// `yaml` parser). A value that is not written yet (a key left to its default, a failure mode
// inherited through `extends`) is added through the `yaml` Document API, which keeps comments and
// key order but lays out the file anew; the changed text is then checked by parsing it again.

import {
  isMap,
  isScalar,
  isSeq,
  type Node,
  parse,
  parseDocument,
  stringify,
  type YAMLMap,
  type YAMLSeq,
} from "yaml";

import { type EditPath, type EditStep, formatEditPath } from "./edit-path.js";

export { type EditPath, type EditStep, formatEditPath };

/** A value as a scenario file writes it: plain data. */
export type EditValue = string | number | boolean | null | EditValue[] | { [key: string]: EditValue };

/** Whether a list item is the one a step names. */
function matches(item: unknown, step: Exclude<EditStep, string>): boolean {
  if (item === null || typeof item !== "object") return false;
  const record = item as Record<string, unknown>;
  return "id" in step ? record.id === step.id : record.from === step.from && record.to === step.to;
}

/**
 * The value at `path` in the text's tree, or undefined when it is not written there — or when the
 * text is not valid YAML (an editor holds half-typed text; the validator reports that).
 */
export function valueAt(text: string, path: EditPath): unknown {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) return undefined;
  let node: unknown = doc.toJS();
  for (const step of path) {
    if (typeof step === "string") {
      if (node === null || typeof node !== "object" || Array.isArray(node)) return undefined;
      node = Object.hasOwn(node, step) ? (node as Record<string, unknown>)[step] : undefined;
    } else {
      node = Array.isArray(node) ? node.find((item) => matches(item, step)) : undefined;
    }
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * The text with the value at `path` set to `value`. Missing keys and list items on the way are
 * created (a list item with its identifying keys). Throws an Error when the text is not a YAML
 * mapping, or when the path goes through something that is not a mapping or list.
 */
export function setValue(text: string, path: EditPath, value: EditValue): string {
  if (path.length === 0) throw new Error("setValue: empty path");
  const doc = parseDocument(text, { keepSourceTokens: false });
  if (doc.errors.length > 0) throw new Error(`the text has a YAML error: ${doc.errors[0]!.message}`);
  const spliced = spliceValue(text, doc.contents, path, value);
  if (spliced !== null && sameValue(valueAt(spliced, path), value)) return spliced;
  return setThroughDocument(text, path, value);
}

/**
 * Replaces a value already written at `path` — a scalar, or a collection written in flow style
 * (`{ median: 5 min, p90: 9 min }`) — by the new value in flow style, in the text itself; null when
 * the value is not written there or is a block collection.
 */
function spliceValue(text: string, root: unknown, path: EditPath, value: EditValue): string | null {
  const node = nodeAt(root, path);
  const flow = isScalar(node) || ((isMap(node) || isSeq(node)) && node.flow === true);
  if (!flow || !node.range) return null;
  const [start, end] = node.range;
  return text.slice(0, start) + flowText(value) + text.slice(end);
}

/** A value in YAML flow style, on one line. */
export function flowText(value: EditValue): string {
  if (Array.isArray(value)) return `[${value.map(flowText).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    const pairs = Object.entries(value).map(([k, v]) => `${scalarText(k)}: ${flowText(v)}`);
    return pairs.length === 0 ? "{}" : `{ ${pairs.join(", ")} }`;
  }
  return scalarText(value);
}

function nodeAt(root: unknown, path: EditPath): unknown {
  let node: unknown = root;
  for (const step of path) {
    if (typeof step === "string") {
      if (!isMap(node)) return undefined;
      node = node.get(step, true);
    } else {
      if (!isSeq(node)) return undefined;
      node = node.items.find((item) => matches(plain(item), step));
    }
    if (node === undefined) return undefined;
  }
  return node;
}

function plain(node: unknown): unknown {
  return node !== null && typeof node === "object" && "toJSON" in node
    ? (node as { toJSON(): unknown }).toJSON()
    : node;
}

function setThroughDocument(text: string, path: EditPath, value: EditValue): string {
  const doc = parseDocument(text);
  if (!isMap(doc.contents)) throw new Error("the scenario is not a YAML mapping");
  let node: YAMLMap | YAMLSeq = doc.contents;
  for (const [i, step] of path.entries()) {
    const last = i === path.length - 1;
    const next = path[i + 1];
    if (typeof step === "string") {
      if (!isMap(node)) throw new Error(`${formatEditPath(path.slice(0, i))} is not a mapping`);
      if (last) {
        const existing = node.get(step, true);
        if (isScalar(existing) && (value === null || typeof value !== "object")) existing.value = value;
        else node.set(step, doc.createNode(value));
        break;
      }
      let child = node.get(step, true) as Node | undefined;
      if (!isMap(child) && !isSeq(child)) {
        child = doc.createNode(typeof next === "string" ? {} : []) as Node;
        node.set(step, child);
      }
      node = child as YAMLMap | YAMLSeq;
    } else {
      if (!isSeq(node)) throw new Error(`${formatEditPath(path.slice(0, i))} is not a list`);
      let item = node.items.find((it) => matches(plain(it), step)) as Node | undefined;
      if (last) {
        const merged = { ...step, ...(value as object) } as EditValue;
        if (item === undefined) node.items.push(doc.createNode(merged));
        else node.items[node.items.indexOf(item)] = doc.createNode(merged);
        break;
      }
      if (!isMap(item)) {
        item = doc.createNode({ ...step }) as Node;
        node.items.push(item);
      }
      node = item as YAMLMap;
    }
  }
  // lineWidth 0: never re-fold long lines (descriptions, comments' neighbours) the user wrote.
  return doc.toString({ lineWidth: 0 });
}

/** A scalar as YAML text that reads back as the same value, in flow or block context. */
export function scalarText(value: string | number | boolean | null): string {
  if (typeof value !== "string") return String(value);
  // Plain when it cannot be mistaken for anything else: "25%", "30 min", "2 h".
  const plainSafe = /^[A-Za-z0-9][A-Za-z0-9 ._%+-]*$/.test(value) && !value.endsWith(" ");
  if (plainSafe && parse(value) === value) return value;
  return JSON.stringify(value);
}

function sameValue(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Re-exported so callers format a whole new file the same way (variants). */
export function yamlText(value: unknown): string {
  return stringify(value, { lineWidth: 0, flowCollectionPadding: true });
}

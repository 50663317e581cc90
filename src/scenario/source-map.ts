// Where each value of a scenario tree was written. The loader turns YAML into plain values (objects,
// arrays, scalars) and records, per object or array, its own position and the positions of each of
// its keys and values. Merging (`extends`) builds new objects but copies these positions over, so an
// issue in inherited content still points to the file and line where that content was written.

import type { Path, PathSegment } from "./issues.js";

export interface Pos {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
}

/** Positions of one entry of an object (key and value) or array (both are the item). */
export interface EntryPos {
  key: Pos;
  value: Pos;
}

interface NodePos {
  self: Pos;
  entries: Map<PathSegment, EntryPos>;
}

/** Where an issue points: at a key (unknown key) or at the value. */
export type Anchor = "key" | "value";

export class SourceMap {
  private readonly nodes = new WeakMap<object, NodePos>();

  /** Records where an object or array starts. */
  register(node: object, self: Pos): void {
    this.nodes.set(node, { self, entries: new Map() });
  }

  setEntry(node: object, key: PathSegment, entry: EntryPos): void {
    this.nodes.get(node)?.entries.set(key, entry);
  }

  self(node: object): Pos | undefined {
    return this.nodes.get(node)?.self;
  }

  entry(node: object, key: PathSegment): EntryPos | undefined {
    return this.nodes.get(node)?.entries.get(key);
  }

  /**
   * The position of the value (or key) at `path` under `root`. Where the path leaves the tree (a
   * missing key), the deepest object on it is used: that is where the key should be written.
   */
  locate(root: unknown, path: Path, anchor: Anchor, fallback: Pos): Pos {
    let node: unknown = root;
    let pos: Pos = (isNode(root) && this.self(root)) || fallback;
    for (const [i, segment] of path.entries()) {
      if (!isNode(node) || !Object.hasOwn(node, segment)) return pos;
      const entry = this.entry(node, segment);
      if (!entry) return pos;
      const last = i === path.length - 1;
      pos = last && anchor === "key" ? entry.key : entry.value;
      node = (node as Record<PathSegment, unknown>)[segment];
    }
    return pos;
  }
}

function isNode(value: unknown): value is object {
  return value !== null && typeof value === "object";
}

/** A plain object (as built from a YAML mapping), not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/**
 * A new empty mapping of the tree: without a prototype, so a key such as `constructor` or
 * `toString` that the file does not define reads as absent, never as Object's method.
 */
export function emptyRecord(): Record<string, unknown> {
  return Object.create(null) as Record<string, unknown>;
}

/** Sets an own property, even `__proto__` (which plain assignment would treat as the prototype). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** The value at `path` under `root`, or undefined where the path leaves the tree. */
export function valueAt(root: unknown, path: Path): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (!isNode(node) || !Object.hasOwn(node, segment)) return undefined;
    node = (node as Record<PathSegment, unknown>)[segment];
  }
  return node;
}

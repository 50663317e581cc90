// YAML (and so JSON, which is YAML) text to a plain tree with source positions. Scenario files are
// data: explicit tags beyond the plain core types are refused (no `!!js/function`, no `!custom`),
// alias expansion is bounded (no "billion laughs"), and every problem becomes an issue with a line.

import {
  type Alias,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  parseDocument,
} from "yaml";
import type { ScenarioIssue } from "./issues.js";
import { type Pos, type SourceMap, setOwn } from "./source-map.js";

/** Alias uses allowed in one file; a real scenario needs a handful. */
export const MAX_ALIASES = 100;
/** Values allowed in one file after alias expansion; a real scenario has a few thousand. */
export const MAX_NODES = 200_000;
/** Nesting allowed; a real scenario nests about six deep. Bounds the recursion of every later stage. */
export const MAX_DEPTH = 64;

const CORE_TAG = "tag:yaml.org,2002:";
const ALLOWED_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => CORE_TAG + t));

export interface ParsedSource {
  /** The tree; undefined when the text has errors (then `issues` says why). */
  value: unknown;
  issues: ScenarioIssue[];
}

/** Parses one file's text into a tree, recording every position in `map`. */
export function parseYamlSource(text: string, file: string, map: SourceMap): ParsedSource {
  const lines = new LineCounter();
  let doc: Doc;
  try {
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, resolveKnownTags: false });
  } catch (error) {
    // The parser reports problems as document errors; this is for anything it did not foresee.
    return {
      value: undefined,
      issues: [{ file, line: 1, column: 1, path: "", message: `cannot parse: ${error}` }],
    };
  }
  const posAt = (offset: number): Pos => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const syntax = doc.errors.map((e) =>
    issueAt(posAt(e.pos[0]), `YAML syntax error: ${firstLine(e.message)}`),
  );
  if (syntax.length > 0) return { value: undefined, issues: syntax };
  if (doc.contents === null) {
    return {
      value: undefined,
      issues: [issueAt(posAt(0), "empty file: expected a scenario (name, microsystems, …)")],
    };
  }
  const builder = new TreeBuilder(doc, map, posAt);
  const value = builder.build(doc.contents, posAt(0));
  return builder.issues.length > 0 ? { value: undefined, issues: builder.issues } : { value, issues: [] };
}

function issueAt(pos: Pos, message: string): ScenarioIssue {
  return { file: pos.file, line: pos.line, column: pos.column, path: "", message };
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

type Doc = ReturnType<typeof parseDocument>;

/** Walks the YAML nodes; stops adding values once a limit is exceeded. */
class TreeBuilder {
  readonly issues: ScenarioIssue[] = [];
  private aliases = 0;
  private nodes = 0;
  private stopped = false;
  /** Nodes being expanded, to refuse an alias that refers to a node containing it. */
  private readonly expanding = new Set<Node>();

  constructor(
    private readonly doc: Doc,
    private readonly map: SourceMap,
    private readonly posAt: (offset: number) => Pos,
  ) {}

  build(node: Node | null, at: Pos, depth = 0): unknown {
    if (this.stopped || node === null) return null;
    const pos = node.range ? this.posAt(node.range[0]) : at;
    if (++this.nodes > MAX_NODES) return this.stop(pos, `too many values (more than ${MAX_NODES})`);
    if (depth > MAX_DEPTH) return this.stop(pos, `values nested too deep (more than ${MAX_DEPTH} levels)`);
    if (isAlias(node)) return this.alias(node, pos, depth);
    if (node.tag !== undefined && !ALLOWED_TAGS.has(node.tag)) {
      return this.fail(pos, `tag ${shortTag(node.tag)} is not allowed: scenario files are plain data`);
    }
    if (isScalar(node)) return this.scalar(node.value, pos);
    if (isMap(node)) return this.mapping(node.items as Pair<Node | null, Node | null>[], pos, depth);
    if (isSeq(node)) return this.sequence(node.items as (Node | null)[], pos, depth);
    return this.fail(pos, "unsupported YAML node");
  }

  private alias(node: Alias, pos: Pos, depth: number): unknown {
    if (++this.aliases > MAX_ALIASES) return this.stop(pos, `too many aliases (more than ${MAX_ALIASES})`);
    const target = node.resolve(this.doc);
    if (target === undefined) return this.fail(pos, `unknown alias *${node.source}`);
    if (this.expanding.has(target))
      return this.fail(pos, `alias *${node.source} refers to a value containing it`);
    this.expanding.add(target);
    const value = this.build(target, pos, depth);
    this.expanding.delete(target);
    return value;
  }

  private scalar(value: unknown, pos: Pos): unknown {
    const t = typeof value;
    if (value === null || t === "string" || t === "boolean" || (t === "number" && Number.isFinite(value)))
      return value;
    return this.fail(pos, `unsupported value ${String(value)}`);
  }

  private mapping(pairs: Pair<Node | null, Node | null>[], pos: Pos, depth: number): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    this.map.register(out, pos);
    for (const pair of pairs) {
      const keyPos = pair.key?.range ? this.posAt(pair.key.range[0]) : pos;
      if (!isScalar(pair.key) || pair.key.value === null || typeof pair.key.value === "object") {
        this.fail(keyPos, "keys must be plain text");
        continue;
      }
      const key = String(pair.key.value);
      const valuePos = pair.value?.range ? this.posAt(pair.value.range[0]) : keyPos;
      setOwn(out, key, this.build(pair.value, valuePos, depth + 1));
      this.map.setEntry(out, key, { key: keyPos, value: valuePos });
    }
    return out;
  }

  private sequence(items: (Node | null)[], pos: Pos, depth: number): unknown[] {
    const out: unknown[] = [];
    this.map.register(out, pos);
    for (const [i, item] of items.entries()) {
      const itemPos = item?.range ? this.posAt(item.range[0]) : pos;
      out.push(this.build(item, itemPos, depth + 1));
      this.map.setEntry(out, i, { key: itemPos, value: itemPos });
    }
    return out;
  }

  private fail(pos: Pos, message: string): null {
    this.issues.push(issueAt(pos, message));
    return null;
  }

  /** Reports a resource limit once and stops building: everything after it would be noise. */
  private stop(pos: Pos, message: string): null {
    this.stopped = true;
    return this.fail(pos, `${message}: refused to protect against resource exhaustion`);
  }
}

function shortTag(tag: string): string {
  return tag.startsWith(CORE_TAG) ? `!!${tag.slice(CORE_TAG.length)}` : tag;
}

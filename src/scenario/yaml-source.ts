// YAML (and so JSON, which is YAML) text to a plain tree with source positions. Scenario files are
// data: explicit tags beyond the plain core types are refused (no `!!js/function`, no `!custom`),
// alias expansion is bounded (no "billion laughs"), and every problem becomes an issue with a line.
//
// Files are also hostile input, so the work is bounded before it is done: the parser is fed one
// token at a time and stopped as soon as the file has too many tokens or nests too deep. Parsing
// without that guard, 2 MiB of `[` took 23 s and 1.9 GB and ended in "Maximum call stack size
// exceeded"; with it, such a file is refused after its first hundred-odd tokens. Every text is
// capped in length too, so no later stage (patterns, messages, file names) sees megabytes of it.

import {
  type Alias,
  Composer,
  CST,
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Lexer,
  LineCounter,
  type Node,
  type Pair,
  Parser,
  YAMLParseError,
  type Document as YamlDocument,
} from "yaml";
import { formatPath, type Path, type ScenarioIssue, shortened } from "./issues.js";
import { MAX_ALIASES, MAX_DEPTH, MAX_NODES, MAX_TEXT, MAX_TOKENS } from "./limits.js";
import { emptyRecord, type Pos, type SourceMap, setOwn } from "./source-map.js";
import { duplicateKey, syntaxMessage } from "./yaml-errors.js";

const CORE_TAG = "tag:yaml.org,2002:";
const ALLOWED_TAGS = new Set(["str", "int", "float", "bool", "null", "map", "seq"].map((t) => CORE_TAG + t));
const RESOURCE = "refused to protect against resource exhaustion";
const TOO_DEEP = `values nested too deep (more than ${MAX_DEPTH} levels)`;

export interface ParsedSource {
  /** The tree; undefined when the text has errors (then `issues` says why). */
  value: unknown;
  issues: ScenarioIssue[];
}

/** Parses one file's text into a tree, recording every position in `map`. */
export function parseYamlSource(text: string, file: string, map: SourceMap): ParsedSource {
  const lines = new LineCounter();
  const posAt = (offset: number): Pos => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const guard = new TokenGuard(lines);
  let doc: Doc;
  try {
    doc = composeOne(guard.tokens(text), text.length);
  } catch (error) {
    // The parser reports problems as document errors; this is for anything it did not foresee.
    return {
      value: undefined,
      issues: [{ file, line: 1, column: 1, path: "", message: `cannot parse: ${firstLine(String(error))}` }],
    };
  }
  if (guard.stopped !== undefined) {
    const { offset, path, message } = guard.stopped;
    return { value: undefined, issues: [{ ...issueAt(posAt(offset), message), path: formatPath(path) }] };
  }
  // Only the first syntax error: the parser's later ones are mostly consequences of it (one missing
  // bracket gives a dozen "unexpected token"s), and would bury the one line to fix.
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    const message = `YAML syntax error: ${syntaxMessage(syntax)}`;
    return { value: undefined, issues: [issueAt(posAt(syntax.pos[0]), message)] };
  }
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

/** The first document of the token stream, as `parseDocument` composes it (a second one is an error). */
function composeOne(tokens: Iterable<CST.Token>, length: number): Doc {
  // Keys written twice are found by the tree builder, with a set: the parser's own check compares
  // each key with every key before it (20,000 keys took 5 s).
  const composer = new Composer({ prettyErrors: false, resolveKnownTags: false, uniqueKeys: false });
  let doc: Doc | undefined;
  for (const next of composer.compose(tokens, true, length)) {
    if (doc === undefined) {
      doc = next;
      continue;
    }
    const range = next.range ?? [0, 0];
    doc.errors.push(
      new YAMLParseError([range[0], range[1]], "MULTIPLE_DOCS", "Source contains multiple documents"),
    );
    break;
  }
  // compose(…, forceDoc = true) always ends with a document.
  return doc as Doc;
}

/** Why and where the token stream was cut. */
interface Stop {
  offset: number;
  path: Path;
  message: string;
}

/**
 * Feeds the YAML parser token by token and stops it at the first limit exceeded: more tokens than
 * MAX_TOKENS, or nesting deeper than MAX_DEPTH. (Depth up to twice MAX_DEPTH is left to the tree
 * builder, which names the exact field; beyond that the parser itself slows down, so the stream is
 * cut where the nesting first went too deep.)
 */
class TokenGuard {
  stopped: Stop | undefined;
  private readonly parser: Parser;

  constructor(private readonly lines: LineCounter) {
    this.parser = new Parser(lines.addNewLine);
  }

  *tokens(text: string): Generator<CST.Token, void> {
    const parser = this.parser;
    this.lines.addNewLine(0);
    let count = 0;
    let tooDeep: Stop | undefined;
    for (const lexeme of new Lexer().lex(text)) {
      const offset = parser.offset;
      if (++count > MAX_TOKENS) {
        this.stopped = {
          offset,
          path: [],
          message: `file too long: more than ${MAX_TOKENS} tokens (words, numbers, punctuation, line breaks): ${RESOURCE}`,
        };
        return;
      }
      yield* parser.next(lexeme);
      // The stack holds the document, the top-level collection, then one entry per level inside.
      const depth = parser.stack.length - 2;
      if (depth > MAX_DEPTH && tooDeep === undefined)
        tooDeep = { offset, path: topKey(parser.stack), message: `${TOO_DEEP}: ${RESOURCE}` };
      if (depth > 2 * MAX_DEPTH) {
        this.stopped = tooDeep;
        return;
      }
    }
    yield* parser.end();
  }
}

/** The top-level key being written, for the field path of a message about the stream. */
function topKey(stack: readonly CST.Token[]): Path {
  const root = stack[1];
  if (root === undefined || !("items" in root)) return [];
  const item = root.items.at(-1);
  const key = item && "key" in item ? item.key : undefined;
  const scalar = key ? CST.resolveAsScalar(key) : null;
  return scalar ? [scalar.value] : [];
}

function issueAt(pos: Pos, message: string): ScenarioIssue {
  return { file: pos.file, line: pos.line, column: pos.column, path: "", message };
}

type Doc = YamlDocument.Parsed;

/** Where a value was written: its position and its field path. */
interface Where {
  pos: Pos;
  path: Path;
}

/** Walks the YAML nodes; stops adding values once a limit is exceeded. */
class TreeBuilder {
  readonly issues: ScenarioIssue[] = [];
  private aliases = 0;
  private nodes = 0;
  private stopped = false;
  /** Nodes being expanded, with the path of the alias that began it: an alias inside is a loop. */
  private readonly expanding = new Map<Node, Path>();

  constructor(
    private readonly doc: Doc,
    private readonly map: SourceMap,
    private readonly posAt: (offset: number) => Pos,
  ) {}

  /** The value of `node`, written at `path` (its length is the nesting depth). */
  build(node: Node | null, at: Pos, path: Path = []): unknown {
    if (this.stopped || node === null) return null;
    const pos = node.range ? this.posAt(node.range[0]) : at;
    const where: Where = { pos, path };
    if (++this.nodes > MAX_NODES) return this.stop(where, `too many values (more than ${MAX_NODES})`);
    if (path.length > MAX_DEPTH) return this.stop(where, TOO_DEEP);
    if (isAlias(node)) return this.alias(node, where);
    if (node.tag !== undefined && !ALLOWED_TAGS.has(node.tag)) {
      return this.fail(
        where,
        `tag ${shortened(shortTag(node.tag))} is not allowed: scenario files are plain data`,
      );
    }
    if (isScalar(node)) return this.scalar(node.value, node.source, where);
    if (isMap(node)) return this.mapping(node.items as Pair<Node | null, Node | null>[], where);
    if (isSeq(node)) return this.sequence(node.items as (Node | null)[], where);
    return this.fail(where, "unsupported YAML node");
  }

  private alias(node: Alias, where: Where): unknown {
    if (++this.aliases > MAX_ALIASES) return this.stop(where, `too many aliases (more than ${MAX_ALIASES})`);
    const target = node.resolve(this.doc);
    const name = shortened(node.source);
    if (target === undefined)
      return this.fail(where, `unknown alias *${name}: no anchor &${name} is defined before it`);
    const outer = this.expanding.get(target);
    if (outer !== undefined)
      return this.fail({ ...where, path: outer }, `alias *${name} refers to a value containing it`);
    this.expanding.set(target, where.path);
    const value = this.build(target, where.pos, where.path);
    this.expanding.delete(target);
    return value;
  }

  private scalar(value: unknown, source: string | undefined, where: Where): unknown {
    const t = typeof value;
    if (t === "string" && (value as string).length > MAX_TEXT)
      return this.fail(where, tooLong(value as string));
    if (value === null || t === "string" || t === "boolean" || (t === "number" && Number.isFinite(value)))
      return value;
    // .nan, .inf, 1e999: YAML numbers no field can use; say what was written, not "NaN".
    if (t === "number")
      return this.fail(where, `found ${shortened(source ?? String(value))}, expected a finite number`);
    return this.fail(where, `unsupported value ${String(value)}`);
  }

  private mapping(pairs: Pair<Node | null, Node | null>[], where: Where): Record<string, unknown> {
    const out = emptyRecord();
    this.map.register(out, where.pos);
    for (const pair of pairs) {
      const keyPos = pair.key?.range ? this.posAt(pair.key.range[0]) : where.pos;
      if (!isScalar(pair.key) || pair.key.value === null || typeof pair.key.value === "object") {
        this.fail({ pos: keyPos, path: where.path }, "keys must be plain text");
        continue;
      }
      const key = String(pair.key.value);
      if (key.length > MAX_TEXT) {
        this.fail({ pos: keyPos, path: where.path }, `key ${tooLong(key)}`);
        continue;
      }
      if (Object.hasOwn(out, key)) {
        this.issues.push(issueAt(keyPos, `YAML syntax error: ${duplicateKey(key)}`));
        continue;
      }
      const valuePos = pair.value?.range ? this.posAt(pair.value.range[0]) : keyPos;
      setOwn(out, key, this.build(pair.value, valuePos, [...where.path, key]));
      this.map.setEntry(out, key, { key: keyPos, value: valuePos });
    }
    return out;
  }

  private sequence(items: (Node | null)[], where: Where): unknown[] {
    const out: unknown[] = [];
    this.map.register(out, where.pos);
    for (const [i, item] of items.entries()) {
      const itemPos = item?.range ? this.posAt(item.range[0]) : where.pos;
      out.push(this.build(item, itemPos, [...where.path, i]));
      this.map.setEntry(out, i, { key: itemPos, value: itemPos });
    }
    return out;
  }

  private fail(where: Where, message: string): null {
    this.issues.push({ ...issueAt(where.pos, message), path: formatPath(where.path) });
    return null;
  }

  /**
   * Reports a resource limit once and stops building: everything after it would be noise. The path
   * is cut to its top-level key: sixty-four `[0]`s would say nothing more.
   */
  private stop(where: Where, message: string): null {
    this.stopped = true;
    const top = { pos: where.pos, path: where.path.slice(0, 1) };
    return this.fail(top, `${message}: ${RESOURCE}`);
  }
}

function tooLong(text: string): string {
  return `text too long: ${text.length} characters, at most ${MAX_TEXT}`;
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

function shortTag(tag: string): string {
  return tag.startsWith(CORE_TAG) ? `!!${tag.slice(CORE_TAG.length)}` : tag;
}

// Loads a scenario and, through `extends`, the files it builds on, into one merged tree.
// Problems with the chain (a loop, a missing base) point at the `extends` line that caused them.
// Synchronous, and the files come through `TreeLoader.read`: the file system on the node side,
// the open documents in a browser.
//
// What `extends` may reach (docs/scenario-reference.md, "extends"), the same rule wherever a
// scenario is read (the command line, the library, the studio's page and its server):
// - a path whose name ends in .yaml, .yml or .json (any other name is refused before it is read:
//   `extends: /etc/passwd` reads nothing);
// - a regular file of at most 2 MiB (src/node/read.ts: no folder, device, FIFO or socket, and
//   not through a symbolic link at the last step);
// - whose content is a scenario: a mapping whose top-level keys are all scenario keys. Anything
//   else is refused at the `extends` line without quoting a word of it, and syntax errors in a
//   base are located but never quote its text, so no other file's contents can be echoed back.

import { scenarioSchema } from "./format.js";
import { formatPath, renderValue, type ScenarioIssue, shortened } from "./issues.js";
import { mergeScenario } from "./merge.js";
import { dirname, isAbsolute, join, normalize } from "./paths.js";
import { isRecord, type Pos, type SourceMap } from "./source-map.js";
import type { ReadResult } from "./text.js";
import { parseYamlSource } from "./yaml-source.js";

export interface SourceTree {
  /** The merged tree; undefined when `issues` is not empty. */
  value: unknown;
  /** Every file read, the requested one first, then its bases in `extends` order. */
  files: string[];
  issues: ScenarioIssue[];
}

export interface TreeLoader {
  map: SourceMap;
  /** The text of `file` ("/"-separated, joined to the including file's folder), or why not. */
  read(file: string): ReadResult;
}

/** The tree of `file` (whose text is given), merged over the trees it extends; `chain` = the files extending it. */
export function loadTree(file: string, text: string, loader: TreeLoader, chain: string[] = []): SourceTree {
  const parsed = parseYamlSource(text, file, loader.map);
  if (parsed.issues.length > 0) return { value: undefined, files: [file], issues: parsed.issues };
  const value = parsed.value;
  if (!isRecord(value)) {
    const message = `found ${renderValue(value)}, expected a mapping of scenario keys (name, microsystems, …)`;
    return failed([file], [issueAt({ file, line: 1, column: 1 }, "", message)]);
  }
  return loadParsed(file, value, loader, chain);
}

/** A parsed file (a mapping) and the files it extends. */
function loadParsed(
  file: string,
  value: Record<string, unknown>,
  loader: TreeLoader,
  chain: string[],
): SourceTree {
  if (typeof value.extends !== "string") return { value, files: [file], issues: [] };
  return extend(file, value, value.extends, loader, [...chain, file]);
}

function extend(
  file: string,
  value: Record<string, unknown>,
  target: string,
  loader: TreeLoader,
  chain: string[],
): SourceTree {
  const at = loader.map.locate(value, ["extends"], "value", { file, line: 1, column: 1 });
  const baseFile = isAbsolute(target) ? target : join(dirname(file), target);
  // The same file reached by another spelling ("./a.yaml", "b/../a.yaml") is the same file.
  const loop = chain.findIndex((f) => normalize(f) === normalize(baseFile));
  if (loop >= 0) {
    const cycle = [...chain.slice(loop), baseFile].join(" -> ");
    return failed([file], [issueAt(at, "extends", `extends loop: ${cycle}`)]);
  }
  const refuse = (why: string): SourceTree =>
    failed([file], [issueAt(at, "extends", `cannot extend ${shortened(baseFile)}: ${why}`)]);
  if (!SCENARIO_NAME.test(baseFile)) return refuse(NOT_A_SCENARIO_NAME);
  const read = loader.read(baseFile);
  if (!read.ok) return refuse(read.message);
  const parsed = parseYamlSource(read.text, baseFile, loader.map);
  if (parsed.issues.length > 0) return failed([file, baseFile], parsed.issues.map(unquoted));
  const why = notAScenario(parsed.value, baseFile, loader.map);
  if (why !== null) return refuse(why);
  const base = loadParsed(baseFile, parsed.value as Record<string, unknown>, loader, chain);
  const files = [file, ...base.files];
  if (base.issues.length > 0 || !isRecord(base.value)) return failed(files, base.issues);
  return { value: mergeScenario(base.value, value, loader.map), files, issues: [] };
}

/** A scenario file's name: what `extends` may name. */
const SCENARIO_NAME = /\.(ya?ml|json)$/i;

/** Whether `extends` may name this path (the studio's server follows the same rule). */
export function isScenarioFileName(path: string): boolean {
  return SCENARIO_NAME.test(path);
}
const NOT_A_SCENARIO_NAME = "not a scenario file (its name must end in .yaml, .yml or .json)";
const TOP_KEYS = new Set(Object.keys(scenarioSchema.shape));

/**
 * Why a base's content is not a scenario, in words that quote none of it; null when it is one (a
 * mapping of scenario keys). Its keys' own mistakes are then reported in it, like any scenario's.
 */
function notAScenario(value: unknown, file: string, map: SourceMap): string | null {
  if (!isRecord(value)) return "not a scenario (its content is not a mapping of scenario keys)";
  const stray = Object.keys(value).filter((k) => !TOP_KEYS.has(k));
  if (stray.length === 0) return null;
  const first = map.locate(value, [stray[0]!], "key", { file, line: 1, column: 1 });
  return `not a scenario file: ${stray.length} of its top-level keys ${stray.length === 1 ? "is not a scenario key" : "are not scenario keys"} (the first at line ${first.line}; validate that file alone to see them)`;
}

/** Messages about a file's text that quote none of it (limits on size, nesting, length). */
const TEXT_FREE =
  /^(file too long|values nested too deep|too many (values|aliases)|text too long|key text too long)\b[^"*!]*$/;

/**
 * A base's parse error, located but quoting nothing of the file (its text may be anyone's): a
 * syntax error says only that it is one, its field path (the base's own keys) is left out.
 */
function unquoted(issue: ScenarioIssue): ScenarioIssue {
  const what = issue.message.startsWith("YAML syntax error")
    ? "YAML syntax error"
    : TEXT_FREE.test(issue.message)
      ? issue.message
      : "not readable as a scenario here";
  const message = `${what} (a file that is extended: its text is not shown; validate it alone to see more)`;
  return { ...issue, path: "", message };
}

function failed(files: string[], issues: ScenarioIssue[]): SourceTree {
  return { value: undefined, files, issues };
}

function issueAt(pos: Pos, field: string, message: string): ScenarioIssue {
  return {
    file: pos.file,
    line: pos.line,
    column: pos.column,
    path: formatPath(field ? [field] : []),
    message,
  };
}

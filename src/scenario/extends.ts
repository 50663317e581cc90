// Loads a scenario and, through `extends`, the files it builds on, into one merged tree.
// Problems with the chain (a loop, a missing base) point at the `extends` line that caused them.
// Synchronous, and the files come through `TreeLoader.read`: the file system on the node side,
// the open documents in a browser.

import { formatPath, renderValue, type ScenarioIssue } from "./issues.js";
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
  const read = loader.read(baseFile);
  if (!read.ok) return failed([file], [issueAt(at, "extends", `cannot extend ${baseFile}: ${read.message}`)]);
  const base = loadTree(baseFile, read.text, loader, chain);
  const files = [file, ...base.files];
  if (base.issues.length > 0 || !isRecord(base.value)) return failed(files, base.issues);
  return { value: mergeScenario(base.value, value, loader.map), files, issues: [] };
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

// Scenario file → validated ModelSpec. The stages: read safely, parse YAML with positions, follow
// `extends` and merge, check the schema, check cross-references on a best-effort view (so every
// problem is reported in one pass), compile. Every problem is a ScenarioIssue with file:line:column.

import type { ModelSpec } from "../model/spec.js";
import { checkScenario, scenarioWarnings } from "./checks/index.js";
import { compileScenario } from "./compile.js";
import { loadTree } from "./extends.js";
import type { Finding } from "./finding.js";
import { scenarioSchema } from "./format.js";
import { formatPath, ScenarioError, type ScenarioIssue, sortIssues } from "./issues.js";
import { checkText, readScenarioFile } from "./read.js";
import { fallbackExpected, schemaFindings } from "./schema-issues.js";
import { type Assignment, applyAssignments } from "./set.js";
import { type Pos, SourceMap } from "./source-map.js";
import { buildView } from "./view.js";

export { formatIssue, ScenarioError, type ScenarioIssue } from "./issues.js";

export interface LoadResult {
  spec: ModelSpec;
  /** Valid but suspicious settings, in file/line order. */
  warnings: ScenarioIssue[];
}

export interface LoadOptions {
  /** `--set path=value` changes, applied to the merged tree before validation (src/scenario/set.ts). */
  set?: readonly Assignment[];
}

/** Loads, validates and compiles a scenario file; throws ScenarioError listing every problem. */
export async function loadScenario(file: string, options: LoadOptions = {}): Promise<LoadResult> {
  const read = await readScenarioFile(file);
  if (!read.ok) throw new ScenarioError([wholeFileIssue(file, read.message)]);
  return loadScenarioText(read.text, file, options);
}

/** Same as loadScenario for text already in memory; `fileName` names it in issues and anchors `extends`. */
export async function loadScenarioText(
  text: string,
  fileName: string,
  options: LoadOptions = {},
): Promise<LoadResult> {
  const checked = checkText(text);
  if (!checked.ok) throw new ScenarioError([wholeFileIssue(fileName, checked.message)]);
  const map = new SourceMap();
  const tree = await loadTree(fileName, text, { map, read: readScenarioFile });
  if (tree.issues.length > 0) throw new ScenarioError(sortIssues(tree.issues, tree.files));
  if (options.set?.length) applyAssignments(tree.value as Record<string, unknown>, options.set, map);

  const locate = locator(map, tree.value, { file: fileName, line: 1, column: 1 });
  const parsed = scenarioSchema.safeParse(tree.value, { error: fallbackExpected });
  const view = buildView(tree.value);
  const findings = [
    ...(parsed.success ? [] : schemaFindings(scenarioSchema, tree.value, parsed.error.issues)),
    ...checkScenario(view),
  ];
  if (findings.length > 0 || !parsed.success)
    throw new ScenarioError(sortIssues(unique(findings.map(locate)), tree.files));
  return {
    spec: compileScenario(parsed.data),
    warnings: sortIssues(unique(scenarioWarnings(view).map(locate)), tree.files),
  };
}

function wholeFileIssue(file: string, message: string): ScenarioIssue {
  return { file, line: 1, column: 1, path: "", message };
}

/** Turns findings into issues located where their value (or key) was written. */
function locator(map: SourceMap, root: unknown, fallback: Pos): (finding: Finding) => ScenarioIssue {
  return (finding) => {
    const pos = map.locate(root, finding.path, finding.anchor, fallback);
    const issue: ScenarioIssue = {
      file: pos.file,
      line: pos.line,
      column: pos.column,
      path: formatPath(finding.path),
      message: finding.message + relatedNote(map, root, finding, pos),
    };
    if (finding.found !== undefined) issue.found = finding.found;
    if (finding.expected !== undefined) issue.expected = finding.expected;
    return issue;
  };
}

/** ` (first at line 12)`, or with the file when the related place is in another file. */
function relatedNote(map: SourceMap, root: unknown, finding: Finding, pos: Pos): string {
  if (!finding.related) return "";
  const other = map.locate(root, finding.related, "value", pos);
  return other.file === pos.file
    ? ` (first at line ${other.line})`
    : ` (first at ${other.file}:${other.line})`;
}

/** The same problem found twice (e.g. once per class) is reported once. */
function unique(issues: ScenarioIssue[]): ScenarioIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const key = `${i.file}:${i.line}:${i.column}:${i.path}:${i.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Scenario text → validated model. The stages: check the text, parse YAML with positions, follow
// `extends` and merge, apply `--set` changes, check the schema, check cross-references on a
// best-effort view (so every problem is reported in one pass), compile. Every problem is located:
// file:line:column and field path. Synchronous and browser-safe: the files `extends` names come
// through `resolve` (the file system on the node side, open documents in a browser).

import type { ModelSpec } from "../model/spec.js";
import { estimateWorkload, type WorkloadProblem, workloadProblems } from "../model/workload.js";
import { crossChecks, scenarioWarnings } from "./checks/index.js";
import { compileScenario } from "./compile.js";
import { loadTree } from "./extends.js";
import { problem, type Finding as TreeFinding } from "./finding.js";
import { scenarioSchema } from "./format.js";
import { formatPath, ScenarioError, type ScenarioIssue, sortIssues } from "./issues.js";
import { fallbackExpected, schemaFindings } from "./schema-issues.js";
import { type Assignment, applyAssignments, parseAssignment, SetSyntaxError } from "./set.js";
import { type Pos, SourceMap } from "./source-map.js";
import { checkText, type ReadResult } from "./text.js";
import { buildView } from "./view.js";

export { formatIssue, ScenarioError, type ScenarioIssue } from "./issues.js";

/** One located problem, as `validate` prints it (the public name of a ScenarioIssue). */
export type Finding = ScenarioIssue;

export interface ParseOptions {
  /** The file name used in findings and to anchor `extends`. */
  name: string;
  /**
   * The text of an `extends` target, its path already joined to the including file's folder
   * ("/"-separated). Throw to refuse (the message becomes the finding). Without it, `extends` is an error.
   */
  resolve?: (path: string) => string;
  /** `--set PATH=VALUE` changes, applied to the merged tree before validation (src/scenario/set.ts). */
  set?: readonly (string | Assignment)[];
}

export interface ParseResult {
  model: ModelSpec;
  /** Valid but suspicious settings, in file/line order. */
  warnings: Finding[];
}

/** The validated model of a scenario text, with its warnings; throws ScenarioError listing every problem. */
export function parseScenarioText(text: string, options: ParseOptions): ParseResult {
  return parseWith(text, options.name, { set: options.set, read: resolver(options.resolve) });
}

/** The validated model of a scenario text; throws ScenarioError listing every problem. */
export function parseScenario(text: string, options: ParseOptions): ModelSpec {
  return parseScenarioText(text, options).model;
}

/** Like parseScenario, but never throws on bad input: the model (or null), the problems and the warnings. */
export function checkScenario(
  text: string,
  options: ParseOptions,
): { model: ModelSpec | null; findings: Finding[]; warnings: Finding[] } {
  try {
    const { model, warnings } = parseScenarioText(text, options);
    return { model, findings: [], warnings };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { model: null, findings: [...error.findings], warnings: [] };
  }
}

/** How a parse reads the files `extends` names, and the `--set` changes it applies. */
export interface ParseSources {
  read: (file: string) => ReadResult;
  set?: readonly (string | Assignment)[];
}

/** A `resolve` function as a file reader: its text is checked like a file's, a throw becomes the message. */
function resolver(resolve: ParseOptions["resolve"]): (file: string) => ReadResult {
  if (resolve === undefined)
    return () => ({ ok: false, message: "no resolve function was given to read it" });
  return (file) => {
    try {
      return checkText(resolve(file));
    } catch (error) {
      return { ok: false, message: error instanceof Error ? error.message : String(error) };
    }
  };
}

/** The parse itself, given how files are read (the node side passes the file system). */
export function parseWith(text: string, fileName: string, sources: ParseSources): ParseResult {
  const checked = checkText(text);
  if (!checked.ok) throw new ScenarioError([wholeFileIssue(fileName, checked.message)]);
  const map = new SourceMap();
  const tree = loadTree(fileName, text, { map, read: sources.read });
  if (tree.issues.length > 0) throw new ScenarioError(sortIssues(tree.issues, tree.files));
  const set = assignments(sources.set ?? []);
  if (set.length > 0) applyAssignments(tree.value as Record<string, unknown>, set, map);

  const locate = locator(map, tree.value, { file: fileName, line: 1, column: 1 });
  const parsed = scenarioSchema.safeParse(tree.value, { error: fallbackExpected });
  const view = buildView(tree.value);
  const findings = [
    ...(parsed.success ? [] : schemaFindings(scenarioSchema, tree.value, parsed.error.issues)),
    ...crossChecks(view),
  ];
  if (findings.length > 0 || !parsed.success)
    throw new ScenarioError(sortIssues(unique(findings.map(locate)), tree.files));
  const model = compileScenario(parsed.data);
  // Valid, but would the run finish? The work it implies, estimated before it starts.
  const workload = workloadProblems(estimateWorkload(model));
  const at = (p: WorkloadProblem): TreeFinding =>
    problem(
      p.field === "patients" || model.arrivals === null ? ["patients"] : ["arrivals", p.field],
      p.message,
    );
  if (workload.refuse.length > 0)
    throw new ScenarioError(sortIssues(unique(workload.refuse.map(at).map(locate)), tree.files));
  return {
    model,
    warnings: sortIssues(
      unique([...scenarioWarnings(view), ...workload.warn.map(at)].map(locate)),
      tree.files,
    ),
  };
}

/** `--set` texts parsed; one that is not PATH=VALUE is a finding of its own. */
function assignments(set: readonly (string | Assignment)[]): Assignment[] {
  const issues: ScenarioIssue[] = [];
  const out: Assignment[] = [];
  for (const a of set) {
    if (typeof a !== "string") out.push(a);
    else
      try {
        out.push(parseAssignment(a));
      } catch (error) {
        if (!(error instanceof SetSyntaxError)) throw error;
        issues.push(wholeFileIssue(`--set "${a}"`, error.message));
      }
  }
  if (issues.length > 0) throw new ScenarioError(issues);
  return out;
}

function wholeFileIssue(file: string, message: string): ScenarioIssue {
  return { file, line: 1, column: 1, path: "", message };
}

/** Turns findings into issues located where their value (or key) was written. */
function locator(map: SourceMap, root: unknown, fallback: Pos): (finding: TreeFinding) => ScenarioIssue {
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
function relatedNote(map: SourceMap, root: unknown, finding: TreeFinding, pos: Pos): string {
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

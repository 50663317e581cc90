// Problems found in scenario files, each pinned to a file, line, column and field path, so a user
// can fix every one of them in one pass.

/** A segment of a field path: a key or a list index. */
export type PathSegment = string | number;
export type Path = readonly PathSegment[];

export interface ScenarioIssue {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  /** Field path, e.g. `microsystems[2].failures[0].p`; "" for the whole file. */
  path: string;
  /** The complete message, e.g. `found 1.4, expected a probability in [0, 1] or a percent string`. */
  message: string;
  /** The value found, rendered as in the message. */
  found?: string;
  /** What was expected there. */
  expected?: string;
}

/** `file:line:column path: message` (no path for problems of the whole file). */
export function formatIssue(issue: ScenarioIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`;
}

/** Thrown by the loader when a scenario has errors; carries every one of them. */
export class ScenarioError extends Error {
  readonly issues: readonly ScenarioIssue[];

  constructor(issues: readonly ScenarioIssue[]) {
    const first = issues[0];
    super(first ? `${formatIssue(first)}${issues.length > 1 ? ` (and ${issues.length - 1} more)` : ""}` : "");
    this.name = "ScenarioError";
    this.issues = issues;
  }

  /** The located problems (the same list as `issues`, under its public name). */
  get findings(): ScenarioIssue[] {
    return this.issues as ScenarioIssue[];
  }

  /** One line per issue. */
  format(): string {
    return this.issues.map((issue) => formatIssue(issue)).join("\n");
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `microsystems[2].failures[0].p`; keys that are not identifiers are quoted: `base["a b"]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (IDENTIFIER.test(segment)) out += out ? `.${segment}` : segment;
    else out += `[${JSON.stringify(segment)}]`;
  }
  return out;
}

/** Sorts issues by file (in the given order, unknown files last), then line, then column. */
export function sortIssues(issues: readonly ScenarioIssue[], fileOrder: readonly string[]): ScenarioIssue[] {
  const rank = (file: string): number => {
    const index = fileOrder.indexOf(file);
    return index < 0 ? fileOrder.length : index;
  };
  return [...issues].sort(
    (a, b) =>
      rank(a.file) - rank(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path),
  );
}

/** A value as shown after "found": strings quoted, collections named. */
export function renderValue(value: unknown): string {
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (value !== null && typeof value === "object") return "a mapping";
  const text = typeof value === "string" ? JSON.stringify(value) : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

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

/**
 * `file:line:column path: message` (no path for problems of the whole file), always one line of
 * plain text: anything a terminal would act on is shown escaped (see `escapeControls`).
 */
export function formatIssue(issue: ScenarioIssue): string {
  const where = `${issue.file}:${issue.line}:${issue.column}`;
  return escapeControls(
    issue.path ? `${where} ${issue.path}: ${issue.message}` : `${where} ${issue.message}`,
  );
}

/**
 * Characters that must not reach a terminal as they are: C0 and C1 control characters and DEL
 * (escape sequences that recolour, move the cursor or retitle the window; line breaks that would
 * forge a message line), the Unicode line and paragraph separators, the bidirectional controls
 * that reorder what is shown ("Trojan Source"), and lone surrogates.
 */
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with every unsafe character shown as a `\uXXXX` escape (e.g. ESC as `\u001b`). */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** Longest text quoted whole in a message; a longer one is cut and its length given. */
const QUOTED_LENGTH = 80;

/** Text written by the user, as a message quotes it: in double quotes, escaped, long text cut. */
export function quoted(text: string, max = QUOTED_LENGTH): string {
  if (text.length <= max) return escapeControls(JSON.stringify(text));
  return `${escapeControls(JSON.stringify(shortened(text, max)))} (${text.length} characters)`;
}

/** Text as a message shows it unquoted (a tag, an alias's name, a number as written): long text cut. */
export function shortened(text: string, max = QUOTED_LENGTH): string {
  return text.length <= max ? text : `${text.slice(0, max - 3)}...`;
}

/** Problems printed for one file (every one of them is still in `ScenarioError.issues`). */
export const MAX_SHOWN_ISSUES = 200;

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

  /**
   * One line per issue, the first MAX_SHOWN_ISSUES of them: past that a file is not a scenario
   * with mistakes but something else (60,000 lines would bury the first one to fix). The last
   * line, located at the first issue left out, says how many more there are.
   */
  format(): string {
    const shown = this.issues.slice(0, MAX_SHOWN_ISSUES).map((issue) => formatIssue(issue));
    const next = this.issues[MAX_SHOWN_ISSUES];
    if (next !== undefined) {
      const more = this.issues.length - MAX_SHOWN_ISSUES;
      shown.push(
        formatIssue({
          ...next,
          path: "",
          message: `and ${more} more problems, not shown: fix the ones above first`,
        }),
      );
    }
    return shown.join("\n");
  }
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** `microsystems[2].failures[0].p`; keys that are not identifiers are quoted: `base["a b"]`. */
export function formatPath(path: Path): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else if (segment.length <= QUOTED_LENGTH && IDENTIFIER.test(segment))
      out += out ? `.${segment}` : segment;
    else out += `[${quoted(segment)}]`;
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
  return typeof value === "string" ? quoted(value, 60) : String(value);
}

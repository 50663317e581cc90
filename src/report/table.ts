// Plain-text tables for the terminal: the style every command's summary shares (two-space indent,
// columns two spaces apart, dimmed header), and the cleaning of names that come from scenario files.

/** Longest name shown in a table cell before it is cut with "…". */
export const MAX_NAME = 44;

export interface Styler {
  bold(text: string): string;
  dim(text: string): string;
  heading(text: string): string;
}

/** ANSI styles when `color`, plain text otherwise. */
export function styler(color: boolean): Styler {
  const wrap =
    (open: string) =>
    (text: string): string =>
      color ? `\u001b[${open}m${text}\u001b[0m` : text;
  return { bold: wrap("1"), dim: wrap("2"), heading: wrap("1;36") };
}

/**
 * Names come from scenario files: control characters and the line and paragraph separators
 * (newlines would break a table row, escape sequences could restyle or rewrite the user's
 * terminal) become spaces, and bidirectional overrides (which reorder what a row shows) go. The
 * command line escapes whatever else reaches the terminal (src/cli/io.ts).
 */
export function clean(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, " ")
      .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, "")
      .trim()
  );
}

/** Cuts a long name to MAX_NAME characters with "…". */
export function cut(text: string): string {
  const chars = [...text];
  return chars.length <= MAX_NAME ? text : `${chars.slice(0, MAX_NAME - 1).join("")}…`;
}

/** Width in terminal columns, counted in code points (names are mostly Latin; good enough). */
export function width(text: string): number {
  return [...text].length;
}

/**
 * Aligned rows, indented two spaces, columns two spaces apart; `align` has one letter per column
 * ("l" or "r"). Header (if any) is dimmed. Colour is applied after padding, so widths stay right.
 * Trailing blanks are trimmed so empty last columns leave no dangling spaces.
 */
export function table(headers: string[] | null, rows: string[][], align: string, st: Styler): string[] {
  const all = headers === null ? rows : [headers, ...rows];
  const widths = align.split("").map((_, c) => Math.max(0, ...all.map((r) => width(r[c] ?? ""))));
  const line = (row: string[]): string =>
    `  ${widths
      .map((w, c) => {
        const cell = row[c] ?? "";
        const pad = " ".repeat(w - width(cell));
        return align[c] === "r" ? pad + cell : cell + pad;
      })
      .join("  ")}`.trimEnd();
  const body = rows.map(line);
  return headers === null ? body : [st.dim(line(headers)), ...body];
}

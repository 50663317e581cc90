// Text from a scenario (names, ids) in a chart spec. Two things break charts otherwise:
// - vega treats a text that is exactly the name of one of Object.prototype's members (an id or
//   name `constructor`, `toString`, `valueOf`, `hasOwnProperty`…) as a reference to an operator
//   and fails with "Operator not defined" (a title, a label, a text mark: any string value); a
//   zero-width space after such a text keeps it looking the same and makes it plain text;
// - control characters have no place in an SVG (XML forbids most of them) nor in a label, and
//   U+2028/U+2029 end an expression's string literal: controls show as U+FFFD, the separators as
//   a space, bidirectional overrides are dropped (they would reorder what a label says).
// Our own strings in a spec (field names, mark types, colours, formats) are none of these, so the
// whole spec is mapped and stays consistent: a label and the domain that orders it change alike.

const PROTOTYPE_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));
const ZERO_WIDTH_SPACE = "\u200b";
/** Line breaks (\n) are kept: two-line labels are split at them. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const SEPARATOR = /[\u2028\u2029]/g;
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** One text as a chart may show it. */
export function chartText(text: string): string {
  const clean = text
    .replace(CONTROL, "\ufffd")
    .replace(LONE_SURROGATE, "\ufffd")
    .replace(SEPARATOR, " ")
    .replace(BIDI, "");
  return PROTOTYPE_NAMES.has(clean) ? clean + ZERO_WIDTH_SPACE : clean;
}

/** Every string value of a spec (not its keys) as a chart may show it. */
export function chartSafe<T>(value: T): T {
  if (typeof value === "string") return chartText(value) as T;
  if (Array.isArray(value)) return value.map(chartSafe) as T;
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value))
      Object.defineProperty(out, k, {
        value: chartSafe(v),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    return out as T;
  }
  return value;
}

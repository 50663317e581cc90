// The YAML parser's error messages are written for programmers ("Nested mappings are not allowed in
// compact mappings", "please use YAML.parseAllDocuments()"). Scenario files are written by people
// who are not: each known error code gets a message that says what is wrong in their terms and how
// to fix it. Unknown codes keep the parser's own first line, so nothing is ever hidden.

import type { YAMLError } from "yaml";

/** The message for a YAML syntax error, after the "YAML syntax error: " prefix. */
export function syntaxMessage(error: YAMLError, text: string): string {
  const original = firstLine(error.message);
  switch (error.code) {
    case "TAB_AS_INDENT":
      return "a tab is used to indent this line: indent with spaces only";
    case "DUPLICATE_KEY":
      return `the key ${quotedKeyAt(text, error.pos[0])}is written twice in the same place: keep one`;
    case "MULTIPLE_DOCS":
      return "a second document starts here (after ---): a scenario file holds one scenario";
    case "BLOCK_AS_IMPLICIT_KEY":
      return 'a value contains ": " (a colon and a space), or a line is indented too far: put the value in quotes, or check the indentation';
    case "MULTILINE_IMPLICIT_KEY":
      return "a key is split over several lines: check the indentation";
    case "BAD_INDENT":
    case "MISSING_CHAR":
      return missingCharacter(original);
    case "BAD_SCALAR_START":
      return `${original.replace(/^Plain value cannot start with reserved character/, "a value cannot start with")}: put the value in quotes`;
    case "BAD_DQ_ESCAPE":
      return `${original.replace(/^Invalid escape sequence/, "invalid escape")} in a double-quoted text: write \\\\ for a backslash, or use single quotes`;
    case "UNEXPECTED_TOKEN":
      return unexpected(original);
    default:
      return original;
  }
}

/** The parser's messages for unclosed brackets and quotes and misplaced list items. */
function missingCharacter(original: string): string {
  if (original.startsWith("Flow sequence"))
    return "a list opened with [ is not closed with ] before this point";
  if (original.startsWith("Flow map"))
    return "a mapping opened with { is not closed with } before this point";
  if (original.startsWith("Missing closing"))
    return "a quoted text is not closed before this point: add the closing quote";
  if (original.startsWith("Sequence item without"))
    return "this line is indented differently from the lines around it: check the indentation";
  if (original.startsWith("Missing , between")) return "a comma is missing before this item";
  if (original.startsWith("Implicit map keys need to be followed"))
    return 'a key without a value: write "key: value"';
  return original;
}

/** `Unexpected flow-seq-end token in YAML stream: "]"` → `unexpected "]"`, without the parser's token names. */
function unexpected(original: string): string {
  const token = /: (".*")$/.exec(original)?.[1];
  if (token !== undefined) return `unexpected ${token} here: check the brackets, quotes and indentation`;
  if (original.startsWith("Unexpected scalar at node end"))
    return `unexpected text after a value: check the quotes (a ' inside '…' ends it: write '' or use "…") and the indentation`;
  return original;
}

/** `"time" ` for the plain or quoted key that starts at `offset`, or "" when it cannot be read. */
function quotedKeyAt(text: string, offset: number): string {
  const match = /^(?:"([^"\n]*)"|'([^'\n]*)'|([^:\n,{}[\]]+))/.exec(text.slice(offset));
  const key = (match?.[1] ?? match?.[2] ?? match?.[3])?.trim();
  return key ? `"${key}" ` : "";
}

function firstLine(message: string): string {
  return message.split("\n")[0] ?? message;
}

// The YAML parser's error messages are written for programmers ("Nested mappings are not allowed in
// compact mappings", "please use YAML.parseAllDocuments()"). Scenario files are written by people
// who are not: each known error code gets a message that says what is wrong in their terms and how
// to fix it. Unknown codes keep the parser's own first line, so nothing is ever hidden.

import type { YAMLError } from "yaml";
import { quoted, shortened } from "./issues.js";

/** The message for a YAML syntax error, after the "YAML syntax error: " prefix. */
export function syntaxMessage(error: YAMLError): string {
  const line = firstLine(error.message);
  const original = cut(line);
  switch (error.code) {
    case "TAB_AS_INDENT":
      return "a tab is used to indent this line: indent with spaces only";
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
      return unexpected(line);
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
  const token = quotedToken(original);
  if (token !== undefined) return `unexpected ${token} here: check the brackets, quotes and indentation`;
  if (original.startsWith("Unexpected scalar at node end"))
    return `unexpected text after a value: check the quotes (a ' inside '…' ends it: write '' or use "…") and the indentation`;
  return cut(original);
}

/**
 * The token the parser quotes at the end of its message (`…: "]"`), as messages quote text (long
 * text cut). The parser writes it with JSON.stringify, so its first `: "` starts it.
 */
function quotedToken(original: string): string | undefined {
  const start = original.indexOf(': "');
  if (start < 0 || !original.endsWith('"')) return undefined;
  try {
    return quoted(String(JSON.parse(original.slice(start + 2))));
  } catch {
    return undefined;
  }
}

/** A key written twice in one mapping (found by the tree builder: see yaml-source.ts). */
export function duplicateKey(key: string): string {
  return `the key ${quoted(key)} is written twice in the same place: keep one`;
}

function firstLine(message: string): string {
  const end = message.indexOf("\n");
  return end < 0 ? message : message.slice(0, end);
}

/** The parser's message cut to a readable length (it may quote a whole token). */
function cut(line: string): string {
  return shortened(line, MAX_MESSAGE);
}

const MAX_MESSAGE = 200;

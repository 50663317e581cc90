// Where commands print. Commands never touch process.stdout directly, so tests can capture them,
// and everything printed is made safe for a terminal on the way (terminalText).
import { escapeControls } from "../node.js";

export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars, colour). */
  interactive: boolean;
}

// A reader that stops early (`handoff-sim run … --json | head`) closes the pipe: that is not an
// error worth a stack trace, so stop quietly.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code === "EPIPE") process.exit(0);
  throw error;
});

export const processIo: Io = safeIo({
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  interactive: process.stderr.isTTY === true,
});

/**
 * The styles the program's own summaries use when stderr is a terminal (report/table.ts):
 * bold, dim, bold cyan, reset. Only these survive `terminalText`.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: our own escape sequences are what it finds
const OUR_STYLES = /(\u001b\[(?:0|1|2|1;36)m)/;

/**
 * Text as it may reach a terminal: every character a terminal would act on (escape sequences,
 * C1 controls, line and paragraph separators, bidirectional overrides, lone surrogates) shown
 * escaped (`\u001b`), whatever command or message it is in — names in `explain` and `story`,
 * paths in messages, commander's own errors that echo an argument. Line breaks and tabs stay;
 * with `styles`, so do the four styles the summaries are coloured with. JSON stays JSON: the
 * escapes are JSON's own, and only appear inside its strings.
 */
export function terminalText(text: string, styles = false): string {
  const escapeLine = (part: string): string => part.split("\n").map(escapeTabs).join("\n");
  if (!styles) return escapeLine(text);
  return text
    .split(OUR_STYLES)
    .map((part, i) => (i % 2 === 1 ? part : escapeLine(part)))
    .join("");
}

function escapeTabs(line: string): string {
  return line.split("\t").map(escapeControls).join("\t");
}

/** An Io whose every line goes through terminalText: the one place all printing passes. */
export function safeIo(io: Io): Io {
  return {
    out: (text) => io.out(terminalText(text, io.interactive)),
    err: (text) => io.err(terminalText(text, io.interactive)),
    interactive: io.interactive,
  };
}

/** A failure the user caused (bad input, bad usage): exit 2. */
export class UsageError extends Error {}

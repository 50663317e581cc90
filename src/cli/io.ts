// Where commands print. Commands never touch process.stdout directly, so tests can capture them.
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** Whether stderr is a terminal (progress bars, colour). */
  interactive: boolean;
}

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  interactive: process.stderr.isTTY === true,
};

/** A failure the user caused (bad input, bad usage): exit 2. */
export class UsageError extends Error {}

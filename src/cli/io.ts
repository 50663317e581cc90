// Where commands print. Commands never touch process.stdout directly, so tests can capture them.
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

export const processIo: Io = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  interactive: process.stderr.isTTY === true,
};

/** A failure the user caused (bad input, bad usage): exit 2. */
export class UsageError extends Error {}

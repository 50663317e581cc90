// A progress bar with ETA on stderr, only when stderr is a terminal and the run lasts longer than
// about a second (short runs should not flicker). Never writes to stdout, so --json stays clean.
import cliProgress from "cli-progress";
import type { Io } from "./io.js";

const SHOW_AFTER_MS = 1000;

export interface Progress {
  update(done: number, total: number): void;
  stop(): void;
}

export function progressBar(io: Io, label: string): Progress {
  if (!io.interactive) return { update() {}, stop() {} };
  const began = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  return {
    update(done, total) {
      if (bar === null) {
        if (Date.now() - began < SHOW_AFTER_MS || done >= total) return;
        bar = new cliProgress.SingleBar(
          {
            format: `${label} [{bar}] {percentage}% · ETA {eta_formatted}`,
            stream: process.stderr,
            hideCursor: true,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(total, done);
      }
      bar.update(done);
    },
    stop() {
      bar?.stop();
    },
  };
}

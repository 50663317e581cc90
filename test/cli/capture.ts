// Runs the command line in-process with captured output.

import type { Io } from "../../src/cli/io.js";
import { main } from "../../src/cli/main.js";

export interface Captured {
  status: number;
  out: string;
  err: string;
}

export async function cli(...args: string[]): Promise<Captured> {
  let out = "";
  let err = "";
  const io: Io = {
    out: (s) => {
      out += s.endsWith("\n") ? s : `${s}\n`;
    },
    err: (s) => {
      err += s.endsWith("\n") ? s : `${s}\n`;
    },
    interactive: false,
  };
  const status = await main(["node", "handoff-sim", ...args], io);
  return { status, out, err };
}

// `handoff-sim studio [scenario...] [--port N] [--no-open]`: the simulator in a browser. Serves the
// studio on 127.0.0.1 (src/node/studio/server.ts), prints its URL with the token on stdout and opens the
// browser. Without a scenario it opens the bundled AMI baseline read-only: the package's own files
// are never written (the page can still download what it makes).

import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Command, InvalidArgumentError } from "commander";
import { startStudioServer, Workspace, WorkspaceError } from "../node.js";
import { type Io, UsageError } from "./io.js";

/** 0 (any free port) to 65535. */
function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError("expected a port number from 0 to 65535 (0 = any free port).");
  return n;
}

interface StudioFlags {
  port?: number;
  /** false with --no-open. */
  open?: boolean;
}

/** Built files live beside the compiled code; from the sources (tests), in dist/. */
function packagePath(fromBuilt: string, fromSource: string): string {
  const here = import.meta.url;
  return fileURLToPath(new URL(here.endsWith(".ts") ? fromSource : fromBuilt, here));
}

export const STUDIO_ASSETS = packagePath("../../studio", "../../dist/studio");
export const BUNDLED_SCENARIO = packagePath(
  "../../../scenarios/ami-baseline.yaml",
  "../../scenarios/ami-baseline.yaml",
);

export function registerStudio(program: Command, io: Io, done: (status: number) => void): void {
  program
    .command("studio")
    .description("edit, run and compare scenarios in the browser (served on 127.0.0.1 only)")
    .argument("[scenario...]", "scenario files to open (default: the bundled AMI baseline, read-only)")
    .option("--port <n>", "port to listen on (default: any free port)", port)
    .option("--no-open", "print the URL but do not open a browser")
    .addHelpText(
      "after",
      "\nThe URL carries a token: only whoever holds it gets in. Ctrl-C stops the studio.\n" +
        "\nExample:\n  handoff-sim studio scenarios/ami-baseline.yaml --port 8765",
    )
    .action(async (files: string[], flags: StudioFlags) => done(await studioCommand(files, flags, io)));
}

/** Runs until the process is stopped (Ctrl-C); `stop` ends it in tests. */
export async function studioCommand(
  files: string[],
  flags: StudioFlags,
  io: Io,
  stop: Promise<void> = new Promise(() => {}),
): Promise<number> {
  const bundled = files.length === 0;
  let workspace: Workspace;
  try {
    workspace = await Workspace.open(bundled ? [BUNDLED_SCENARIO] : files, { readOnly: bundled });
  } catch (error) {
    if (error instanceof WorkspaceError) throw new UsageError(error.message);
    throw error;
  }
  const server = await startStudioServer({ workspace, assets: STUDIO_ASSETS, port: flags.port }).catch(
    (error: unknown) => {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === "EADDRINUSE")
        throw new UsageError(`port ${flags.port} is in use: choose another with --port`);
      throw error;
    },
  );
  io.out(server.url);
  if (bundled) io.err("Opened the bundled AMI baseline read-only; give a scenario file to save changes.");
  io.err("Ctrl-C stops the studio.");
  if (flags.open !== false) openBrowser(server.url, io);
  await stop;
  await server.close();
  return 0;
}

/** The platform's "open this URL" command; failing to open is a warning, the URL is printed anyway. */
function openBrowser(url: string, io: Io): void {
  const [command, args] =
    process.platform === "darwin"
      ? ["open", [url]]
      : process.platform === "win32"
        ? ["cmd", ["/c", "start", '""', url]]
        : ["xdg-open", [url]];
  try {
    const warn = () => io.err(`warning: could not open a browser (${command}); open the URL above`);
    const child = spawn(command, args, { stdio: "ignore", detached: true });
    child.on("error", warn);
    child.on("exit", (code) => {
      if (code !== 0) warn();
    });
    child.unref();
  } catch {
    io.err(`warning: could not open a browser (${command}); open the URL above`);
  }
}

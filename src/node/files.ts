// Writing a run's output files "whole or not at all": a reader (a browser on report.html, a script
// polling summary.json, a second run) must never see a half-written file. Each file is written and
// flushed under a temporary name in the same directory (same file system, so rename is atomic) and
// only renamed into place once every file has been written.

import { randomBytes } from "node:crypto";
import { type FileHandle, mkdir, open, rename, stat, unlink } from "node:fs/promises";
import { dirname, join } from "node:path";

/**
 * Writes `files` (name → content) into `dir`, creating it if needed, and returns the paths written,
 * in the order given. If any write fails, every temporary this call created is removed and the error
 * rethrown: no file is replaced. If a rename fails (rare: e.g. a directory in the way), files already
 * renamed stay (each is complete), the remaining temporaries are removed and the error rethrown.
 * Only plain file names are accepted (no path separators), so nothing outside `dir` is touched.
 */
export async function writeOutputs(
  dir: string,
  files: Record<string, string | Uint8Array>,
): Promise<string[]> {
  const entries = Object.entries(files);
  for (const [name] of entries) checkName(name);
  await makeDirectory(dir).catch((error: unknown) => {
    throw folderError(dir, error);
  });
  // One random tag per call: temporaries of concurrent runs into the same directory cannot collide.
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  const temps = entries.map((_, i) => join(dir, `.handoff-sim-${tag}-${i}.tmp`));
  const created = new Set<string>();
  const writes = await Promise.allSettled(entries.map(([, data], i) => writeTemp(temps[i]!, data, created)));
  const failed = writes.find((w): w is PromiseRejectedResult => w.status === "rejected");
  if (failed !== undefined) {
    await removeAll(created);
    throw failed.reason;
  }
  const written: string[] = [];
  for (const [i, [name]] of entries.entries()) {
    const target = join(dir, name);
    try {
      await rename(temps[i]!, target);
      pending.delete(temps[i]!);
    } catch (error) {
      await removeAll(new Set(temps.slice(i)));
      throw error;
    }
    written.push(target);
  }
  return written;
}

/**
 * Temporaries of every call that are on disk and not yet renamed or removed. A Ctrl-C handler
 * (src/cli/interrupt.ts) removes them before the process exits, so an interrupted write leaves none.
 */
const pending = new Set<string>();

/** The temporary files on disk right now, ours to remove (for an interrupt to remove). */
export function pendingTemporaries(): string[] {
  return [...pending];
}

/** Registers a temporary written elsewhere (the trace file), so an interrupt removes it too. */
export function trackTemporary(path: string): void {
  pending.add(path);
}

/** The temporary was renamed into place or removed: no longer ours to clean up. */
export function untrackTemporary(path: string): void {
  pending.delete(path);
}

function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw new TypeError(`writeOutputs: not a plain file name: ${JSON.stringify(name)}`);
  }
}

/** Writes and flushes one temporary; records it in `created` as soon as it exists on disk. */
async function writeTemp(path: string, data: string | Uint8Array, created: Set<string>): Promise<void> {
  // Registered before it exists, so an interrupt while it is being created still finds it. (Its
  // name carries our pid and 32 random bits: no one else's file has it.)
  pending.add(path);
  let handle: FileHandle;
  try {
    // "wx": never open (and later delete) a file that someone else already has at that name.
    handle = await open(path, "wx");
  } catch (error) {
    pending.delete(path);
    throw error;
  }
  created.add(path);
  try {
    await handle.writeFile(data);
    // Flushed before the rename, so after a crash the name holds the old file or the whole new one.
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Removes our own temporaries; ones already gone are fine, other errors must not hide the first. */
async function removeAll(paths: Iterable<string>): Promise<void> {
  const list = [...paths];
  await Promise.allSettled(list.map((p) => unlink(p)));
  for (const p of list) pending.delete(p);
}

/** Letters that Unicode decomposition does not reduce to ASCII, spelled the way people type them. */
const LIGATURES: Record<string, string> = {
  ß: "ss",
  æ: "ae",
  œ: "oe",
  ø: "o",
  đ: "d",
  ł: "l",
  þ: "th",
  ð: "d",
};
const MAX_SLUG = 60;

/**
 * A directory name for a scenario: "AMI pathway — baseline" → "ami-pathway-baseline". ASCII letters
 * and digits joined by single dashes, accents dropped, at most 60 characters; "scenario" when
 * nothing usable is left (e.g. a name in a non-Latin script).
 */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[ßæœøđłþð]/g, (c) => LIGATURES[c] ?? "")
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, MAX_SLUG)
    .replace(/^-+|-+$/g, "");
  return slug === "" ? "scenario" : slug;
}

/**
 * mkdir -p, one level at a time: Node's own `recursive: true` never returns on some special
 * file systems (seen with /proc here), and a run must fail cleanly there, not hang.
 */
async function makeDirectory(dir: string): Promise<void> {
  try {
    await mkdir(dir);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "EEXIST" && (await stat(dir)).isDirectory()) return;
    const parent = dirname(dir);
    if (code !== "ENOENT" || parent === dir) throw error;
    await makeDirectory(parent);
    await mkdir(dir);
  }
}

/** Why a folder could not be made, in words: "EEXIST: file already exists" misleads when a file is in the way. */
const FOLDER_PROBLEMS: Readonly<Record<string, string>> = {
  EEXIST: "a file of that name is in the way",
  ENOTDIR: "part of the path is a file, not a folder",
  EACCES: "permission denied",
  EPERM: "permission denied",
  EROFS: "the file system is read-only",
  ENOSPC: "no space left on the device",
};

function folderError(dir: string, error: unknown): unknown {
  const problem = FOLDER_PROBLEMS[(error as NodeJS.ErrnoException | undefined)?.code ?? ""];
  return problem === undefined
    ? error
    : new Error(`cannot create the folder ${dir}: ${problem}`, { cause: error });
}

// Writing a run's outputs as a set: a reader (a browser on report.html, a script polling
// summary.json, a second run) sees the previous set of files or the new one, never a mix and
// never half a file, whatever happens meanwhile (Ctrl-C, a failed rename, a killed process).
//
// How (writeOutputs): every file is written and flushed into a temporary folder beside the
// target (`.handoff-sim-<pid>-<random>.tmp`, same file system, so renames are atomic), with
// hard links to the files in the target folder that are not this program's outputs (so they stay)
// and a small manifest naming the set. Then the swap, in two renames: the old folder aside
// (`….old`), the new one in its place; then the old one is removed. The swap is synchronous: a
// signal handler cannot run in the middle of it, and a failed rename puts the old folder back.
// Folders inside the target (not ours) are moved into the new one during the swap and moved back
// on any failure. A process killed at any point leaves its temporary folder, which the next write
// into the same place recognises (its pid is gone) and resolves: rolled back or finished, never
// deleting anything that was not the program's own.
//
// Never through a symbolic link, never onto something that is not a regular file or folder:
// `--out`, `--trace` and `--partial` onto a link or a device are refused with a message.
// Single files (a shard's partial, a studio scenario, the starter of `init`) are written with
// writeFileAtomically: a temporary beside the target, flushed, renamed over it.

import { randomBytes } from "node:crypto";
import {
  copyFileSync,
  existsSync,
  lstatSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  unlinkSync,
} from "node:fs";
import { type FileHandle, link, lstat, mkdir, open, readdir, rm, stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve, sep } from "node:path";

/** A write refused or failed for a reason of the file system, in words (exit status 1). */
export class OutputError extends Error {
  override name = "OutputError";
}

const PREFIX = ".handoff-sim-";
/** Lists the files of a set (hidden; not itself an output): what the next write may replace. */
export const MANIFEST = ".handoff-sim-set.json";
/** Our temporaries: `.handoff-sim-<pid>-<8 hex>.tmp|.old`, and (older versions) `…-<n>.tmp` files. */
const OURS = /^\.handoff-sim-(\d+)-([0-9a-f]{8})(?:-\d+)?\.(tmp|old)$/;
/** A trace's temporary: `.<name>.<pid>-<8 hex>.tmp` (node/trace-file.ts). */
const TRACE_TEMP = /^\..+\.(\d+)-[0-9a-f]{8}\.tmp$/;

interface Manifest {
  /** The target folder's name (beside the temporary). */
  target: string;
  files: string[];
  /** Folders that were in the target and travel with the set. */
  moved: string[];
}

/** A set being written, as an interrupt or a later run must resolve it. */
interface SetWrite {
  target: string;
  tmp: string;
  old: string;
  /** writing: only tmp is ours; moved: the old folder is aside; swapped: the new set is in place. */
  state: "writing" | "moved" | "swapped";
  moved: string[];
  /** Folders moved into tmp so far (during the swap). */
  carried: string[];
}

const sets = new Set<SetWrite>();
/** Temporary files (single-file writes, traces) on disk and ours. */
const pending = new Set<string>();

/**
 * Writes `files` (name → content) into `dir` as one set, creating the folder if needed, and
 * returns the paths written, in the order given. Only plain file names are accepted (no path
 * separators), so nothing outside `dir` is touched. Files in `dir` that are not outputs of this
 * program stay; outputs of the previous set that this one does not have are dropped.
 */
export async function writeOutputs(
  dir: string,
  files: Record<string, string | Uint8Array>,
): Promise<string[]> {
  const entries = Object.entries(files);
  for (const [name] of entries) checkName(name);
  const target = resolve(dir);
  const problem = outputFolderProblem(dir);
  if (problem !== null) throw new OutputError(problem);
  await makeDirectory(target).catch((error: unknown) => {
    throw folderError(dir, error);
  });
  resolveStale(dirname(target));
  resolveStale(target);
  const written = entries.map(([name]) => join(dir, name));
  if (contains(target, process.cwd())) {
    // The working folder (or one holding it) cannot be swapped from under the shell.
    await writeInPlace(target, entries);
    return written;
  }
  const tag = newTag();
  const op: SetWrite = {
    target,
    tmp: join(dirname(target), `${PREFIX}${tag}.tmp`),
    old: join(dirname(target), `${PREFIX}${tag}.old`),
    state: "writing",
    moved: [],
    carried: [],
  };
  sets.add(op);
  try {
    await mkdir(op.tmp);
    await Promise.all(entries.map(([name, data]) => writeFlushed(join(op.tmp, name), data)));
    op.moved = await carryForeign(target, op.tmp, new Set(entries.map(([n]) => n)));
    const manifest: Manifest = { target: basename(target), files: entries.map(([n]) => n), moved: op.moved };
    await writeFlushed(join(op.tmp, MANIFEST), `${JSON.stringify(manifest)}\n`);
  } catch (error) {
    rmSync(op.tmp, { recursive: true, force: true });
    sets.delete(op);
    throw error;
  }
  swap(op);
  await rm(op.old, { recursive: true, force: true });
  sets.delete(op);
  return written;
}

/** Whether `inner` is `outer` or inside it. */
function contains(outer: string, inner: string): boolean {
  const r = relative(outer, inner);
  return r === "" || (!r.startsWith("..") && !r.startsWith(sep) && r !== "..");
}

/**
 * Links into `tmp` every entry of `target` that is not an output of this program (the new set's
 * names, and those the previous manifest lists): they stay in the folder. Folders are returned,
 * to be moved during the swap (a folder cannot be linked).
 */
async function carryForeign(target: string, tmp: string, names: ReadonlySet<string>): Promise<string[]> {
  const previous = readManifest(target);
  const folders: string[] = [];
  for (const entry of await readdir(target)) {
    const from = join(target, entry);
    const info = await lstat(from);
    // Only a file (or a link, which is replaced, never followed) gives way to an output.
    const replaceable = info.isFile() || info.isSymbolicLink();
    if (names.has(entry) && !replaceable)
      throw new OutputError(`cannot write ${from}: ${kind(info)} of that name is in the way`);
    if (entry === MANIFEST || ((names.has(entry) || previous.has(entry)) && replaceable)) continue;
    if (info.isDirectory()) {
      folders.push(entry);
      continue;
    }
    try {
      await link(from, join(tmp, entry));
    } catch (error) {
      // A file system without hard links: a copy keeps a file's content in the new set.
      if (!info.isFile()) throw error;
      copyFileSync(from, join(tmp, entry));
    }
  }
  return folders;
}

/** The outputs the previous set listed (none for a folder without a manifest). */
function readManifest(dir: string): Set<string> {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Partial<Manifest>;
    return new Set(
      Array.isArray(m.files) ? m.files.filter((f) => typeof f === "string" && !f.includes("/")) : [],
    );
  } catch {
    return new Set();
  }
}

/** The two renames (and the folders that travel), synchronously; any failure puts everything back. */
function swap(op: SetWrite): void {
  try {
    if (existsSync(op.target)) {
      renameSync(op.target, op.old);
      op.state = "moved";
      for (const folder of op.moved) {
        renameSync(join(op.old, folder), join(op.tmp, folder));
        op.carried.push(folder);
      }
    }
    renameSync(op.tmp, op.target);
    op.state = "swapped";
  } catch (error) {
    rollBack(op);
    sets.delete(op);
    throw error;
  }
}

/** Puts the old folder back as it was and removes the new set (before the swap completed). */
function rollBack(op: SetWrite): void {
  for (const folder of op.carried)
    if (existsSync(join(op.tmp, folder)) && !existsSync(join(op.old, folder)))
      renameSync(join(op.tmp, folder), join(op.old, folder));
  if (existsSync(op.old) && !existsSync(op.target)) renameSync(op.old, op.target);
  // Only our files and links are left in it.
  rmSync(op.tmp, { recursive: true, force: true });
}

/**
 * For a folder that cannot be swapped (the working folder): each file written beside its target,
 * flushed, then all renamed over their targets synchronously (no signal handler runs between
 * them). Each file is whole; only a rename failing halfway could leave some of them new.
 */
async function writeInPlace(target: string, entries: [string, string | Uint8Array][]): Promise<void> {
  const tag = newTag();
  const temps = entries.map((_, i) => join(target, `${PREFIX}${tag}-${i}.tmp`));
  for (const t of temps) pending.add(t);
  try {
    await Promise.all(entries.map(([, data], i) => writeFlushed(temps[i]!, data)));
    entries.forEach(([name], i) => {
      renameSync(temps[i]!, join(target, name));
      pending.delete(temps[i]!);
    });
  } finally {
    removeQuietly(temps.filter((t) => pending.has(t)));
  }
}

function removeQuietly(paths: string[]): void {
  for (const p of paths) {
    rmSync(p, { force: true });
    pending.delete(p);
  }
}

/**
 * Writes one file whole: a temporary beside it, flushed, renamed over it. Refuses (OutputError)
 * a target that is a symbolic link or not a regular file (a device such as /dev/null), so the
 * file is never written through a link nor a device replaced.
 */
export async function writeFileAtomically(path: string, data: string | Uint8Array): Promise<void> {
  const problem = outputFileProblem(path);
  if (problem !== null) throw new OutputError(problem);
  await makeDirectory(dirname(path)).catch((error: unknown) => {
    throw folderError(dirname(path), error);
  });
  resolveStale(dirname(path));
  const temp = join(dirname(path), `${PREFIX}${newTag()}.tmp`);
  pending.add(temp);
  try {
    await writeFlushed(temp, data);
    // Checked again just before: the name may have become a link meanwhile.
    const again = outputFileProblem(path);
    if (again !== null) throw new OutputError(again);
    renameSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
    pending.delete(temp);
  }
}

/** Why `path` cannot be written as an output file (a link, a device, a folder), or null. */
export function outputFileProblem(path: string): string | null {
  const info = lstatOrNull(path);
  if (info === null) return null;
  if (info.isSymbolicLink())
    return `cannot write ${path}: it is a symbolic link (give the file it points to)`;
  if (!info.isFile()) return `cannot write ${path}: it is not a regular file (${kind(info)})`;
  return null;
}

/** Why `dir` cannot hold a run's outputs (a link, something that is not a folder), or null. */
export function outputFolderProblem(dir: string): string | null {
  const info = lstatOrNull(dir);
  if (info === null) return null;
  if (info.isSymbolicLink())
    return `cannot write to ${dir}: it is a symbolic link (give the folder it points to)`;
  if (!info.isDirectory()) return `cannot create the folder ${dir}: a file of that name is in the way`;
  return null;
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path, { throwIfNoEntry: false }) ?? null;
  } catch {
    return null;
  }
}

function kind(info: Stats): string {
  if (info.isDirectory()) return "a folder";
  if (info.isCharacterDevice() || info.isBlockDevice()) return "a device";
  if (info.isFIFO()) return "a FIFO";
  if (info.isSocket()) return "a socket";
  return "not a file";
}

function newTag(): string {
  return `${process.pid}-${randomBytes(4).toString("hex")}`;
}

/**
 * The temporaries of every write under way that are on disk (for an interrupt): the folders of
 * sets being written, and single temporary files.
 */
export function pendingTemporaries(): string[] {
  return [...[...sets].flatMap((op) => [op.tmp, op.old]).filter(existsSync), ...pending];
}

/** Registers a temporary written elsewhere (the trace file), so an interrupt removes it too. */
export function trackTemporary(path: string): void {
  pending.add(path);
}

/** The temporary was renamed into place or removed: no longer ours to clean up. */
export function untrackTemporary(path: string): void {
  pending.delete(path);
}

/**
 * What an interrupt does, synchronously, before the process exits: every set under way is rolled
 * back (or, if its swap is done, finished), and every temporary file removed. Nothing else is
 * touched. Returns the paths it removed or restored.
 */
export function abandonWrites(): string[] {
  const touched: string[] = [];
  for (const op of sets) {
    if (op.state === "swapped") rmSync(op.old, { recursive: true, force: true });
    else rollBack(op);
    touched.push(op.tmp);
  }
  sets.clear();
  for (const file of pending) {
    try {
      unlinkSync(file);
      touched.push(file);
    } catch {
      // Already renamed into place or removed: nothing of ours is left under that name.
    }
  }
  pending.clear();
  return touched;
}

/**
 * Resolves what killed runs left in `dir` (their pid no longer exists): a set's temporary folder
 * is rolled back (the old folder put back, travelling folders returned) or, if its swap was done,
 * the old folder removed; their temporary files are removed. Others' temporaries (a live pid) and
 * anything else are left alone.
 */
function resolveStale(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  const tags = new Map<string, { tmp?: string; old?: string; files: string[] }>();
  for (const name of names) {
    const ours = OURS.exec(name);
    const trace = ours === null ? TRACE_TEMP.exec(name) : null;
    const pid = Number(ours?.[1] ?? trace?.[1]);
    if (!(ours !== null || trace !== null) || alive(pid)) continue;
    const path = join(dir, name);
    if (trace !== null || name.split("-").length > 4) {
      rmSync(path, { force: true });
      continue;
    }
    const tag = `${ours![1]}-${ours![2]}`;
    const entry = tags.get(tag) ?? { files: [] };
    if (ours![3] === "tmp") entry.tmp = path;
    else entry.old = path;
    tags.set(tag, entry);
  }
  for (const { tmp, old } of tags.values()) resolveSet(dir, tmp, old);
}

function resolveSet(dir: string, tmp: string | undefined, old: string | undefined): void {
  if (tmp !== undefined && lstatOrNull(tmp)?.isFile()) {
    rmSync(tmp, { force: true });
    return;
  }
  const manifest = tmp === undefined ? null : readManifestFile(join(tmp, MANIFEST));
  const target = manifest === null ? null : join(dir, manifest.target);
  if (tmp !== undefined) {
    // Not swapped: the old folder back in place, its travelling folders back in it.
    if (target !== null && old !== undefined && !existsSync(target)) renameSync(old, target);
    if (target !== null)
      for (const folder of manifest?.moved ?? [])
        if (existsSync(join(tmp, folder)) && !existsSync(join(target, folder)))
          renameSync(join(tmp, folder), join(target, folder));
    if (manifest !== null || !hasFolders(tmp)) rmSync(tmp, { recursive: true, force: true });
    return;
  }
  // Swapped, not yet cleaned: the old folder holds the previous set and links to kept files.
  if (old !== undefined && !hasFolders(old)) rmSync(old, { recursive: true, force: true });
}

function readManifestFile(path: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(path, "utf8")) as Manifest;
    return typeof m.target === "string" && !m.target.includes("/") && Array.isArray(m.moved) ? m : null;
  } catch {
    return null;
  }
}

/** Whether a folder holds folders (then it is not only ours to remove). */
function hasFolders(dir: string): boolean {
  try {
    return readdirSync(dir, { withFileTypes: true }).some((e) => e.isDirectory());
  } catch {
    return false;
  }
}

/** Whether a process with this pid exists (one we may not signal exists too). */
function alive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return true;
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function checkName(name: string): void {
  if (name === "" || name === "." || name === ".." || name === MANIFEST || /[/\\\0]/.test(name)) {
    throw new TypeError(`writeOutputs: not a plain file name: ${JSON.stringify(name)}`);
  }
}

/** Writes and flushes a new file ("wx": never one that someone else already has at that name). */
async function writeFlushed(path: string, data: string | Uint8Array): Promise<void> {
  const handle: FileHandle = await open(path, "wx");
  try {
    await handle.writeFile(data);
    // Flushed before the rename, so after a crash the name holds the old file or the whole new one.
    await handle.sync();
  } finally {
    await handle.close();
  }
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

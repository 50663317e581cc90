// The files a studio server may touch, decided once when it starts and never from a request:
// - the scenario files named on the command line (read and write);
// - the files they `extends`, followed by the server itself (read only: the page needs their text
//   to validate a variant, but editing a base is done by opening it);
// - variants the page creates during the session, which the server places beside the first
//   scenario from a simple name (letters, digits, `-`, `_`) and never overwrites an existing file.
// The page names a file by a key the server issued ("f0", "f1", …), never by a path. No file is
// read or written through a symbolic link, and every write is atomic (temporary file in the same
// folder, then rename; src/report/files.ts).

import { lstat, realpath } from "node:fs/promises";
import path from "node:path";
import { parseDocument } from "yaml";
import { isScenarioFileName } from "../../scenario/extends.js";
import { MAX_FILE_BYTES } from "../../scenario/text.js";
import { writeFileAtomically } from "../files.js";
import { readRegularFile } from "../read.js";

export type FileRole = "scenario" | "base" | "variant";

/** What the page learns about a file: never its absolute path. */
export interface WorkspaceEntry {
  key: string;
  /** The path relative to the first scenario's folder, "/"-separated: what `extends` resolves to. */
  name: string;
  role: FileRole;
  writable: boolean;
}

interface WorkspaceFile extends WorkspaceEntry {
  /** Absolute path, resolved once at start (no symbolic link in it). */
  path: string;
}

/** A request the workspace refuses; `status` is the HTTP status the server answers with. */
export class WorkspaceError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** A variant's name as the page gives it: becomes `<name>.yaml` beside the first scenario. */
export const VARIANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
/** A chain of `extends` longer than this is refused (the loader refuses loops; this bounds the walk). */
const MAX_CHAIN = 16;

export class Workspace {
  private readonly files: WorkspaceFile[] = [];

  private constructor(
    /** Folder of the first scenario: where variants go and what names are relative to. */
    readonly folder: string,
    /** True when started on the bundled scenario: nothing is written. */
    readonly readOnly: boolean,
  ) {}

  /**
   * Opens the given scenario files (and their bases). Throws WorkspaceError (status 400) when a
   * file is missing, not a regular file, a symbolic link or too large.
   */
  static async open(scenarios: string[], options: { readOnly?: boolean } = {}): Promise<Workspace> {
    if (scenarios.length === 0) throw new WorkspaceError(400, "no scenario file given");
    const first = await checkedPath(scenarios[0]!);
    const workspace = new Workspace(path.dirname(first), options.readOnly === true);
    for (const file of scenarios) {
      const real = await checkedPath(file);
      await workspace.add(real, "scenario", !workspace.readOnly);
    }
    for (const file of workspace.files.filter((f) => f.role === "scenario")) await workspace.addBases(file);
    return workspace;
  }

  list(): WorkspaceEntry[] {
    return this.files.map(({ key, name, role, writable }) => ({ key, name, role, writable }));
  }

  /** The text of a file the workspace holds. */
  async read(key: string): Promise<string> {
    return readChecked(this.get(key).path);
  }

  /** Replaces a writable file's text, atomically. */
  async write(key: string, text: string): Promise<void> {
    const file = this.get(key);
    if (!file.writable) throw new WorkspaceError(403, `${file.name} is read-only in this studio`);
    checkSize(text);
    await refuseLink(file.path);
    await writeFileAtomically(file.path, text);
  }

  /**
   * Writes a new variant `<name>.yaml` beside the first scenario. A name already used by this
   * session's variant replaces it; any other existing file is refused (409), never overwritten.
   */
  async createVariant(name: string, text: string): Promise<WorkspaceEntry> {
    if (this.readOnly)
      throw new WorkspaceError(403, "this studio was started without a file: nothing is saved");
    if (!VARIANT_NAME.test(name))
      throw new WorkspaceError(400, "a variant's name is letters, digits, - and _ (at most 64), e.g. ipass");
    const target = path.join(this.folder, `${name}.yaml`);
    const known = this.files.find((f) => f.path === target);
    if (known !== undefined && known.role !== "variant")
      throw new WorkspaceError(409, `${known.name} is already open in this studio: choose another name`);
    if (known === undefined && (await exists(target)))
      throw new WorkspaceError(409, `${name}.yaml already exists beside the scenario: choose another name`);
    checkSize(text);
    await writeFileAtomically(target, text);
    const entry = known ?? (await this.add(target, "variant", true));
    return { key: entry.key, name: entry.name, role: entry.role, writable: entry.writable };
  }

  private get(key: string): WorkspaceFile {
    const file = this.files.find((f) => f.key === key);
    if (file === undefined) throw new WorkspaceError(404, "no such file in this studio");
    return file;
  }

  private async add(real: string, role: FileRole, writable: boolean): Promise<WorkspaceFile> {
    const existing = this.files.find((f) => f.path === real);
    if (existing !== undefined) return existing;
    const name = path.relative(this.folder, real).split(path.sep).join("/");
    const file: WorkspaceFile = { key: `f${this.files.length}`, name, role, writable, path: real };
    this.files.push(file);
    return file;
  }

  /** Follows `extends` from a file, adding each base read-only; a broken chain is left to the validator. */
  private async addBases(file: WorkspaceFile): Promise<void> {
    let current = file.path;
    for (let depth = 0; depth < MAX_CHAIN; depth++) {
      const target = extendsOf(await readChecked(current).catch(() => ""));
      if (target === null) return;
      // The loader's rule for what `extends` may reach (src/scenario/extends.ts, node/read.ts).
      if (!isScenarioFileName(target)) return;
      const base = path.resolve(path.dirname(current), target);
      let real: string;
      try {
        real = await checkedPath(base);
      } catch {
        return; // the page's validator reports "cannot extend …" at the extends line
      }
      if (this.files.some((f) => f.path === real)) return;
      await this.add(real, "base", false);
      current = real;
    }
  }
}

/** The `extends` value of a scenario's text, or null (no extends, or not YAML). */
function extendsOf(text: string): string | null {
  try {
    const value = parseDocument(text, { prettyErrors: false }).get("extends");
    return typeof value === "string" && value !== "" ? value : null;
  } catch {
    return null;
  }
}

/** The absolute path of an existing regular file that is not a symbolic link, in a real folder. */
async function checkedPath(file: string): Promise<string> {
  const absolute = path.resolve(file);
  let info: Awaited<ReturnType<typeof lstat>>;
  try {
    info = await lstat(absolute);
  } catch {
    throw new WorkspaceError(400, `${file}: file not found`);
  }
  if (info.isSymbolicLink())
    throw new WorkspaceError(400, `${file}: is a symbolic link; open the file it points to instead`);
  if (!info.isFile()) throw new WorkspaceError(400, `${file}: not a regular file`);
  if (info.size > MAX_FILE_BYTES)
    throw new WorkspaceError(400, `${file}: larger than ${MAX_FILE_BYTES} bytes`);
  // The folder may be reached through a link (e.g. /tmp on some systems): name the file by the
  // real folder, so every later check compares real paths.
  return path.join(await realpath(path.dirname(absolute)), path.basename(absolute));
}

async function readChecked(file: string): Promise<string> {
  await refuseLink(file);
  // One non-blocking open, checked on the descriptor (a FIFO swapped in cannot block the server).
  const read = readRegularFile(file, { followLinks: false, maxBytes: MAX_FILE_BYTES });
  if (!read.ok) throw new WorkspaceError(read.message.startsWith("file too large") ? 413 : 403, read.message);
  return new TextDecoder("utf-8", { fatal: true }).decode(read.bytes);
}

/** Someone may have replaced the file by a link since the start: refuse to follow it. */
async function refuseLink(file: string): Promise<void> {
  const info = await lstat(file).catch(() => null);
  if (info?.isSymbolicLink()) throw new WorkspaceError(403, "the file has become a symbolic link: refused");
  if (info !== null && !info.isFile()) throw new WorkspaceError(403, "not a regular file any more: refused");
}

function checkSize(text: string): void {
  if (new TextEncoder().encode(text).length > MAX_FILE_BYTES)
    throw new WorkspaceError(413, `a scenario is at most ${MAX_FILE_BYTES} bytes`);
}

async function exists(file: string): Promise<boolean> {
  return (await lstat(file).catch(() => null)) !== null;
}

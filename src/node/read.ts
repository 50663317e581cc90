// Reading scenario files from disk, safely: not a file (a folder, a device such as /dev/zero, a
// FIFO), too large, not readable — each is a message, never an exception and never a hang.
// Synchronous, because the parser asks for `extends` targets as it meets them
// (src/scenario/parse.ts).
//
// The file is opened once, non-blocking, and everything is checked on that descriptor: checking a
// name and then opening it again would let a FIFO swapped in between block the read forever. A
// name that is not a regular file is refused before it is opened (opening a device can have
// effects of its own); the descriptor's own check closes the window between the two. At most the
// size cap (plus one byte, to tell "too large") is read, whatever the file grows to meanwhile.
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, statSync } from "node:fs";
import { decodeScenarioBytes, MAX_FILE_BYTES, type ReadResult, tooLarge } from "../scenario/text.js";

export interface ReadOptions {
  /**
   * Whether a symbolic link as the last part of the path is followed. The file named on the
   * command line may be one (the user chose it); an `extends` target may not (a file from
   * elsewhere must not reach further through a link: src/scenario/extends.ts).
   */
  followLinks?: boolean;
  /** Bytes read at most (default: a scenario's 2 MiB). */
  maxBytes?: number;
}

/** Reads a scenario file as UTF-8 text, or says why it cannot be used. */
export function readScenarioFile(file: string, options: ReadOptions = {}): ReadResult {
  const read = readRegularFile(file, { maxBytes: MAX_FILE_BYTES, ...options });
  return read.ok ? decodeScenarioBytes(read.bytes) : read;
}

/** The bytes of a regular file of at most `maxBytes`, or why not (in words). */
export function readRegularFile(
  file: string,
  options: ReadOptions & { maxBytes: number },
): { ok: true; bytes: Uint8Array } | { ok: false; message: string } {
  const follow = options.followLinks !== false;
  let fd: number | null = null;
  try {
    const named = follow ? statSync(file) : lstatSync(file);
    if (named.isSymbolicLink()) return { ok: false, message: SYMLINK };
    if (!named.isFile()) return { ok: false, message: "not a file" };
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW));
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, message: "not a file" };
    if (info.size > options.maxBytes) return { ok: false, message: tooLargeFor(info.size, options.maxBytes) };
    const buffer = Buffer.alloc(Math.min(info.size, options.maxBytes) + 1);
    let length = 0;
    for (let n = 1; n > 0 && length < buffer.length; length += n)
      n = readSync(fd, buffer, length, buffer.length - length, null);
    if (length > options.maxBytes) return { ok: false, message: tooLargeFor(length, options.maxBytes) };
    return { ok: true, bytes: buffer.subarray(0, length) };
  } catch (error) {
    return { ok: false, message: readFailure(error) };
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

const SYMLINK = "a symbolic link (or a loop of them): name the file it points to";

function tooLargeFor(bytes: number, max: number): string {
  return max === MAX_FILE_BYTES ? tooLarge(bytes) : `file too large: more than ${max} bytes`;
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "file not found";
  if (code === "EACCES") return "permission denied";
  if (code === "ELOOP") return SYMLINK;
  if (code === "EAGAIN") return "not a file";
  return `cannot read file${code ? ` (${code})` : ""}`;
}

// Reading scenario files safely: they are data from users, so size, encoding and emptiness are
// checked before the YAML parser sees them, and every failure is a message, never an exception.

import { readFile, stat } from "node:fs/promises";

/** Larger files are refused: a scenario is a few kilobytes; this bounds memory and parse time. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** Reads a scenario file as UTF-8 text, or says why it cannot be used. */
export async function readScenarioFile(file: string): Promise<ReadResult> {
  try {
    const info = await stat(file);
    if (!info.isFile()) return { ok: false, message: "not a file" };
    if (info.size > MAX_FILE_BYTES) return { ok: false, message: tooLarge(info.size) };
    return decode(await readFile(file));
  } catch (error) {
    return { ok: false, message: readFailure(error) };
  }
}

/** Checks text given directly (not read from a file) the same way. */
export function checkText(text: string): ReadResult {
  const bytes = Buffer.byteLength(text, "utf8");
  if (bytes > MAX_FILE_BYTES) return { ok: false, message: tooLarge(bytes) };
  if (text.includes("\0")) return { ok: false, message: BINARY };
  return { ok: true, text };
}

const BINARY = "binary file: expected YAML or JSON text";

function decode(bytes: Uint8Array): ReadResult {
  if (bytes.includes(0)) return { ok: false, message: BINARY };
  try {
    // fatal: invalid UTF-8 is an error rather than silently replaced; a leading BOM is dropped.
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: "not UTF-8 text: expected a YAML or JSON file" };
  }
}

function tooLarge(bytes: number): string {
  return `file too large: ${bytes} bytes, the limit is ${MAX_FILE_BYTES} bytes`;
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "file not found";
  if (code === "EACCES") return "permission denied";
  return `cannot read file${code ? ` (${code})` : ""}`;
}

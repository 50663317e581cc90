// Reading scenario files from disk, safely: not a file (a folder, a device such as /dev/zero),
// too large, not readable — each is a message, never an exception and never a hang. Synchronous,
// because the parser asks for `extends` targets as it meets them (src/scenario/parse.ts).
import { readFileSync, statSync } from "node:fs";
import { decodeScenarioBytes, MAX_FILE_BYTES, type ReadResult, tooLarge } from "../scenario/text.js";

/** Reads a scenario file as UTF-8 text, or says why it cannot be used. */
export function readScenarioFile(file: string): ReadResult {
  try {
    const info = statSync(file);
    if (!info.isFile()) return { ok: false, message: "not a file" };
    if (info.size > MAX_FILE_BYTES) return { ok: false, message: tooLarge(info.size) };
    return decodeScenarioBytes(readFileSync(file));
  } catch (error) {
    return { ok: false, message: readFailure(error) };
  }
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === "ENOENT") return "file not found";
  if (code === "EACCES") return "permission denied";
  return `cannot read file${code ? ` (${code})` : ""}`;
}

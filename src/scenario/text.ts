// Scenario text is data from users: size, encoding and emptiness are checked before the YAML parser
// sees it, and every failure is a message, never an exception. Browser-safe: reading files is the
// node side's job (src/node/read.ts), which hands the bytes to `decodeScenarioBytes`.

/** Larger files are refused: a scenario is a few kilobytes; this bounds memory and parse time. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;

export type ReadResult = { ok: true; text: string } | { ok: false; message: string };

/** Checks text given directly (not read from a file) the way file contents are checked. */
export function checkText(text: string): ReadResult {
  const bytes = utf8Length(text);
  if (bytes > MAX_FILE_BYTES) return { ok: false, message: tooLarge(bytes) };
  if (text.includes("\0")) return { ok: false, message: BINARY };
  return { ok: true, text };
}

/** File contents as UTF-8 text, or why they cannot be a scenario. */
export function decodeScenarioBytes(bytes: Uint8Array): ReadResult {
  if (bytes.length > MAX_FILE_BYTES) return { ok: false, message: tooLarge(bytes.length) };
  if (bytes.includes(0)) return { ok: false, message: BINARY };
  try {
    // fatal: invalid UTF-8 is an error rather than silently replaced; a leading BOM is dropped.
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(bytes) };
  } catch {
    return { ok: false, message: "not UTF-8 text: expected a YAML or JSON file" };
  }
}

const BINARY = "binary file: expected YAML or JSON text";

export function tooLarge(bytes: number): string {
  return `file too large: ${bytes} bytes, the limit is ${MAX_FILE_BYTES} bytes`;
}

/** Bytes of `text` in UTF-8, counted without encoding it (a lone surrogate counts 3, as its U+FFFD). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        bytes += 4;
        i++;
      } else bytes += 3;
    } else bytes += 3;
  }
  return bytes;
}

// Reading trace files back in tests, with a parser of the test's own (not the writer's code).
import { readFile } from "node:fs/promises";
import { expect } from "vitest";

/** RFC 4180 parser (quoted fields, doubled quotes, CRLF records): the test's own, not the writer's. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += c;
  }
  expect(field).toBe(""); // every record, the last included, ends in CRLF
  return rows;
}

/** One row of a trace file; `replication` and `counted` only with arrivals. */
export interface TraceRow {
  replication?: string;
  counted?: string;
  patient: string;
  class: string;
  time: string;
  clock: string;
  where: string;
  event: string;
  detail: string;
}

/** The trace as objects keyed by column name. */
export async function readTrace(path: string): Promise<TraceRow[]> {
  const [header, ...rows] = parseCsv(await readFile(path, "utf8"));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])) as unknown as TraceRow);
}

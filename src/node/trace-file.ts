// `run --trace FILE`: every event of every journey streamed to a CSV event log (rows built by
// report/trace.ts) as the run goes. Rows are written in small chunks, never held for the whole run,
// into a temporary file that is renamed into place only when the run succeeded: nothing is
// half-written on failure, and an interrupt (src/cli/interrupt.ts) removes the temporary.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import type { JourneyEvent, JourneyMonitor, PatientRef } from "../model/events.js";
import { caseId, traceHeader, traceRow } from "../report/trace.js";
import { OutputError, outputFileProblem, trackTemporary, untrackTemporary } from "./files.js";

/** A fresh temporary name beside a trace: `.<name>.<pid>-<random>.tmp` (node/files.ts knows it). */
export function traceTemporary(path: string): string {
  const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
  return join(dirname(path), `.${basename(path)}.${tag}.tmp`);
}

/** Rows are written once this many characters are waiting: bounded memory, few system calls. */
const CHUNK_CHARS = 1 << 16;

/**
 * A journey monitor that writes the event log to `path` (RFC 4180: CRLF, fields quoted when needed).
 * The file appears under its name only on `commit()`; `abort()` removes the temporary. Writes are
 * synchronous because a journey's events arrive inside the simulation's synchronous stretch: an
 * asynchronous stream would queue the whole run in memory before writing a byte.
 */
export class TraceFileWriter implements JourneyMonitor {
  readonly temporary: string;
  private fd: number | null;
  private buffer = traceHeader();
  private committed = false;
  /** Rows so far per journey under way (a journey's entry goes when it finishes: memory stays bounded). */
  private readonly seq = new Map<string, number>();
  /** Events written so far. */
  rows = 0;

  /** `temporary`: where the rows go until the commit (default: a fresh name beside `path`). */
  constructor(
    readonly path: string,
    temporary?: string,
  ) {
    // Never onto a device (`--trace /dev/null` once replaced it with a file) nor through a link.
    const problem = outputFileProblem(path);
    if (problem !== null) throw new OutputError(problem);
    // Same directory as the target, so the final rename is atomic (one file system); created if
    // needed, as `run --out` does.
    mkdirSync(dirname(path), { recursive: true });
    this.temporary = temporary ?? traceTemporary(path);
    trackTemporary(this.temporary);
    try {
      this.fd = openSync(this.temporary, "wx");
    } catch (error) {
      untrackTemporary(this.temporary);
      throw error;
    }
  }

  event(p: PatientRef, e: JourneyEvent): void {
    const key = caseId(p);
    const n = (this.seq.get(key) ?? 0) + 1;
    if (e.kind === "finish") this.seq.delete(key);
    else this.seq.set(key, n);
    this.buffer += traceRow(p, e, n);
    this.rows++;
    if (this.buffer.length >= CHUNK_CHARS) this.flush();
  }

  /** Writes what is buffered and flushes it to disk; the file stays under its temporary name. */
  finish(): void {
    const fd = this.requireOpen();
    this.flush();
    fsyncSync(fd);
    closeSync(fd);
    this.fd = null;
  }

  /** Writes what is buffered, flushes it to disk and renames the file into place. */
  commit(): void {
    if (this.fd !== null) this.finish();
    // Checked again just before: the name may have become a link or a device meanwhile.
    const problem = outputFileProblem(this.path);
    if (problem !== null) throw new OutputError(problem);
    renameSync(this.temporary, this.path);
    untrackTemporary(this.temporary);
    this.committed = true;
  }

  /** Discards the trace: closes and removes the temporary; does nothing once committed. */
  abort(): void {
    if (this.committed) return;
    if (this.fd !== null) {
      closeSync(this.fd);
      this.fd = null;
    }
    try {
      unlinkSync(this.temporary);
    } catch {
      // Already renamed or never written: nothing of ours is left to remove.
    }
    untrackTemporary(this.temporary);
  }

  private flush(): void {
    if (this.buffer === "") return;
    const fd = this.requireOpen();
    const bytes = Buffer.from(this.buffer, "utf8");
    this.buffer = "";
    // writeSync may write less than asked (a full disk, a signal): loop until all of it is out.
    for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
  }

  private requireOpen(): number {
    if (this.fd === null) throw new Error(`trace ${this.path} is already closed`);
    return this.fd;
  }
}

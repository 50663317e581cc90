// Recording journeys step by step, through the model's `Tracer` hook. Two recorders:
// - `CsvTraceWriter` (`run --trace FILE`) streams every event of every journey to CSV as the run
//   goes: rows are written in small chunks, never held for the whole run, into a temporary file that
//   is renamed into place only when the run succeeded (nothing half-written on failure);
// - `JourneyCollector` (`story`, calibration) keeps the events of the journeys it is asked about and
//   hands each one over, whole, when it ends — with the outcome figures the run computed for it.
import { randomBytes } from "node:crypto";
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { type RunOptions, runModel } from "../analysis/run.js";
import type { RunSummary } from "../analysis/summary.js";
import { draw } from "../engine/random.js";
import { clockTime } from "../model/calendar.js";
import type { CompiledModel } from "../model/compiled.js";
import { type Ending, Journey, type Tracer } from "../model/journey.js";
import type { Patient } from "../model/patient.js";
import type { ModelSpec } from "../model/spec.js";
import { Tally } from "../model/tally.js";
import { csvField } from "./csv.js";

/** One step of a journey, as the model reports it. */
export interface TraceEvent {
  /** Minutes since Monday 00:00 of week 1. */
  time: number;
  /** "journey", a microsystem id ("ed") or a handoff key ("ed->cathlab"). */
  where: string;
  event: string;
  detail: string;
}

/** A whole journey with how it ended. */
export interface JourneyRecord {
  replication: number;
  /** Index of the patient in its replication (arrival order, warm-up included). */
  patient: number;
  classId: string;
  /** Counted in the run's statistics (false for warm-up and cool-down journeys). */
  counted: boolean;
  events: TraceEvent[];
  ending: Ending;
  /** 30-day mortality risk at the end of the journey, exactly as the run computes it. */
  risk: number;
  /** The run's one keyed draw for this patient: dies within 30 days. */
  died: boolean;
}

const ENDINGS: ReadonlySet<string> = new Set<Ending>(["completed", "dropped", "guard"]);

/** Whether an event ends its journey (the model records exactly one such event per journey). */
export function isEnding(e: Pick<TraceEvent, "where" | "event">): boolean {
  return e.where === "journey" && ENDINGS.has(e.event);
}

/**
 * First time of each milestone of a journey: `journey.start` and `<microsystem>.arrive|start|end`,
 * the same milestones metrics and the mortality model use (first visit only).
 */
export function milestones(events: readonly TraceEvent[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of events) {
    const name =
      e.where === "journey"
        ? e.event === "start"
          ? "journey.start"
          : null
        : milestoneName(e.where, e.event);
    if (name !== null && !out.has(name)) out.set(name, e.time);
  }
  return out;
}

function milestoneName(where: string, event: string): string | null {
  if (where.includes("->")) return null;
  return event === "arrive" || event === "start" || event === "end" ? `${where}.${event}` : null;
}

/**
 * Keeps the events of the journeys `wanted` selects (by replication and patient index) and calls
 * `onJourney` with each one when it ends. Journeys interleave when patients share capacity, so
 * events are grouped per patient until the journey's ending event.
 */
export class JourneyCollector implements Tracer {
  private readonly open = new Map<string, TraceEvent[]>();
  private readonly journey: Journey;

  constructor(
    private readonly model: CompiledModel,
    private readonly onJourney: (record: JourneyRecord) => void,
    private readonly wanted: (replication: number, patient: number) => boolean = () => true,
  ) {
    // Only its `risk` is used: the same formula the run applies when the journey ends.
    this.journey = new Journey(model, new Tally(model));
  }

  record(p: Patient, time: number, where: string, event: string, detail: string): void {
    if (!this.wanted(p.replication, p.index)) return;
    const key = `${p.replication}:${p.index}`;
    let events = this.open.get(key);
    if (events === undefined) {
      events = [];
      this.open.set(key, events);
    }
    events.push({ time, where, event, detail });
    if (isEnding({ where, event })) {
      this.open.delete(key);
      this.onJourney(this.close(p, events, event as Ending));
    }
  }

  private close(p: Patient, events: TraceEvent[], ending: Ending): JourneyRecord {
    const risk = this.journey.risk(p);
    // The same keyed draw as Journey.finish, so "dies" here is "dies" in the run's sampled deaths.
    const died = this.model.mortalityBase !== null && draw(p.key, this.model.siteDeath, 0, 0) < risk;
    return {
      replication: p.replication,
      patient: p.index,
      classId: this.model.classIds[p.classIndex]!,
      counted: p.measured,
      events,
      ending,
      risk,
      died,
    };
  }
}

/** Columns of a trace file; `replication` and `counted` only when patients arrive over time. */
export function traceColumns(arrivals: boolean): string[] {
  const common = ["patient", "class", "time", "clock", "where", "event", "detail"];
  return arrivals ? ["replication", "counted", ...common] : common;
}

/** Rows are written once this many characters are waiting: bounded memory, few system calls. */
const CHUNK_CHARS = 1 << 16;

/**
 * Streams a run's events to a CSV file (RFC 4180: CRLF, fields quoted when needed), one row per
 * event: `[replication, counted,] patient, class, time (minutes), clock ("Tuesday 02:14"), where,
 * event, detail`. The file appears under its name only on `commit()`; `abort()` removes the
 * temporary. Writes are synchronous because the simulation never yields to the event loop: an
 * asynchronous stream would queue the whole run in memory before writing a byte.
 */
export class CsvTraceWriter implements Tracer {
  readonly temporary: string;
  private fd: number | null;
  private buffer = "";
  private committed = false;
  /** Events written so far. */
  rows = 0;

  constructor(
    readonly path: string,
    private readonly classIds: readonly string[],
    private readonly arrivals: boolean,
  ) {
    // Same directory as the target, so the final rename is atomic (one file system); created if
    // needed, as `run --out` does.
    mkdirSync(dirname(path), { recursive: true });
    const tag = `${process.pid}-${randomBytes(4).toString("hex")}`;
    this.temporary = join(dirname(path), `.${basename(path)}.${tag}.tmp`);
    this.fd = openSync(this.temporary, "wx");
    this.buffer = `${traceColumns(arrivals).join(",")}\r\n`;
  }

  record(p: Patient, time: number, where: string, event: string, detail: string): void {
    const lead = this.arrivals ? `${p.replication},${p.measured ? 1 : 0},` : "";
    this.buffer +=
      `${lead}${p.index},${csvField(this.classIds[p.classIndex]!)},${time},${csvField(clockTime(time))},` +
      `${csvField(where)},${csvField(event)},${csvField(detail)}\r\n`;
    this.rows++;
    if (this.buffer.length >= CHUNK_CHARS) this.flush();
  }

  /** Writes what is buffered, flushes it to disk and renames the file into place. */
  commit(): void {
    const fd = this.requireOpen();
    this.flush();
    fsyncSync(fd);
    closeSync(fd);
    this.fd = null;
    renameSync(this.temporary, this.path);
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

/**
 * Runs `spec` in this thread (a tracer cannot cross threads) with every event streamed to `path`;
 * the file appears only if the whole run succeeds.
 */
export function runTraced(
  spec: ModelSpec,
  options: RunOptions,
  path: string,
  log: (message: string) => void = () => {},
): RunSummary {
  const tracer = new CsvTraceWriter(
    path,
    spec.classes.map((c) => c.id),
    spec.arrivals !== null,
  );
  try {
    const summary = runModel(spec, { ...options, tracer });
    tracer.commit();
    log(`Trace of ${tracer.rows} events written to ${path}`);
    return summary;
  } finally {
    tracer.abort();
  }
}

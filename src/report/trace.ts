// The trace as an event log (`run --trace FILE`, docs/trace.md): one CSV row per journey event,
// with the columns process-mining tools expect (a case id, an activity, a timestamp) and the
// event's own fields in columns of their own. Pure: rows are built here, the file is written by
// the node side (src/node/trace-file.ts), so a browser can build the same log.
import type { JourneyEvent, PatientRef } from "../model/events.js";
import { csvField } from "./csv.js";
import { formatTimestamp } from "./format.js";

/**
 * The columns, in order. `case_id` = "<replication>-<patient>"; `seq` numbers a case's rows from 1;
 * `time_min` is minutes on the simulated calendar and `timestamp` the same moment in ISO 8601
 * (time 0 = 2024-01-01T00:00:00Z, a Monday); `activity` is the event kind. Event fields have their
 * own columns, empty where the kind has none.
 */
export const TRACE_COLUMNS = [
  "case_id",
  "replication",
  "patient",
  "counted",
  "class",
  "seq",
  "time_min",
  "timestamp",
  "activity",
  "element",
  "mode",
  "delay_min",
  "wait_min",
  "harm",
  "drop",
  "goto",
  "from",
  "to",
  "ending",
  "defects",
  "risk",
  "p",
  "condition",
  "severity",
  "decided_at",
] as const;

export type TraceColumn = (typeof TRACE_COLUMNS)[number];

/** The header line (CRLF-terminated, RFC 4180). */
export function traceHeader(): string {
  return `${TRACE_COLUMNS.join(",")}\r\n`;
}

/** The case id of a journey: unique in a run, the same for every row of the journey. */
export function caseId(p: Pick<PatientRef, "replication" | "index">): string {
  return `${p.replication}-${p.index}`;
}

/** The event's own fields, by column (the columns it leaves out are empty). */
function fields(e: JourneyEvent): Partial<Record<TraceColumn, string | number>> {
  switch (e.kind) {
    case "start":
    case "arrive":
    case "end":
      return {};
    case "death":
      return { risk: e.risk, decided_at: e.milestone ?? "" };
    case "service_start":
      return { wait_min: e.wait };
    case "off_hours_delay":
      return { delay_min: e.delay };
    case "handoff":
      return { from: e.from, to: e.to };
    case "near_miss":
      return { mode: e.mode, delay_min: e.recover };
    case "defect":
      return {
        mode: e.mode,
        delay_min: e.delay,
        harm: e.harm,
        drop: e.drop ? 1 : 0,
        goto: e.goto ?? "",
        p: e.p,
        condition: e.condition ?? "",
        severity: e.severity,
      };
    case "finish":
      return { ending: e.ending, defects: e.defects, risk: e.risk };
    case "blocked":
      return { to: e.to };
    case "reneged":
      return { wait_min: e.wait, goto: e.goto ?? "" };
  }
}

/** One CSV record for an event; `seq` is its number within the journey (from 1). */
export function traceRow(p: PatientRef, e: JourneyEvent, seq: number): string {
  const f = fields(e);
  const cell = (c: TraceColumn): string => {
    const v = f[c];
    return v === undefined ? "" : csvField(v);
  };
  return (
    `${caseId(p)},${p.replication},${p.index},${p.counted ? 1 : 0},${csvField(p.classId)},${seq},` +
    `${e.time},${formatTimestamp(e.time)},${e.kind},${csvField(e.element)},${cell("mode")},` +
    `${cell("delay_min")},${cell("wait_min")},${cell("harm")},${cell("drop")},${cell("goto")},` +
    `${cell("from")},${cell("to")},${cell("ending")},${cell("defects")},${cell("risk")},` +
    `${cell("p")},${cell("condition")},${cell("severity")},${cell("decided_at")}\r\n`
  );
}

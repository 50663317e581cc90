import { existsSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runModel } from "../../src/analysis/run.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { CsvTraceWriter, runTraced, traceColumns } from "../../src/report/trace.js";
import { loadScenario } from "../../src/scenario/load.js";
import { cli } from "../cli/capture.js";
import { readTrace } from "./trace-csv.js";

const tmp = () => mkdtemp(join(tmpdir(), "handoff-sim-trace-"));
const baseline = async (): Promise<ModelSpec> => (await loadScenario("scenarios/ami-baseline.yaml")).spec;

describe("run --trace", () => {
  it("streams rows to a temporary file during the run and renames it only on commit", async () => {
    const spec = await baseline();
    const path = join(await tmp(), "trace.csv");
    const writer = new CsvTraceWriter(path, ["stemi_ems", "stemi_self", "nstemi"], true);
    runModel(spec, { patients: 1000, tracer: writer });
    // Already on disk (in chunks), not held in memory until the end; not yet under its name.
    const streamed = statSync(writer.temporary).size;
    expect(streamed).toBeGreaterThan(100_000);
    expect(existsSync(path)).toBe(false);
    writer.commit();
    expect(existsSync(writer.temporary)).toBe(false);
    // The last chunk is written on commit: the file is at least what was streamed, at most a chunk more.
    expect(statSync(path).size).toBeGreaterThanOrEqual(streamed);
    expect(statSync(path).size - streamed).toBeLessThan(4 * 65_536);
    expect((await readTrace(path)).length).toBe(writer.rows);
  });

  it("leaves nothing behind when the run fails", async () => {
    const spec = await baseline();
    const dir = await tmp();
    const fail = () => {
      throw new Error("disk on fire");
    };
    expect(() => runTraced(spec, { patients: 500, progress: fail }, join(dir, "trace.csv"))).toThrow(
      "disk on fire",
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("has one row per event, RFC 4180 quoting, and counts that agree with the summary", async () => {
    const spec = await baseline();
    const path = join(await tmp(), "trace.csv");
    const summary = runTraced(spec, { patients: 2000 }, path);
    const text = await readFile(path, "utf8");
    expect(text.split("\r\n")[0]).toBe(traceColumns(true).join(","));
    // Defect details hold commas ("late_activation, +22 min"): such fields are quoted.
    expect(text).toMatch(/,defect,"[a-z_]+, \+[\d.]+ (min|h)[^"]*"\r\n/);
    const rows = await readTrace(path);
    const counted = rows.filter((r) => r.counted === "1");
    const starts = counted.filter((r) => r.where === "journey" && r.event === "start");
    expect(starts).toHaveLength(2000);
    expect(new Set(rows.map((r) => r.replication))).toEqual(
      new Set(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]),
    );
    for (const m of [...summary.microsystems, ...summary.handoffs]) {
      const where = "id" in m ? m.id : `${m.from}->${m.to}`;
      for (const [mode, occurrences] of Object.entries(m.failures)) {
        const seen = counted.filter(
          (r) =>
            r.where === where &&
            (r.event === "defect" || r.event === "near miss") &&
            r.detail.split(",")[0]!.split(" ")[0] === mode,
        );
        expect(seen.length, `${where} ${mode}`).toBe(occurrences);
      }
    }
    const dropped = counted.filter((r) => r.where === "journey" && r.event === "dropped");
    expect(dropped).toHaveLength(summary.outcomes.dropped);
  });

  it("without arrivals has no replication column, and the same figures as an untraced run", async () => {
    const spec = (await loadScenario("scenarios/teaching/seven-steps-six-handoffs.yaml")).spec;
    const path = join(await tmp(), "t.csv");
    const traced = runTraced(spec, { patients: 3000 }, path);
    const plain = runModel(spec, { patients: 3000 });
    expect({ ...traced, wall_ms: 0 }).toEqual({ ...plain, wall_ms: 0 });
    const rows = await readTrace(path);
    expect(Object.keys(rows[0]!)).toEqual(traceColumns(false));
    const ends = rows.filter((r) => r.where === "journey" && r.event !== "start");
    expect(ends).toHaveLength(3000);
    expect(rows[0]!.clock).toMatch(/^(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d\d:\d\d$/);
  });

  it("the command line writes the trace, and refuses it with --shard", async () => {
    const dir = await tmp();
    const path = join(dir, "trace.csv");
    const r = await cli(
      "run",
      "scenarios/ami-baseline.yaml",
      "--patients",
      "300",
      "--out",
      dir,
      "--trace",
      path,
    );
    expect(r.status).toBe(0);
    expect(r.err).toContain(`written to ${path}`);
    expect((await readTrace(path)).length).toBeGreaterThan(300);
    const bad = await cli(
      "run",
      "scenarios/ami-baseline.yaml",
      "--shard",
      "1/2",
      "--partial",
      join(dir, "p.json"),
      "--trace",
      path,
    );
    expect(bad.status).toBe(2);
  });
});

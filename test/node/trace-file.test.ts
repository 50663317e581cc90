// `run --trace FILE`: the structured event log (docs/trace.md), streamed while the run goes and
// renamed into place only when it succeeded.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runModel } from "../../src/analysis/run.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioFile } from "../../src/node/load.js";
import { TraceFileWriter } from "../../src/node/trace-file.js";
import { traceRun } from "../../src/node/trace-run.js";
import { TRACE_COLUMNS } from "../../src/report/trace.js";
import { cli } from "../cli/capture.js";
import { readTrace, type TraceRow } from "../fixtures/csv.js";

const tmp = () => mkdtemp(join(tmpdir(), "handoff-sim-trace-"));
const baseline = async (): Promise<ModelSpec> =>
  (await loadScenarioFile("scenarios/ami-baseline.yaml")).model;

/** Rows grouped by case, in file order. */
function byCase(rows: TraceRow[]): Map<string, TraceRow[]> {
  const cases = new Map<string, TraceRow[]>();
  for (const r of rows) {
    const list = cases.get(r.case_id!);
    if (list === undefined) cases.set(r.case_id!, [r]);
    else list.push(r);
  }
  return cases;
}

describe("run --trace", () => {
  it("streams rows to a temporary file during the run and renames it only on commit", async () => {
    const spec = await baseline();
    const path = join(await tmp(), "trace.csv");
    const writer = new TraceFileWriter(path);
    runModel(spec, { patients: 1000, monitor: writer });
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
    await expect(traceRun(spec, join(dir, "trace.csv"), { patients: 500, onProgress: fail })).rejects.toThrow(
      "disk on fire",
    );
    expect(await readdir(dir)).toEqual([]);
  });

  it("is an event log: one row per event, typed columns, counts that agree with the summary", async () => {
    const spec = await baseline();
    const path = join(await tmp(), "trace.csv");
    const { summary } = await traceRun(spec, path, { patients: 2000 });
    const text = await readFile(path, "utf8");
    expect(text.split("\r\n")[0]).toBe(TRACE_COLUMNS.join(","));
    const rows = await readTrace(path);
    const counted = rows.filter((r) => r.counted === "1");
    expect(counted.filter((r) => r.activity === "start")).toHaveLength(2000);
    expect(new Set(rows.map((r) => r.replication))).toEqual(
      new Set(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]),
    );
    // Every failure occurrence of the summary is a defect or near-miss row with its mode in a column.
    for (const m of [...summary.microsystems, ...summary.handoffs]) {
      const element = "id" in m ? m.id : `${m.from}->${m.to}`;
      for (const [mode, occurrences] of Object.entries(m.failures)) {
        const seen = counted.filter(
          (r) =>
            r.element === element &&
            (r.activity === "defect" || r.activity === "near_miss") &&
            r.mode === mode,
        );
        expect(seen.length, `${element} ${mode}`).toBe(occurrences);
        const caught = seen.filter((r) => r.activity === "near_miss").length;
        expect(caught, `${element} ${mode} caught`).toBe(m.caught[mode]);
      }
    }
    const finishes = counted.filter((r) => r.activity === "finish");
    expect(finishes.filter((r) => r.ending === "dropped")).toHaveLength(summary.outcomes.dropped);
    expect(finishes.filter((r) => r.ending === "completed")).toHaveLength(summary.outcomes.completed);
    // Sampled deaths: one row each, for the counted patients the summary counts.
    const deaths = counted.filter((r) => r.activity === "death").length;
    expect((1000 * deaths) / 2000).toBeCloseTo(summary.outcomes.mortality_per_1000!.sampled, 9);
    // The mean of the finish rows' risks is the expected mortality.
    const risk = finishes.reduce((a, r) => a + Number(r.risk), 0) / finishes.length;
    expect(1000 * risk).toBeCloseTo(summary.outcomes.mortality_per_1000!.expected, 6);
    // Defect rows carry harm, delay, drop and goto as fields.
    const defect = counted.find((r) => r.activity === "defect" && r.harm !== "1")!;
    expect(Number(defect.harm)).toBeGreaterThan(1);
    expect(defect.drop).toMatch(/^[01]$/);
  });

  it("each case: numbered rows from 1, non-decreasing times, ISO timestamps on the calendar, finish last", async () => {
    const spec = await baseline();
    const path = join(await tmp(), "trace.csv");
    await traceRun(spec, path, { patients: 500 });
    const cases = byCase(await readTrace(path));
    const epoch = Date.UTC(2024, 0, 1);
    const problems: string[] = [];
    const check = (ok: boolean, what: string): void => {
      if (!ok && problems.length < 10) problems.push(what);
    };
    for (const [id, rows] of cases) {
      const [replication, patient] = id.split("-");
      check(
        rows.every((r) => r.replication === replication && r.patient === patient),
        `${id}: case id`,
      );
      check(
        rows.every((r, i) => Number(r.seq) === i + 1),
        `${id}: seq`,
      );
      for (let i = 1; i < rows.length; i++) {
        check(
          Number(rows[i]!.time_min) >= Number(rows[i - 1]!.time_min),
          `${id}: time goes back at ${i + 1}`,
        );
        check(rows[i]!.timestamp! >= rows[i - 1]!.timestamp!, `${id}: timestamp goes back at ${i + 1}`);
      }
      for (const r of rows) {
        check(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/.test(r.timestamp!), `${id}: ${r.timestamp}`);
        const off = Math.abs(Date.parse(r.timestamp!) - (epoch + Number(r.time_min) * 60_000));
        check(off < 1, `${id}: timestamp ${r.timestamp} is not time ${r.time_min}`);
      }
      check(rows[0]!.activity === "start", `${id}: first row`);
      check(rows.at(-1)!.activity === "finish", `${id}: last row`);
      check(rows.filter((r) => r.activity === "finish").length === 1, `${id}: one finish`);
    }
    expect(problems).toEqual([]);
    // 2024-01-01 is a Monday: the simulated calendar's day names hold on the timestamps.
    expect(new Date(epoch).getUTCDay()).toBe(1);
  });

  it("without arrivals: replication 0, counted 1, and the same figures as an untraced run", async () => {
    const spec = (await loadScenarioFile("scenarios/teaching/seven-steps-six-handoffs.yaml")).model;
    const path = join(await tmp(), "t.csv");
    const traced = await traceRun(spec, path, { patients: 3000 });
    const plain = runModel(spec, { patients: 3000 });
    expect({ ...traced.summary, wall_ms: 0 }).toEqual({ ...plain, wall_ms: 0 });
    const rows = await readTrace(path);
    expect(Object.keys(rows[0]!)).toEqual([...TRACE_COLUMNS]);
    expect(new Set(rows.map((r) => `${r.replication}/${r.counted}`))).toEqual(new Set(["0/1"]));
    expect(rows.filter((r) => r.activity === "finish")).toHaveLength(3000);
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

  it("a traced run (in a thread of its own) still prints the run's warnings", async () => {
    const dir = await tmp();
    const file = join(dir, "loop.yaml");
    await writeFile(
      file,
      "name: loop\nmax_visits: 3\nmicrosystems:\n  - { id: a, time: 1, next: [{ to: a, p: 0.9 }, { to: b, p: 0.1 }] }\n  - { id: b, time: 1, next: [] }\n",
    );
    const path = join(dir, "trace.csv");
    const r = await cli(
      "run",
      file,
      "--patients",
      "200",
      "--no-charts",
      "--out",
      join(dir, "out"),
      "--trace",
      path,
    );
    expect(r.status, r.err).toBe(0);
    expect(r.err).toMatch(/warning: \d+ of 200 journeys .* were stopped by the visit guard after 3 visits/);
  });

  it("loads in pandas with the snippet of docs/trace.md, which agrees with the run", async () => {
    const doc = readFileSync("docs/trace.md", "utf8");
    const snippet = /## In pandas\s+```python\n([\s\S]*?)```/.exec(doc)?.[1];
    expect(snippet).toBeDefined();
    const spec = await baseline();
    const path = join(await tmp(), "events.csv");
    const { summary, rows } = await traceRun(spec, path, { patients: 2000 });
    // Debian's python3-pandas (.ci/install-python.sh installs it).
    const out = execFileSync(
      "/usr/bin/python3",
      ["-c", snippet!.replaceAll('"events.csv"', JSON.stringify(path))],
      {
        encoding: "utf8",
      },
    );
    const m = /^(\d+) journeys, (\d+) defects\ndoor-to-balloon median ([\d.]+) min\n$/.exec(out);
    expect(m, out).not.toBeNull();
    const log = await readTrace(path);
    expect(log).toHaveLength(rows);
    expect(Number(m![1])).toBe(new Set(log.map((r) => r.case_id)).size);
    expect(Number(m![2])).toBe(log.filter((r) => r.activity === "defect").length);
    // The summary's median comes from a fixed-memory sketch (within 0.1%), pandas' from the rows.
    const d2b = summary.metrics.door_to_balloon!.median;
    expect(Math.abs(Number(m![3]) - d2b) / d2b).toBeLessThan(0.01);
  });
});

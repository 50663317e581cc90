// Run-time faults and interruptions: a fault the user did not cause by a bad scenario exits 1 with
// one line; Ctrl-C (SIGINT) or SIGTERM stops a run at once with 130 / 143, one line, and no partial
// or temporary file; and a run never deletes a file it did not write.
// (Bad scenarios — exit 2 — are the catalogue: test/scenario/catalogue.test.ts.)
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, lstatSync, readdirSync, symlinkSync } from "node:fs";
import { mkdir, mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { INTERRUPTED, type InterruptEffects, stopOnSignal } from "../../src/cli/interrupt.js";
import { patientCount, patientIndex, seedValue, shardOption, workerCount } from "../../src/cli/options.js";
import { abandonWrites, pendingTemporaries, writeOutputs } from "../../src/node/files.js";
import { builtBin } from "./built.js";
import { cli } from "./capture.js";

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), "handoff-sim-errors-"));
const ONE_LINE = /^handoff-sim: [^\n]+\n$/;

/** A quick valid scenario. */
const SCENARIO = `name: errors test
microsystems:
  - id: ed
    time: { median: 30 min, p90: 60 min }
    failures: [{ id: late, p: 0.1 }]
  - id: ward
    time: 2 d
    next: []
`;

/** Writes the scenario; with `warning`, a capacity without arrivals makes `run` warn before simulating. */
async function scenarioIn(dir: string, warning = false): Promise<string> {
  const file = join(dir, "s.yaml");
  const text = warning ? SCENARIO.replace("    failures:", "    capacity: 2\n    failures:") : SCENARIO;
  await writeFile(file, text);
  return file;
}

describe("run-time faults", () => {
  it("an --out that cannot be created (under a file): exit 1, one line, nothing written", async () => {
    const dir = await tmp();
    const file = await scenarioIn(dir);
    await writeFile(join(dir, "blocker"), "a file, not a folder\n");
    const r = await cli(
      "run",
      file,
      "--patients",
      "500",
      "--workers",
      "1",
      "--out",
      join(dir, "blocker", "out"),
    );
    expect(r.status).toBe(1);
    expect(r.out).toBe("");
    expect(r.err).toMatch(ONE_LINE);
    expect(r.err).toBe(
      `handoff-sim: cannot create the folder ${join(dir, "blocker", "out")}: part of the path is a file, not a folder\n`,
    );
    expect((await readdir(dir)).sort()).toEqual(["blocker", "s.yaml"]);
  });

  it("an --out that is a file: exit 1, one line, the file untouched", async () => {
    const dir = await tmp();
    const file = await scenarioIn(dir);
    const out = join(dir, "results");
    await writeFile(out, "keep me\n");
    const r = await cli("run", file, "--patients", "500", "--workers", "1", "--out", out);
    expect(r.status).toBe(1);
    expect(r.err).toBe(`handoff-sim: cannot create the folder ${out}: a file of that name is in the way\n`);
    expect(await readFile(out, "utf8")).toBe("keep me\n");
  });
});

describe("never through a link, never onto a device", () => {
  it.each([
    ["--trace", "/dev/null", "it is not a regular file (a device)"],
    ["--trace", "link", "it is a symbolic link"],
    ["--partial", "link", "it is a symbolic link"],
    ["--out", "link-dir", "it is a symbolic link"],
    ["--out", "/dev/null", "a file of that name is in the way"],
  ])("%s %s: exit 1 before anything runs, the target untouched", async (flag, target, message) => {
    const dir = await tmp();
    const file = await scenarioIn(dir);
    await writeFile(join(dir, "victim"), "precious\n");
    symlinkSync("victim", join(dir, "link"));
    await mkdir(join(dir, "real"));
    symlinkSync("real", join(dir, "link-dir"));
    const path = target.startsWith("/") ? target : join(dir, target);
    const shard = flag === "--partial" ? ["--shard", "1/2"] : [];
    const r = await cli(
      "run",
      file,
      "--patients",
      "500",
      "--workers",
      "1",
      "--no-charts",
      ...shard,
      flag,
      path,
    );
    expect(r.status).toBe(1);
    expect(r.err).toContain(message);
    expect(r.out).toBe("");
    expect(await readFile(join(dir, "victim"), "utf8")).toBe("precious\n");
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);
    expect(await readdir(join(dir, "real"))).toEqual([]);
  });
});

describe("a run never deletes files it did not write", () => {
  it("leaves other files in --out, including other programs' temporaries", async () => {
    const dir = await tmp();
    const file = await scenarioIn(dir);
    const out = join(dir, "out");
    await mkdir(join(out, "notes"), { recursive: true });
    const mine = { "notes.txt": "my notes\n", ".handoff-sim-1-deadbeef-0.tmp": "another run's\n" };
    for (const [name, text] of Object.entries(mine)) await writeFile(join(out, name), text);
    const r = await cli("run", file, "--patients", "500", "--workers", "1", "--no-charts", "--out", out);
    expect(r.status).toBe(0);
    for (const [name, text] of Object.entries(mine))
      expect(await readFile(join(out, name), "utf8")).toBe(text);
    expect(existsSync(join(out, "notes"))).toBe(true);
    expect(await readdir(out)).toContain("summary.json");
  });
});

describe("an interrupt while results are being written", () => {
  it("removes this run's temporaries, says so in one line and exits 130", async () => {
    const out = await tmp();
    await writeFile(join(out, "summary.json"), "the previous run's\n");
    // Large enough that the write is still under way when the interrupt comes.
    const big = "x".repeat(16 * 1024 * 1024);
    let settled = false;
    const writing = writeOutputs(out, { "summary.json": big, "elements.csv": big, "report.html": big });
    const markSettled = (): void => {
      settled = true;
    };
    writing.then(markSettled, markSettled);
    while (!pendingTemporaries().some((file) => existsSync(file))) {
      if (settled) throw new Error("the write finished before the test could interrupt it");
      await new Promise(setImmediate);
    }
    const effects = recordingEffects();
    stopOnSignal("SIGINT", effects);
    expect(effects.status).toBe(130);
    expect(effects.lines).toEqual([INTERRUPTED]);
    expect(effects.removed.length).toBeGreaterThan(0);
    // (In the program the process has exited here; in this test the write goes on and fails.)
    await writing.catch(() => undefined);
    expect(await readdir(out)).toEqual(["summary.json"]);
    expect(await readFile(join(out, "summary.json"), "utf8")).toBe("the previous run's\n");
    expect(pendingTemporaries()).toEqual([]);
  });
});

function recordingEffects(): InterruptEffects & { lines: string[]; removed: string[]; status?: number } {
  const effects: InterruptEffects & { lines: string[]; removed: string[]; status?: number } = {
    lines: [],
    removed: [],
    err: (text) => effects.lines.push(text),
    exit: (status) => {
      effects.status = status;
    },
    // The real roll-back: the test checks the folder afterwards.
    abandon: () => {
      const touched = abandonWrites();
      effects.removed.push(...touched);
      return touched;
    },
  };
  return effects;
}

describe("Ctrl-C and SIGTERM during a run (the built program)", () => {
  const cases = [
    { signal: "SIGINT", status: 130, workers: "1" },
    { signal: "SIGINT", status: 130, workers: "2" },
    { signal: "SIGTERM", status: 143, workers: "1" },
  ] as const;

  it.each(cases)("$signal with --workers $workers: exit $status at once, one line, no file", async (c) => {
    const dir = await tmp();
    const file = await scenarioIn(dir, true);
    const out = join(dir, "out");
    await mkdir(out);
    await writeFile(join(out, "notes.txt"), "my notes\n");
    // Millions of patients: the run is still simulating when the signal comes.
    const args = [builtBin("src/cli/interrupt.js"), "run", file, "--patients", "50000000"];
    const child = spawn(process.execPath, [...args, "--workers", c.workers, "--out", out]);
    const stderr = collect(child);
    // The warning is printed after loading, just before simulating: the handlers are in place.
    await until(() => stderr().includes("warning:"), 10_000);
    const sent = performance.now();
    child.kill(c.signal);
    const [code, signal] = await exited(child);
    expect({ code, signal }).toEqual({ code: c.status, signal: null });
    expect(performance.now() - sent).toBeLessThan(3000);
    expect(
      stderr()
        .split("\n")
        .filter((line) => !line.startsWith("warning:")),
    ).toEqual([INTERRUPTED, ""]);
    expect(await readdir(out)).toEqual(["notes.txt"]);
    expect((await readdir(dir)).sort()).toEqual(["out", "s.yaml"]);
  });
});

/** One unit of work that takes seconds: 65,536 journeys of about 1,000 visits each (a near-certain loop). */
const LONG_UNIT = `name: long unit
patients: 65536
max_visits: 1000000
microsystems:
  - id: ed
    time: 30 min
    capacity: 2
    failures: [{ id: late, p: 0.001 }]
    next: [{ to: ed, p: 0.999 }, { to: ward, p: 0.001 }]
  - id: ward
    time: 2 d
    next: []
`;

describe("Ctrl-C inside one long unit of work (the built program)", () => {
  it.each(["1", "2"])(
    "--workers %s: exit 130 within a second or two, not at the unit's end",
    async (workers) => {
      const dir = await tmp();
      const file = join(dir, "s.yaml");
      await writeFile(file, LONG_UNIT);
      const out = join(dir, "out");
      const args = [builtBin("src/cli/interrupt.js"), "run", file, "--workers", workers, "--out", out];
      const child = spawn(process.execPath, args);
      const stderr = collect(child);
      await until(() => stderr().includes("warning:"), 10_000);
      // The unit is under way (it takes about 8 s alone on this machine).
      await new Promise((resolve) => setTimeout(resolve, 300));
      const sent = performance.now();
      child.kill("SIGINT");
      const [code] = await exited(child);
      expect(code).toBe(130);
      expect(performance.now() - sent).toBeLessThan(3000);
      expect((await readdir(dir)).sort()).toEqual(["s.yaml"]);
    },
  );
});

describe("Ctrl-C during a traced run (the built program)", () => {
  it("stops at once, inside the unit of work under way, and leaves neither the trace nor its temporary", async () => {
    const dir = await tmp();
    const file = await scenarioIn(dir, true);
    const out = join(dir, "out");
    const trace = join(dir, "trace.csv");
    const args = [builtBin("src/cli/interrupt.js"), "run", file, "--patients", "50000000", "--trace", trace];
    const child = spawn(process.execPath, [...args, "--out", out]);
    const stderr = collect(child);
    await until(() => stderr().includes("warning:"), 10_000);
    // The trace's temporary is on disk and growing: the run is under way.
    await until(() => readdirSync(dir).some((f) => f.startsWith(".trace.csv.")), 10_000);
    const sent = performance.now();
    child.kill("SIGINT");
    const [code] = await exited(child);
    expect(code).toBe(130);
    // The traced unit runs in a thread of its own: the main thread hears the signal at once.
    expect(performance.now() - sent).toBeLessThan(3000);
    expect((await readdir(dir)).sort()).toEqual(["s.yaml"]);
  });
});

function collect(child: ChildProcess): () => string {
  let text = "";
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    text += chunk;
  });
  return () => text;
}

async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline) throw new Error("timed out waiting for the program");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function exited(child: ChildProcess): Promise<[number | null, NodeJS.Signals | null]> {
  return new Promise((resolve) => child.on("exit", (code, signal) => resolve([code, signal])));
}

describe("flags have the bounds of the file keys they override", () => {
  it.each([
    ["--patients", "1e12", "expected a whole number of patients from 1 to 1000000000."],
    ["--patients", "1000000001", "expected a whole number of patients from 1 to 1000000000."],
    ["--patients", "0x10", "expected a whole number of patients from 1 to 1000000000."],
    ["--workers", "100000", "expected a whole number of worker threads from 1 to 256."],
    ["--workers", "0", "expected a whole number of worker threads from 1 to 256."],
    ["--seed", "-1", "expected a non-negative whole number up to 9007199254740991."],
    ["--seed", "9007199254740992", "expected a non-negative whole number up to 9007199254740991."],
  ])("run %s %s: exit 2 as the command line is read, nothing simulated", async (flag, value, expected) => {
    const dir = await tmp();
    const r = await cli("run", await scenarioIn(dir), flag, value, "--out", join(dir, "out"));
    expect(r.status).toBe(2);
    expect(r.out).toBe("");
    expect(r.err.split("\n")[0]).toBe(
      `error: option '${flag} <${flag === "--seed" ? "s" : "n"}>' argument '${value}' is invalid. ${expected}`,
    );
    expect(await readdir(dir)).toEqual(["s.yaml"]);
  });

  it("the bounds themselves are accepted, one past them refused", () => {
    expect(patientCount("1000000000")).toBe(1e9);
    expect(patientCount("1")).toBe(1);
    expect(workerCount("256")).toBe(256);
    expect(() => workerCount("257")).toThrow();
    expect(seedValue("0")).toBe(0);
    expect(seedValue(String(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    expect(patientIndex("999999999")).toBe(999_999_999);
    expect(() => patientIndex("1000000000")).toThrow();
    expect(shardOption("3/1000000")).toEqual({ k: 3, n: 1_000_000 });
    for (const bad of ["1/1000001", "0/2", "3/2", "1/2/3", "1/", "/2", "1e1/20", " 1 / 2"])
      expect(() => shardOption(bad), bad).toThrow(/expected K\/N with 1 <= K <= N <= 1000000/);
  });
});

// The run's outputs as a set (src/node/files.ts): a reader sees the old set or the new one, never
// a mix; the files that are not outputs stay (folders included); never through a link or onto a
// device; what a killed run left is resolved by the next write; an interrupt rolls back.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  abandonWrites,
  MANIFEST,
  outputFileProblem,
  pendingTemporaries,
  writeFileAtomically,
  writeOutputs,
} from "../../src/node/files.js";

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), "handoff-sim-set-"));
const set = (generation: number, names = ["summary.json", "elements.csv", "report.html"]) =>
  Object.fromEntries(names.map((n) => [n, `${n} generation ${generation}\n`.repeat(2000)]));

/** A pid that no process has (a child that has exited). */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", ""]).pid;
}

describe("a reader sees the old set or the new one", () => {
  it("while sets are written over each other, every read of the folder is one generation", async () => {
    const out = join(await tmp(), "out");
    await writeOutputs(out, set(0));
    let stop = false;
    const seen = new Set<string>();
    const reader = (async () => {
      while (!stop) {
        try {
          const texts = ["summary.json", "elements.csv", "report.html"].map((n) =>
            readFileSync(join(out, n), "utf8"),
          );
          const generations = new Set(texts.map((t) => /generation (\d+)/.exec(t)?.[1]));
          seen.add([...generations].join(","));
        } catch {
          // Between the two renames the folder is briefly absent: neither set, never a mix.
        }
        await new Promise(setImmediate);
      }
    })();
    for (let g = 1; g <= 40; g++) await writeOutputs(out, set(g));
    stop = true;
    await reader;
    for (const s of seen) expect(s).toMatch(/^\d+$/);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toContain("generation 40");
  });

  it("keeps what is not an output (files, links, folders) and drops the previous set's leftovers", async () => {
    const out = join(await tmp(), "out");
    await writeOutputs(out, { "summary.json": "1", "metric-old.svg": "old chart" });
    writeFileSync(join(out, "notes.txt"), "mine");
    mkdirSync(join(out, "notes"));
    writeFileSync(join(out, "notes", "deep.txt"), "deep");
    symlinkSync("notes.txt", join(out, "link-to-notes"));
    await writeOutputs(out, { "summary.json": "2" });
    expect((await readdir(out)).sort()).toEqual([
      MANIFEST,
      "link-to-notes",
      "notes",
      "notes.txt",
      "summary.json",
    ]);
    expect(await readFile(join(out, "notes", "deep.txt"), "utf8")).toBe("deep");
    expect(await readFile(join(out, "notes.txt"), "utf8")).toBe("mine");
    expect(lstatSync(join(out, "link-to-notes")).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(out, "..")).filter((n) => n.startsWith(".handoff-sim-"))).toEqual([]);
  });
});

describe("never through a link, never onto a device", () => {
  it("refuses an --out that is a symbolic link, and files that are links or devices", async () => {
    const dir = await tmp();
    mkdirSync(join(dir, "real"));
    symlinkSync("real", join(dir, "link"));
    await expect(writeOutputs(join(dir, "link"), { "a.txt": "x" })).rejects.toThrow(/it is a symbolic link/);
    expect(readdirSync(join(dir, "real"))).toEqual([]);
    writeFileSync(join(dir, "victim.csv"), "precious");
    symlinkSync("victim.csv", join(dir, "trace.csv"));
    await expect(writeFileAtomically(join(dir, "trace.csv"), "rows")).rejects.toThrow(/symbolic link/);
    expect(readFileSync(join(dir, "victim.csv"), "utf8")).toBe("precious");
    expect(outputFileProblem("/dev/null")).toBe(
      "cannot write /dev/null: it is not a regular file (a device)",
    );
    expect(lstatSync("/dev/null").isCharacterDevice()).toBe(true);
  });
});

describe("what killed runs left is resolved by the next write", () => {
  it("a set killed before its swap: removed, the folder untouched", async () => {
    const parent = await tmp();
    const out = join(parent, "out");
    await writeOutputs(out, set(1));
    const stale = join(parent, `.handoff-sim-${deadPid()}-deadbeef.tmp`);
    mkdirSync(stale);
    writeFileSync(join(stale, "summary.json"), "half");
    writeFileSync(join(out, `.handoff-sim-${deadPid()}-cafebabe-0.tmp`), "an older version's temporary");
    writeFileSync(join(out, ".handoff-sim-1-deadbeef-0.tmp"), "a live process's (pid 1)");
    await writeOutputs(out, set(2));
    expect(existsSync(stale)).toBe(false);
    expect(readdirSync(out).filter((n) => n.endsWith(".tmp"))).toEqual([".handoff-sim-1-deadbeef-0.tmp"]);
  });

  it("a set killed between its two renames: the old folder put back, with its folders", async () => {
    const parent = await tmp();
    const tag = `${deadPid()}-0badf00d`;
    // The state a kill leaves: the old folder aside, a folder of it already moved into the new set.
    const old = join(parent, `.handoff-sim-${tag}.old`);
    const fresh = join(parent, `.handoff-sim-${tag}.tmp`);
    mkdirSync(old);
    writeFileSync(join(old, "summary.json"), "old set");
    mkdirSync(join(fresh, "notes"), { recursive: true });
    writeFileSync(join(fresh, "notes", "deep.txt"), "deep");
    writeFileSync(join(fresh, "summary.json"), "new set");
    writeFileSync(
      join(fresh, MANIFEST),
      JSON.stringify({ target: "out", files: ["summary.json"], moved: ["notes"] }),
    );
    await writeOutputs(join(parent, "other"), { "x.txt": "x" });
    expect(readFileSync(join(parent, "out", "summary.json"), "utf8")).toBe("old set");
    expect(readFileSync(join(parent, "out", "notes", "deep.txt"), "utf8")).toBe("deep");
    expect(readdirSync(parent).filter((n) => n.startsWith(".handoff-sim-"))).toEqual([]);
  });

  it("really killed (SIGKILL) at any moment: the folder holds one whole set, and nothing is left", {
    timeout: 60_000,
  }, async () => {
    const parent = await tmp();
    const out = join(parent, "out");
    mkdirSync(out);
    writeFileSync(join(out, "mine.txt"), "mine");
    const script = `
      const { writeOutputs } = await import(${JSON.stringify(new URL("../../dist/src/node/files.js", import.meta.url).href)});
      for (let g = 1; ; g++) {
        const text = (n) => (n + " generation " + g + "\\n").repeat(50000);
        await writeOutputs(${JSON.stringify(out)}, { "a.txt": text("a"), "b.txt": text("b"), "c.txt": text("c") });
      }`;
    for (let round = 0; round < 8; round++) {
      const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: "ignore" });
      await new Promise((r) => setTimeout(r, 150 + 37 * round));
      child.kill("SIGKILL");
      await new Promise((r) => child.on("close", r));
      // The next write resolves what was left, then the folder must be one whole set.
      await writeOutputs(join(parent, "elsewhere"), { "z.txt": "z" });
      const names = readdirSync(out).filter((n) => n !== MANIFEST);
      expect(names).toContain("mine.txt");
      const generations = new Set(
        ["a.txt", "b.txt", "c.txt"]
          .filter((n) => names.includes(n))
          .map((n) => /generation (\d+)/.exec(readFileSync(join(out, n), "utf8"))?.[1]),
      );
      expect(generations.size).toBeLessThanOrEqual(1);
      expect(readdirSync(parent).filter((n) => n.startsWith(".handoff-sim-"))).toEqual([]);
    }
  });
});

describe("an interrupt", () => {
  it("during the writes rolls the set back: the previous set stays, no temporary is left", async () => {
    const parent = await tmp();
    const out = join(parent, "out");
    await writeOutputs(out, set(1));
    const big = "x".repeat(8 * 1024 * 1024);
    const writing = writeOutputs(out, { "summary.json": big, "elements.csv": big, "report.html": big });
    while (!pendingTemporaries().some((p) => existsSync(p))) await new Promise(setImmediate);
    expect(abandonWrites().length).toBeGreaterThan(0);
    await writing.catch(() => undefined);
    expect(readFileSync(join(out, "summary.json"), "utf8")).toContain("generation 1");
    expect(readdirSync(parent)).toEqual(["out"]);
  });
});

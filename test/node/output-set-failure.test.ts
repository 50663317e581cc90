// A rename that fails during the swap (a full disk, a folder held open elsewhere): the old set is
// put back whole, with its folders, and the error reaches the caller. renameSync is made to fail
// on the chosen call.
import * as fs from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, vi } from "vitest";

const failing = vi.hoisted(() => ({ at: -1, calls: 0 }));

vi.mock("node:fs", async (original) => {
  const real = await original<typeof import("node:fs")>();
  return {
    ...real,
    renameSync: (from: fs.PathLike, to: fs.PathLike) => {
      if (failing.calls++ === failing.at) throw Object.assign(new Error("EIO: simulated"), { code: "EIO" });
      real.renameSync(from, to);
    },
  };
});

const { MANIFEST, writeOutputs } = await import("../../src/node/files.js");

describe("a failed rename during the swap", () => {
  // Renames of a swap with one folder to carry: target → old, old/notes → tmp/notes, tmp → target.
  it.each([0, 1, 2])(
    "rename %i of the swap fails: the old set, its folder and its files stay",
    async (at) => {
      const out = join(await mkdtemp(join(tmpdir(), "handoff-sim-fail-")), "out");
      await writeOutputs(out, { "summary.json": "old", "report.html": "old" });
      fs.mkdirSync(join(out, "notes"));
      fs.writeFileSync(join(out, "notes", "deep.txt"), "deep");
      failing.calls = 0;
      failing.at = at;
      await expect(writeOutputs(out, { "summary.json": "new", "report.html": "new" })).rejects.toThrow(/EIO/);
      failing.at = -1;
      expect(fs.readdirSync(out).sort()).toEqual([MANIFEST, "notes", "report.html", "summary.json"]);
      expect(fs.readFileSync(join(out, "summary.json"), "utf8")).toBe("old");
      expect(fs.readFileSync(join(out, "report.html"), "utf8")).toBe("old");
      expect(fs.readFileSync(join(out, "notes", "deep.txt"), "utf8")).toBe("deep");
      expect(fs.readdirSync(join(out, "..")).filter((n) => n.startsWith(".handoff-sim-"))).toEqual([]);
    },
  );
});

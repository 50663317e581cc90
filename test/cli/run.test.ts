import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "../../src/version.js";
import { cli } from "./capture.js";

const tmp = () => mkdtemp(join(tmpdir(), "handoff-sim-"));

describe("handoff-sim run", () => {
  it("--json prints exactly one JSON document with the design's keys, and writes the files", async () => {
    const out = await tmp();
    const r = await cli(
      "run",
      "scenarios/ami-baseline.yaml",
      "--patients",
      "2000",
      "--workers",
      "1",
      "--json",
      "--no-charts",
      "--out",
      out,
    );
    expect(r.status).toBe(0);
    const s = JSON.parse(r.out);
    for (const key of [
      "scenario",
      "seed",
      "patients",
      "reliability",
      "microsystems",
      "handoffs",
      "outcomes",
      "metrics",
      "events",
      "wall_ms",
    ]) {
      expect(s).toHaveProperty(key);
    }
    expect(Object.keys(s.reliability)).toEqual(expect.arrayContaining(["estimate", "ci95", "analytic"]));
    expect(Object.keys(s.microsystems[0])).toEqual(
      expect.arrayContaining(["id", "visits", "reliability", "failures", "caught", "wait", "utilization"]),
    );
    expect(Object.keys(s.handoffs[0])).toEqual(
      expect.arrayContaining(["from", "to", "transfers", "reliability"]),
    );
    expect(Object.keys(s.outcomes)).toEqual(
      expect.arrayContaining(["mortality_per_1000", "completed", "dropped", "near_misses"]),
    );
    expect(s.metrics.door_to_balloon).toMatchObject({
      n: expect.any(Number),
      median: expect.any(Number),
      within_target: expect.any(Number),
    });
    expect(s.patients).toBe(2000);
    expect((await readdir(out)).sort()).toEqual([
      ".handoff-sim-set.json",
      "elements.csv",
      "summary.csv",
      "summary.json",
    ]);
    expect(JSON.parse(await readFile(join(out, "summary.json"), "utf8")).patients).toBe(2000);
  });

  it("prints a readable summary and where the report went, beside its charts", async () => {
    const out = await tmp();
    const r = await cli("run", "scenarios/teaching/seven-steps.yaml", "--patients", "5000", "--out", out);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/Whole-journey reliability \d+\.\d% \(95% CI/);
    expect(r.out).toContain(`Report: ${join(out, "report.html")}`);
    const files = await readdir(out);
    expect(files).toEqual(
      expect.arrayContaining(["report.html", "cascade.svg", "cascade.vl.json", "leverage.svg"]),
    );
    expect(
      files.filter((f) => f.endsWith(".tmp") || (f.startsWith(".") && f !== ".handoff-sim-set.json")),
    ).toEqual([]);
  });

  it("exits 2 with located errors and writes nothing for a bad scenario", async () => {
    const dir = await tmp();
    const file = join(dir, "bad.yaml");
    await writeFile(
      file,
      "name: x\nmicrosystems:\n  - id: a\n    time: 5 min\n    failures:\n      - { id: f, p: 1.5 }\n",
    );
    const r = await cli("run", file, "--out", join(dir, "out"));
    expect(r.status).toBe(2);
    expect(r.err).toContain(`${file}:6:`);
    expect(r.err).toContain("microsystems[0].failures[0].p");
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
    expect(await readdir(dir)).toEqual(["bad.yaml"]);
  });

  it("exits 2 on usage errors and 0 on --version", async () => {
    expect((await cli("run")).status).toBe(2);
    expect((await cli("run", "x.yaml", "--patients", "-3")).status).toBe(2);
    expect((await cli("frobnicate")).status).toBe(2);
    const v = await cli("--version");
    expect(v.status).toBe(0);
    expect(v.out.trim()).toBe(VERSION);
  });

  it("keeps VERSION equal to package.json's version", async () => {
    const pkg = JSON.parse(await readFile("package.json", "utf8"));
    expect(pkg.version).toBe(VERSION);
  });
});

describe("handoff-sim explain", () => {
  it("tells the math and the simulation agreeing", async () => {
    const r = await cli(
      "explain",
      "scenarios/teaching/seven-steps.yaml",
      "--patients",
      "20000",
      "--workers",
      "1",
    );
    expect(r.status).toBe(0);
    expect(r.out).toContain("0.95 × 0.95");
    expect(r.out).toMatch(/lies inside this interval/);
  });
});

describe("handoff-sim run warns", () => {
  it("on stderr and in the JSON when a unit is overloaded, before the figures", async () => {
    const dir = await tmp();
    const file = join(dir, "overloaded.yaml");
    await writeFile(
      file,
      "name: overloaded\narrivals: { per_day: 144, warmup: 1 d }\n" +
        "microsystems:\n  - { id: desk, name: Front desk, time: { mean: 12 min }, capacity: 1 }\n",
    );
    const r = await cli(
      "run",
      file,
      "--patients",
      "3000",
      "--workers",
      "1",
      "--json",
      "--no-charts",
      "--out",
      dir,
    );
    expect(r.status).toBe(0);
    expect(r.err).toMatch(/^warning: Front desk is overloaded: .*utilisation 1\.20/m);
    const s = JSON.parse(r.out);
    expect(s.warnings.map((w: { kind: string }) => w.kind)).toContain("overload");
    expect(s.warnings[0]).toMatchObject({ kind: "overload", microsystem: "desk" });
    expect(s.load).toEqual([expect.objectContaining({ microsystem: "desk", capacity: 1 })]);
    expect(s.microsystems[0].wait).toHaveProperty("ci95");
    expect(s.warmup).toEqual({ minutes: 1440, method: "scenario" });
  });
});

describe("handoff-sim merge", () => {
  it("names the file at fault when shards do not belong together", async () => {
    const dir = await tmp();
    const shard = async (file: string, k: string, scenario = "scenarios/teaching/seven-steps.yaml") => {
      const r = await cli(
        "run",
        scenario,
        "--patients",
        "3000",
        "--workers",
        "1",
        "--shard",
        k,
        "--partial",
        join(dir, file),
      );
      expect(r.status, r.err).toBe(0);
      return join(dir, file);
    };
    const one = await shard("part-1.json", "1/2");
    const two = await shard("part-2.json", "2/2");
    const foreign = await shard("other-2.json", "2/2", "scenarios/teaching/branching.yaml");
    const out = join(dir, "out");
    expect((await cli("merge", one, two, "--no-charts", "--out", out)).status).toBe(0);
    const mixed = await cli("merge", one, foreign, "--no-charts", "--out", out);
    expect(mixed.status).toBe(2);
    expect(mixed.err).toMatch(
      new RegExp(
        `^handoff-sim: cannot merge: ${foreign.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} comes from another scenario`,
      ),
    );
    await writeFile(join(dir, "junk.json"), '{"format": "x"}');
    const junk = await cli("merge", one, join(dir, "junk.json"), "--no-charts", "--out", out);
    expect(junk).toMatchObject({ status: 2, out: "" });
    expect(junk.err).toContain(`${join(dir, "junk.json")} is not a partial result`);
  });
});

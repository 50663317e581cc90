// `extends`: a scenario built on another file, lists merged by id, issues located in the file that
// wrote the content, loops and missing files reported at the `extends` line.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioFile } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { BAD, GOOD } from "./helpers.js";

async function errorLines(file: string): Promise<string[]> {
  const error = await loadScenarioFile(file).catch((e: unknown) => e);
  if (!(error instanceof ScenarioError)) throw new Error(`${file} was accepted`);
  return error.format().split("\n");
}

describe("a variant of the AMI example", () => {
  let base: ModelSpec;
  let variant: ModelSpec;
  beforeAll(async () => {
    base = (await loadScenarioFile(path.join(GOOD, "ami.yaml"))).model;
    variant = (await loadScenarioFile(path.join(GOOD, "ami-variant.yaml"))).model;
  });

  it("overrides scalars and inherits the rest, but not the baseline's description", () => {
    expect(variant.name).toBe("AMI pathway — pre-hospital ECG");
    expect(base.description).not.toBe("");
    expect(variant.description).toBe("");
    expect(variant.seed).toBe(base.seed);
    expect(variant.arrivals).toEqual(base.arrivals);
    expect(variant.metrics).toEqual(base.metrics);
  });

  it("merges microsystems by id, keeping the order of the base and appending new ones", () => {
    expect(variant.microsystems.map((m) => m.id)).toEqual([...base.microsystems.map((m) => m.id), "home"]);
    const cathlab = variant.microsystems.find((m) => m.id === "cathlab");
    expect(cathlab?.capacity).toBe(2);
    expect(cathlab?.hours).toEqual(base.microsystems.find((m) => m.id === "cathlab")?.hours);
    expect(variant.microsystems.find((m) => m.id === "cardiology")?.next).toEqual([
      { to: "home", p: null, classes: null },
    ]);
  });

  it("deep-merges a failure mode with the one of the same id", () => {
    const [before] = base.microsystems[0]?.failures ?? [];
    const [after] = variant.microsystems[0]?.failures ?? [];
    expect(after).toEqual({ ...before, p: 0.1 });
  });

  it("merges classes by id", () => {
    expect(variant.classes).toEqual([
      { id: "stemi_ems", share: 0.2, start: "paramedics" },
      { id: "stemi_self", share: 0.15, start: "ed" },
      { id: "nstemi", share: 0.65, start: "paramedics" },
    ]);
  });

  it("merges handoffs by their (from, to) pair", () => {
    const referral = variant.handoffs.find((h) => h.from === "telemetry" && h.to === "rehab");
    const baseReferral = base.handoffs.find((h) => h.from === "telemetry" && h.to === "rehab");
    expect(referral).toEqual({ ...baseReferral, time: { kind: "fixed", value: 60 } });
    expect(variant.handoffs.find((h) => h.to === "home")).toMatchObject({
      time: { kind: "fixed", value: 15 },
      declared: true,
    });
  });
});

describe("merge rules", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "handoff-sim-extends-"));
    await mkdir(path.join(dir, "variants"));
  });

  const write = async (name: string, text: string) => {
    const file = path.join(dir, name);
    await writeFile(file, text);
    return file;
  };

  it("replaces a distribution whole instead of mixing two shapes", async () => {
    await write("base.yaml", "name: b\nmicrosystems:\n  - { id: ed, time: { mean: 30 min, sd: 10 min } }\n");
    const file = await write(
      "replace.yaml",
      "extends: base.yaml\nname: v\nmicrosystems:\n  - { id: ed, time: { mean: 20 min } }\n",
    );
    const { model: spec } = await loadScenarioFile(file);
    expect(spec.microsystems[0]?.time).toEqual({ kind: "exponential", mean: 20 });
  });

  it("removes an inherited key set to null", async () => {
    await write(
      "capacity.yaml",
      "name: b\narrivals: { per_day: 2 }\nmicrosystems:\n  - { id: ed, time: 1, capacity: 2 }\n",
    );
    const file = await write(
      "unlimited.yaml",
      "extends: capacity.yaml\nname: v\nmicrosystems:\n  - { id: ed, capacity: null }\n",
    );
    expect((await loadScenarioFile(file)).model.microsystems[0]?.capacity).toBeNull();
  });

  it("replaces lists that are not merged by id, such as routes", async () => {
    await write(
      "routes.yaml",
      "name: b\nmicrosystems:\n  - { id: ed, time: 1, next: [{ to: a, p: 0.5 }, { to: b, p: 0.5 }] }\n  - { id: a, time: 1, next: [] }\n  - { id: b, time: 1, next: [] }\n",
    );
    const file = await write(
      "one-route.yaml",
      "extends: routes.yaml\nname: v\nmicrosystems:\n  - { id: ed, next: [{ to: b }] }\n",
    );
    expect((await loadScenarioFile(file)).model.microsystems[0]?.next).toEqual([
      { to: "b", p: null, classes: null },
    ]);
  });

  it("follows a chain of files, each relative to the one extending it", async () => {
    await write("variants/middle.yaml", "extends: ../base.yaml\nname: middle\nseed: 5\n");
    const file = await write("variants/top.yaml", "extends: middle.yaml\nname: top\npatients: 50\n");
    const { model: spec } = await loadScenarioFile(file);
    expect([spec.name, spec.seed, spec.patients, spec.microsystems[0]?.id]).toEqual(["top", 5, 50, "ed"]);
  });

  it("reports a repeated id of the variant as a duplicate", async () => {
    const file = await write(
      "twice.yaml",
      "extends: base.yaml\nname: v\nmicrosystems:\n  - { id: ed, time: 2 }\n  - { id: ed, time: 3 }\n",
    );
    expect(await errorLines(file)).toEqual([
      `${file}:5:11 microsystems[1].id: duplicate id "ed" (first at line 4)`,
    ]);
  });
});

describe("problems with extends", () => {
  it("locates an issue in inherited content in the base file", async () => {
    const variant = path.join(BAD, "inherited.yaml");
    const base = path.join(BAD, "inherited-base.yaml");
    expect(await errorLines(variant)).toEqual([
      `${variant}:7:18 microsystems[1].next[0].to: unknown microsystem "wrd" (did you mean "ward"?)`,
      `${base}:7:21 microsystems[0].failures[0].p: found 1.4, expected a probability in [0, 1] or a percent string`,
    ]);
  });

  it("rejects a loop at the extends line that closes it", async () => {
    const a = path.join(BAD, "loop-a.yaml");
    const b = path.join(BAD, "loop-b.yaml");
    expect(await errorLines(a)).toEqual([`${b}:2:10 extends: extends loop: ${a} -> ${b} -> ${a}`]);
  });

  it("rejects a file extending itself", async () => {
    const file = path.join(BAD, "self-loop.yaml");
    expect(await errorLines(file)).toEqual([`${file}:2:10 extends: extends loop: ${file} -> ${file}`]);
  });

  it("rejects a missing base file at the extends line", async () => {
    const file = path.join(BAD, "missing-base.yaml");
    const missing = path.join(BAD, "no-such-file.yaml");
    expect(await errorLines(file)).toEqual([
      `${file}:2:10 extends: cannot extend ${missing}: file not found`,
    ]);
  });
});

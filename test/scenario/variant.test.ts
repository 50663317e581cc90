import { readFileSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/node.js";
import { setValue } from "../../src/scenario/edit.js";
import { makeVariant, scenarioChanges } from "../../src/scenario/variant.js";

const AMI = readFileSync(new URL("../../scenarios/ami-baseline.yaml", import.meta.url), "utf8");

describe("makeVariant", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "handoff-variant-"));
    await writeFile(join(dir, "base.yaml"), AMI);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  /** The variant, loaded through `extends`, is the edited scenario (but for its name). */
  async function roundTrip(edited: string): Promise<string> {
    const variant = makeVariant(AMI, edited, { extendsPath: "base.yaml", name: "What if" });
    expect(variant.problems).toEqual([]);
    await writeFile(join(dir, "variant.yaml"), variant.text!);
    await writeFile(join(dir, "edited.yaml"), edited);
    const fromVariant = (await loadScenarioFile(join(dir, "variant.yaml"))).model;
    const direct = (await loadScenarioFile(join(dir, "edited.yaml"))).model;
    expect({ ...fromVariant, name: "" }).toEqual({ ...direct, name: "" });
    expect(fromVariant.name).toBe("What if");
    return variant.text!;
  }

  it("writes only the changed values, and merges back into the edited scenario", async () => {
    let edited = setValue(
      AMI,
      ["handoffs", { from: "ed", to: "telemetry" }, "failures", { id: "med_list_lost" }, "p"],
      0.154,
    );
    edited = setValue(edited, ["microsystems", { id: "telemetry" }, "capacity"], 10);
    edited = setValue(edited, ["microsystems", { id: "cathlab" }, "off_hours_delay"], {
      median: "20 min",
      p90: "40 min",
    });
    const text = await roundTrip(edited);
    expect(text).toContain("extends: base.yaml");
    expect(text).toContain("med_list_lost");
    expect(text).not.toContain("late_ecg");
    expect(text.split("\n").length).toBeLessThan(30);
    const changes = makeVariant(AMI, edited, { extendsPath: "base.yaml", name: "x" }).changes;
    expect(changes).toEqual([
      {
        path: "microsystems[cathlab].off_hours_delay",
        before: { median: "10 min", p90: "24 min" },
        after: { median: "20 min", p90: "40 min" },
      },
      { path: "microsystems[telemetry].capacity", before: 8, after: 10 },
      {
        path: "handoffs[ed->telemetry].failures[med_list_lost].p",
        before: { beta: [20, 80], id: "med_list_lost_p" },
        after: 0.154,
      },
    ]);
  });

  it("adds new failure modes and removes keys with null", async () => {
    let edited = setValue(AMI, ["microsystems", { id: "ccu" }, "failures", { id: "new_mode" }], { p: 0.01 });
    edited = edited.replace(/^ {4}capacity: 8 .*the unit's beds.*\n/m, "");
    const text = await roundTrip(edited);
    expect(text).toMatch(/capacity: null/);
    expect(text).toContain("new_mode");
  });

  it("says when a change cannot be a variant (a removed list item)", () => {
    const edited = AMI.replace(/^ {6}- id: rehab_not_enrolled[\s\S]*?severity: .*\n/m, "");
    expect(edited).not.toBe(AMI);
    const variant = makeVariant(AMI, edited, { extendsPath: "base.yaml", name: "x" });
    expect(variant.text).toBeNull();
    expect(variant.problems[0]).toMatch(
      /handoffs\[cardiology->rehab\]\.failures\[rehab_not_enrolled\] was removed/,
    );
  });

  it("lists no change for the same scenario", () => {
    expect(scenarioChanges({ a: [1, 2], b: { c: 1 } }, { a: [1, 2], b: { c: 1 } })).toEqual([]);
    expect(makeVariant(AMI, AMI, { extendsPath: "b.yaml", name: "n" }).changes).toEqual([]);
  });
});

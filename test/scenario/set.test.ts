import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile, loadScenarioText } from "../../src/node/load.js";
import { ScenarioError } from "../../src/scenario/parse.js";
import { findItem, parseAssignment, SetSyntaxError } from "../../src/scenario/set.js";
import { lines } from "./helpers.js";

const SCENARIO = lines(
  "name: set test",
  "patients: 1000",
  "microsystems:",
  "  - id: ed",
  "    time: 30 min",
  "    failures:",
  "      - { id: late, p: 0.3, delay: 10 min }",
  "    next:",
  "      - { to: ccu, p: 0.4 }",
  "      - { to: ward, p: 0.6 }",
  "  - id: ccu",
  "    time: 1 d",
  "    next: [{ to: ward }]",
  "  - id: ward",
  "    time: 2 d",
  "    next: []",
  "handoffs:",
  "  - from: ccu",
  "    to: ward",
  "    failures:",
  "      - { id: med_list_lost, p: 0.2 }",
);

const load = (...sets: string[]) => loadScenarioText(SCENARIO, "s.yaml", { set: sets.map(parseAssignment) });

async function rejected(...sets: string[]): Promise<string[]> {
  try {
    await load(...sets);
  } catch (error) {
    if (error instanceof ScenarioError) return error.format().split("\n");
    throw error;
  }
  throw new Error("the --set was accepted but should have been rejected");
}

describe("--set path=value", () => {
  it("changes a handoff's failure probability, selected by from->to and by id", async () => {
    const { model: spec } = await load("handoffs[ccu->ward].failures[med_list_lost].p=0.1");
    const h = spec.handoffs.find((x) => x.from === "ccu" && x.to === "ward")!;
    expect(h.failures[0]!.p).toBe(0.1);
    // Everything else is as written.
    expect(spec.microsystems[0]!.failures[0]!.p).toBe(0.3);
  });

  it("validates values exactly like file content: units, percents, whole mappings", async () => {
    const { model: spec } = await load(
      "microsystems[ed].failures[late].p=5%",
      "microsystems[ccu].time={median: 20 h, p90: 2 d}",
      "microsystems[ed].capacity=3",
      "patients=5000",
      "handoffs[0].time=45 min",
    );
    expect(spec.microsystems[0]!.failures[0]!.p).toBe(0.05);
    expect(spec.microsystems[1]!.time).toMatchObject({ kind: "lognormal" });
    expect(spec.microsystems[0]!.capacity).toBe(3);
    expect(spec.patients).toBe(5000);
    expect(spec.handoffs.find((h) => h.from === "ccu")!.time).toEqual({ kind: "fixed", value: 45 });
  });

  it("selects a route by its destination, and later assignments see earlier ones", async () => {
    const { model: spec } = await load(
      "microsystems[ed].next[ccu].p=0.5",
      "microsystems[ed].next[ward].p=0.5",
    );
    expect(spec.microsystems[0]!.next.map((r) => r.p)).toEqual([0.5, 0.5]);
  });

  it("null removes a key, so its default applies again", async () => {
    const { model: spec } = await load("microsystems[ed].capacity=2", "microsystems[ed].capacity=null");
    expect(spec.microsystems[0]!.capacity).toBeNull();
  });

  it("rejects a bad value with the path and the --set it came from", async () => {
    const issues = await rejected("handoffs[ccu->ward].failures[med_list_lost].p=1.5");
    expect(issues).toHaveLength(1);
    expect(issues[0]).toContain('--set "handoffs[ccu->ward].failures[med_list_lost].p=1.5"');
    expect(issues[0]).toContain("handoffs[0].failures[0].p: found 1.5, expected a probability");
  });

  it("rejects a value that breaks a rule across fields (route shares must sum to 1)", async () => {
    const issues = await rejected("microsystems[ed].next[ccu].p=0.5");
    expect(issues.join("\n")).toMatch(/sum to 1\.1/);
  });

  it("rejects an unknown id, with a suggestion for a misspelling, else naming the ids there are", async () => {
    expect(await rejected("microsystems[wrad].time=1 d")).toEqual([
      '--set "microsystems[wrad].time=1 d":1:1 microsystems[wrad].time: no item [wrad] in microsystems (did you mean [ward]?)',
    ]);
    expect(await rejected("handoffs[ccu->ward].failures[med_lst_lost].p=0.1")).toEqual([
      '--set "handoffs[ccu->ward].failures[med_lst_lost].p=0.1":1:1 handoffs[ccu->ward].failures[med_lst_lost].p: no item [med_lst_lost] in handoffs[ccu->ward].failures (did you mean [med_list_lost]?)',
    ]);
    const issues = await rejected("microsystems[xyz].time=1 d");
    expect(issues[0]).toContain("no item [xyz] in microsystems (there are: ed, ccu, ward)");
  });

  it("suggests a key for a misspelt one, as a file with the same typo gets", async () => {
    expect(await rejected("microsystems[ed].tme=5 min")).toEqual([
      '--set "microsystems[ed].tme=5 min":1:1 microsystems[0].tme: unknown key "tme" (did you mean "time"?)',
    ]);
    expect(await rejected("microsytems[ed].time=5 min")).toEqual([
      '--set "microsytems[ed].time=5 min":1:1 microsytems[ed].time: microsytems is not in the scenario (did you mean "microsystems"?)',
    ]);
  });

  it("addresses a handoff the file does not list: it starts from handoff_defaults", async () => {
    const withDefaults = `${SCENARIO}handoff_defaults:\n  time: 15 min\n  failures:\n    - { id: lost, p: 0.1 }\n`;
    const set = (...sets: string[]) =>
      loadScenarioText(withDefaults, "s.yaml", { set: sets.map(parseAssignment) });
    const { model } = await set("handoffs[ed->ccu].failures[lost].p=0.3");
    const handoff = (from: string, to: string) => model.handoffs.find((h) => h.from === from && h.to === to)!;
    expect(handoff("ed", "ccu")).toMatchObject({ declared: true, time: { kind: "fixed", value: 15 } });
    expect(handoff("ed", "ccu").failures.map((f) => [f.id, f.p])).toEqual([["lost", 0.3]]);
    // The defaults themselves, and the other handoffs that take them, are unchanged.
    expect(handoff("ed", "ward").failures.map((f) => [f.id, f.p])).toEqual([["lost", 0.1]]);
    const { model: timed } = await set("handoffs[ed -> ward].time=20 min");
    expect(timed.handoffs.find((h) => h.from === "ed" && h.to === "ward")!.time).toEqual({
      kind: "fixed",
      value: 20,
    });
    // Without any listed handoff or defaults at all: the list is started.
    const bare = lines("name: t", "microsystems:", "  - { id: a, time: 1 }", "  - { id: b, time: 1 }");
    const { model: started } = await loadScenarioText(bare, "s.yaml", {
      set: [parseAssignment("handoffs[a->b].time=3 min")],
    });
    expect(started.handoffs).toEqual([
      { from: "a", to: "b", time: { kind: "fixed", value: 3 }, failures: [], declared: true, hours: null },
    ]);
  });

  it("reports a selected handoff that is not an edge of the journey, as a file's would be", async () => {
    const issues = await rejected("handoffs[ccu->ed].time=5 min");
    expect(issues).toEqual([
      '--set "handoffs[ccu->ed].time=5 min":1:1 handoffs[1]: no route or goto from "ccu" to "ed": a handoff must be an edge of the journey',
    ]);
  });

  it("rejects an unknown key, naming the path", async () => {
    const issues = await rejected("microsystems[ed].capacityy=2");
    expect(issues[0]).toContain("microsystems[0].capacityy: unknown key");
  });

  it("rejects a path through a value, and every bad --set at once", async () => {
    const issues = await rejected("patients.count=5", "classes[x].share=1", "extends=other.yaml");
    expect(issues).toHaveLength(3);
    expect(issues[0]).toContain("patients is the value 1000, not a mapping");
    expect(issues[1]).toContain("classes[x].share: classes is not in the scenario");
    expect(issues[2]).toContain("extends cannot be set");
  });

  it("applies after `extends`, to inherited items", async () => {
    const dir = await mkdtemp(join(tmpdir(), "handoff-sim-set-"));
    await writeFile(join(dir, "base.yaml"), SCENARIO);
    await writeFile(join(dir, "variant.yaml"), "extends: base.yaml\nname: variant\n");
    const { model: spec } = await loadScenarioFile(join(dir, "variant.yaml"), {
      set: [parseAssignment("handoffs[ccu->ward].failures[med_list_lost].p=0.05")],
    });
    expect(spec.name).toBe("variant");
    expect(spec.handoffs.find((h) => h.from === "ccu")!.failures[0]!.p).toBe(0.05);
  });
});

describe("parsing an assignment", () => {
  it("splits at the first = and reads keys, [ids], [from->to] and [index]", () => {
    const a = parseAssignment("handoffs[ccu->ward].failures[0].name=a=b");
    expect(a.value).toBe("a=b");
    expect(a.path).toEqual([
      { kind: "key", key: "handoffs" },
      { kind: "item", selector: "ccu->ward" },
      { kind: "key", key: "failures" },
      { kind: "item", selector: "0" },
      { kind: "key", key: "name" },
    ]);
  });

  it.each([
    ["patients", /PATH=VALUE/],
    ["patients=", /no value/],
    ["=3", /no path/],
    ["[ed].p=3", /start with a key/],
    ["microsystems[ed]time=3", /expected "\." or "\["/],
    ["microsystems[].p=3", /expected \[id\]/],
    ["microsystems[ed.p=3", /expected \[id\]/],
  ])("rejects %s", (text, message) => {
    expect(() => parseAssignment(text)).toThrow(SetSyntaxError);
    expect(() => parseAssignment(text)).toThrow(message);
  });

  it("finds items by id first, then by position", () => {
    const list = [{ id: "a" }, { id: "1" }, { from: "x", to: "y" }, { to: "z" }];
    expect(findItem(list, "1")).toBe(1);
    expect(findItem(list, "0")).toBe(0);
    expect(findItem(list, "x->y")).toBe(2);
    expect(findItem(list, "x -> y")).toBe(2);
    expect(findItem(list, "z")).toBe(3);
    expect(findItem(list, "9")).toBe(-1);
  });
});

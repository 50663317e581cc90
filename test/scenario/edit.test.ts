import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { formatEditPath, scalarText, setValue, valueAt } from "../../src/scenario/edit.js";

const AMI = readFileSync(new URL("../../scenarios/ami-baseline.yaml", import.meta.url), "utf8");

/** The lines that differ between two texts of the same length in lines. */
function changedLines(a: string, b: string): string[] {
  const x = a.split("\n");
  const y = b.split("\n");
  expect(y.length).toBe(x.length);
  return y.filter((line, i) => line !== x[i]);
}

describe("setValue", () => {
  it("changes one probability in place, keeping every other byte (comments, alignment)", () => {
    const path = ["microsystems", { id: "ed" }, "failures", { id: "late_ecg" }, "p"] as const;
    const out = setValue(AMI, path, 0.25);
    expect(valueAt(out, path)).toBe(0.25);
    const changed = changedLines(AMI, out);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toBe(
      "        p: 0.25                               # ECG within 10 min for only 40.9% of STEMI (Diercks 2006)",
    );
  });

  it("changes a value inside a flow mapping and a handoff found by its pair", () => {
    const text =
      "name: t\nhandoffs:\n  - from: a\n    to: b\n    failures:\n      - { id: lost, p: 0.2 }   # source\n";
    const out = setValue(
      text,
      ["handoffs", { from: "a", to: "b" }, "failures", { id: "lost", p: "x" } as never, "p"],
      "15%",
    );
    expect(out).toBe(text.replace("p: 0.2", "p: 15%"));
    expect(valueAt(out, ["handoffs", { from: "a", to: "b" }, "failures", { id: "lost" }, "p"])).toBe("15%");
  });

  it("adds keys and list items that are not written yet, keeping comments and key order", () => {
    const text = "# top comment\nname: t # the name\nmicrosystems:\n  - id: a # first\n    time: 5 min\n";
    const out = setValue(text, ["microsystems", { id: "a" }, "failures", { id: "slip" }, "p"], 0.1);
    expect(out).toContain("# top comment");
    expect(out).toContain("# the name");
    expect(out).toContain("# first");
    expect(parse(out)).toEqual({
      name: "t",
      microsystems: [{ id: "a", time: "5 min", failures: [{ id: "slip", p: 0.1 }] }],
    });
    const created = setValue(text, ["handoffs", { from: "a", to: "b" }, "failures"], [{ id: "x", p: 0.2 }]);
    expect(parse(created).handoffs).toEqual([{ from: "a", to: "b", failures: [{ id: "x", p: 0.2 }] }]);
    expect(Object.keys(parse(created))).toEqual(["name", "microsystems", "handoffs"]);
  });

  it("replaces a whole distribution", () => {
    const text = "name: t\nmicrosystems:\n  - id: a\n    time: { median: 5 min, p90: 9 min } # why\n";
    const out = setValue(text, ["microsystems", { id: "a" }, "time"], { mean: "7 min" });
    expect(valueAt(out, ["microsystems", { id: "a" }, "time"])).toEqual({ mean: "7 min" });
    expect(out).toContain("# why");
  });

  it("writes strings that YAML would read otherwise quoted", () => {
    expect(scalarText("25%")).toBe("25%");
    expect(scalarText("30 min")).toBe("30 min");
    expect(scalarText("07:00")).toBe('"07:00"');
    expect(scalarText("true")).toBe('"true"');
    expect(scalarText("12")).toBe('"12"');
    expect(scalarText("a # b")).toBe('"a # b"');
    expect(scalarText("x: y")).toBe('"x: y"');
    for (const s of ["25%", "07:00", "true", "a # b", "x: y", "- a", "{a}", "'q'"])
      expect(parse(`v: ${scalarText(s)}`).v).toBe(s);
  });

  it("refuses text that is not a scenario mapping", () => {
    expect(() => setValue("- a\n- b\n", ["name"], "x")).toThrow(/not a YAML mapping/);
    expect(() => setValue("name: [", ["name"], "x")).toThrow(/YAML error/);
  });

  it("formats paths the way --set reads them", () => {
    expect(formatEditPath(["handoffs", { from: "ccu", to: "telemetry" }, "failures", { id: "m" }, "p"])).toBe(
      "handoffs[ccu->telemetry].failures[m].p",
    );
  });
});

describe("valueAt", () => {
  it("reads a written value, and nothing from text that is not YAML yet", () => {
    expect(valueAt("a:\n  - { id: x, p: 1 }\n", ["a", { id: "x" }, "p"])).toBe(1);
    expect(valueAt("a: 1\nmax", ["a"])).toBeUndefined();
    expect(valueAt("a: [", ["a"])).toBeUndefined();
  });
});

import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { applyFormEdit, typedValue } from "../../studio/src/form-edit.js";
import { normalizePath } from "../../studio/src/scenario-state.js";

const AMI = readFileSync(new URL("../../scenarios/ami-baseline.yaml", import.meta.url), "utf8");
const IPASS = readFileSync(new URL("../../scenarios/ami-ipass.yaml", import.meta.url), "utf8");

describe("form edits", () => {
  it("reads what a person types", () => {
    expect(typedValue("0.25", "p")).toBe(0.25);
    expect(typedValue("25%", "p")).toBe("25%");
    expect(typedValue("", "capacity")).toBeNull();
    expect(() => typedValue("", "p")).toThrow();
    expect(typedValue("{ median: 3 d, p90: 9 d }", "time")).toEqual({ median: "3 d", p90: "9 d" });
    expect(typedValue("45 min", "time")).toBe("45 min");
  });

  it("changes a microsystem's failure mode and capacity where the file writes them", () => {
    const p = applyFormEdit([AMI], {
      element: "ed",
      kind: "microsystem",
      mode: "late_ecg",
      field: "p",
      text: "0.1",
    });
    expect(p).toContain("        p: 0.1                               # ECG within 10 min");
    const cap = applyFormEdit([AMI], {
      element: "ed",
      kind: "microsystem",
      mode: null,
      field: "capacity",
      text: "2",
    });
    expect(cap).toContain("    capacity: 2                              # assumption: ED places");
  });

  it("changes a handoff's failure mode in a variant file, by merging over its base", () => {
    const out = applyFormEdit([IPASS, AMI], {
      element: "ccu->telemetry",
      kind: "handoff",
      mode: "med_list_lost",
      field: "detect",
      text: "0.6",
    });
    const failures = parse(out).handoffs.find((h: { from: string }) => h.from === "ccu").failures;
    expect(failures).toEqual([
      {
        id: "med_list_lost",
        relative_risk: { median: 0.77, ci95: [0.68, 0.86], id: "ipass_error_rr" },
        detect: 0.6,
      },
    ]);
    expect(out).toContain("# Starmer 2014: errors −23%");
  });

  it("gives a handoff that takes handoff_defaults its own copy of the whole list", () => {
    const text = `name: t
microsystems:
  - { id: a, time: 1 min }
  - { id: b, time: 1 min, next: [] }
handoff_defaults:
  failures:
    - { id: x, p: 0.1 }
    - { id: y, p: 0.2 }
`;
    const out = applyFormEdit([text], {
      element: "a->b",
      kind: "handoff",
      mode: "y",
      field: "p",
      text: "0.3",
    });
    expect(parse(out).handoffs).toEqual([
      {
        from: "a",
        to: "b",
        failures: [
          { id: "x", p: 0.1 },
          { id: "y", p: 0.3 },
        ],
      },
    ]);
    expect(parse(out).handoff_defaults.failures[1].p).toBe(0.2);
  });

  it("normalises the names extends resolves to", () => {
    expect(normalizePath("a/../b.yaml")).toBe("b.yaml");
    expect(normalizePath("./x/y.yaml")).toBe("x/y.yaml");
    expect(normalizePath("../up.yaml")).toBe("../up.yaml");
  });
});

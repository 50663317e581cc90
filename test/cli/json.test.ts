// `--json` on the commands that print a document a script may want: validate (findings and
// warnings per file), explain (every number of the math), story (typed events; see
// test/report/story.test.ts). One JSON document on stdout, nothing else there; documented in --help.
import { describe, expect, it } from "vitest";
import { cli } from "./capture.js";

describe("validate --json", () => {
  it("prints, per file, whether it is valid, its findings and its warnings; exit 2 if any is invalid", async () => {
    const r = await cli(
      "validate",
      "scenarios/teaching/seven-steps.yaml",
      "test/fixtures/scenarios/with-warnings.yaml",
      "test/fixtures/bad/key-typo-time.yaml",
      "--json",
    );
    expect(r.status).toBe(2);
    expect(r.err).toBe("");
    const doc = JSON.parse(r.out) as {
      valid: boolean;
      files: { file: string; valid: boolean; findings: Record<string, unknown>[]; warnings: unknown[] }[];
    };
    expect(doc.valid).toBe(false);
    expect(doc.files.map((f) => [f.file, f.valid])).toEqual([
      ["scenarios/teaching/seven-steps.yaml", true],
      ["test/fixtures/scenarios/with-warnings.yaml", true],
      ["test/fixtures/bad/key-typo-time.yaml", false],
    ]);
    expect(doc.files[0]!.warnings).toEqual([]);
    expect(doc.files[1]!.warnings.length).toBeGreaterThan(0);
    const finding = doc.files[2]!.findings[0]!;
    expect(finding).toMatchObject({ file: "test/fixtures/bad/key-typo-time.yaml", path: expect.any(String) });
    expect(finding.line).toEqual(expect.any(Number));
    expect(String(finding.message)).toContain('did you mean "time"?');
    const text = await cli("validate", "test/fixtures/bad/key-typo-time.yaml");
    expect(text.err).toContain(String(finding.message));
  });

  it("exits 0 when every file is valid", async () => {
    const r = await cli("validate", "scenarios/ami-baseline.yaml", "scenarios/ami-ipass.yaml", "--json");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.out).valid).toBe(true);
  });
});

describe("explain --json", () => {
  it("prints the explanation as one JSON document", async () => {
    const r = await cli(
      "explain",
      "scenarios/teaching/seven-steps.yaml",
      "--patients",
      "2000",
      "--workers",
      "1",
      "--json",
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    expect(doc).toHaveProperty("scenario");
    expect(JSON.stringify(doc)).toContain("0.69833");
  });

  it.each(["validate", "explain", "story"])("%s --help documents --json", async (command) => {
    const r = await cli(command, "--help");
    expect(r.out).toMatch(/--json\s+print/);
  });
});

import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli } from "./capture.js";

const BASELINE = `name: Clinic pathway
description: The clinic as it runs today.
seed: 7
patients: 4000
microsystems:
  - id: ed
    time: { median: 30 min, p90: 60 min }
    failures:
      - { id: late, p: 0.3, delay: 20 min }
  - id: lab
    time: 45 min
    failures:
      - { id: complication, p: 0.05, harm: 1.5 }
  - id: ward
    time: 2 d
    next: []
handoffs:
  - from: lab
    to: ward
    failures:
      - { id: med_list_lost, name: Medication list lost, p: 0.2, harm: 1.1 }
outcomes:
  mortality:
    base: 0.05
    delay: { from: journey.start, to: lab.start, reference: 60 min, rr_per_30min: 1.1 }
metrics:
  - { id: door_to_lab, from: ed.arrive, to: lab.start, target: 90 min }
`;

const VARIANT = `extends: baseline.yaml
name: Clinic pathway — structured handoff
handoffs:
  - from: lab
    to: ward
    failures:
      - { id: med_list_lost, p: 0.154 }
`;

let dir = "";
let baseline = "";
let variant = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "handoff-sim-compare-"));
  baseline = join(dir, "baseline.yaml");
  variant = join(dir, "variant.yaml");
  await writeFile(baseline, BASELINE);
  await writeFile(variant, VARIANT);
});

const estimate = { estimate: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] };

describe("handoff-sim compare", () => {
  it("--json prints the documented document and writes compare.json and compare.csv", async () => {
    const out = join(dir, "out-json");
    const r = await cli(
      "compare",
      baseline,
      variant,
      "--json",
      "--no-charts",
      "--workers",
      "1",
      "--out",
      out,
    );
    expect(r.status, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(Object.keys(doc)).toEqual(["baseline", "variants"]);
    expect(doc.baseline).toMatchObject({ scenario: "Clinic pathway", patients: 4000, seed: 7 });
    expect(doc.baseline.reliability).toHaveProperty("ci95");
    expect(doc.variants).toHaveLength(1);
    const v = doc.variants[0];
    expect(v).toMatchObject({ scenario: "Clinic pathway — structured handoff" });
    expect(v.summary).toMatchObject({ patients: 4000, seed: 7 });
    expect(v.differences).toMatchObject({
      reliability: estimate,
      mortality_per_1000: estimate,
      metrics: { door_to_lab: { median: estimate, within_target: estimate } },
      completed: estimate,
      dropped: estimate,
      near_misses: estimate,
      defects_avoided_per_1000: estimate,
      deaths_avoided_per_1000: estimate,
      waits: { ed: estimate, lab: estimate, ward: estimate },
    });
    // Fewer lost medication lists: defects avoided, and the interval says so.
    expect(v.differences.defects_avoided_per_1000.ci95[0]).toBeGreaterThan(0);
    expect((await readdir(out)).sort()).toEqual([".handoff-sim-set.json", "compare.csv", "compare.json"]);
    expect(JSON.parse(await readFile(join(out, "compare.json"), "utf8"))).toEqual(doc);
    const csv = await readFile(join(out, "compare.csv"), "utf8");
    expect(csv.split("\r\n")[0]).toBe("variant,figure,baseline,variant_value,difference,ci_low,ci_high");
    expect(csv).toContain("Clinic pathway — structured handoff,defects_avoided_per_1000,,,");
  });

  it("prints a readable comparison: the avoided defects and deaths, then a table", async () => {
    const r = await cli("compare", baseline, variant, "--workers", "1", "--out", join(dir, "out-text"));
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain("Baseline  Clinic pathway");
    expect(r.out).toContain("Variant   Clinic pathway — structured handoff");
    expect(r.out).toMatch(
      /Per 1000 patients: [\d.]+ fewer defects \(95% CI [\d.]+ to [\d.]+\) · [\d.]+ more defect-free journeys \(95% CI [\d.]+ to [\d.]+\) · [\d.]+ fewer deaths/,
    );
    expect(r.out).toContain("one patient can have several");
    expect(r.out).toContain("What changed (baseline → variant):");
    expect(r.out).toMatch(
      /Whole-journey reliability\s+\d+\.\d%\s+\d+\.\d%\s+\+[\d.]+ pts\s+\+[\d.]+ to \+[\d.]+ pts\s+exact \+[\d.]+ pts/,
    );
    expect(r.out).toContain("shares change in percentage points (pts)");
    expect(r.out).toContain(
      "Paired patient by patient (common random numbers); 95% t intervals over 40 batches",
    );
  });

  it("--json says what each variant changed, and a variant without its own description has none", async () => {
    const r = await cli(
      "compare",
      baseline,
      variant,
      "--patients",
      "2000",
      "--workers",
      "1",
      "--json",
      "--no-charts",
      "--out",
      join(dir, "out-changes"),
    );
    expect(r.status, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.baseline.description).toBe("The clinic as it runs today.");
    expect(doc.variants[0].summary.description).toBe("");
    expect(doc.variants[0].changes).toEqual([
      { path: "handoffs[lab->ward].failures[med_list_lost].p", baseline: 0.2, variant: 0.154 },
    ]);
    const set = await cli(
      "compare",
      baseline,
      "--set",
      "handoffs[ed->lab].time=15 min",
      "--set",
      "microsystems[ed].failures[late].p=10%",
      "--patients",
      "2000",
      "--workers",
      "1",
      "--json",
      "--no-charts",
      "--out",
      join(dir, "out-changes-set"),
    );
    expect(set.status, set.err).toBe(0);
    const v = JSON.parse(set.out).variants[0];
    expect(v.summary.description).toBe("");
    expect(v.changes).toEqual([
      { path: "microsystems[ed].failures[late].p", baseline: 0.3, variant: 0.1 },
      { path: "handoffs[ed->lab].time", baseline: "0 min", variant: "15 min" },
    ]);
    const text = await cli(
      "compare",
      baseline,
      variant,
      "--patients",
      "2000",
      "--workers",
      "1",
      "--no-charts",
      "--out",
      join(dir, "out-changes-text"),
    );
    expect(text.out).toMatch(
      /What changed \(baseline → variant\):\n {2}handoffs\[lab->ward\]\.failures\[med_list_lost\]\.p {2}0\.2 {2}→ {2}0\.154\n/,
    );
  });

  it("with only --set, compares the baseline with itself changed", async () => {
    const r = await cli(
      "compare",
      baseline,
      "--set",
      "handoffs[lab->ward].failures[med_list_lost].p=0.1",
      "--patients",
      "2000",
      "--workers",
      "1",
      "--json",
      "--out",
      join(dir, "out-set"),
    );
    expect(r.status, r.err).toBe(0);
    const v = JSON.parse(r.out).variants[0];
    expect(v.scenario).toBe("Clinic pathway (--set handoffs[lab->ward].failures[med_list_lost].p=0.1)");
    expect(v.summary.patients).toBe(2000);
    expect(v.differences.reliability.estimate).toBeGreaterThan(0);
  });

  it("exits 2 without a variant, and for a --set path that does not exist, naming it", async () => {
    const none = await cli("compare", baseline, "--out", join(dir, "out-none"));
    expect(none.status).toBe(2);
    expect(none.err).toContain("compare needs a variant");
    const bad = await cli(
      "compare",
      baseline,
      "--set",
      "handoffs[ed->ward].time=5 min",
      "--out",
      join(dir, "out-bad"),
    );
    expect(bad.status).toBe(2);
    // ed -> ward takes the defaults, so --set can address it; but it is no edge of this journey.
    expect(bad.err).toContain(
      'no route or goto from "ed" to "ward": a handoff must be an edge of the journey',
    );
  });

  it("warns when a variant's run settings differ from the baseline's, and compares on the baseline's", async () => {
    const other = join(dir, "other-seed.yaml");
    await writeFile(other, `extends: baseline.yaml\nname: Other seed\nseed: 99\n`);
    const r = await cli(
      "compare",
      baseline,
      other,
      "--workers",
      "1",
      "--json",
      "--out",
      join(dir, "out-seed"),
    );
    expect(r.status, r.err).toBe(0);
    expect(r.err).toContain("warning: Other seed: sets seed 99; compared with the baseline's seed 7");
    // Same model, same seed after alignment: nothing differs.
    expect(JSON.parse(r.out).variants[0].differences.reliability).toEqual({
      estimate: 0,
      ci95: [0, 0],
      analytic: 0,
    });
  });
});

describe("handoff-sim sensitivity", () => {
  it("--json lists every failure mode with the documented keys, ranked by the gain from removal", async () => {
    const r = await cli("sensitivity", baseline, "--workers", "1", "--json", "--out", join(dir, "out-sens"));
    expect(r.status, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.items.map((i: { mode: string }) => i.mode)).toEqual(["late", "med_list_lost", "complication"]);
    const item = doc.items[1];
    expect(item).toMatchObject({ element: "lab->ward", kind: "handoff", mode: "med_list_lost" });
    for (const change of ["remove", "halve"]) {
      expect(item[change].reliability).toMatchObject({ estimate: expect.any(Number), method: "analytic" });
      expect(item[change].mortality_per_1000).toMatchObject({ ...estimate, method: "simulated" });
    }
    expect((await readdir(join(dir, "out-sens"))).sort()).toEqual([
      ".handoff-sim-set.json",
      "leverage.svg",
      "leverage.vl.json",
      "report.html",
      "sensitivity.csv",
      "sensitivity.json",
    ]);
    expect(doc.rank).toBe("reliability");
  });

  it("--rank deaths sorts by the deaths each removal avoids; CSV columns say what they hold", async () => {
    const out = join(dir, "out-sens-deaths");
    const r = await cli(
      "sensitivity",
      baseline,
      "--workers",
      "1",
      "--json",
      "--rank",
      "deaths",
      "--out",
      out,
    );
    expect(r.status, r.err).toBe(0);
    const doc = JSON.parse(r.out);
    expect(doc.rank).toBe("deaths");
    const avoided = doc.items.map(
      (i: { remove: { mortality_per_1000: { estimate: number } } }) => -i.remove.mortality_per_1000.estimate,
    );
    expect(avoided).toEqual([...avoided].sort((a, b) => b - a));
    const csv = await readFile(join(out, "sensitivity.csv"), "utf8");
    const [header, first] = csv.split("\r\n");
    expect(header).toBe(
      "rank,kind,element,where,mode,mode_name,p,change,reliability_gain,reliability_gain_ci_low,reliability_gain_ci_high,reliability_method,deaths_avoided_per_1000,deaths_avoided_ci_low,deaths_avoided_ci_high,severity",
    );
    const cells = first!.split(",");
    expect(Number(cells[12])).toBeCloseTo(avoided[0], 12);
    const page = await readFile(join(out, "report.html"), "utf8");
    expect(page).toContain("which failure mode to fix first</h1>");
    expect(page).toContain("Sorted by the deaths avoided by removal (--rank deaths).");
    expect(page).toContain('aria-label="Leverage: which failure modes to fix first"');
    // Without a mortality model there are no deaths to rank by: exit 2, saying why.
    const plain = join(dir, "plain.yaml");
    await writeFile(plain, "name: p\nmicrosystems:\n  - { id: a, time: 1, failures: [{ id: f, p: 0.1 }] }\n");
    const none = await cli("sensitivity", plain, "--rank", "deaths", "--out", join(dir, "out-sens-none"));
    expect(none.status).toBe(2);
    expect(none.err).toContain("ranking by deaths needs a mortality model");
    expect((await cli("sensitivity", plain, "--rank", "speed")).err).toContain(
      "expected reliability or deaths",
    );
  });

  it("prints the leverage list under the line that says what it is for", async () => {
    const r = await cli("sensitivity", baseline, "--workers", "1", "--out", join(dir, "out-sens-text"));
    expect(r.status, r.err).toBe(0);
    expect(r.out).toContain(
      "The list a team uses to establish ownership of the leverage processes in the space between microsystems:",
    );
    expect(r.out).toMatch(/1\.\s+ed\s+late\s+30%\s+\+[\d.]+ pts/);
    expect(r.out).toMatch(/2\.\s+lab → ward\s+Medication list lost\s+20%/);
  });
});

describe("handoff-sim run --set", () => {
  it("runs the scenario with the value changed", async () => {
    const r = await cli("run", baseline, "--set", "patients=1500", "--json", "--out", join(dir, "out-run"));
    expect(r.status, r.err).toBe(0);
    expect(JSON.parse(r.out).patients).toBe(1500);
  });

  it("documents the path syntax in --help", async () => {
    const r = await cli("run", "--help");
    expect(r.out).toContain("--set PATH=VALUE");
    expect(r.out).toContain("handoffs[ccu->telemetry].failures[med_list_lost].p=0.1");
  });
});

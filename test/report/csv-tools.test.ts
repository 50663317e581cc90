// summary.csv and elements.csv load as they are in the tools analysts use: pandas' read_csv and R's
// read.csv, no options. test/fixtures/csv-tools/check.py and check.R load the two files and print
// what a script relies on (shape, columns, which are numeric, a tidy query of each); both must print
// test/fixtures/csv-tools/expected.txt. They run where python3 with pandas (Debian's
// python3-pandas; .ci/install-python.sh) and Rscript (r-base-core) exist; the Node test below
// always runs and derives the same lines from the files with a strict CSV reader.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/analysis/summary.js";
import { elementsCsv, summaryCsv } from "../../src/report/csv.js";
import { parseCsv } from "../fixtures/csv.js";
import { sampleSummary } from "../fixtures/summary.js";

const TOOLS = "test/fixtures/csv-tools";
const EXPECTED = readFileSync(join(TOOLS, "expected.txt"), "utf8");

/** The sample run, with a blocking microsystem that shares its places with other patients. */
function summary(): RunSummary {
  const s = sampleSummary();
  const lab = s.microsystems.find((m) => m.id === "cathlab")!;
  lab.blocked = { mean: 29, p90: 120, share: 0.09 };
  lab.background_utilization = 0.12;
  return s;
}

function writeFiles(): string {
  const dir = mkdtempSync(join(tmpdir(), "handoff-sim-csv-"));
  writeFileSync(join(dir, "summary.csv"), summaryCsv(summary()));
  writeFileSync(join(dir, "elements.csv"), elementsCsv(summary()));
  return dir;
}

const PYTHON = "/usr/bin/python3";
const hasPandas =
  existsSync(PYTHON) && spawnSync(PYTHON, ["-c", "import pandas"], { encoding: "utf8" }).status === 0;
const hasR = spawnSync("Rscript", ["--version"], { encoding: "utf8" }).status === 0;

describe("the run's CSV files in the tools analysts use", () => {
  it.skipIf(!hasPandas)("pandas reads them as they are", () => {
    const out = execFileSync(PYTHON, [join(TOOLS, "check.py"), writeFiles()], { encoding: "utf8" });
    expect(out).toBe(EXPECTED);
  });

  it.skipIf(!hasR)("R's read.csv reads them as they are", () => {
    const out = execFileSync("Rscript", [join(TOOLS, "check.R"), writeFiles()], {
      encoding: "utf8",
      env: { ...process.env, LANG: process.env.LANG ?? "C.UTF-8" },
    });
    expect(out).toBe(EXPECTED);
  });

  it("have the shape the tools see: rectangular, typed columns, the same queries' answers", () => {
    const dir = writeFiles();
    const read = (name: string) => {
      const [header, ...rows] = parseCsv(readFileSync(join(dir, name), "utf8"));
      for (const row of rows) expect(row).toHaveLength(header!.length);
      const records = rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
      // A column is numeric for the tools when every non-empty cell is a number (and one is).
      const numeric = header!.filter(
        (h) =>
          records.some((r) => r[h] !== "") &&
          records.every((r) => r[h] === "" || Number.isFinite(Number(r[h]))),
      );
      return { header: header!, records, numeric };
    };
    const lines: string[] = [];
    const summary = read("summary.csv");
    const elements = read("elements.csv");
    for (const [name, t] of [
      ["summary.csv", summary],
      ["elements.csv", elements],
    ] as const) {
      lines.push(`${name}: ${t.records.length} rows, ${t.header.length} columns`);
      lines.push(`columns: ${t.header.join(",")}`, `numeric: ${t.numeric.join(",")}`);
    }
    const byClass = summary.records.filter((r) => r.figure === "reliability" && r.class !== "");
    lines.push(
      `reliability by class: ${byClass.map((r) => `${r.class}=${Number(r.estimate).toFixed(4)}`).join(", ")}`,
    );
    const median = summary.records.find(
      (r) => r.figure === "metric_median" && r.metric === "door_to_balloon",
    )!;
    lines.push(`door-to-balloon median (min): ${Number(median.estimate).toFixed(1)}`);
    const defects = new Map<string, number>();
    for (const r of elements.records)
      defects.set(r.element_id!, (defects.get(r.element_id!) ?? 0) + Number(r.defects || 0));
    const sorted = [...defects].filter(([, v]) => v > 0).sort(([a], [b]) => (a < b ? -1 : 1));
    lines.push(`defects by element: ${sorted.map(([k, v]) => `${k}=${v}`).join(", ")}`);
    const once = new Map(elements.records.map((r) => [`${r.kind}:${r.element_id}`, r]));
    const visits = new Map<string, number>();
    for (const r of once.values())
      visits.set(r.kind!, (visits.get(r.kind!) ?? 0) + Number(r.visits_or_transfers));
    lines.push(
      `visits and transfers: ${[...visits]
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join(", ")}`,
    );
    lines.push(`names: ${elements.records.at(-1)!.element}`);
    expect(`${lines.join("\n")}\n`).toBe(EXPECTED);
  });
});

// Figures from before the library redesign (issue 11), captured with the commands in
// test/fixtures/v1/README-commands.sh on version 1. The same seed must give the same figures:
// every JSON document the command line prints is compared whole (wall-clock times aside).
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { gunzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { cli } from "../cli/capture.js";

const DIR = "test/fixtures/v1";
const SCENARIOS = [
  "scenarios/ami-baseline.yaml",
  "scenarios/ami-ipass.yaml",
  "scenarios/ami-prehospital-ecg.yaml",
  "scenarios/ami-auto-rehab-referral.yaml",
  "scenarios/ami-cathlab-24-7.yaml",
  "scenarios/teaching/all-or-none.yaml",
  "scenarios/teaching/branching.yaml",
  "scenarios/teaching/detection.yaml",
  "scenarios/teaching/readmission-loop.yaml",
  "scenarios/teaching/seven-steps.yaml",
  "scenarios/teaching/seven-steps-six-handoffs.yaml",
];

/** The document without its wall-clock times, which no two runs share. */
function figures(json: string): unknown {
  return JSON.parse(json, (key, value) => (key === "wall_ms" ? undefined : value));
}

function golden(name: string): unknown {
  return figures(readFileSync(`${DIR}/${name}`, "utf8"));
}

async function json(...args: string[]): Promise<unknown> {
  const r = await cli(...args, "--json", "--workers", "1");
  expect(r.status, r.err).toBe(0);
  return figures(r.out);
}

describe("version 1 figures, unchanged", () => {
  for (const file of SCENARIOS) {
    const name = basename(file, ".yaml");
    it(`run and explain ${name}`, async () => {
      const out = `/tmp/handoff-sim-golden/${name}`;
      const args = ["--patients", "3000"];
      expect(await json("run", file, ...args, "--no-charts", "--out", out)).toEqual(
        golden(`run-${name}.json`),
      );
      expect(await json("explain", file, ...args)).toEqual(golden(`explain-${name}.json`));
    });
  }

  it("compare the AMI baseline with its four variants", async () => {
    const variants = SCENARIOS.slice(1, 5);
    const r = await json(
      "compare",
      SCENARIOS[0]!,
      ...variants,
      "--patients",
      "3000",
      "--no-charts",
      "--out",
      "/tmp/handoff-sim-golden/cmp",
    );
    expect(r).toEqual(golden("compare-ami.json"));
  });

  it("compare two teaching scenarios", async () => {
    const r = await json(
      "compare",
      "scenarios/teaching/seven-steps.yaml",
      "scenarios/teaching/seven-steps-six-handoffs.yaml",
      "--patients",
      "5000",
      "--no-charts",
      "--out",
      "/tmp/handoff-sim-golden/cmp2",
    );
    expect(r).toEqual(golden("compare-teaching.json"));
  });

  it("sensitivity of the AMI baseline (simulated mortality) and of a branching teaching file", async () => {
    const out = "/tmp/handoff-sim-golden/sens";
    expect(await json("sensitivity", SCENARIOS[0]!, "--patients", "2000", "--out", out)).toEqual(
      golden("sensitivity-ami.json"),
    );
    expect(await json("sensitivity", "scenarios/teaching/branching.yaml", "--out", out)).toEqual(
      golden("sensitivity-branching.json"),
    );
  });

  it("a one-replication AMI run", async () => {
    const r = await json(
      "run",
      SCENARIOS[0]!,
      "--patients",
      "40",
      "--set",
      "replications=1",
      "--no-charts",
      "--out",
      "/tmp/handoff-sim-golden/tr",
    );
    expect(r).toEqual(golden("run-ami-40-rep1.json"));
  });

  // The trace keeps every event of version 1, at the same simulated time and place.
  for (const [file, patients, extra, trace] of [
    [SCENARIOS[0]!, "40", ["--set", "replications=1"], "trace-ami-40.csv.gz"],
    ["scenarios/teaching/readmission-loop.yaml", "200", [], "trace-loop-200.csv.gz"],
  ] as const) {
    it(`trace ${trace}`, async () => {
      const path = `/tmp/handoff-sim-golden/${trace.replace(".gz", "")}`;
      const r = await cli(
        "run",
        file,
        "--patients",
        patients,
        ...extra,
        "--workers",
        "1",
        "--no-charts",
        "--trace",
        path,
        "--out",
        "/tmp/handoff-sim-golden/trace",
      );
      expect(r.status, r.err).toBe(0);
      const before = gunzipSync(readFileSync(`${DIR}/${trace}`)).toString("utf8");
      expect(readFileSync(path, "utf8")).toBe(before);
    });
  }

  for (const [file, args, text] of [
    [SCENARIOS[0]!, ["--patient", "0"], "story-ami-0.txt"],
    [SCENARIOS[0]!, ["--patient", "40"], "story-ami-40.txt"],
    [SCENARIOS[0]!, ["--patient", "123"], "story-ami-123.txt"],
    [SCENARIOS[0]!, ["--find", "death"], "story-ami-death.txt"],
    ["scenarios/teaching/readmission-loop.yaml", ["--find", "defect"], "story-loop-defect.txt"],
  ] as const) {
    it(`story ${text}`, async () => {
      const r = await cli("story", file, ...args);
      expect(r.status, r.err).toBe(0);
      expect(r.out).toBe(readFileSync(`${DIR}/${text}`, "utf8"));
    });
  }
});

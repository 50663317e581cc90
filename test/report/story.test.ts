import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runModel } from "../../src/analysis/run.js";
import { JourneyCollector, type JourneyRecord, matches } from "../../src/model/replay.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { StoryError, type StoryOptions, story } from "../../src/model/story.js";
import { loadScenarioFile } from "../../src/node/load.js";
import { traceRun } from "../../src/node/trace-run.js";
import { formatDuration as duration, formatPercent as percent } from "../../src/report/format.js";
import { tellStory } from "../../src/report/story.js";
import { cli } from "../cli/capture.js";
import { readTrace } from "../fixtures/csv.js";

const PATIENTS = 2000;
const load = async (file: string): Promise<ModelSpec> => (await loadScenarioFile(file)).model;
const tmp = () => mkdtemp(join(tmpdir(), "handoff-sim-story-"));

/** The same patient's rows in a `run --trace` file, as (time, element, activity). */
async function tracedEvents(spec: ModelSpec, patient: number) {
  const path = join(await tmp(), "trace.csv");
  await traceRun(spec, path, { patients: PATIENTS });
  return (await readTrace(path))
    .filter((r) => r.case_id === `0-${patient}`)
    .map((r) => ({ time: Number(r.time_min), element: r.element, kind: r.activity }));
}

/** Every journey of replication 0, for checking what --find should have found. */
function replicationZero(spec: ModelSpec): JourneyRecord[] {
  const records: JourneyRecord[] = [];
  const collector = new JourneyCollector((r) => {
    if (r.replication === 0) records.push(r);
  });
  runModel(spec, { patients: PATIENTS, monitor: collector });
  return records.sort((a, b) => a.patient - b.patient);
}

/** The story's events in the trace's terms. */
const eventRows = (events: { time: number; element: string; kind: string }[]) =>
  events.map((e) => ({ time: e.time, element: e.element, kind: e.kind }));

const findJourney = (spec: ModelSpec, options: StoryOptions) => story(spec, options);

describe("story", () => {
  it("tells the same patient as run --trace, event for event (patients arrive and share beds)", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const found = findJourney(spec, { patients: PATIENTS, patient: 60, find: "defect" });
    const k = found.patient;
    expect(await tracedEvents(spec, k)).toEqual(eventRows(found.events));
    // The figures the story prints come from those events: the risk of the last one, the finish…
    const last = found.events.at(-1)!;
    expect(last.kind === "finish" && last.risk).toBe(found.risk);
    const text = tellStory(found);
    expect(text).toContain(`30-day mortality risk ${percent(found.risk)}`);
    expect(text).toContain(`the story of patient ${k} (replication 0, seed ${spec.seed})`);
  });

  it("tells the same patient as run --trace without arrivals (independent journeys)", async () => {
    const spec = { ...(await load("scenarios/ami-baseline.yaml")), arrivals: null, replications: 1 };
    const found = findJourney(spec, { patients: PATIENTS, patient: 7 });
    expect(found.patient).toBe(7);
    expect(await tracedEvents(spec, 7)).toEqual(eventRows(found.events));
  });

  it("is reproducible, and another seed tells another story", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const a = tellStory(findJourney(spec, { patient: 45 }));
    const b = tellStory(findJourney(spec, { patient: 45 }));
    const c = tellStory(findJourney(spec, { patient: 45, seed: 99 }));
    expect(a).toBe(b);
    expect(c).not.toBe(a);
    expect(c).toContain("seed 99)");
  });

  it("--find tells the first matching patient from K on", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const all = replicationZero(spec);
    for (const kind of ["defect", "drop", "death", "near-miss", "smooth"] as const) {
      const found = findJourney(spec, { patients: PATIENTS, patient: 50, find: kind });
      const expected = all.find((r) => r.patient >= 50 && matches(r, kind))!;
      expect(found.patient, kind).toBe(expected.patient);
      expect(tellStory(found)).toContain(
        `(--find ${kind}: patient ${expected.patient} is the first from patient 50`,
      );
    }
  });

  it("reads like a story: clock times, names of steps and failures, costs, and the risk as a product", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const found = findJourney(spec, { patient: 0, find: "defect" });
    const text = tellStory(found);
    expect(text).toMatch(
      /^(week \d+, )?(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \d\d:\d\d +\S/m,
    );
    expect(text).toContain("What went wrong");
    expect(text).not.toMatch(/✗ [a-z_]+ —/); // failure modes by their names, not their ids
    const defect = found.events.find((e) => e.kind === "defect")!;
    const mode = [...spec.microsystems, ...spec.handoffs]
      .flatMap((el) => el.failures)
      .find((f) => defect.kind === "defect" && f.id === defect.mode)!;
    expect(text).toContain(`✗ ${mode.name}`);
  });

  it("a STEMI story gives door-to-balloon and prices the delay", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const all = replicationZero(spec);
    const stemi = all.find((r) => r.class === "stemi_ems" && r.counted)!;
    const found = findJourney(spec, { patients: PATIENTS, patient: stemi.patient });
    const text = tellStory(found);
    const door = found.events.find((e) => e.element === "ed" && e.kind === "arrive")!.time;
    const device = found.events.find((e) => e.element === "cathlab" && e.kind === "service_start")!.time;
    expect(text).toContain(`Door-to-balloon: ${duration(device - door)}`);
    // Two time-to-treatment terms: first contact → door, door → device.
    expect(text).toMatch(
      /from first contact to arrival at Emergency department \(×1\.076 per 30 min beyond 0 min\)/,
    );
    expect(text).toMatch(/×1\.036 per 30 min beyond 1 h 30 min/);
    expect(text).toContain("calls an ambulance");
  });

  it("the risk at the end is printed as factors whose product is the run's risk", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const harmed = replicationZero(spec).find(
      (r) => r.class !== "nstemi" && r.events.some((e) => e.kind === "defect" && e.harm !== 1),
    )!;
    const text = tellStory(findJourney(spec, { patients: PATIENTS, patient: harmed.patient }));
    const line = text
      .split("\n")
      .find((l) => l.includes("30-day mortality risk") && l.includes("for a patient like"))!;
    const base = Number(/: ([\d.]+)% for a patient like/.exec(line)![1]) / 100;
    const factors = [...line.matchAll(/×([\d.]+) for /g)].map((m) => Number(m[1]));
    expect(factors.length).toBeGreaterThanOrEqual(2); // at least one harm and the delay factor
    const product = factors.reduce((a, b) => a * b, base);
    expect(Math.abs(product - harmed.risk)).toBeLessThan(0.0006); // printed to 0.1% and 3 decimals
  });

  it("says when a patient is a warm-up journey, left out of the statistics", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const found = findJourney(spec, { patient: 0 });
    expect(found.counted).toBe(false);
    expect(tellStory(found)).toContain("arrives during the warm-up");
  });

  it("rejects a patient beyond the run; the command line tells the story and says which patient", async () => {
    const spec = await load("scenarios/teaching/seven-steps.yaml");
    expect(() => findJourney(spec, { patients: 10, patient: 10 })).toThrow(StoryError);
    const r = await cli("story", "scenarios/ami-baseline.yaml", "--find", "drop", "--patient", "30");
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/--find drop: patient \d+ is the first from patient 30/);
    // The AMI baseline draws the 30-day outcome at discharge, before the follow-up is lost.
    expect(r.out).toContain("Risk when the 30-day outcome is drawn");
    expect((await cli("story", "scenarios/teaching/seven-steps.yaml", "--patient", "999999999")).status).toBe(
      2,
    );
    expect((await cli("story", "scenarios/ami-baseline.yaml", "--find", "miracle")).status).toBe(2);
  });

  it("defaults to the first counted patient (not a warm-up one), and says which", async () => {
    const spec = await load("scenarios/ami-baseline.yaml");
    const first = story(spec);
    expect(first.counted).toBe(true);
    expect(first.first_counted).toBe(true);
    // Every patient before it arrived during the warm-up, so is left out of the run's figures.
    for (let k = 0; k < first.patient; k++) expect(story(spec, { patient: k }).counted).toBe(false);
    expect(first.patient).toBeGreaterThan(0);
    expect(story(spec, { patient: first.patient }).events).toEqual(first.events);
    const r = await cli("story", "scenarios/ami-baseline.yaml");
    expect(r.status).toBe(0);
    expect(r.out.split("\n")[1]).toBe(
      `Patient ${first.patient} is the first patient the run's figures count: patients 0 to ${first.patient - 1} arrive during the 14 d warm-up and are left out of them (--patient K tells another).`,
    );
    // Asked for, a warm-up patient is still told, and said to be left out.
    const zero = await cli("story", "scenarios/ami-baseline.yaml", "--patient", "0");
    expect(zero.out).not.toContain("first patient the run's figures count");
    expect(zero.out).toContain("left out of the run's statistics");
    // With --find and no --patient: the first counted patient that matches.
    const death = story(spec, { find: "death" });
    expect([death.counted, death.died, death.first_counted]).toEqual([true, true, true]);
  });

  it("--json prints the story as one JSON document: typed events and counted", async () => {
    const r = await cli("story", "scenarios/ami-baseline.yaml", "--json");
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.out) as Record<string, unknown>;
    const spec = await load("scenarios/ami-baseline.yaml");
    expect(doc).toEqual(JSON.parse(JSON.stringify(story(spec))));
    expect(doc.counted).toBe(true);
    const events = doc.events as { kind: string; time: number; element: string }[];
    expect(events[0]).toMatchObject({ kind: "start" });
    expect(events.at(-1)).toMatchObject({ kind: "finish" });
  });
});

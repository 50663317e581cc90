// The capacity mechanisms of the queued driver, each on a small scenario whose every event can be
// worked out by hand (fixed times, a few patients), plus the run-time errors that replace a hang:
// a deadlock of blocked microsystems, and patients who can never be served.
import { describe, expect, it } from "vitest";
import { exact } from "../../src/analysis/exact.js";
import { runModel, simulateUnit } from "../../src/analysis/run.js";
import { isStaffed } from "../../src/model/calendar.js";
import { SimulationError } from "../../src/model/errors.js";
import type { JourneyEvent, JourneyMonitor, PatientRef } from "../../src/model/events.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { cli } from "../cli/capture.js";
import { scenario } from "../queueing/replications.js";

/** Every event of every journey, with its patient's number (unique over the replications). */
function events(spec: ModelSpec, patients?: number): { index: number; e: JourneyEvent }[] {
  const out: { index: number; e: JourneyEvent }[] = [];
  const monitor: JourneyMonitor = {
    event: (p: PatientRef, e) => out.push({ index: p.replication * 1e9 + p.index, e }),
  };
  runModel(spec, { monitor, patients });
  return out;
}

describe("until_open", () => {
  const clinic = (arrivals: string, extra = "") =>
    scenario(`
name: clinic
patients: 3000
${arrivals}
microsystems:
  - id: clinic
    time: 30 min
    hours: { open: "08:00", close: "17:00", days: [mon, tue, wed, thu, fri] }
    off_hours_delay: until_open
    ${extra}
    next: []
`);
  const hours = { open: 8 * 60, close: 17 * 60, days: [0, 1, 2, 3, 4] };

  it("independent journeys: every visit starts in opening hours, the wait is the time to the opening", () => {
    const all = events(clinic(""));
    const service = all.filter(({ e }) => e.kind === "service_start");
    expect(service.length).toBe(3000);
    for (const { e } of service) expect(isStaffed(hours, e.time)).toBe(true);
    const arrive = new Map(all.filter(({ e }) => e.kind === "arrive").map(({ index, e }) => [index, e.time]));
    for (const { index, e } of service) {
      if (e.kind !== "service_start") continue;
      expect(e.time - arrive.get(index)!).toBeCloseTo(e.wait, 9);
      // Arriving when open: no wait; when closed: until the next opening (at most Fri 17:00 → Mon 08:00).
      if (isStaffed(hours, arrive.get(index)!)) expect(e.wait).toBe(0);
      else expect(e.wait).toBeGreaterThan(0);
      expect(e.wait).toBeLessThanOrEqual(63 * 60);
    }
  });

  it("with arrivals: patients wait, holding nothing, and start at the opening in queue order", () => {
    const spec = clinic("arrivals: { per_day: 30 }\nreplications: 1", "capacity: 1");
    const all = events(spec, 300);
    const service = all
      .filter(({ e }) => e.kind === "service_start")
      .map(({ index, e }) => ({ index, t: e.time }));
    for (const { t } of service) expect(isStaffed(hours, t)).toBe(true);
    // One place: the starts come in arrival order (first come first served), 30 minutes apart at least.
    const order = service.map((s) => s.index);
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (let i = 1; i < service.length; i++)
      expect(service[i]!.t - service[i - 1]!.t).toBeGreaterThanOrEqual(30 - 1e-9);
  });

  it("reneging on the wait for the opening: no exact answer when the weekend is longer than max_wait", () => {
    const spec = clinic("", "max_wait: 12 h\n    then: leave");
    const s = runModel(spec);
    expect(s.outcomes.reneged).toBeGreaterThan(0);
    expect(s.microsystems[0]!.reneged).toBe(s.outcomes.reneged);
    expect(s.reliability.analytic).toBeNull();
    const e = exact(spec);
    expect(e.reliability).toBeNull();
    expect(e.note).toMatch(/leave the queue at "clinic" after max_wait/);
    // Longer than any closed stretch (63 h): nobody can renege, and the exact answer stands.
    const never = clinic("", "max_wait: 3 d\n    then: leave");
    expect(exact(never).reliability).toBe(1);
    expect(runModel(never).outcomes.reneged).toBe(0);
  });
});

describe("shift capacity", () => {
  it("at a drop, patients in service finish and nobody starts until fewer are busy than the new capacity", () => {
    // Two places 08:00–12:00, one otherwise: replay every start and end of a run and check the rule.
    const s = scenario(`
name: shifts
patients: 4000
replications: 1
arrivals: { per_day: 30 }
microsystems:
  - id: ward
    time: { mean: 1 h }
    capacity: [ { from: "08:00", to: "12:00", n: 2 }, { from: "12:00", to: "08:00", n: 1 } ]
    next: []
`);
    const all = events(s);
    // Replay the places: at every start, fewer than the shift's capacity may be busy.
    const timeline: [number, number][] = [];
    for (const { e } of all) {
      if (e.element !== "ward") continue;
      if (e.kind === "service_start") timeline.push([e.time, +1]);
      if (e.kind === "end") timeline.push([e.time, -1]);
    }
    timeline.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    let busy = 0;
    let maxAtNight = 0;
    for (const [t, d] of timeline) {
      const minute = ((t % 1440) + 1440) % 1440;
      const capacity = minute >= 480 && minute < 720 ? 2 : 1;
      if (d > 0) expect(busy, `start at minute ${t}`).toBeLessThan(capacity);
      if (capacity === 1) maxAtNight = Math.max(maxAtNight, busy);
      busy += d;
    }
    // After 12:00 two may still be busy (finishing), never more.
    expect(maxAtNight).toBe(2);
  });

  it("utilisation is busy over the capacity integrated over time", () => {
    const s = runModel(
      scenario(`
name: shifts
patients: 20000
arrivals: { per_day: 12 }
microsystems:
  - id: ward
    time: { mean: 1 h }
    capacity: [ { from: "08:00", to: "20:00", n: 2 }, { from: "20:00", to: "08:00", n: 1 } ]
    next: []
`),
    );
    const m = s.microsystems[0]!;
    const o = m.occupancy!;
    expect(m.utilization).toBeCloseTo(o.busy_minutes / o.available_minutes, 12);
    // 12 patients of an hour a day on 36 place-hours a day: a third.
    expect(m.utilization!).toBeGreaterThan(0.31);
    expect(m.utilization!).toBeLessThan(0.36);
  });
});

describe("blocking after service", () => {
  const spec = (beds: number) =>
    scenario(`
name: blocking
patients: 3000
replications: 2
arrivals: { per_day: 20 }
microsystems:
  - { id: lab, time: 30 min, capacity: 1, blocking: true, next: [ { to: ward } ] }
  - { id: ward, time: { mean: 3 h }, capacity: ${beds}, next: [] }
handoffs:
  - { from: lab, to: ward, time: 10 min }
`);

  it("a finished patient keeps its place until the next one has room, then leaves holding it", () => {
    const all = events(spec(2), 600);
    const byPatient = new Map<number, JourneyEvent[]>();
    for (const { index, e } of all) byPatient.set(index, [...(byPatient.get(index) ?? []), e]);
    let blocked = 0;
    for (const list of byPatient.values()) {
      const end = list.find((e) => e.kind === "end" && e.element === "lab");
      const handoff = list.find((e) => e.kind === "handoff");
      const arrive = list.find((e) => e.kind === "arrive" && e.element === "ward");
      const start = list.find((e) => e.kind === "service_start" && e.element === "ward");
      if (!end || !handoff || !arrive || !start || start.kind !== "service_start") continue;
      const b = list.find((e) => e.kind === "blocked");
      if (b) {
        blocked++;
        expect(b.time).toBe(end.time);
        expect(handoff.time).toBeGreaterThan(end.time);
      } else expect(handoff.time).toBe(end.time);
      // It arrives already holding its place: no wait at the ward.
      expect(start.wait).toBe(0);
      expect(arrive.time - handoff.time).toBeCloseTo(10, 9);
    }
    expect(blocked).toBeGreaterThan(10);
  });

  it("a worker's scratch tally starts each unit with no blocked minutes (the same unit twice: the same tally)", () => {
    const model = spec(2);
    const unit = { index: 0, from: 0, to: 1500 };
    const first = JSON.stringify(simulateUnit(model, unit));
    // The second run reuses the first one's scratch tally (analysis/run.ts).
    expect(JSON.stringify(simulateUnit(model, unit))).toBe(first);
  });

  it("the time blocked is reported, and another bed reduces it and the lab's wait; the exact answer is unchanged", () => {
    const two = runModel(spec(2));
    const three = runModel(spec(3));
    const b2 = two.microsystems[0]!.blocked!;
    const b3 = three.microsystems[0]!.blocked!;
    expect(b2.mean).toBeGreaterThan(b3.mean);
    expect(b2.share).toBeGreaterThan(b3.share);
    expect(two.microsystems[0]!.wait.mean).toBeGreaterThan(three.microsystems[0]!.wait.mean);
    expect(two.microsystems[1]!.blocked).toBeNull();
    expect(two.reliability.analytic).toBe(1);
  });

  it("a blocking cycle that deadlocks stops the run with the microsystems and the time", () => {
    const cycle = scenario(`
name: deadlock
patients: 1000
arrivals: { per_day: 50 }
microsystems:
  - { id: icu, name: Intensive care, time: { mean: 2 h }, capacity: 1, blocking: true, next: [ { to: ward } ] }
  - id: ward
    name: Ward
    time: { mean: 2 h }
    capacity: 1
    blocking: true
    next: [ { to: icu, p: 0.5 }, { to: home, p: 0.5 } ]
  - { id: home, time: 0, next: [] }
`);
    expect(() => runModel(cycle)).toThrow(SimulationError);
    expect(() => runModel(cycle)).toThrow(
      /deadlock in replication 1 at week \d+, \w+day \d\d:\d\d \(minute \d+\): Intensive care and Ward are full/,
    );
  });

  it("the command line reports a deadlock in one line, exit status 1", async () => {
    const r = await cli(
      "run",
      "test/fixtures/scenarios/deadlock.yaml",
      "--no-charts",
      "--out",
      "/tmp/handoff-sim-deadlock",
      "--workers",
      "1",
    );
    expect(r.status).toBe(1);
    expect(r.err).toMatch(
      /^handoff-sim: deadlock in replication 1 at week .*Intensive care and Ward are full/,
    );
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});

describe("reneging", () => {
  const spec = (then: string, defect = "") =>
    scenario(`
name: reneging
patients: 4000
arrivals: { per_day: 60 }
microsystems:
  - id: desk
    time: { mean: 30 min }
    capacity: 1
    max_wait: 1 h
    ${then}
    ${defect}
    next: []
  - { id: other, time: 10 min, next: [] }
`);

  it("then: leave ends the journey (reneged, counted apart from dropped), a defect of the microsystem", () => {
    const s = runModel(spec("then: leave"));
    const desk = s.microsystems[0]!;
    expect(s.outcomes.reneged).toBeGreaterThan(200);
    expect(desk.reneged).toBe(s.outcomes.reneged);
    expect(s.outcomes.dropped).toBe(0);
    expect(desk.defects).toBe(desk.reneged);
    expect(s.outcomes.completed + s.outcomes.reneged!).toBe(s.patients);
    // Waits include the reneged ones, cut at max_wait.
    expect(desk.wait.p90).toBeLessThanOrEqual(60 + 1e-6);
  });

  it("then: goto sends them on through the handoff; defect: false keeps it out of the defects", () => {
    const s = runModel(spec("then: { goto: other }", "defect: false"));
    const [desk, other] = s.microsystems;
    expect(desk!.reneged).toBeGreaterThan(200);
    expect(other!.visits).toBe(desk!.reneged);
    expect(desk!.defects).toBe(0);
    expect(s.reliability.estimate).toBe(1);
    expect(s.handoffs.find((h) => h.to === "other")!.transfers).toBe(desk!.reneged);
    // Reneging makes who fails depend on queues: no exact figure, even when it is defect-free.
    expect(s.reliability.analytic).toBeNull();
  });
});

describe("patients who can never be served", () => {
  it("a class starved by higher-priority background demand stops the run instead of hanging", () => {
    const starved = scenario(`
name: starved
patients: 200
replications: 1
arrivals: { per_day: 2 }
microsystems:
  - id: scanner
    time: { mean: 30 min }
    capacity: 1
    background: { per_day: 60, time: { mean: 30 min }, priority: 5 }
    next: []
`);
    expect(() => runModel(starved)).toThrow(/counted patients can still not finish — waiting: scanner/);
  });
});

describe("time by class, arrivals by day, metrics over some classes", () => {
  it("service times per class; a metric over one class counts only its journeys", () => {
    const s = runModel(
      scenario(`
name: by class
patients: 20000
classes: [ { id: short, share: 0.5 }, { id: long, share: 0.5 } ]
microsystems:
  - { id: a, time: { by_class: { short: 10 min, long: 50 min } }, next: [] }
metrics:
  - { id: short, from: a.start, to: a.end, classes: [short] }
  - { id: all, from: a.start, to: a.end }
`),
    );
    expect(s.metrics.short!.mean).toBeCloseTo(10, 9);
    expect(s.metrics.short!.n).toBe(s.reliability.by_class.short!.patients);
    expect(s.metrics.short!.classes).toEqual(["short"]);
    expect(s.metrics.all!.mean).toBeGreaterThan(29);
    expect(s.metrics.all!.mean).toBeLessThan(31);
  });

  it("arrivals follow by_day × by_hour, with per_day the mean daily rate", () => {
    const counts = new Array<number>(7).fill(0);
    const all = events(
      scenario(`
name: by day
patients: 70000
replications: 1
arrivals: { per_day: 100, by_day: [2, 1, 1, 1, 1, 0, 1] }
microsystems: [ { id: a, time: 1 min, next: [] } ]
`),
    );
    let last = 0;
    for (const { e } of all) {
      if (e.kind !== "start") continue;
      counts[Math.floor((((e.time % 10080) + 10080) % 10080) / 1440)]!++;
      last = Math.max(last, e.time);
    }
    const total = counts.reduce((a, b) => a + b, 0);
    expect(counts[5]).toBe(0); // Saturday has weight 0
    expect(counts[0]! / total).toBeGreaterThan(2 / 7 - 0.01);
    expect(counts[0]! / total).toBeLessThan(2 / 7 + 0.01);
    // 70,000 arrivals at 100 a day take about 700 days.
    expect(last / 1440).toBeGreaterThan(680);
    expect(last / 1440).toBeLessThan(720);
  });
});

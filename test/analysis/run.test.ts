// The core run (src/analysis/run.ts): units run wherever an executor puts them, and their tallies
// are merged in unit order, so any executor gives the same bits; an abort stops the run.
import { describe, expect, it } from "vitest";
import { run, runModel, simulateUnit, type UnitExecutor, units } from "../../src/analysis/run.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { run as runInWorkers } from "../../src/node.js";
import { chainSpec } from "../fixtures/specs.js";
import { scenario } from "../queueing/replications.js";

const withoutTiming = (s: object) => JSON.stringify({ ...s, wall_ms: 0 });
const spec: ModelSpec = { ...chainSpec([0.9, 0.95, 0.8], 0.97), patients: 200_000 };

/** Runs the units last first, through JSON, as a pool of remote workers might hand them back. */
const backwards: UnitExecutor = async (model, list, onUnit) => {
  for (const u of [...list].reverse()) onUnit(u, JSON.parse(JSON.stringify(simulateUnit(model, u))));
};

describe("run", () => {
  it("gives the same summary whatever executes the units, in whatever order", async () => {
    expect(units(spec).length).toBe(4);
    const here = await run(spec);
    expect(withoutTiming(await run(spec, { executeUnits: backwards }))).toBe(withoutTiming(here));
    expect(withoutTiming(runModel(spec))).toBe(withoutTiming(here));
    expect(withoutTiming(await runInWorkers(spec, { workers: 2 }))).toBe(withoutTiming(here));
  });

  it("a model with blocking (sketches of minutes blocked) gives the same summary in workers and through JSON", async () => {
    const blocking = scenario(`
name: blocking
patients: 3000
replications: 6
arrivals: { per_day: 20 }
microsystems:
  - { id: lab, time: 30 min, capacity: 1, blocking: true, next: [ { to: ward } ] }
  - { id: ward, time: { mean: 3 h }, capacity: 2, next: [] }
handoffs:
  - { from: lab, to: ward, time: 10 min }
`);
    const here = await run(blocking);
    expect(here.microsystems[0]!.blocked!.share).toBeGreaterThan(0);
    // A worker reuses one scratch tally for its units: each unit's blocked minutes are its own.
    expect(withoutTiming(await run(blocking, { executeUnits: backwards }))).toBe(withoutTiming(here));
    expect(withoutTiming(await runInWorkers(blocking, { workers: 2 }))).toBe(withoutTiming(here));
  });

  it("reports progress per unit and within units, and refuses a unit that comes twice or never", async () => {
    const seen: [number, number][] = [];
    await run(spec, { onProgress: (done, total) => seen.push([done, total]) });
    // Whole units as they finish, and shares of the unit under way between them, never going back.
    expect(seen.filter(([done]) => Number.isInteger(done))).toEqual([
      [1, 4],
      [2, 4],
      [3, 4],
      [4, 4],
    ]);
    expect(seen.filter(([done]) => done > 0 && done < 1).length).toBeGreaterThan(3);
    seen.slice(1).forEach(([done], i) => {
      expect(done).toBeGreaterThanOrEqual(seen[i]![0]);
    });
    const twice: UnitExecutor = async (model, list, onUnit) => {
      for (const u of [list[0]!, ...list]) onUnit(u, simulateUnit(model, u));
    };
    await expect(run(spec, { executeUnits: twice })).rejects.toThrow(/came twice/);
    const lazy: UnitExecutor = async (model, list, onUnit) => onUnit(list[0]!, simulateUnit(model, list[0]!));
    await expect(run(spec, { executeUnits: lazy })).rejects.toThrow(/never came back/);
  });

  it("rejects with an AbortError when aborted, in this thread and in workers", async () => {
    const controller = new AbortController();
    const running = run(spec, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(running).rejects.toMatchObject({ name: "AbortError" });
    const aborted = AbortSignal.abort();
    await expect(runInWorkers(spec, { workers: 2, signal: aborted })).rejects.toMatchObject({
      name: "AbortError",
    });
  });
});

import { describe, expect, it } from "vitest";
import { Resource } from "../../src/engine/resource.js";
import { Simulation } from "../../src/engine/simulation.js";

describe("Resource", () => {
  it("with capacity 1, serves waiting entities in arrival order", () => {
    const r = new Resource(1);
    expect(r.request(10, 0)).toBe(true);
    for (let e = 11; e < 200; e++) expect(r.request(e, 1)).toBe(false);
    expect(r.waiting).toBe(189);
    const served: number[] = [];
    for (let next = r.release(2); next >= 0; next = r.release(3)) served.push(next);
    expect(served).toEqual(Array.from({ length: 189 }, (_, i) => 11 + i));
    expect(r.busy).toBe(0);
  });

  it("integrates busy units over time", () => {
    const r = new Resource(2);
    r.request(1, 0);
    r.request(2, 10);
    r.release(20);
    expect(r.busyTime(30)).toBe(10 + 2 * 10 + 10);
  });

  it("queues in order inside an event-driven run", () => {
    const sim = new Simulation();
    const r = new Resource(1);
    const started: [number, number][] = [];
    const begin = (e: number, t: number) => {
      started.push([e, t]);
      sim.schedule(t + 5, e, 1);
    };
    for (let e = 0; e < 4; e++) sim.schedule(e, e, 0);
    sim.run((e, kind, now) => {
      if (kind === 0) {
        if (r.request(e, now)) begin(e, now);
        return;
      }
      const next = r.release(now);
      if (next >= 0) begin(next, now);
    });
    expect(started).toEqual([
      [0, 0],
      [1, 5],
      [2, 10],
      [3, 15],
    ]);
    expect(sim.events).toBe(8);
  });
});

import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../../src/model/spec.js";
import { mergePartials, runShard } from "../../src/node/shards.js";
import { run as runScenario } from "../../src/node.js";
import { chainSpec } from "../fixtures/specs.js";

// Workers load dist/ (Node cannot run TypeScript in a worker): `npm test` builds it first.
const withoutTiming = (s: object) => JSON.stringify({ ...s, wall_ms: 0 });

const independent: ModelSpec = { ...chainSpec([0.9, 0.95, 0.8], 0.97), patients: 200_000 };
const queued: ModelSpec = {
  ...independent,
  patients: 20_000,
  arrivals: { perDay: 40, byHour: null, warmup: 1440 },
  replications: 6,
  microsystems: independent.microsystems.map((m) => ({
    ...m,
    capacity: 1,
    time: { kind: "exponential", mean: 20 },
  })),
  metrics: [
    {
      id: "through",
      name: "s1 to s3",
      from: { kind: "journey.start" },
      to: { kind: "microsystem", id: "s3", event: "end" },
      target: 120,
    },
  ],
  mortality: {
    base: { all: 0.05 },
    delays: [
      {
        from: { kind: "journey.start" },
        to: { kind: "microsystem", id: "s2", event: "start" },
        reference: 30,
        rrPer30Min: 1.1,
      },
    ],
  },
};

describe.each([
  ["independent journeys (blocks of patients)", independent],
  ["queued journeys (replications)", queued],
])("%s", (_, spec) => {
  it("give identical JSON with 1 and 2 workers", async () => {
    const one = await runScenario(spec, { workers: 1 });
    const two = await runScenario(spec, { workers: 2 });
    expect(withoutTiming(two)).toBe(withoutTiming(one));
  });

  it("give identical JSON from 2 shards merged and from one run", async () => {
    const one = await runScenario(spec, { workers: 1 });
    const shards = await Promise.all([runShard(spec, { k: 2, n: 2 }), runShard(spec, { k: 1, n: 2 })]);
    // Through JSON, as the partial files travel.
    const merged = mergePartials(shards.map((s) => JSON.parse(JSON.stringify(s))));
    expect(withoutTiming(merged)).toBe(withoutTiming(one));
  });
});

describe("merging partials", () => {
  it("refuses missing, repeated or foreign shards", async () => {
    const a = await runShard(independent, { k: 1, n: 2 });
    const b = await runShard(independent, { k: 2, n: 2 });
    const other = await runShard({ ...independent, seed: 9 }, { k: 2, n: 2 });
    expect(() => mergePartials([a])).toThrow(/missing shard/);
    expect(() => mergePartials([a, a])).toThrow(/twice/);
    expect(() => mergePartials([a, other])).toThrow(/different scenarios/);
    expect(() => mergePartials([b, a])).not.toThrow();
  });
});

describe("the worker pool", () => {
  it("starts units in order and never runs ahead of the first unfinished one by more than its window", async () => {
    const { inOrderWindow } = await import("../../src/node/pool.js");
    const started: number[] = [];
    const finished = new Set<number>();
    let worstLead = 0;
    await inOrderWindow(40, 4, async (i) => {
      started.push(i);
      let frontier = 0;
      while (finished.has(frontier)) frontier++;
      worstLead = Math.max(worstLead, i - frontier);
      // Later units finish first, the worst case for reordering.
      await new Promise((resolve) => setTimeout(resolve, (40 - i) % 7));
      finished.add(i);
    });
    expect(started).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(worstLead).toBeLessThan(4);
    await expect(
      inOrderWindow(5, 2, async (i) => {
        if (i === 1) throw new Error("unit 1 failed");
      }),
    ).rejects.toThrow("unit 1 failed");
  });

  it("moves progress within units, in worker threads too", async () => {
    const seen: number[] = [];
    await runScenario(queued, { workers: 2, onProgress: (done) => seen.push(done) });
    expect(seen.some((d) => !Number.isInteger(d))).toBe(true);
    expect(seen.at(-1)).toBe(6);
  });
});

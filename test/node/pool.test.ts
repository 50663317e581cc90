import { describe, expect, it } from "vitest";
import type { ModelSpec } from "../../src/model/spec.js";
import { MergeError, mergePartials, type PartialResult, runShard } from "../../src/node/shards.js";
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
    expect(() => mergePartials([a, a])).toThrow(/both shard 1\/2/);
    expect(() => mergePartials([a, other])).toThrow(/another scenario or other settings/);
    expect(() => mergePartials([b, a])).not.toThrow();
  });

  it("names the file at fault in every refusal", async () => {
    const a = await runShard(independent, { k: 1, n: 3 });
    const b = await runShard(independent, { k: 2, n: 3 });
    const c = await runShard(independent, { k: 3, n: 3 });
    const other = await runShard({ ...independent, seed: 9 }, { k: 2, n: 3 });
    const files = ["part-1.json", "part-2.json", "part-3.json"];
    const refusal = (partials: unknown[], names = files): string => {
      try {
        mergePartials(partials as PartialResult[], names);
      } catch (error) {
        expect(error).toBeInstanceOf(MergeError);
        return (error as Error).message;
      }
      throw new Error("merged");
    };
    expect(refusal([a, other, c])).toMatch(
      /^part-2\.json comes from another scenario or other settings than part-1\.json: ".*" \(\d+ patients, seed 9\), not ".*" \(\d+ patients, seed 1\)$/,
    );
    expect(refusal([a, b, b])).toBe("part-3.json and part-2.json are both shard 2/3");
    expect(refusal([a, b])).toBe("missing shard(s) 3 of 3 (given: part-1.json, part-2.json)");
    expect(refusal([a, { format: "x" }, c])).toMatch(/^part-2\.json is not a partial result of this format/);
    expect(refusal([a, [1, 2], c])).toMatch(/^part-2\.json is not a partial result/);
    expect(refusal([a, { ...b, units: null }, c])).toMatch(/^part-2\.json is damaged/);
    const cut = {
      ...c,
      units: c.units.map((u) => ({
        ...u,
        tally: { ...u.tally, arrays: { ...u.tally.arrays, visits: [1] } },
      })),
    };
    expect(refusal([a, b, cut])).toMatch(
      /^part-3\.json: units\.0\.tally\.arrays\.visits: 1 values, the model has \d+$/,
    );
    const small = await runShard(independent, { k: 1, n: 2 });
    expect(refusal([a, small, c])).toBe("part-2.json is shard 1/2, but part-1.json is one of 3");
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

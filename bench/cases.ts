// The benchmark's models: a seven-microsystem chain without arrivals (independent journeys), the
// same chain with arrivals and capacities (queues), and the default AMI scenario.
import type { Distribution } from "../src/engine/distributions.js";
import type { ModelSpec } from "../src/model/spec.js";
import { loadScenarioFile } from "../src/node/load.js";

const lognormal = (median: number, p90: number): Distribution => ({ kind: "lognormal", median, p90 });

function chain(queued: boolean): ModelSpec {
  const ids = ["s1", "s2", "s3", "s4", "s5", "s6", "s7"];
  return {
    name: queued ? "chain of seven with queues" : "chain of seven",
    description: "",
    seed: 1,
    patients: 1_000_000,
    classes: [{ id: "all", share: 1, start: "s1" }],
    arrivals: queued ? { perDay: 100, byHour: null, warmup: 7 * 1440 } : null,
    replications: queued ? 10 : 1,
    microsystems: ids.map((id, i) => ({
      id,
      name: id,
      time: queued ? { kind: "exponential", mean: 30 } : lognormal(30, 60),
      capacity: queued ? 3 : null,
      hours: null,
      offHoursDelay: null,
      failures: [
        {
          id: "f",
          name: "f",
          p: 0.05,
          classes: null,
          detect: 0.3,
          recoverTime: null,
          delay: null,
          harm: 1.1,
          drop: false,
          goto: null,
        },
      ],
      next: i + 1 < ids.length ? [{ to: ids[i + 1]!, p: null, classes: null }] : [],
    })),
    handoffs: ids.slice(1).map((to, i) => ({
      from: ids[i]!,
      to,
      time: { kind: "fixed", value: 10 },
      failures: [
        {
          id: "h",
          name: "h",
          p: 0.1,
          classes: null,
          detect: 0,
          recoverTime: null,
          delay: null,
          harm: 1,
          drop: false,
          goto: null,
        },
      ],
      declared: false,
    })),
    mortality: { base: { all: 0.05 }, delays: [] },
    metrics: [
      {
        id: "door_to_end",
        name: "s1 to s7",
        from: { kind: "microsystem", id: "s1", event: "arrive" },
        to: { kind: "microsystem", id: "s7", event: "end" },
        target: 600,
      },
    ],
    maxVisits: 100,
  };
}

export const CASES = ["chain", "chain-queued", "ami"] as const;
export type CaseName = (typeof CASES)[number];

export async function benchCase(name: CaseName): Promise<ModelSpec> {
  if (name === "chain") return chain(false);
  if (name === "chain-queued") return chain(true);
  return (await loadScenarioFile("scenarios/ami-baseline.yaml")).model;
}

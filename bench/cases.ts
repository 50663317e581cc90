// The benchmark's models, written as scenario files (bench/scenarios/) so the command line runs them
// as a user would: a seven-microsystem chain without arrivals (independent journeys), the same
// chain with arrivals and capacities (queues; also simulated by the SimPy reference,
// bench/simpy/chain_queued.py), and the default AMI scenario.
import type { ModelSpec } from "../src/model/spec.js";
import { loadScenarioFile } from "../src/node/load.js";

export const CASES = ["chain", "chain-queued", "ami"] as const;
export type CaseName = (typeof CASES)[number];

/** The scenario file of each case, relative to the repository. */
export const CASE_FILES: Record<CaseName, string> = {
  chain: "bench/scenarios/chain.yaml",
  "chain-queued": "bench/scenarios/chain-queued.yaml",
  ami: "scenarios/ami-baseline.yaml",
};

export async function benchCase(name: CaseName): Promise<ModelSpec> {
  return (await loadScenarioFile(CASE_FILES[name])).model;
}

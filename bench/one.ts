// One benchmark measurement in a fresh process: `node dist/bench/one.js <case> <workers> <patients>`.
// Prints one JSON line. Warm-up runs first, with the same number of workers, let the JIT compile
// the hot paths in every thread that will do the measured work (the worker pool is kept).
import { run as runScenario } from "../src/node.js";
import { benchCase, type CaseName } from "./cases.js";

const [name, workersArg, patientsArg] = process.argv.slice(2);
const spec = await benchCase(name as CaseName);
const workers = Number(workersArg);
const patients = Number(patientsArg);
// Each thread should be as warm as the single thread of a one-worker run: N workers share the
// warm-up's units, so warm up N times.
for (let i = 0; i < workers; i++) await runScenario(spec, { patients: Math.min(patients, 200_000), workers });
const began = performance.now();
const summary = await runScenario(spec, { patients, workers });
const wall = performance.now() - began;
process.stdout.write(
  `${JSON.stringify({ wall_ms: wall, patients: summary.patients, events: summary.events, max_rss_mb: process.resourceUsage().maxRSS / 1024 })}\n`,
);

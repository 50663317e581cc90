// Prints the exact queueing figures beside the simulator's: npx tsx test/queueing/table.ts
import { EXACT_CASES } from "./cases.js";
import { interval, replications } from "./replications.js";

const rows = ["| Case | Figure | Exact | Simulated (99% CI) |", "|---|---|---|---|"];
const n = (x: number) => (Math.abs(x) < 10 ? x.toFixed(4) : x.toFixed(2));
for (const build of EXACT_CASES) {
  const c = build();
  const runs = replications(c.spec);
  for (const check of c.checks) {
    const i = interval(runs.map(check.simulated));
    rows.push(`| ${c.name} | ${check.label} | ${n(check.exact)} | ${n(i.mean)} (${n(i.lo)}–${n(i.hi)}) |`);
  }
}
process.stdout.write(`${rows.join("\n")}\n`);

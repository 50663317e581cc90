// Prints the twin's figures beside the simulator's, as the Markdown table of test/twin/README.md:
//   npx tsx test/twin/table.ts
import { readFileSync } from "node:fs";
import { loadScenarioFile } from "../../src/node/load.js";
import { interval, replications } from "../queueing/replications.js";
import { figure } from "./figures.js";

const twin = JSON.parse(readFileSync("test/twin/results.json", "utf8")).cases as Record<
  string,
  Record<string, { mean: number; se: number; lo: number; hi: number }>
>;
const rows = ["| Case | Figure | Simulator (99% CI) | SimPy twin (99% CI) | z |", "|---|---|---|---|---|"];
const n = (x: number) => (Math.abs(x) < 10 ? x.toFixed(4) : x.toFixed(2));
for (const name of Object.keys(twin)) {
  const { model } = await loadScenarioFile(`test/twin/scenarios/${name}.yaml`);
  const runs = replications(model);
  for (const [key, t] of Object.entries(twin[name]!)) {
    const s = interval(runs.map((r) => figure(r, key)));
    const z = (s.mean - t.mean) / Math.sqrt(s.se ** 2 + t.se ** 2);
    rows.push(
      `| ${name} | ${key} | ${n(s.mean)} (${n(s.lo)}–${n(s.hi)}) | ${n(t.mean)} (${n(t.lo)}–${n(t.hi)}) | ${z.toFixed(2)} |`,
    );
  }
}
process.stdout.write(`${rows.join("\n")}\n`);

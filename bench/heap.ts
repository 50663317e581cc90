// The event heap's limit on this machine, at the heap size a queued run actually has:
// `node dist/bench/heap.js <case>` prints one JSON line { mean_size, pairs_per_s }.
//
// First a probe: one replication of the case with the heap's pop instrumented, for the mean number
// of pending events seen by a pop. Then the classic "hold" benchmark at that size: pop the earliest
// event and push one a random (exponential) time later, as a simulation does; increments come
// from a precomputed table so the figure is the heap's alone. One simulated event costs at least
// one pop and one push, so pairs/s bounds events/s.

import { run } from "../src/analysis/run.js";
import { EventQueue } from "../src/engine/eventQueue.js";
import { benchCase, type CaseName } from "./cases.js";

const name = (process.argv[2] ?? "chain-queued") as CaseName;
const spec = await benchCase(name);

let pops = 0;
let sizes = 0;
const pop = EventQueue.prototype.pop;
EventQueue.prototype.pop = function (this: EventQueue): boolean {
  pops++;
  sizes += this.size;
  return pop.call(this);
};
await run(spec, { patients: 50_000, replications: 1 });
EventQueue.prototype.pop = pop;
const meanSize = Math.max(1, Math.round(sizes / Math.max(pops, 1)));

function holdRate(size: number, pairs: number): number {
  const increments = new Float64Array(1 << 16);
  for (let i = 0; i < increments.length; i++) increments[i] = -30 * Math.log(1 - Math.random());
  const q = new EventQueue();
  for (let i = 0; i < size; i++) q.push(increments[i]!, i, 0);
  let j = 0;
  const began = performance.now();
  for (let i = 0; i < pairs; i++) {
    q.pop();
    q.push(q.poppedTime + increments[j]!, q.poppedEntity, q.poppedKind);
    j = (j + 1) & 0xffff;
  }
  return pairs / ((performance.now() - began) / 1000);
}

holdRate(meanSize, 2_000_000); // warm-up: let the JIT compile push and pop
const rates = [0, 1, 2].map(() => holdRate(meanSize, 10_000_000)).sort((a, b) => a - b);
process.stdout.write(`${JSON.stringify({ mean_size: meanSize, pairs_per_s: rates[1] })}\n`);

// Top entries of a V8 CPU profile (`node --cpu-prof`): self time per function, most first.
// `node dist/bench/profile-top.js <file.cpuprofile> [n]`; also used by bench/profile.ts.
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface TopEntry {
  name: string;
  where: string;
  ms: number;
  share: number;
}

/** Self time per function (name and file:line), most first. */
export function topEntries(file: string, n = 15): { total_ms: number; entries: TopEntry[] } {
  const p = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => {
    self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0));
  });
  const byFunction = new Map<string, TopEntry>();
  let total = 0;
  for (const [id, us] of self) {
    const f = byId.get(id)!.callFrame;
    const file = f.url.replace(/^.*\/(dist|node_modules)\//, "$1/");
    const where = f.url === "" ? "" : `${file}:${f.lineNumber + 1}`;
    const name = f.functionName === "" ? "(anonymous)" : f.functionName;
    const key = `${name} ${where}`;
    const e = byFunction.get(key) ?? { name, where, ms: 0, share: 0 };
    e.ms += us / 1000;
    total += us / 1000;
    byFunction.set(key, e);
  }
  const entries = [...byFunction.values()].sort((a, b) => b.ms - a.ms).slice(0, n);
  for (const e of entries) e.share = e.ms / total;
  return { total_ms: total, entries };
}

if (process.argv[1]?.endsWith("profile-top.js")) {
  const { total_ms, entries } = topEntries(process.argv[2]!, Number(process.argv[3] ?? 15));
  console.log(`total ${total_ms.toFixed(0)} ms sampled`);
  for (const e of entries)
    console.log(
      `${(100 * e.share).toFixed(1).padStart(5)}%  ${e.ms.toFixed(0).padStart(6)} ms  ${e.name}  ${e.where}`,
    );
}

// The twin's figure keys (test/twin/twin.py) read off one replication's run summary.
import type { RunSummary } from "../../src/analysis/summary.js";

/** The value of a twin figure key ("wait.a", "blocked.a.mean", "metric.x"…) in a summary. */
export function figure(s: RunSummary, key: string): number {
  const [kind, id, part] = key.split(".") as [string, string, string | undefined];
  if (kind === "metric") return s.metrics[id]!.mean;
  const m = s.microsystems.find((x) => x.id === id);
  if (m === undefined) throw new Error(`no microsystem ${id}`);
  switch (kind) {
    case "wait":
      return m.wait.mean;
    case "utilization":
      return m.utilization ?? Number.NaN;
    case "reneged_share":
      return (m.reneged ?? 0) / m.visits;
    case "blocked":
      return part === "share" ? m.blocked!.share : m.blocked!.mean;
    default:
      throw new Error(`unknown twin figure ${key}`);
  }
}

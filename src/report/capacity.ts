// Which microsystems a run's capacity section lists (issue 12): those blocked after care, sharing
// their places with other patients, with patients who left the queue, or using a shared resource.
// One rule for report.html and the studio.
import type { MicrosystemSummary, RunSummary } from "../analysis/summary.js";

export function capacityMicrosystems(summary: RunSummary): MicrosystemSummary[] {
  return summary.microsystems.filter(
    (m) =>
      (m.blocked ?? null) !== null ||
      (m.background_utilization ?? null) !== null ||
      (m.reneged ?? 0) > 0 ||
      (m.uses ?? null) !== null,
  );
}

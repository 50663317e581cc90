// A path into a scenario as the studio's edits and the diff of two scenarios name it, written the
// way `--set` reads it. No dependency: the comparison of two models (analysis) uses it too.

/** A step of a path into a scenario: a key, a list item by id, or a handoff by its pair. */
export type EditStep = string | { id: string } | { from: string; to: string };
export type EditPath = readonly EditStep[];

/** The path as `--set` writes it: `handoffs[ccu->telemetry].failures[med_list_lost].p`. */
export function formatEditPath(path: EditPath): string {
  return path
    .map((step, i) => {
      if (typeof step === "string") return i === 0 ? step : `.${step}`;
      return "id" in step ? `[${step.id}]` : `[${step.from}->${step.to}]`;
    })
    .join("");
}

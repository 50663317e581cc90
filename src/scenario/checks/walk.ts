// Iteration over the parts of a scenario view that several checks visit, with their field paths.

import type { FailureModeInput } from "../format.js";
import type { Path } from "../issues.js";
import type { ScenarioView } from "../view.js";

export interface Located<T> {
  path: Path;
  value: T;
}

/** Every failure mode of every microsystem, handoff and of handoff_defaults. */
export function allFailureModes(view: ScenarioView): Located<FailureModeInput>[] {
  const lists: Located<FailureModeInput[] | undefined>[] = [
    ...view.microsystems.map((m) => ({ path: ["microsystems", m.index], value: m.value.failures })),
    ...view.handoffs.map((h) => ({ path: ["handoffs", h.index], value: h.value.failures })),
    { path: ["handoff_defaults"], value: view.top.handoff_defaults?.failures },
  ];
  return lists.flatMap(({ path, value }) =>
    (value ?? []).map((mode, k) => ({ path: [...path, "failures", k], value: mode })),
  );
}

/** Failure-mode lists (one per element), for duplicate ids within an element. */
export function failureLists(view: ScenarioView): Located<FailureModeInput[]>[] {
  const lists: Located<FailureModeInput[] | undefined>[] = [
    ...view.microsystems.map((m) => ({
      path: ["microsystems", m.index, "failures"],
      value: m.value.failures,
    })),
    ...view.handoffs.map((h) => ({ path: ["handoffs", h.index, "failures"], value: h.value.failures })),
    { path: ["handoff_defaults", "failures"], value: view.top.handoff_defaults?.failures },
  ];
  return lists.filter((l): l is Located<FailureModeInput[]> => l.value !== undefined);
}

/** Every milestone written (metrics and the mortality time-to-treatment), as text. */
export function allMilestones(view: ScenarioView): Located<string>[] {
  const out: Located<string>[] = [];
  for (const m of view.metrics) {
    out.push({ path: ["metrics", m.index, "from"], value: m.value.from });
    out.push({ path: ["metrics", m.index, "to"], value: m.value.to });
  }
  const delay = view.top.outcomes?.mortality?.delay;
  if (delay) {
    out.push({ path: ["outcomes", "mortality", "delay", "from"], value: delay.from });
    out.push({ path: ["outcomes", "mortality", "delay", "to"], value: delay.to });
  }
  return out;
}

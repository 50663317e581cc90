// Iteration over the parts of a scenario view that several checks visit, with their field paths.

import type { FailureModeInput } from "../format.js";
import type { Path } from "../issues.js";
import { type Entry, originalIndex, type ScenarioView } from "../view.js";

export interface Located<T> {
  path: Path;
  value: T;
}

/** A failure-mode list of one element, each mode with its index in the file. */
interface FailureList {
  path: Path;
  modes: { index: number; mode: FailureModeInput }[];
}

/** The failure-mode lists of every microsystem and handoff, and of handoff_defaults. */
export function failureLists(view: ScenarioView): FailureList[] {
  const ofEntry = (list: string, e: Entry<{ failures?: FailureModeInput[] | undefined }>): FailureList => ({
    path: [list, e.index, "failures"],
    modes: (e.value.failures ?? []).map((mode, k) => ({ index: originalIndex(e, "failures", k), mode })),
  });
  const defaults = view.top.handoff_defaults?.failures ?? [];
  return [
    ...view.microsystems.map((m) => ofEntry("microsystems", m)),
    ...view.handoffs.map((h) => ofEntry("handoffs", h)),
    { path: ["handoff_defaults", "failures"], modes: defaults.map((mode, index) => ({ index, mode })) },
  ];
}

/** Every failure mode, with its path. */
export function allFailureModes(view: ScenarioView): Located<FailureModeInput>[] {
  return failureLists(view).flatMap(({ path, modes }) =>
    modes.map(({ index, mode }) => ({ path: [...path, index], value: mode })),
  );
}

/** Every milestone written (metrics, the mortality time-to-treatment terms and decided_at), as text. */
export function allMilestones(view: ScenarioView): Located<string>[] {
  const out: Located<string>[] = [];
  for (const m of view.metrics) {
    out.push({ path: ["metrics", m.index, "from"], value: m.value.from });
    out.push({ path: ["metrics", m.index, "to"], value: m.value.to });
  }
  const mortality = view.top.outcomes?.mortality;
  const delay = mortality?.delay;
  const terms =
    delay === undefined
      ? []
      : Array.isArray(delay)
        ? delay.map((d, i) => [d, i] as const)
        : [[delay, null] as const];
  for (const [d, i] of terms) {
    const at = i === null ? ["outcomes", "mortality", "delay"] : ["outcomes", "mortality", "delay", i];
    out.push({ path: [...at, "from"], value: d.from });
    out.push({ path: [...at, "to"], value: d.to });
  }
  if (mortality?.decided_at !== undefined)
    out.push({ path: ["outcomes", "mortality", "decided_at"], value: mortality.decided_at });
  return out;
}

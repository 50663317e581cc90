// A run's headline figures as one flat record: what `compare` pairs unit by unit, and what the
// comparison's charts and report list. A function of the run summary only.
import type { RunSummary } from "./summary.js";

/**
 * The headline figures of a run, flat: `reliability`, `mortality_per_1000`, `completed`,
 * `dropped`, `near_misses`, `defects_per_1000`, `cost_per_patient`, `metrics.<id>.median`,
 * `metrics.<id>.within_target`, `waits.<microsystem>` (mean wait, minutes), `blocked.<microsystem>`
 * (mean minutes blocked after the stay, for blocking microsystems). NaN = not available
 * (no mortality model, no journey reaching a metric's milestones, no target). Ids never contain a
 * dot (the scenario format forbids it), so the keys are unambiguous.
 */
export type Figures = Record<string, number>;

export function figuresOf(s: RunSummary): Figures {
  const o = s.outcomes;
  const f: Figures = {
    reliability: s.reliability.estimate,
    mortality_per_1000: o.mortality_per_1000?.expected ?? Number.NaN,
    completed: o.completed,
    dropped: o.dropped,
    near_misses: o.near_misses,
    defects_per_1000: s.patients > 0 ? (1000 * defects(s)) / s.patients : Number.NaN,
    cost_per_patient: s.costs?.per_patient.mean ?? Number.NaN,
  };
  for (const [id, m] of Object.entries(s.metrics)) {
    f[`metrics.${id}.median`] = m.n > 0 ? m.median : Number.NaN;
    f[`metrics.${id}.within_target`] = m.n > 0 && m.within_target !== null ? m.within_target : Number.NaN;
  }
  for (const m of s.microsystems) f[`waits.${m.id}`] = m.visits > 0 ? m.wait.mean : Number.NaN;
  // Capacity (issue 12): mean minutes kept blocked after the stay, at blocking microsystems.
  for (const m of s.microsystems) {
    const b = m.blocked ?? null;
    if (b !== null) f[`blocked.${m.id}`] = m.visits > 0 ? b.mean : Number.NaN;
  }
  return f;
}

/** Defects = uncaught failure occurrences, over every microsystem and handoff. */
function defects(s: RunSummary): number {
  let n = 0;
  for (const el of [...s.microsystems, ...s.handoffs]) {
    for (const [mode, occurred] of Object.entries(el.failures)) n += occurred - (el.caught[mode] ?? 0);
  }
  return n;
}

// Offered load against capacity, before a run (docs/design.md, "Overload"): a microsystem that is
// asked for more than it has never reaches a steady state — its queue, and every wait there, grow
// for as long as the run lasts, and no interval means anything. Said before the run, it spares the
// user a long run of nonsense.
//
// Offered load of microsystem m (busy places demanded on average, in Erlangs) =
//   arrivals per minute × Σ_class share × expected visits of the class to m (exact, from the
//   Markov chain) × mean minutes a visit holds a place (service, plus the failures' delay and
//   recovery, plus the off-hours delay times the share of the week m is closed).
// ρ = offered / capacity; at ρ ≥ 1 the queue is unstable. The off-hours term assumes arrivals spread
// evenly over the week (by_hour shapes it): an estimate, said so, never printed as exact.
import { mean } from "../engine/distributions.js";
import { isStaffed, MINUTES_PER_WEEK } from "../model/calendar.js";
import { meanFailureMinutes } from "../model/rules.js";
import type { FailureMode, Microsystem, ModelSpec, StaffedHours } from "../model/spec.js";
import type { Analysis } from "./analytic.js";
import type { RunWarning } from "./summary.js";

export interface LoadCheck {
  /** Microsystem id. */
  microsystem: string;
  /** Places busy on average if every visit were served (Erlangs). */
  offered: number;
  capacity: number;
  /** offered / capacity: at 1 or more the queue grows without limit. */
  utilization: number;
}

/** Offered load per microsystem with a capacity; [] without arrivals or without an exact analysis. */
export function offeredLoad(spec: ModelSpec, analysis: Analysis | null): LoadCheck[] {
  if (spec.arrivals === null || analysis === null) return [];
  const perMinute = spec.arrivals.perDay / 1440;
  const out: LoadCheck[] = [];
  for (const m of spec.microsystems) {
    if (m.capacity === null) continue;
    let offered = 0;
    for (const c of spec.classes) {
      const visits = analysis.byClass[c.id]?.visits[m.id] ?? 0;
      offered += perMinute * c.share * visits * meanHold(m, c.id);
    }
    out.push({ microsystem: m.id, offered, capacity: m.capacity, utilization: offered / m.capacity });
  }
  return out;
}

/** Mean minutes one visit of a class holds a place of `m`. */
export function meanHold(m: Microsystem, classId: string): number {
  const offHours =
    m.hours !== null && m.offHoursDelay !== null ? closedShare(m.hours) * mean(m.offHoursDelay) : 0;
  return mean(m.time) + meanFailureMinutes(withMeans(m.failures), classId) + offHours;
}

function withMeans(modes: readonly FailureMode[]) {
  return modes.map((f) => ({
    ...f,
    delayMean: f.delay === null ? 0 : mean(f.delay),
    recoverMean: f.recoverTime === null ? 0 : mean(f.recoverTime),
  }));
}

/** Share of the week outside staffed hours, to the minute. */
function closedShare(hours: StaffedHours): number {
  let closed = 0;
  for (let t = 0; t < MINUTES_PER_WEEK; t++) if (!isStaffed(hours, t + 0.5)) closed++;
  return closed / MINUTES_PER_WEEK;
}

/** The overload warnings of a load check: every microsystem offered at least its capacity. */
export function overloadWarnings(spec: ModelSpec, load: readonly LoadCheck[]): RunWarning[] {
  const names = new Map(spec.microsystems.map((m) => [m.id, m.name]));
  return load
    .filter((l) => l.utilization >= 1)
    .map((l) => ({
      kind: "overload" as const,
      microsystem: l.microsystem,
      message: `${names.get(l.microsystem)} is overloaded: it is offered ${l.offered.toFixed(2)} places busy on average against a capacity of ${l.capacity} (utilisation ${l.utilization.toFixed(2)}), so its queue grows for as long as the run lasts and its waits depend on the run's length, not on the pathway`,
    }));
}

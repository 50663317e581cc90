// What the journeys cost (docs/semantics.md §10), from what a run counted: visits, hours of stay and
// of waiting per microsystem, transfers per handoff, defects and near misses per failure mode, each
// times its unit cost, plus a variant's programme cost. Computed after the run from the tallies, so
// the simulation does no per-event cost work: costs are linear in the counts.
//
// A stay is from gaining a place to leaving (the off-hours delay, the service and the time failures
// cost); the wait for a place is counted apart, at `per_hour_waiting`.

import type { CompiledModel } from "../model/compiled.js";
import { appliesTo, drawnShares, type KnownContext } from "../model/rules.js";
import { handoffKey, type ModelSpec } from "../model/spec.js";
import type { Tally } from "../model/tally.js";
import type { Analysis } from "./analytic.js";
import { handoffKnown, microsystemKnown, modeRules } from "./markov.js";
import { meanInterval, tQuantile } from "./stats.js";
import type { Interval } from "./summary.js";

/** What one part of the pathway costs over the run. */
export interface CostItem {
  kind: "microsystem" | "handoff" | "failure" | "near_miss" | "programme";
  /** Microsystem id, handoff key "from->to", or "programme". */
  element: string;
  /** The failure mode's id for `failure` and `near_miss`, else null. */
  mode: string | null;
  /** As reports show it. */
  name: string;
  /** Average cost per counted patient. */
  per_patient: number;
}

export interface CostFigure {
  mean: number;
  /**
   * 95% Monte Carlo interval of the mean, Student t: without arrivals over the patients' own costs
   * (independent journeys); with arrivals over the replications (patients who share capacity are
   * not independent). Null with a single replication, or fewer than two patients.
   */
  ci95: Interval | null;
}

export interface CostSummary {
  /** The scenario's currency, or null when it names none. */
  currency: string | null;
  per_patient: CostFigure & {
    /**
     * The exact expected cost per patient from the Markov chain's expected visits, transfers,
     * defects and near misses; null when a per-hour cost is set (a stay's length depends on staffed
     * hours and queues, which the chain does not model) or the routing has no exact answer.
     */
    analytic: number | null;
  };
  /** per_patient × volume_per_year; null without a volume. */
  per_year: CostFigure | null;
  volume_per_year: number | null;
  /** The parts that cost something, largest first. */
  by_element: CostItem[];
}

/** Whether the model has any cost at all (without one, a run reports no costs). */
export function hasCosts(spec: ModelSpec): boolean {
  const modeCosts = (modes: ModelSpec["microsystems"][number]["failures"]) =>
    modes.some((f) => (f.cost ?? 0) > 0 || (f.caughtCost ?? 0) > 0);
  return (
    spec.microsystems.some((m) => m.cost != null || modeCosts(m.failures)) ||
    spec.handoffs.some((h) => h.cost != null || modeCosts(h.failures)) ||
    spec.economics?.programme != null
  );
}

/** Minutes → hours. */
const HOURS = 1 / 60;

/** Every cost item of a run (zero items included), per counted patient. */
export function costItems(model: CompiledModel, tally: Tally, patients: number): CostItem[] {
  const spec = model.spec;
  const n = Math.max(patients, 1);
  const items: CostItem[] = [];
  const modes = (
    element: string,
    where: string,
    list: ModelSpec["microsystems"][number]["failures"],
    indices: number[],
  ) =>
    list.forEach((f, i) => {
      const index = indices[i]!;
      const caught = tally.caught[index]!;
      const defects = tally.occurrences[index]! - caught;
      if (f.cost !== undefined)
        items.push({
          kind: "failure",
          element,
          mode: f.id,
          name: `${where}: ${f.name}`,
          per_patient: (defects * f.cost) / n,
        });
      if (f.caughtCost !== undefined)
        items.push({
          kind: "near_miss",
          element,
          mode: f.id,
          name: `${where}: ${f.name} (caught)`,
          per_patient: (caught * f.caughtCost) / n,
        });
    });
  model.microsystems.forEach((ms, m) => {
    const own = spec.microsystems[m]!;
    const c = own.cost;
    if (c != null) {
      const waitMinutes = tally.waits[m]!.count > 0 ? tally.waits[m]!.sum : 0;
      const total =
        // A patient who left the queue (reneged) was never served: no visit to pay for.
        (tally.visits[ms.index]! - tally.renegedVisits[m]!) * c.perVisit +
        tally.stay[m]! * HOURS * c.perHour +
        waitMinutes * HOURS * c.perHourWaiting;
      items.push({
        kind: "microsystem",
        element: ms.key,
        mode: null,
        name: own.name,
        per_patient: total / n,
      });
    }
    modes(
      ms.key,
      own.name,
      own.failures,
      ms.modes.map((f) => f.index),
    );
  });
  model.handoffs.forEach((h, j) => {
    const own = spec.handoffs[j]!;
    const name = `${spec.microsystems[h.from]!.name} → ${spec.microsystems[h.to]!.name}`;
    if (own.cost != null)
      items.push({
        kind: "handoff",
        element: h.key,
        mode: null,
        name,
        per_patient: (tally.visits[h.index]! * own.cost.perTransfer) / n,
      });
    modes(
      h.key,
      name,
      own.failures,
      h.modes.map((f) => f.index),
    );
  });
  const programme = programmePerPatient(spec);
  if (programme !== null)
    items.push({
      kind: "programme",
      element: "programme",
      mode: null,
      name: "Programme",
      per_patient: programme,
    });
  return items;
}

/** The programme cost per patient: per_patient + per_year / volume_per_year; null without one. */
export function programmePerPatient(spec: ModelSpec): number | null {
  const e = spec.economics;
  if (e?.programme == null) return null;
  const yearly =
    e.programme.perYear > 0 && e.volumePerYear !== null ? e.programme.perYear / e.volumePerYear : 0;
  return e.programme.perPatient + yearly;
}

/** The cost per counted patient of a run (0 without costs). */
export function costPerPatient(model: CompiledModel, tally: Tally, patients: number): number {
  let total = 0;
  for (const item of costItems(model, tally, patients)) total += item.per_patient;
  return total;
}

/**
 * The run's costs; null when the scenario has none. `unitCosts` are the cost per patient of each
 * unit of work, for the Monte Carlo interval (omitted: no interval).
 */
export function costSummary(
  model: CompiledModel,
  tally: Tally,
  patients: number,
  unitCosts: readonly number[] = [],
  analysis: Analysis | null = null,
): CostSummary | null {
  const spec = model.spec;
  if (!hasCosts(spec)) return null;
  const items = costItems(model, tally, patients);
  let mean = 0;
  for (const item of items) mean += item.per_patient;
  const ci95 =
    spec.arrivals === null ? patientInterval(mean, tally, patients) : unitInterval(mean, unitCosts);
  const volume = spec.economics?.volumePerYear ?? null;
  return {
    currency: spec.economics?.currency ?? null,
    per_patient: { mean, ci95, analytic: analysis === null ? null : analyticCost(spec, analysis) },
    per_year: volume === null ? null : perYear({ mean, ci95 }, volume),
    volume_per_year: volume,
    by_element: items.filter((i) => i.per_patient !== 0).sort((a, b) => b.per_patient - a.per_patient),
  };
}

/** A per-patient figure for a year of `volume` patients: every number times the volume. */
export function perYear(figure: CostFigure, volume: number): CostFigure {
  return {
    mean: figure.mean * volume,
    ci95: figure.ci95 === null ? null : [figure.ci95[0] * volume, figure.ci95[1] * volume],
  };
}

/**
 * Independent journeys: mean ± t(0.975, n − 1)·sd/√n over the n patients' own costs (their Σ and
 * Σ² in the tally; the programme cost is the same for every patient and adds no spread); null
 * with fewer than two patients.
 */
function patientInterval(mean: number, tally: Tally, n: number): Interval | null {
  if (n < 2) return null;
  const variance = Math.max(0, (tally.costSquares - (tally.costSum * tally.costSum) / n) / (n - 1));
  const half = tQuantile(0.975, n - 1) * Math.sqrt(variance / n);
  return Number.isFinite(half) ? [mean - half, mean + half] : null;
}

/** mean ± t·sd/√K over K ≥ 2 unit values (replications); null with fewer. */
function unitInterval(mean: number, units: readonly number[]): Interval | null {
  if (units.length < 2) return null;
  const spread = meanInterval(units).ci95;
  const half = (spread[1] - spread[0]) / 2;
  return Number.isFinite(half) ? [mean - half, mean + half] : null;
}

/**
 * The exact expected cost per patient (see CostSummary.per_patient.analytic): per class, expected
 * visits × per_visit, transfers × per_transfer, and for every failure mode that applies to the class
 * visits × p·(1 − detect) × cost and visits × p·detect × caught_cost; weighted by class share; plus
 * the programme cost. Null when a per-hour cost is set.
 */
export function analyticCost(spec: ModelSpec, analysis: Analysis): number | null {
  if (spec.microsystems.some((m) => m.cost != null && (m.cost.perHour > 0 || m.cost.perHourWaiting > 0)))
    return null;
  let total = 0;
  for (const c of spec.classes) {
    const a = analysis.byClass[c.id];
    if (a === undefined) return null;
    let cost = 0;
    const modes = (
      list: ModelSpec["microsystems"][number]["failures"],
      visits: number,
      known: KnownContext,
    ) => {
      // p as the class has it (`when` on classes), drawn only where `unless` lets it (issue 13).
      const rules = modeRules(list, c.id, false, known);
      const drawn = drawnShares(rules, c.id);
      list.forEach((f, i) => {
        if (!appliesTo(f, c.id)) return;
        const occur = visits * drawn[i]! * rules[i]!.p;
        cost += occur * (1 - f.detect) * (f.cost ?? 0) + occur * f.detect * (f.caughtCost ?? 0);
      });
    };
    for (const m of spec.microsystems) {
      const visits = a.visits[m.id] ?? 0;
      cost += visits * (m.cost?.perVisit ?? 0);
      modes(m.failures, visits, microsystemKnown(spec, m));
    }
    for (const h of spec.handoffs) {
      const transfers = a.transfers[handoffKey(h.from, h.to)] ?? 0;
      cost += transfers * (h.cost?.perTransfer ?? 0);
      modes(h.failures, transfers, handoffKnown(spec, h));
    }
    total += c.share * cost;
  }
  return total + (programmePerPatient(spec) ?? 0);
}

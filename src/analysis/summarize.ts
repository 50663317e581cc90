// Turns a simulation's tallies (and the exact analysis, when the routing allows one) into the
// run summary that every report reads.
import { recordOf } from "../engine/records.js";
import type { CompiledMode, CompiledModel } from "../model/compiled.js";
import { defectProbability } from "../model/rules.js";
import { DEFAULT_SEVERITY, type FailureMode, handoffKey, SEVERITIES } from "../model/spec.js";
import type { Tally } from "../model/tally.js";
import type { WarmupChoice } from "../model/warmup.js";
import { VERSION } from "../version.js";
import { type Analysis, mainPath } from "./analytic.js";
import { costSummary } from "./costs.js";
import type { LoadCheck } from "./load.js";
import { type QueueIntervals, queueIntervals } from "./output-analysis.js";
import { meanInterval, share, wilson, Z95 } from "./stats.js";
import type {
  BlockedSummary,
  CascadeStep,
  ClassCascade,
  HandoffSummary,
  Interval,
  MetricSummary,
  MicrosystemSummary,
  ModeSummary,
  MortalitySummary,
  OccupancySummary,
  OutputAnalysisSummary,
  ResourceSummary,
  RunSummary,
  RunWarning,
  SeveritySummary,
  ShareEstimate,
  WeeklyPoint,
} from "./summary.js";

const HISTOGRAM_BINS = 40;

/** What a run knows besides its tally: how its warm-up was decided, its offered load, early warnings. */
export interface RunContext {
  warmup?: WarmupChoice;
  load?: LoadCheck[];
  /** Warnings from before the run (overload), first in the summary's list. */
  warnings?: RunWarning[];
  /** Why `analysis` is null (`analytic_note`); ignored when it is given. */
  analyticNote?: string | null;
}

export function summarize(
  model: CompiledModel,
  tally: Tally,
  analysis: Analysis | null,
  wallMs: number,
  /** Cost per patient of each unit of work, for the cost's Monte Carlo interval (analysis/costs.ts). */
  unitCosts: readonly number[] = [],
  context: RunContext = {},
): RunSummary {
  const spec = model.spec;
  const patients = sum(tally.patients);
  const defectFree = sum(tally.defectFree);
  const queue = spec.arrivals === null ? null : queueIntervals(model, tally);
  const microsystems = microsystemSummaries(model, tally, queue);
  const handoffs = handoffSummaries(model, tally);
  const outcomes = {
    mortality_per_1000: mortality(model, tally, patients, queue),
    completed: tally.completed,
    dropped: tally.dropped,
    near_misses: tally.nearMisses,
    guard_stopped: tally.guardStopped,
    reneged: tally.reneged,
    completed_share: shareOf(tally.completed, patients, queue, "completed"),
    dropped_share: shareOf(tally.dropped, patients, queue, "dropped"),
    died: tally.died,
    decided_at: model.decideAt,
    died_share: shareOf(tally.died, patients, queue, "died"),
  };
  return {
    scenario: spec.name,
    description: spec.description,
    version: VERSION,
    seed: spec.seed,
    patients,
    replications: spec.arrivals === null ? 1 : spec.replications,
    warmup_minutes: spec.arrivals?.warmup ?? 0,
    arrivals: spec.arrivals !== null,
    arrivals_per_day: spec.arrivals?.perDay ?? null,
    volume_per_year: spec.economics?.volumePerYear ?? null,
    classes: spec.classes.map((c) => ({ id: c.id, share: c.share, start: c.start })),
    reliability: {
      estimate: share(defectFree, patients),
      ci95: wilson(defectFree, patients),
      analytic: analysis?.overall.defectFree ?? null,
      analytic_note: analysis === null ? (context.analyticNote ?? "the scenario has no exact answer") : null,
      by_class: recordOf(
        model.classIds.map((id, c) => {
          const n = tally.patients[c]!;
          const ok = tally.defectFree[c]!;
          const analytic = analysis?.byClass[id]?.defectFree ?? null;
          return [id, { estimate: share(ok, n), ci95: wilson(ok, n), patients: n, analytic }];
        }),
      ),
    },
    microsystems,
    handoffs,
    resources: resourceSummaries(model, tally),
    outcomes,
    metrics: metricSummaries(model, tally, queue),
    cascade: cascade(model, analysis, microsystems, handoffs),
    cascades: classCascades(model, tally, analysis),
    severity: severitySummary(tally, microsystems, handoffs),
    weekly: weekly(tally),
    events: tally.events,
    max_visits: spec.maxVisits,
    wall_ms: wallMs,
    costs: costSummary(model, tally, patients, unitCosts, analysis),
    warmup: context.warmup ?? {
      minutes: spec.arrivals?.warmup ?? 0,
      method: spec.arrivals === null ? "none" : "scenario",
    },
    load: context.load ?? [],
    output_analysis: queue?.summary ?? independentAnalysis(patients),
    warnings: [
      ...(context.warnings ?? []),
      ...runWarnings(spec.maxVisits, tally.guardStopped, patients),
      ...(queue?.warnings ?? []),
    ],
  };
}

/** Every guard stop is said, with the count: its journeys' figures are cut short. */
function runWarnings(maxVisits: number, guardStopped: number, patients: number): RunWarning[] {
  if (guardStopped === 0) return [];
  const share = patients > 0 ? ` (${((100 * guardStopped) / patients).toPrecision(3)}%)` : "";
  const message =
    `${guardStopped} of ${patients} journeys${share} were stopped by the visit guard after ${maxVisits} visits: ` +
    "their figures are cut short (each counts with the defects it had so far, and as not completed); raise max_visits if the pathway is that long, or check its loops";
  return [{ kind: "guard", microsystem: null, message }];
}

function independentAnalysis(patients: number): OutputAnalysisSummary {
  return { method: "independent journeys", units: patients, batch_patients: null, checks: [] };
}

/** A share of journeys: by replications or batch means with queues, Wilson without. */
function shareOf(
  count: number,
  patients: number,
  queue: QueueIntervals | null,
  kind: "completed" | "dropped" | "died",
): ShareEstimate {
  const estimate = share(count, patients);
  if (queue === null) return { estimate, ci95: wilson(count, patients) };
  return { estimate, ci95: clamp(queue.ratio(kind, -1), 0, 1) };
}

/** The interval cut to the figure's range (a wait is never negative, a share never above 1). */
function clamp(ci: Interval | null, lo: number, hi: number): Interval | null {
  if (ci === null) return null;
  return [Math.min(hi, Math.max(lo, ci[0])), Math.max(lo, Math.min(hi, ci[1]))];
}

function modeCounts(modes: { id: string; index: number }[], counts: Float64Array): Record<string, number> {
  return recordOf(modes.map((f) => [f.id, counts[f.index]!]));
}

/** The element's failure modes as the scenario defines them, with the run's counts. */
function modeSummaries(compiled: CompiledMode[], modes: FailureMode[], tally: Tally): ModeSummary[] {
  return modes.map((f, i) => {
    const index = compiled[i]!.index;
    const occurrences = tally.occurrences[index]!;
    const caught = tally.caught[index]!;
    return {
      id: f.id,
      name: f.name,
      p: f.p,
      detect: f.detect,
      defect_probability: defectProbability(f),
      classes: f.classes,
      harm: f.harm,
      drop: f.drop,
      goto: f.goto,
      severity: f.severity ?? DEFAULT_SEVERITY,
      unless: f.unless ?? [],
      when: (f.when ?? []).map((c) => ({
        off_hours: c.offHours,
        load_at_least: c.loadAtLeast,
        waited_at_least: c.waitedAtLeast,
        classes: c.classes,
        p: c.p,
      })),
      occurrences,
      caught,
      defects: occurrences - caught,
    };
  });
}

function microsystemSummaries(
  model: CompiledModel,
  tally: Tally,
  queue: QueueIntervals | null,
): MicrosystemSummary[] {
  return model.microsystems.map((ms, m) => {
    const visits = tally.visits[ms.index]!;
    const defects = tally.defects[ms.index]!;
    const wait = tally.waits[m]!;
    const utilizationValue = utilization(model, tally, m);
    // Nobody waits without arrivals, or where no counted patient ever waited (unlimited places
    // open whenever patients come): the figures are exactly 0.
    const noQueue = queue === null || wait.count === 0 || wait.mean === 0;
    const none: Interval | null = visits > 0 ? [0, 0] : null;
    return {
      id: ms.key,
      name: model.spec.microsystems[m]!.name,
      visits,
      defects,
      reliability: 1 - share(defects, visits),
      failures: modeCounts(ms.modes, tally.occurrences),
      caught: modeCounts(ms.modes, tally.caught),
      wait: {
        mean: wait.count > 0 ? wait.mean : 0,
        p90: wait.count > 0 ? wait.quantile(0.9) : 0,
        ci95: noQueue ? none : clamp(queue.ratio("wait", m), 0, Number.POSITIVE_INFINITY),
        p90_ci95: noQueue ? none : clamp(queue.quantile("wait_p90", m), 0, Number.POSITIVE_INFINITY),
      },
      utilization: utilizationValue,
      utilization_ci95:
        utilizationValue === null || queue === null ? null : clamp(queue.ratio("utilization", m), 0, 1),
      off_hours: tally.offHours[m]!,
      modes: modeSummaries(ms.modes, model.spec.microsystems[m]!.failures, tally),
      ...capacityFigures(model, tally, m),
    };
  });
}

/** Busy share of capacity between the first and the last counted arrival, over all replications. */
function utilization(model: CompiledModel, tally: Tally, m: number): number | null {
  const o = occupancy(model, tally, m);
  return o === null ? null : (o.busy_minutes + o.background_minutes) / o.available_minutes;
}

/**
 * The place-minutes of microsystem m, summed over replications; null when its places are
 * unlimited, without arrivals, or over an empty window. A constant capacity of its own is
 * capacity × window (the figure version 1 printed, to the bit); shifts and shared resources
 * integrate the capacity over each replication's window.
 */
function occupancy(model: CompiledModel, tally: Tally, m: number): OccupancySummary | null {
  const pool = model.pools[model.microsystems[m]!.pool]!;
  if (model.spec.arrivals === null || pool.maxCapacity === Number.POSITIVE_INFINITY) return null;
  let busy = 0;
  let background = 0;
  let window = 0;
  let available = 0;
  for (const r of tally.replications) {
    busy += r.busy[m]!;
    background += r.background?.[m] ?? 0;
    window += r.window;
    available += r.available?.[m] ?? 0;
  }
  const constant = !pool.shared && pool.capacity.isConstant;
  const minutes = constant ? pool.maxCapacity * window : available;
  if (!(window > 0) || !(minutes > 0)) return null;
  return { busy_minutes: busy, background_minutes: background, available_minutes: minutes };
}

type CapacityFigures = Pick<
  MicrosystemSummary,
  "uses" | "background_utilization" | "occupancy" | "blocked" | "reneged"
>;

function capacityFigures(model: CompiledModel, tally: Tally, m: number): CapacityFigures {
  const ms = model.microsystems[m]!;
  const o = occupancy(model, tally, m);
  return {
    uses: model.spec.microsystems[m]!.uses ?? null,
    background_utilization:
      ms.background === null || o === null ? null : o.background_minutes / o.available_minutes,
    occupancy: o,
    blocked: ms.blocking ? blockedSummary(tally, m) : null,
    reneged: tally.renegedVisits[m]!,
  };
}

function blockedSummary(tally: Tally, m: number): BlockedSummary {
  const s = tally.blocked[m]!;
  const n = s.count;
  return {
    mean: n > 0 ? s.mean : 0,
    p90: n > 0 ? s.quantile(0.9) : 0,
    share: share(tally.blockedVisits[m]!, n),
  };
}

/** Each shared resource: its users' place-minutes together. */
function resourceSummaries(model: CompiledModel, tally: Tally): ResourceSummary[] {
  const resources = model.spec.resources ?? [];
  const shared = model.pools.filter((p) => p.shared);
  return resources.map((r, k) => {
    const pool = shared[k]!;
    let busy = 0;
    let background = 0;
    let available = 0;
    for (const rep of tally.replications) {
      const figures = rep.resources?.[k];
      busy += figures?.busy ?? 0;
      background += figures?.background ?? 0;
      available += figures?.available ?? 0;
    }
    const o: OccupancySummary | null =
      model.spec.arrivals === null || !(available > 0)
        ? null
        : { busy_minutes: busy, background_minutes: background, available_minutes: available };
    const withBackground = pool.members.some((m) => model.microsystems[m]!.background !== null);
    return {
      id: r.id,
      name: r.name,
      microsystems: pool.members.map((m) => model.microsystems[m]!.key),
      capacity: r.capacity,
      utilization: o === null ? null : (o.busy_minutes + o.background_minutes) / o.available_minutes,
      background_utilization:
        o === null || !withBackground ? null : o.background_minutes / o.available_minutes,
      occupancy: o,
    };
  });
}

function handoffSummaries(model: CompiledModel, tally: Tally): HandoffSummary[] {
  const names = model.spec.microsystems;
  return model.handoffs.map((h, j) => {
    const transfers = tally.visits[h.index]!;
    const defects = tally.defects[h.index]!;
    return {
      from: model.microsystems[h.from]!.key,
      to: model.microsystems[h.to]!.key,
      name: `${names[h.from]!.name} → ${names[h.to]!.name}`,
      transfers,
      defects,
      reliability: 1 - share(defects, transfers),
      failures: modeCounts(h.modes, tally.occurrences),
      caught: modeCounts(h.modes, tally.caught),
      modes: modeSummaries(h.modes, model.spec.handoffs[j]!.failures, tally),
    };
  });
}

/**
 * Expected deaths per 1000. Independent journeys: normal interval from the per-patient risks.
 * With arrivals, delays make journeys dependent, so the interval comes from replication means.
 */
function mortality(
  model: CompiledModel,
  tally: Tally,
  patients: number,
  queue: QueueIntervals | null,
): MortalitySummary | null {
  if (model.mortalityBase === null) return null;
  const mean = share(tally.riskSum, patients);
  const sampled = 1000 * share(tally.deaths, patients);
  const reps = tally.replications.filter((r) => r.patients > 0);
  if (model.spec.arrivals !== null && reps.length >= 2) {
    const ci = meanInterval(reps.map((r) => (1000 * r.riskSum) / r.patients)).ci95;
    return { expected: 1000 * mean, ci95: ci, sampled };
  }
  // One replication of patients who share capacity: batch means (their delays are dependent, so
  // the patients' own spread would claim far too much precision).
  if (queue !== null) {
    const ci = queue.ratio("mortality", -1);
    const interval: Interval = ci === null ? [Number.NaN, Number.NaN] : [1000 * ci[0], 1000 * ci[1]];
    return { expected: 1000 * mean, ci95: interval, sampled };
  }
  const variance = patients > 1 ? (tally.riskSquares - patients * mean * mean) / (patients - 1) : 0;
  const half = Z95 * Math.sqrt(Math.max(variance, 0) / Math.max(patients, 1));
  return { expected: 1000 * mean, ci95: [1000 * (mean - half), 1000 * (mean + half)], sampled };
}

function metricSummaries(
  model: CompiledModel,
  tally: Tally,
  queue: QueueIntervals | null,
): Record<string, MetricSummary> {
  return recordOf(
    model.spec.metrics.map((metric, i) => {
      const s = tally.metrics[i]!;
      const n = s.count;
      const within = tally.withinTarget[i]!;
      const intervals =
        queue === null
          ? independentMetricIntervals(s, tally.metricSquares[i]!, metric.target === null ? null : within)
          : {
              mean_ci95: clamp(queue.ratio("metric_mean", i), 0, Number.POSITIVE_INFINITY),
              median_ci95: clamp(queue.quantile("metric_median", i), 0, Number.POSITIVE_INFINITY),
              p90_ci95: clamp(queue.quantile("metric_p90", i), 0, Number.POSITIVE_INFINITY),
              within_target_ci95:
                metric.target === null ? null : clamp(queue.ratio("within_target", i), 0, 1),
            };
      const summary: MetricSummary = {
        name: metric.name,
        n,
        mean: n > 0 ? s.mean : 0,
        median: n > 0 ? s.quantile(0.5) : 0,
        p90: n > 0 ? s.quantile(0.9) : 0,
        target: metric.target,
        within_target: metric.target === null ? null : share(tally.withinTarget[i]!, n),
        histogram: n > 0 ? s.toBins(HISTOGRAM_BINS) : [],
        classes: metric.classes ?? null,
        ...intervals,
      };
      return [metric.id, summary];
    }),
  );
}

/**
 * Independent journeys: the mean's normal interval from Σx²; the median's and p90's
 * distribution-free interval (the order statistics at ranks n·p ± z·√(n·p·(1 − p)), read from the
 * sketch); the within-target share's Wilson interval.
 */
function independentMetricIntervals(
  s: Tally["metrics"][number],
  squares: number,
  within: number | null,
): Pick<MetricSummary, "mean_ci95" | "median_ci95" | "p90_ci95" | "within_target_ci95"> {
  const n = s.count;
  if (n < 2) return { mean_ci95: null, median_ci95: null, p90_ci95: null, within_target_ci95: null };
  const mean = s.mean;
  const variance = Math.max(0, (squares - n * mean * mean) / (n - 1));
  const half = Z95 * Math.sqrt(variance / n);
  const order = (p: number): Interval => {
    const h = Z95 * Math.sqrt((p * (1 - p)) / n);
    return [s.quantile(Math.max(0, p - h)), s.quantile(Math.min(1, p + h))];
  };
  return {
    mean_ci95: [Math.max(0, mean - half), mean + half],
    median_ci95: order(0.5),
    p90_ci95: order(0.9),
    within_target_ci95: within === null ? null : wilson(within, n),
  };
}

/**
 * The main path's cumulative defect-free share, simulated and exact, both as products of the
 * element reliabilities over all patients who pass each element (the simulation's 1 − defects /
 * visits and its exact limit), so the two lines measure the same thing.
 */
function cascade(
  model: CompiledModel,
  analysis: Analysis | null,
  microsystems: MicrosystemSummary[],
  handoffs: HandoffSummary[],
): CascadeStep[] {
  const simulated = new Map<string, number>();
  for (const m of microsystems) simulated.set(m.id, m.reliability);
  for (const h of handoffs) simulated.set(handoffKey(h.from, h.to), h.reliability);
  const exact = analysis?.overall.reliability;
  let product = 1;
  let exactProduct = 1;
  return mainPath(model.spec).map((step) => {
    product *= simulated.get(step.element) ?? 1;
    const table = step.kind === "microsystem" ? exact?.microsystems : exact?.handoffs;
    exactProduct *= table?.[step.element] ?? 1;
    return {
      kind: step.kind,
      element: step.element,
      simulated: product,
      analytic: analysis === null ? null : exactProduct,
    };
  });
}

/** Defects by the severity of their mode, and journeys by their worst defect, for every level. */
function severitySummary(
  tally: Tally,
  microsystems: MicrosystemSummary[],
  handoffs: HandoffSummary[],
): SeveritySummary[] {
  const modes = [...microsystems, ...handoffs].flatMap((e) => e.modes);
  return SEVERITIES.map((severity, level) => ({
    severity,
    defects: modes.filter((m) => m.severity === severity).reduce((n, m) => n + m.defects, 0),
    journeys: tally.worstSeverity[level]!,
  }));
}

/**
 * Each class's main path (analytic.mainPath: its most common route), the share of its patients
 * still defect-free after each step: simulated, as the product of the class's own per-element
 * reliabilities (1 − its defects / its visits), and exact, the same product from the Markov chain.
 * One path per class, because classes take different routes (STEMI through the cath lab, NSTEMI
 * not) and the same step is more or less reliable for each.
 */
function classCascades(model: CompiledModel, tally: Tally, analysis: Analysis | null): ClassCascade[] {
  const spec = model.spec;
  const index = new Map<string, number>();
  for (const m of model.microsystems) index.set(m.key, m.index);
  for (const h of model.handoffs) index.set(h.key, h.index);
  return spec.classes.flatMap((c, ci) => {
    let path: ReturnType<typeof mainPath>;
    try {
      path = mainPath(spec, c.id);
    } catch {
      return [];
    }
    let product = 1;
    const steps = path.map((step): CascadeStep => {
      const e = index.get(step.element);
      const at = ci * model.elementCount + (e ?? 0);
      const visits = e === undefined ? 0 : tally.classVisits[at]!;
      product *= visits > 0 ? 1 - tally.classDefects[at]! / visits : 1;
      const analytic = analysis === null ? null : step.cumulative;
      return { kind: step.kind, element: step.element, simulated: product, analytic };
    });
    return [{ class: c.id, share: c.share, steps }];
  });
}

/**
 * Weeks pooled over replications. The last weeks are reached by only some replications (each ends
 * when its counted patients have arrived), so weeks with fewer than half the median number of
 * journeys are left out: they are artefacts of where the runs stop, not of the system.
 */
function weekly(tally: Tally): WeeklyPoint[] {
  const points: WeeklyPoint[] = [];
  tally.weekly.forEach(([patients, ok], week) => {
    if (patients > 0) points.push({ week: week + 1, patients, defect_free: ok });
  });
  const sizes = points.map((p) => p.patients).sort((a, b) => a - b);
  const median = sizes[Math.floor(sizes.length / 2)] ?? 0;
  return points.filter((p) => p.patients >= median / 2);
}

function sum(a: Float64Array): number {
  let s = 0;
  for (const x of a) s += x;
  return s;
}

// The leverage ranking: for every failure mode of every microsystem and handoff, how much would the
// whole journey gain if that mode were removed (p = 0) or halved? The list a team uses to
// "establish ownership of the leverage processes in the space between microsystems".
//
// Reliability is exact: `analyze` on the modified model (the Markov chain of docs/semantics.md),
// no sampling error. Mortality needs time-to-treatment, so it is simulated — every variant on the
// same patients with common random numbers and a paired interval (see compare.ts) — which keeps a
// ranking over many small changes readable: most of the noise cancels in the differences.
// Without a mortality model nothing is simulated (unless the routing has no analytic solution,
// in which case reliability is simulated too).

import { withOverrides } from "../model/simulate.js";
import {
  DEFAULT_SEVERITY,
  type FailureMode,
  handoffKey,
  type ModelSpec,
  SEVERITIES,
  type Severity,
} from "../model/spec.js";
import { resolveWarmup } from "../model/warmup.js";
import { type BatchedRun, difference, runBatched } from "./compare.js";
import { AnalysisError } from "./markov.js";
import { analyzeOrNull, type RunOptions } from "./run.js";
import { leverageOverSets, type SensitivityUncertainty } from "./sensitivity-uncertainty.js";
import type { Interval } from "./summary.js";
import { changedModel, type ElementChange, variantDefectFree } from "./variants.js";

export interface SensitivityFigure {
  /** Variant minus baseline. */
  estimate: number;
  /** 95% interval of a simulated figure; null for an exact one. */
  ci95: Interval | null;
  method: "analytic" | "simulated";
}

export interface SensitivityChange {
  reliability: SensitivityFigure;
  /** Expected deaths per 1000; null without a mortality model. */
  mortality_per_1000: SensitivityFigure | null;
}

export interface SensitivityItem {
  /** Microsystem id, or handoff key "from->to". */
  element: string;
  kind: "microsystem" | "handoff";
  /** The element as people name it: the microsystem's name, or "From name → To name". */
  where: string;
  mode: string;
  name: string;
  /** The mode's probability in the scenario. */
  p: number;
  /**
   * With `when` conditions, the lowest and highest p a visit can have (its own p and its
   * conditions'); null without conditions.
   */
  p_range: [number, number] | null;
  /** How badly its defect harms a patient (AHRQ Common Formats harm scale): the ranking's first key. */
  severity: Severity;
  remove: SensitivityChange;
  halve: SensitivityChange;
}

/** What the ranking sorts by: the gain in reliability from removal, or the deaths it avoids. */
export type SensitivityRank = "reliability" | "deaths";
export const SENSITIVITY_RANKS: readonly SensitivityRank[] = ["reliability", "deaths"];

export interface SensitivityOptions extends RunOptions {
  /** Default "reliability"; "deaths" needs a mortality model. */
  rank?: SensitivityRank;
}

export interface Sensitivity {
  scenario: string;
  seed: number;
  /** What `items` is sorted by. */
  rank: SensitivityRank;
  /** Patients simulated per variant (0 when nothing needed simulating). */
  patients: number;
  baseline: {
    reliability: number;
    reliability_method: "analytic" | "simulated";
    mortality_per_1000: number | null;
  };
  /**
   * Sorted by `rank`: the most severe harm avoided first; within one severity, the reliability gain
   * from removal (then deaths avoided), or the deaths avoided by removal (then the reliability gain).
   */
  items: SensitivityItem[];
  /** With --uncertainty N: the reliability gains over N parameter sets (exact per set). */
  uncertainty?: SensitivityUncertainty | null;
}

/**
 * Patients per variant unless the caller says otherwise. Every mode is simulated twice, and common
 * random numbers make the paired differences precise on far fewer patients than a lone run needs.
 */
export const SENSITIVITY_PATIENTS = 20_000;

/** Change from the baseline when one failure mode is changed (variant − baseline). */
export interface LeverageEffect {
  /** Change in whole-system reliability as a share (0.02 = two percentage points more defect-free). */
  reliability: number;
  /** Change in expected deaths per 1000 patients (negative = deaths avoided); null without a mortality model. */
  mortality_per_1000: number | null;
}

/** One failure mode of the leverage (tornado) chart. */
export interface LeverageItem {
  /** Microsystem id, or a handoff key "from->to". */
  element: string;
  kind: "microsystem" | "handoff";
  /** Failure mode id. */
  mode: string;
  /** Its severity (AHRQ Common Formats harm scale). */
  severity: Severity;
  /** The mode removed (p = 0). */
  remove: LeverageEffect;
  /** The mode's probability halved. */
  halve: LeverageEffect;
}

/** One failure mode and where it sits in the model. */
interface ModeRef {
  kind: SensitivityItem["kind"];
  element: string;
  /** Index of the microsystem or handoff in its list. */
  at: number;
  /** Index of the mode in the element's failures. */
  index: number;
}

/** Every failure mode that can happen (p > 0), microsystems first, in list order. */
export function failureModes(spec: ModelSpec): ModeRef[] {
  const out: ModeRef[] = [];
  spec.microsystems.forEach((m, at) => {
    m.failures.forEach((f, index) => {
      if (canHappen(f)) out.push({ kind: "microsystem", element: m.id, at, index });
    });
  });
  spec.handoffs.forEach((h, at) => {
    h.failures.forEach((f, index) => {
      if (canHappen(f)) out.push({ kind: "handoff", element: handoffKey(h.from, h.to), at, index });
    });
  });
  return out;
}

/** The lowest and highest p of a mode over its contexts (own p and `when` conditions); null without conditions. */
function pRange(f: FailureMode): [number, number] | null {
  if (f.when === undefined || f.when.length === 0) return null;
  const ps = [f.p, ...f.when.map((c) => c.p)];
  return [Math.min(...ps), Math.max(...ps)];
}

/** Whether a mode can happen: its own p, or the p of one of its `when` conditions, is above 0. */
function canHappen(f: FailureMode): boolean {
  return f.p > 0 || (f.when ?? []).some((c) => c.p > 0);
}

/**
 * The element of `ref` with its mode's probability scaled by `factor` — in every context: its own
 * p and its `when` conditions'.
 */
function scaledElement(spec: ModelSpec, ref: ModeRef, factor: number): ElementChange {
  const el = ref.kind === "microsystem" ? spec.microsystems[ref.at]! : spec.handoffs[ref.at]!;
  const scaled = (f: FailureMode): FailureMode => ({
    ...f,
    p: f.p * factor,
    ...(f.when === undefined ? {} : { when: f.when.map((c) => ({ ...c, p: c.p * factor })) }),
  });
  return {
    kind: ref.kind,
    at: ref.at,
    failures: el.failures.map((f, i) => (i === ref.index ? scaled(f) : f)),
  };
}

/** The model with one mode's probability scaled by `factor`; every id kept, so random streams match. */
export function scaleMode(spec: ModelSpec, ref: ModeRef, factor: number): ModelSpec {
  return changedModel(spec, scaledElement(spec, ref, factor));
}

/** The two changes ranked for every mode: removed, then halved. */
const FACTORS = [0, 0.5] as const;

function modeOf(spec: ModelSpec, ref: ModeRef): FailureMode {
  const el = ref.kind === "microsystem" ? spec.microsystems[ref.at]! : spec.handoffs[ref.at]!;
  return el.failures[ref.index]!;
}

function whereOf(spec: ModelSpec, ref: ModeRef, names: ReadonlyMap<string, string>): string {
  const name = (id: string): string => names.get(id) ?? id;
  if (ref.kind === "microsystem") return name(ref.element);
  const h = spec.handoffs[ref.at]!;
  return `${name(h.from)} → ${name(h.to)}`;
}

/**
 * The leverage ranking. `options.patients` (default: the scenario's, at most SENSITIVITY_PATIENTS)
 * and `seed` override the scenario's; `onProgress` counts simulated units over every variant.
 */
export async function sensitivity(spec: ModelSpec, options: SensitivityOptions = {}): Promise<Sensitivity> {
  const by = options.rank ?? "reliability";
  if (by === "deaths" && spec.mortality === null)
    throw new AnalysisError(
      "ranking by deaths needs a mortality model (outcomes.mortality in the scenario); rank by reliability instead",
    );
  const patients = options.patients ?? Math.min(spec.patients, SENSITIVITY_PATIENTS);
  // One warm-up for the model and all its variants (chosen once when the file sets none).
  const effective = resolveWarmup(withOverrides(spec, { ...options, patients })).model;
  const refs = failureModes(effective);
  const exactBase = analyzeOrNull(effective)?.overall.defectFree ?? null;
  // Every variant's exact reliability from one factorisation per class (analysis/variants.ts).
  const exact =
    exactBase === null
      ? refs.flatMap(() => FACTORS.map(() => null))
      : variantDefectFree(
          effective,
          refs.flatMap((ref) => FACTORS.map((factor) => scaledElement(effective, ref, factor))),
        );
  // Mortality needs the simulation; so does reliability when the routing has no exact solution
  // (for the model, or for a variant: removing a loop's only way out leaves none).
  const simulate = effective.mortality !== null || exact.some((x) => x === null);
  const run = runner(options, simulate ? 1 + 2 * refs.length : 0);
  const base = simulate ? await run(effective) : null;
  const items: SensitivityItem[] = [];
  const names = new Map(effective.microsystems.map((m) => [m.id, m.name]));
  for (const [r, ref] of refs.entries()) {
    const change = async (k: number): Promise<SensitivityChange> => {
      const reliability = exact[r * FACTORS.length + k] ?? null;
      // The variant as a model only when it is simulated (a copy of the model per mode otherwise).
      const variant = base === null ? null : scaleMode(effective, ref, FACTORS[k]!);
      return changeOf(variant, exactBase, reliability, base, variant === null ? null : await run(variant));
    };
    const mode = modeOf(effective, ref);
    const where = whereOf(effective, ref, names);
    const { kind, element } = ref;
    items.push({
      element,
      kind,
      where,
      mode: mode.id,
      name: mode.name,
      p: mode.p,
      p_range: pRange(mode),
      severity: mode.severity ?? DEFAULT_SEVERITY,
      remove: await change(0),
      halve: await change(1),
    });
  }
  const ranked = rank(items, by);
  const uncertainty =
    options.uncertainty === undefined
      ? undefined
      : leverageOverSets(effective, options.uncertainty, effective.seed);
  return {
    ...(uncertainty === undefined
      ? {}
      : {
          uncertainty:
            uncertainty === null
              ? null
              : {
                  ...uncertainty,
                  items: ranked.map(
                    (r) => uncertainty.items.find((u) => u.element === r.element && u.mode === r.mode)!,
                  ),
                },
        }),
    scenario: effective.name,
    seed: effective.seed,
    rank: by,
    patients: base === null ? 0 : base.summary.patients,
    baseline: {
      reliability: exactBase ?? base?.summary.reliability.estimate ?? Number.NaN,
      reliability_method: exactBase === null ? "simulated" : "analytic",
      mortality_per_1000: base?.summary.outcomes.mortality_per_1000?.expected ?? null,
    },
    items: ranked,
  };
}

/**
 * The exact leverage of every failure mode on reliability (no simulation: milliseconds), for the
 * tornado chart of a run; null when the routing has no exact answer (ranking it would need a
 * simulation per failure mode, which is `sensitivity`'s job).
 */
export async function leverage(model: ModelSpec): Promise<LeverageItem[] | null> {
  if (analyzeOrNull(model) === null) return null;
  const ranked = await sensitivity({ ...model, mortality: null });
  const effect = (c: SensitivityChange): LeverageEffect => ({
    reliability: c.reliability.estimate,
    mortality_per_1000: c.mortality_per_1000?.estimate ?? null,
  });
  return ranked.items.map((item) => ({
    element: item.element,
    kind: item.kind,
    mode: item.mode,
    severity: item.severity,
    remove: effect(item.remove),
    halve: effect(item.halve),
  }));
}

/** Runs scenarios one after the other, reporting progress over all `runs` of them. */
function runner(options: RunOptions, runs: number): (spec: ModelSpec) => Promise<BatchedRun> {
  let finished = 0;
  return async (spec) => {
    const offset = finished;
    const progress = (done: number, total: number): void =>
      options.onProgress?.(offset * total + done, runs * total);
    const result = await runBatched(spec, { ...options, onProgress: progress });
    finished++;
    return result;
  };
}

function changeOf(
  variant: ModelSpec | null,
  exactBase: number | null,
  exact: number | null,
  base: BatchedRun | null,
  run: BatchedRun | null,
): SensitivityChange {
  const simulated = (key: string): SensitivityFigure => {
    const d = difference(key, base!, run!, true);
    return { estimate: d.estimate, ci95: d.ci95, method: "simulated" };
  };
  const reliability: SensitivityFigure =
    exact === null || exactBase === null
      ? simulated("reliability")
      : { estimate: exact - exactBase, ci95: null, method: "analytic" };
  const mortality =
    run !== null && variant !== null && variant.mortality !== null ? simulated("mortality_per_1000") : null;
  return { reliability, mortality_per_1000: mortality };
}

/**
 * The leverage ranking (docs/semantics.md, "Severity"): lexicographic. First the severity of the
 * harm the mode's defects do (a wrong drug before a late letter, however often the letter is late);
 * within one severity, the largest reliability gain from removal, then the most deaths avoided (or,
 * by deaths, the other way round); then list order (a stable sort). The tolerance keeps rounding
 * noise between equal figures from shuffling identical modes.
 */
export function rank<T extends Pick<SensitivityItem, "severity" | "remove">>(
  items: readonly T[],
  by: SensitivityRank = "reliability",
): T[] {
  const level = (i: T): number => SEVERITIES.indexOf(i.severity);
  const gain = (i: T): number => i.remove.reliability.estimate;
  const avoided = (i: T): number => 0 - (i.remove.mortality_per_1000?.estimate ?? 0);
  const keys = by === "deaths" ? [avoided, gain] : [gain, avoided];
  return [...items].sort((a, b) => {
    const bySeverity = level(b) - level(a);
    if (bySeverity !== 0) return bySeverity;
    for (const key of keys) {
      const d = key(b) - key(a);
      if (Math.abs(d) > 1e-12) return d;
    }
    return 0;
  });
}

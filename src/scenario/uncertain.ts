// Uncertain inputs as written → the plain value a run uses and the distribution a parameter set
// draws from (docs/semantics.md §9). The compiled model keeps plain numbers; the uncertain inputs are
// listed beside it (`ModelSpec.parameters`), each once, with every field its value goes to.
//
// Plain values: every input's mean, as issue 14 asks — a probability's Beta mean (so the exact
// reliability is exact at the posterior means) and a multiplier's lognormal mean,
// median·exp(σ²/2), which lies a little above the published median (for RR 1.075 (1.008–1.15),
// 1.0756).

import type {
  Handoff,
  Microsystem,
  ParameterDistribution,
  ParameterTarget,
  UncertainParameter,
} from "../model/spec.js";
import { distributionKey, handoffKey } from "../model/spec.js";

export { scaledProbability } from "../model/rules.js";
export { distributionKey };

import type { FailureModeInput, MultiplierInput, Scenario, UncertainProbabilityInput } from "./format.js";
import { parseProbability } from "./units.js";

/** 95% two-sided normal quantile (the same constant as analysis/stats.ts; no import across layers). */
const Z95 = 1.959963984540054;

/** `{ observed, of }` or `{ beta: [a, b] }` (a per-class mapping of them is not one). */
export function isProbabilityObject(v: unknown): v is Exclude<UncertainProbabilityInput, number | string> {
  if (typeof v !== "object" || v === null) return false;
  const o = v as Record<string, unknown>;
  return (typeof o.observed === "number" && typeof o.of === "number") || Array.isArray(o.beta);
}

/** The value as a distribution, or null for a plain number. */
export function probabilityDistribution(v: UncertainProbabilityInput): ParameterDistribution | null {
  if (!isProbabilityObject(v)) return null;
  if ("observed" in v) return { kind: "beta", a: v.observed + 1, b: v.of - v.observed + 1 };
  return { kind: "beta", a: v.beta[0], b: v.beta[1] };
}

export function multiplierDistribution(v: MultiplierInput): ParameterDistribution | null {
  if (typeof v === "number") return null;
  const [lo, hi] = v.ci95;
  return { kind: "lognormal", median: v.median, sigma: Math.log(hi / lo) / (2 * Z95) };
}

/** The plain value of a distribution: its mean (Beta: a/(a+b); lognormal: median·exp(σ²/2)). */
export function plainValue(d: ParameterDistribution): number {
  return d.kind === "beta" ? d.a / (d.a + d.b) : d.median * Math.exp((d.sigma * d.sigma) / 2);
}

export function plainProbability(v: UncertainProbabilityInput): number {
  const d = probabilityDistribution(v);
  if (d !== null) return plainValue(d);
  const p = parseProbability(v as number | string);
  if (p === null) throw new Error(`internal error: probability ${String(v)} passed validation`);
  return p;
}

/** The plain value of a probability as written, or null when it is not a valid one. */
export function probabilityOrNull(v: UncertainProbabilityInput): number | null {
  return isProbabilityObject(v) ? plainProbability(v) : parseProbability(v as number | string);
}

export function plainMultiplier(v: MultiplierInput): number {
  const d = multiplierDistribution(v);
  return d === null ? (v as number) : plainValue(d);
}

/** The `id` written with an uncertain value, if any. */
function writtenId(v: unknown): string | undefined {
  return typeof v === "object" && v !== null && "id" in v && typeof v.id === "string" ? v.id : undefined;
}

const MODE_FIELDS = ["p", "detect", "harm", "relative_risk"] as const;
type ModeField = (typeof MODE_FIELDS)[number];

/** Collects parameters by identity, in the order they are first written. */
class ParameterList {
  private readonly byId = new Map<string, UncertainParameter>();

  add(
    written: unknown,
    distribution: ParameterDistribution | null,
    identity: string,
    label: string,
    target: ParameterTarget,
  ): void {
    if (distribution === null) return;
    const id = writtenId(written) ?? identity;
    const known = this.byId.get(id);
    if (known !== undefined) {
      known.targets.push(target);
      known.label = `${known.label.replace(/ \(\d+ places\)$/, "")} (${known.targets.length} places)`;
      return;
    }
    this.byId.set(id, { id, label, distribution, value: plainValue(distribution), targets: [target] });
  }

  get list(): UncertainParameter[] {
    return [...this.byId.values()];
  }
}

function modeDistribution(f: FailureModeInput, field: ModeField): ParameterDistribution | null {
  if (field === "p" || field === "detect") return probabilityDistribution(f[field]);
  const v = f[field];
  return v === undefined ? null : multiplierDistribution(v);
}

/**
 * The uncertain inputs of a valid scenario, given its compiled microsystems and handoffs (for
 * names and for which handoffs take handoff_defaults' failures).
 */
export function compileParameters(
  s: Scenario,
  microsystems: Microsystem[],
  handoffs: Handoff[],
): UncertainParameter[] {
  const params = new ParameterList();
  const names = new Map(microsystems.map((m) => [m.id, m.name]));
  const addModes = (modes: readonly FailureModeInput[], owner: string, element: string, where: string) => {
    for (const f of modes) {
      for (const field of MODE_FIELDS) {
        params.add(
          f[field],
          modeDistribution(f, field),
          `${owner}#${f.id}#${field}`,
          `${where} · ${f.name ?? f.id} · ${field}`,
          {
            kind: "mode",
            element,
            mode: f.id,
            field,
          },
        );
      }
    }
  };
  for (const m of s.microsystems) addModes(m.failures ?? [], m.id, m.id, m.name ?? m.id);
  const listed = new Map((s.handoffs ?? []).map((h) => [handoffKey(h.from, h.to), h]));
  for (const h of handoffs) {
    const key = handoffKey(h.from, h.to);
    const where = `${names.get(h.from) ?? h.from} → ${names.get(h.to) ?? h.to}`;
    const own = listed.get(key)?.failures;
    if (own !== undefined) addModes(own, key, key, where);
    else addModes(s.handoff_defaults?.failures ?? [], "handoff_defaults", key, where);
  }
  const mortality = s.outcomes?.mortality;
  if (mortality) {
    const classIds = s.classes?.map((c) => c.id) ?? ["all"];
    const base = mortality.base;
    const isPerClass = !isProbabilityObject(base);
    for (const classId of classIds) {
      const v = isPerClass ? (base as Record<string, UncertainProbabilityInput>)[classId] : base;
      if (v === undefined) continue;
      const identity = isPerClass ? `mortality#base#${classId}` : "mortality#base";
      const label = isPerClass ? `Base 30-day mortality · ${classId}` : "Base 30-day mortality";
      params.add(v, probabilityDistribution(v as UncertainProbabilityInput), identity, label, {
        kind: "base",
        classId,
      });
    }
    // One term (an object) keeps the identity it always had; a list numbers its terms.
    const delay = mortality.delay;
    const terms = delay === undefined ? [] : Array.isArray(delay) ? delay : [delay];
    terms.forEach((d, term) => {
      const listed = Array.isArray(delay);
      params.add(
        d.rr_per_30min,
        multiplierDistribution(d.rr_per_30min),
        listed ? `mortality#rr_per_30min#${term}` : "mortality#rr_per_30min",
        listed ? `Relative risk per 30 min of delay · term ${term + 1}` : "Relative risk per 30 min of delay",
        { kind: "rr_per_30min", term },
      );
    });
  }
  return params.list;
}

// Parameter sets: the uncertain inputs of a model drawn, and the model rebuilt with the drawn
// numbers (docs/semantics.md §9). A set is drawn BEFORE a run and yields a plain model, so the
// simulator never sees a distribution.
//
// Streams. The value of parameter P in draw d is the quantile of P's distribution at the uniform
// u = draw(root(seed), key(P), d): a pure function of (seed, draw index, P's identity and
// distribution). So the same parameter takes the same value in a baseline and in a variant that
// shares it (draw for draw), results are the same for any number of workers, and a variant that
// changes a parameter's distribution (a new audit) draws it from a stream of its own.
import { normalQuantile } from "../engine/normal.js";
import { draw, mix, seedKey, stringKey } from "../engine/random.js";
import { scaledProbability } from "../model/rules.js";
import type {
  FailureMode,
  ModelSpec,
  ParameterDistribution,
  ParameterTarget,
  UncertainParameter,
} from "../model/spec.js";
import { distributionKey, handoffKey } from "../model/spec.js";
import { betaQuantile } from "./stats.js";

/** Separates the parameter streams from every journey stream of the same seed. */
const PARAMETER_STREAMS = stringKey("uncertainty#parameters");

/** The quantile function of a parameter's distribution. */
export function quantile(d: ParameterDistribution, u: number): number {
  return d.kind === "beta" ? betaQuantile(u, d.a, d.b) : d.median * Math.exp(d.sigma * normalQuantile(u));
}

/** The distribution's mean (a Beta's a/(a+b); a lognormal's median·e^(σ²/2)). */
export function distributionMean(d: ParameterDistribution): number {
  return d.kind === "beta" ? d.a / (d.a + d.b) : d.median * Math.exp((d.sigma * d.sigma) / 2);
}

/** The value of `p` in draw `index` for `seed`. */
export function drawParameter(seed: number, index: number, p: UncertainParameter): number {
  const root = mix(seedKey(seed), PARAMETER_STREAMS);
  const site = stringKey(`${p.id}|${distributionKey(p.distribution)}`);
  return quantile(p.distribution, draw(root, site, index, 0));
}

/** Every parameter's value in draw `index`, by parameter id. */
export function drawParameters(spec: ModelSpec, seed: number, index: number): Map<string, number> {
  return new Map((spec.parameters ?? []).map((p) => [p.id, drawParameter(seed, index, p)]));
}

/**
 * The model with the given parameter values (by id; missing ones keep their plain value): a plain
 * model with numbers, the parameters list unchanged. Only the parts a parameter touches are copied.
 */
export function withParameters(spec: ModelSpec, values: ReadonlyMap<string, number>): ModelSpec {
  const modes = new Map<string, Partial<Record<ModeField, number>>>();
  let base: Record<string, number> | null = null;
  const rr = new Map<number, number>();
  for (const p of spec.parameters ?? []) {
    const v = values.get(p.id);
    if (v === undefined) continue;
    for (const t of p.targets) {
      if (t.kind === "mode") {
        const key = modeKey(t.element, t.mode);
        modes.set(key, { ...modes.get(key), [t.field]: v });
      } else if (t.kind === "base") {
        base ??= { ...spec.mortality?.base };
        base[t.classId] = v;
      } else rr.set(t.term ?? 0, v);
    }
  }
  const apply = (element: string, list: FailureMode[]): FailureMode[] =>
    list.map((f) => {
      const drawn = modes.get(modeKey(element, f.id));
      return drawn === undefined ? f : withModeValues(f, drawn);
    });
  const mortality =
    spec.mortality === null || (base === null && rr.size === 0)
      ? spec.mortality
      : {
          ...spec.mortality,
          base: base ?? spec.mortality.base,
          delays: spec.mortality.delays.map((d, i) => {
            const drawn = rr.get(i);
            return drawn === undefined ? d : { ...d, rrPer30Min: drawn };
          }),
        };
  return {
    ...spec,
    microsystems: spec.microsystems.map((m) => ({ ...m, failures: apply(m.id, m.failures) })),
    handoffs: spec.handoffs.map((h) => ({ ...h, failures: apply(handoffKey(h.from, h.to), h.failures) })),
    mortality,
  };
}

type ModeField = Extract<ParameterTarget, { kind: "mode" }>["field"];

function modeKey(element: string, mode: string): string {
  return `${element}\u0000${mode}`;
}

/** A failure mode with drawn values; p is recomputed from its base p and relative risk. */
function withModeValues(f: FailureMode, drawn: Partial<Record<ModeField, number>>): FailureMode {
  const out: FailureMode = { ...f };
  if (drawn.detect !== undefined) out.detect = drawn.detect;
  if (drawn.harm !== undefined) out.harm = drawn.harm;
  if (f.relativeRisk === undefined) {
    if (drawn.p !== undefined) out.p = drawn.p;
    return out;
  }
  out.baseP = drawn.p ?? f.baseP ?? f.p;
  const rr = drawn.relative_risk ?? f.relativeRisk;
  out.relativeRisk = rr;
  out.p = scaledProbability(out.baseP, rr);
  // The `when` conditions' probabilities take the same relative risk.
  if (f.when !== undefined)
    out.when = f.when.map((c) => ({ ...c, p: scaledProbability(c.baseP ?? c.p, rr) }));
  return out;
}

/** The model of draw `index`: the scenario with that draw's parameter values. */
export function parameterSet(spec: ModelSpec, seed: number, index: number): ModelSpec {
  return withParameters(spec, drawParameters(spec, seed, index));
}

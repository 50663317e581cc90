// Uncertain inputs and costs that are valid one by one but not together (docs/semantics.md §9–10):
// an `id` shared by values of different distributions, a relative risk that makes a probability
// exceed 1, a yearly programme cost with no yearly volume to share it out over.

import type { ParameterDistribution } from "../../model/spec.js";
import { type Finding, problem } from "../finding.js";
import type { MultiplierInput, UncertainProbabilityInput } from "../format.js";
import { type Path, quoted } from "../issues.js";
import {
  distributionKey,
  isProbabilityObject,
  multiplierDistribution,
  plainMultiplier,
  probabilityDistribution,
  probabilityOrNull,
} from "../uncertain.js";
import type { ScenarioView } from "../view.js";
import { allFailureModes } from "./walk.js";

export function checkUncertainty(view: ScenarioView): Finding[] {
  return [...sharedIds(view), ...relativeRisks(view), ...programmeCost(view)];
}

interface Written {
  path: Path;
  id: string;
  distribution: ParameterDistribution;
}

/** Every uncertain value written with an `id`, in file order. */
function withIds(view: ScenarioView): Written[] {
  const out: Written[] = [];
  const add = (path: Path, v: unknown, d: ParameterDistribution | null): void => {
    if (d !== null && typeof v === "object" && v !== null && "id" in v && typeof v.id === "string")
      out.push({ path, id: v.id, distribution: d });
  };
  for (const { path, value: f } of allFailureModes(view)) {
    add([...path, "p"], f.p, probabilityDistribution(f.p));
    add([...path, "detect"], f.detect, probabilityDistribution(f.detect));
    add([...path, "harm"], f.harm, multiplierDistribution(f.harm));
    if (f.relative_risk !== undefined)
      add([...path, "relative_risk"], f.relative_risk, multiplierDistribution(f.relative_risk));
  }
  const mortality = view.top.outcomes?.mortality;
  if (mortality) {
    const base = mortality.base;
    const at: Path = ["outcomes", "mortality", "base"];
    if (typeof base === "object" && !isProbabilityObject(base)) {
      for (const [cls, v] of Object.entries(base as Record<string, UncertainProbabilityInput>))
        add([...at, cls], v, probabilityDistribution(v));
    } else add(at, base, probabilityDistribution(base));
    const delay = mortality.delay;
    const terms: { rr: MultiplierInput; at: Path }[] =
      delay === undefined
        ? []
        : Array.isArray(delay)
          ? delay.map((d, i) => ({ rr: d.rr_per_30min, at: ["outcomes", "mortality", "delay", i] }))
          : [{ rr: delay.rr_per_30min, at: ["outcomes", "mortality", "delay"] }];
    for (const { rr, at: term } of terms) add([...term, "rr_per_30min"], rr, multiplierDistribution(rr));
  }
  return out;
}

/** One id is one parameter: every value written with it must have the same distribution. */
function sharedIds(view: ScenarioView): Finding[] {
  const first = new Map<string, Written>();
  const out: Finding[] = [];
  for (const w of withIds(view)) {
    const earlier = first.get(w.id);
    if (earlier === undefined) {
      first.set(w.id, w);
      continue;
    }
    if (distributionKey(earlier.distribution) === distributionKey(w.distribution)) continue;
    out.push({
      ...problem(
        [...w.path, "id"],
        `parameter id ${quoted(w.id)} is written with another distribution before: one id is one parameter, so every value with it must be the same`,
      ),
      related: [...earlier.path, "id"],
    });
  }
  return out;
}

/** p × relative_risk is a probability: at the plain values it must not exceed 1. */
function relativeRisks(view: ScenarioView): Finding[] {
  return allFailureModes(view).flatMap(({ path, value: f }) => {
    if (f.relative_risk === undefined) return [];
    const p = probabilityOrNull(f.p);
    const rr = plainMultiplier(f.relative_risk);
    if (p === null || p * rr <= 1) return [];
    return [
      problem(
        [...path, "relative_risk"],
        `p × relative_risk is ${Number((p * rr).toPrecision(6))} (more than 1): a relative risk above 1/p makes p impossible`,
      ),
    ];
  });
}

/** A yearly programme cost is shared out over the patients of a year: it needs volume_per_year. */
function programmeCost(view: ScenarioView): Finding[] {
  const perYear = view.top.programme_cost?.per_year;
  if (perYear === undefined || perYear === 0 || view.top.volume_per_year !== undefined) return [];
  return [
    problem(
      ["programme_cost", "per_year"],
      "a cost per year needs volume_per_year (patients a year) to be shared out per patient",
    ),
  ];
}

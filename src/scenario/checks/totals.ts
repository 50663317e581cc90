// Figures that must agree with each other: class shares sum to 1, replications fit in the
// patients, and a per-class mortality base covers every class.

import { type Finding, mismatch, problem } from "../finding.js";
import { quoted } from "../issues.js";
import { isRecord } from "../source-map.js";
import { isProbabilityObject } from "../uncertain.js";
import { parseProbability } from "../units.js";
import type { ScenarioView } from "../view.js";
import { SUM_TOLERANCE } from "./routing.js";

export function checkTotals(view: ScenarioView): Finding[] {
  return [...checkShares(view), ...checkReplications(view), ...checkMortalityBase(view)];
}

function checkShares(view: ScenarioView): Finding[] {
  if (view.classes === undefined || !view.complete.classes) return [];
  const sum = view.classes.reduce((s, c) => s + (parseProbability(c.value.share) ?? 0), 0);
  if (Math.abs(sum - 1) <= SUM_TOLERANCE) return [];
  return [problem(["classes"], `class shares sum to ${Number(sum.toPrecision(12))}, expected 1`)];
}

function checkReplications(view: ScenarioView): Finding[] {
  const { replications, patients } = view.top;
  if (replications === undefined || patients === undefined || replications <= patients) return [];
  return [mismatch(["replications"], replications, `at most the number of patients (${patients})`)];
}

function checkMortalityBase(view: ScenarioView): Finding[] {
  const base = view.top.outcomes?.mortality?.base;
  if (!isRecord(base) || isProbabilityObject(base) || !view.complete.classes) return [];
  const missing = view.classIds.filter((cls) => !Object.hasOwn(base, cls));
  return missing.map((cls) =>
    problem(["outcomes", "mortality", "base"], `no base risk for class ${quoted(cls)}`),
  );
}

// Routing rules of docs/semantics.md point 4, checked for every class: at each microsystem with
// routes, the class has eligible routes, and their `p` sum to 1 (a single one may omit `p`). And a
// listed handoff must be an edge a patient can travel (a route or a microsystem-level goto).

import { eligibleRoutes } from "../../model/rules.js";
import { handoffKey } from "../../model/spec.js";
import { type Finding, problem } from "../finding.js";
import type { MicrosystemInput } from "../format.js";
import type { Entry, ScenarioView } from "../view.js";
import { handoffEdges, type RouteRef, routesOf } from "./graph.js";

/** Tolerance of sums that must be 1 (probabilities written with a few decimals). */
export const SUM_TOLERANCE = 1e-9;

export function checkRouting(view: ScenarioView): Finding[] {
  return [...view.microsystems.flatMap((entry) => checkRoutesOf(view, entry)), ...checkHandoffEdges(view)];
}

/** Classes grouped by the routes eligible for them, so one mistake is reported once. */
function groupByEligible(
  routes: RouteRef[],
  classIds: readonly string[],
): { classes: string[]; routes: RouteRef[] }[] {
  const groups = new Map<string, { classes: string[]; routes: RouteRef[] }>();
  for (const cls of classIds) {
    const eligible = eligibleRoutes(routes, cls);
    const key = eligible.map((r) => routes.indexOf(r)).join(",");
    const group = groups.get(key) ?? { classes: [], routes: eligible };
    group.classes.push(cls);
    groups.set(key, group);
  }
  return [...groups.values()];
}

function checkRoutesOf(view: ScenarioView, entry: Entry<MicrosystemInput>): Finding[] {
  // With an invalid route left out, sums would be wrong: the invalid route is reported already.
  if (entry.dropped.has("next")) return [];
  const routes = routesOf(view, entry);
  if (routes.length === 0) return [];
  const nextPath = ["microsystems", entry.index, "next"];
  // Naming the classes only helps when the routes differ between classes.
  const forWhom = (classes: string[]) =>
    classes.length === view.classIds.length ? "" : ` for ${classList(classes)}`;
  return groupByEligible(routes, view.classIds).flatMap(({ classes, routes: eligible }): Finding[] => {
    if (eligible.length === 0) {
      return [
        problem(
          nextPath,
          `${classList(classes)} ${classes.length > 1 ? "have" : "has"} no route out of "${entry.value.id}"`,
        ),
      ];
    }
    if (eligible.length === 1 && eligible[0]?.p === undefined) return [];
    const missing = eligible.filter((r) => r.p === undefined);
    if (missing.length > 0) {
      return missing.map((r) => problem(r.path, `missing p: several routes are eligible${forWhom(classes)}`));
    }
    const sum = eligible.reduce((s, r) => s + (r.p ?? 0), 0);
    if (Math.abs(sum - 1) <= SUM_TOLERANCE) return [];
    return [problem(nextPath, `route probabilities${forWhom(classes)} sum to ${round(sum)}, expected 1`)];
  });
}

function classList(classes: string[]): string {
  return `${classes.length > 1 ? "classes" : "class"} ${classes.map((c) => `"${c}"`).join(", ")}`;
}

/** A sum as users wrote its terms (no floating-point noise such as 0.30000000000000004). */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

function checkHandoffEdges(view: ScenarioView): Finding[] {
  // Without every microsystem's routes, a missing edge could be a route we could not read.
  if (!view.complete.microsystems) return [];
  const edges = handoffEdges(view);
  const known = new Set(view.ids.microsystems);
  return view.handoffs
    .filter((h) => known.has(h.value.from) && known.has(h.value.to))
    .filter((h) => !edges.has(handoffKey(h.value.from, h.value.to)))
    .map((h) =>
      problem(
        ["handoffs", h.index],
        `no route or goto from "${h.value.from}" to "${h.value.to}": a handoff must be an edge of the journey`,
      ),
    );
}

// Routing rules of docs/semantics.md point 4, checked for every class: at each microsystem with
// routes, the class has eligible routes, and their `p` sum to 1 (a single one may omit `p`). And a
// listed handoff must be an edge a patient can travel (a route or a microsystem-level goto).

import { eligibleRoutes } from "../../model/rules.js";
import { handoffKey } from "../../model/spec.js";
import { type Finding, problem } from "../finding.js";
import type { MicrosystemInput } from "../format.js";
import { quoted } from "../issues.js";
import type { Entry, ScenarioView } from "../view.js";
import { type ClassGroup, classGroups, classList, inClassOrder } from "./classes.js";
import { handoffEdges, type RouteRef, routesOf } from "./graph.js";

/** Tolerance of sums that must be 1 (probabilities written with a few decimals). */
export const SUM_TOLERANCE = 1e-9;

export function checkRouting(view: ScenarioView): Finding[] {
  const classes = classGroups(view);
  return [
    ...view.microsystems.flatMap((entry) => checkRoutesOf(view, entry, classes)),
    ...checkHandoffEdges(view),
  ];
}

/** Class groups sharing the routes eligible for them, so one mistake is reported once. */
interface Eligible {
  groups: ClassGroup[];
  routes: RouteRef[];
}

function groupByEligible(routes: RouteRef[], classes: readonly ClassGroup[]): Eligible[] {
  const groups = new Map<string, Eligible>();
  const position = new Map(routes.map((r, i) => [r, i]));
  for (const group of classes) {
    const eligible = eligibleRoutes(routes, group.representative);
    const key = eligible.map((r) => position.get(r)).join(",");
    const found = groups.get(key);
    if (found) found.groups.push(group);
    else groups.set(key, { groups: [group], routes: eligible });
  }
  return [...groups.values()];
}

function checkRoutesOf(
  view: ScenarioView,
  entry: Entry<MicrosystemInput>,
  classes: readonly ClassGroup[],
): Finding[] {
  // With an invalid route left out, sums would be wrong: the invalid route is reported already.
  if (entry.dropped.has("next")) return [];
  const routes = routesOf(view, entry);
  if (routes.length === 0) return [];
  const nextPath = ["microsystems", entry.index, "next"];
  return groupByEligible(routes, classes).flatMap(({ groups, routes: eligible }): Finding[] => {
    // The classes are listed only in a message (thousands of classes would make this quadratic).
    const members = (): string[] =>
      inClassOrder(
        view,
        groups.flatMap((g) => g.classes),
      );
    // Naming the classes only helps when the routes differ between classes.
    const forWhom = (): string => (groups.length === classes.length ? "" : ` for ${classList(members())}`);
    if (eligible.length === 0) {
      const all = members();
      return [
        problem(
          nextPath,
          `${classList(all)} ${all.length > 1 ? "have" : "has"} no route out of ${quoted(entry.value.id)}`,
        ),
      ];
    }
    if (eligible.length === 1 && eligible[0]?.p === undefined) return [];
    const missing = eligible.filter((r) => r.p === undefined);
    if (missing.length > 0) {
      const who = forWhom();
      return missing.map((r) => problem(r.path, `missing p: several routes are eligible${who}`));
    }
    const sum = eligible.reduce((s, r) => s + (r.p ?? 0), 0);
    if (Math.abs(sum - 1) <= SUM_TOLERANCE) return [];
    return [problem(nextPath, `route probabilities${forWhom()} sum to ${round(sum)}, expected 1`)];
  });
}

/** A sum as users wrote its terms (no floating-point noise such as 0.30000000000000004). */
function round(x: number): number {
  return Number(x.toPrecision(12));
}

function checkHandoffEdges(view: ScenarioView): Finding[] {
  // Without every microsystem's routes, a missing edge could be a route we could not read.
  if (!view.complete.graph) return [];
  const edges = handoffEdges(view);
  const known = new Set(view.ids.microsystems);
  return view.handoffs
    .filter((h) => known.has(h.value.from) && known.has(h.value.to))
    .filter((h) => !edges.has(handoffKey(h.value.from, h.value.to)))
    .map((h) =>
      problem(
        ["handoffs", h.index],
        `no route or goto from ${quoted(h.value.from)} to ${quoted(h.value.to)}: a handoff must be an edge of the journey`,
      ),
    );
}

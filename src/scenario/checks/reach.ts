// Every journey must be able to end: from each microsystem, for each class, some path leads to a
// microsystem without a route onward (or to a drop). A trap would run every journey into the visit
// guard, which is a modelling error, not a result.

import { type Finding, problem } from "../finding.js";
import { quoted } from "../issues.js";
import type { ScenarioView } from "../view.js";
import { classGroups, classList, inClassOrder } from "./classes.js";
import { canEnd, journeyGraph } from "./graph.js";

export function checkReachability(view: ScenarioView): Finding[] {
  // Dead ends can only be judged with every route and every drop known (a missing time, say, is
  // no reason to wait: the graph is whole, and this finding is reported beside the time's).
  if (!view.complete.graph) return [];
  const trapped = new Map<number, string[]>();
  for (const group of classGroups(view)) {
    const ending = canEnd(journeyGraph(view, group.representative));
    for (const m of view.microsystems) {
      if (!ending.has(m.value.id)) trapped.set(m.index, [...(trapped.get(m.index) ?? []), ...group.classes]);
    }
  }
  const byIndex = new Map(view.microsystems.map((m) => [m.index, m]));
  return [...trapped].map(([index, classes]) => {
    const m = byIndex.get(index);
    const path =
      m?.value.next === undefined ? ["microsystems", index, "id"] : ["microsystems", index, "next"];
    inClassOrder(view, classes);
    const who = classes.length < view.classIds.length ? ` for ${classList(classes)}` : "";
    return problem(path, `no end of the journey can be reached from ${quoted(m?.value.id ?? "")}${who}`);
  });
}

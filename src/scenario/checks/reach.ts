// Every journey must be able to end: from each microsystem, for each class, some path leads to a
// microsystem without a route onward (or to a drop). A trap would run every journey into the visit
// guard, which is a modelling error, not a result.

import { type Finding, problem } from "../finding.js";
import type { ScenarioView } from "../view.js";
import { canEnd, journeyGraph } from "./graph.js";

export function checkReachability(view: ScenarioView): Finding[] {
  // Dead ends can only be judged with every route and every drop known.
  if (!view.complete.microsystems || !view.complete.handoffs) return [];
  const trapped = new Map<number, string[]>();
  for (const cls of view.classIds) {
    const ending = canEnd(journeyGraph(view, cls));
    for (const m of view.microsystems) {
      if (!ending.has(m.value.id)) trapped.set(m.index, [...(trapped.get(m.index) ?? []), cls]);
    }
  }
  return [...trapped].map(([index, classes]) => {
    const m = view.microsystems.find((e) => e.index === index);
    const path =
      m?.value.next === undefined ? ["microsystems", index, "id"] : ["microsystems", index, "next"];
    const some = classes.length < view.classIds.length;
    const who = some
      ? ` for ${classes.length > 1 ? "classes" : "class"} ${classes.map((c) => `"${c}"`).join(", ")}`
      : "";
    return problem(path, `no end of the journey can be reached from "${m?.value.id}"${who}`);
  });
}

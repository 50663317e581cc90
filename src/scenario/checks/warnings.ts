// Things that are valid but probably not what the author meant: settings that have no effect, and
// parts of the journey no patient can reach. They are reported, never fatal.

import { eligibleRoutes } from "../../model/rules.js";
import { type Finding, problem } from "../finding.js";
import { quoted } from "../issues.js";
import { probabilityOrNull } from "../uncertain.js";
import type { ScenarioView } from "../view.js";
import { classGroups } from "./classes.js";
import { classStart, journeyGraph, reachableFrom, routesOf } from "./graph.js";
import { allFailureModes } from "./walk.js";

export function scenarioWarnings(view: ScenarioView): Finding[] {
  return [
    ...ineffectiveSettings(view),
    ...ineffectiveCapacity(view),
    ...ineffectiveModes(view),
    ...unusedRoutes(view),
    ...unvisited(view),
  ];
}

/** Capacity keys (issue 12) that cannot change anything as written. */
function ineffectiveCapacity(view: ScenarioView): Finding[] {
  const queued = view.top.arrivals !== undefined;
  const used = new Set(view.microsystems.flatMap((m) => (m.value.uses === undefined ? [] : [m.value.uses])));
  const out: Finding[] = [];
  for (const { index, value: m } of view.microsystems) {
    const at = (key: string) => ["microsystems", index, key];
    if (!queued)
      for (const key of ["uses", "blocking", "background", "priority"] as const)
        if (m[key] !== undefined)
          out.push(
            problem(
              at(key),
              `${key} applies only with arrivals: without them journeys never share places`,
              "key",
            ),
          );
    if (m.max_wait === undefined)
      for (const key of ["then", "defect"] as const)
        if (m[key] !== undefined) out.push(problem(at(key), `${key} has no effect without max_wait`, "key"));
    if (queued && m.background !== undefined && m.capacity === undefined && m.uses === undefined)
      out.push(
        problem(
          at("background"),
          "background has no effect: the microsystem has no capacity limit (nobody waits)",
          "key",
        ),
      );
  }
  for (const r of view.resources)
    if (!used.has(r.value.id))
      out.push(problem(["resources", r.index, "id"], `no microsystem uses resource ${quoted(r.value.id)}`));
  if (!queued && view.resources.length > 0)
    out.push(
      problem(
        ["resources"],
        "resources apply only with arrivals: without them journeys never share places",
        "key",
      ),
    );
  return out;
}

function ineffectiveSettings(view: ScenarioView): Finding[] {
  return view.microsystems.flatMap(({ index, value: m }) => {
    const at = (key: string) => ["microsystems", index, key];
    const out: Finding[] = [];
    if (m.capacity !== undefined && view.top.arrivals === undefined) {
      out.push(
        problem(
          at("capacity"),
          "capacity applies only with arrivals: without them journeys never share it",
          "key",
        ),
      );
    }
    if (m.hours !== undefined && m.off_hours_delay === undefined) {
      out.push(problem(at("hours"), "hours have no effect without off_hours_delay", "key"));
    }
    if (m.off_hours_delay !== undefined && m.hours === undefined) {
      out.push(problem(at("off_hours_delay"), "off_hours_delay has no effect without hours", "key"));
    }
    return out;
  });
}

function ineffectiveModes(view: ScenarioView): Finding[] {
  return allFailureModes(view).flatMap(({ path, value: mode }) => {
    const out: Finding[] = [];
    if (mode.recover_time !== undefined && (probabilityOrNull(mode.detect) ?? 0) === 0) {
      out.push(problem([...path, "recover_time"], "recover_time has no effect: detect is 0", "key"));
    }
    if (mode.goto !== undefined && mode.drop) {
      out.push(problem([...path, "goto"], "goto has no effect: a defect with drop ends the journey", "key"));
    }
    return out;
  });
}

/** Routes without classes that no class uses, because every class has routes reserved for it. */
function unusedRoutes(view: ScenarioView): Finding[] {
  const classes = classGroups(view);
  return view.microsystems.flatMap((entry) => {
    const routes = routesOf(view, entry);
    const used = new Set(classes.flatMap((group) => eligibleRoutes(routes, group.representative)));
    return routes
      .filter((r) => !used.has(r) && r.classes === undefined)
      .map((r) => problem(r.path, `no class takes this route: every class has a route reserved for it`));
  });
}

/** Microsystems no class's journey can reach from its start. */
function unvisited(view: ScenarioView): Finding[] {
  if (!view.complete.graph) return [];
  const visited = new Set<string>();
  for (const { representative } of classGroups(view)) {
    const start = classStart(view, representative);
    if (start !== undefined)
      for (const id of reachableFrom(journeyGraph(view, representative), [start])) visited.add(id);
  }
  return view.microsystems
    .filter((m) => !visited.has(m.value.id))
    .map((m) =>
      problem(
        ["microsystems", m.index, "id"],
        `${quoted(m.value.id)} is never visited: no journey reaches it`,
      ),
    );
}

// Things that are valid but probably not what the author meant: settings that have no effect, and
// parts of the journey no patient can reach. They are reported, never fatal.

import { eligibleRoutes } from "../../model/rules.js";
import { type Finding, problem } from "../finding.js";
import type { FailureModeInput } from "../format.js";
import { quoted } from "../issues.js";
import { probabilityOrNull } from "../uncertain.js";
import { parseTime } from "../units.js";
import type { ScenarioView } from "../view.js";
import { classGroups } from "./classes.js";
import { classStart, journeyGraph, reachableFrom, routesOf } from "./graph.js";
import { allFailureModes } from "./walk.js";

export function scenarioWarnings(view: ScenarioView): Finding[] {
  return [
    ...ineffectiveSettings(view),
    ...ineffectiveCapacity(view),
    ...ineffectiveModes(view),
    ...ineffectiveConditions(view),
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
    if (m.hours !== undefined && m.off_hours_delay === undefined && !judgesHours(view, m.id)) {
      out.push(
        problem(
          at("hours"),
          "hours have no effect without off_hours_delay or a failure mode with an off_hours condition",
          "key",
        ),
      );
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

/** Whether some `off_hours` condition is judged by microsystem `id`'s hours (its own modes, or a handoff from it without hours). */
function judgesHours(view: ScenarioView, id: string): boolean {
  const asks = (modes: { when?: { off_hours?: boolean }[] | undefined }[] | undefined): boolean =>
    (modes ?? []).some((f) => (f.when ?? []).some((c) => c.off_hours !== undefined));
  const own = view.microsystems.find((m) => m.value.id === id)?.value.failures;
  if (asks(own)) return true;
  const declared = view.handoffs.filter((h) => h.value.from === id);
  if (
    declared.some(
      (h) => h.value.hours === undefined && asks(h.value.failures ?? view.top.handoff_defaults?.failures),
    )
  )
    return true;
  // Undeclared handoffs out of `id` take handoff_defaults' modes (and never have hours of their own).
  return asks(view.top.handoff_defaults?.failures);
}

/**
 * `when` conditions that can never hold without arrivals, and handoff hours nothing reads. (An
 * off_hours condition where no hours apply is not flagged: a variant that staffs a unit around the
 * clock removes its hours on purpose.)
 */
function ineffectiveConditions(view: ScenarioView): Finding[] {
  const out: Finding[] = [];
  if (view.top.arrivals === undefined) {
    for (const { path, value: mode } of allFailureModes(view)) {
      for (const [w, c] of (mode.when ?? []).entries()) {
        const at = [...path, "when", w];
        if ((c.load_at_least ?? 0) > 0)
          out.push(problem([...at, "load_at_least"], "the load is always 0 without arrivals", "key"));
        if (c.waited_at_least !== undefined && (parseTime(c.waited_at_least) ?? 0) > 0)
          out.push(problem([...at, "waited_at_least"], "nobody waits for capacity without arrivals", "key"));
      }
    }
  }
  const asksHours = (modes: readonly FailureModeInput[]): boolean =>
    modes.some((f) => (f.when ?? []).some((c) => c.off_hours !== undefined));
  for (const h of view.handoffs) {
    const modes = h.value.failures ?? view.top.handoff_defaults?.failures ?? [];
    if (h.value.hours !== undefined && !asksHours(modes))
      out.push(
        problem(
          ["handoffs", h.index, "hours"],
          "hours have no effect: no failure mode of this handoff has an off_hours condition",
          "key",
        ),
      );
  }
  return out;
}

// Capacity (issue 12): the references and combinations of the capacity keys that the schema cannot
// see alone. A microsystem uses a resource that exists, and not also a capacity of its own; a time
// by class says what the classes it leaves out take; a patient who waited too long is not sent
// back to the same queue; and a microsystem that starts only in its staffed hours has a place at
// some time when it is staffed (otherwise nobody would ever be served).

import { type WeeklySpan, weeklyIntervals } from "../../model/rules.js";
import { type Finding, problem } from "../finding.js";
import type { Path } from "../issues.js";
import { quoted } from "../issues.js";
import { didYouMean, Suggester } from "../suggest.js";
import { DAY_NAMES, dayIndex, parseClock } from "../units.js";
import type { ScenarioView } from "../view.js";
import { classList } from "./classes.js";
import { byClass } from "./ids.js";

export function checkCapacity(view: ScenarioView): Finding[] {
  return [...resourceUse(view), ...byClassDefaults(view), ...renegeTargets(view), ...neverStaffed(view)];
}

function resourceUse(view: ScenarioView): Finding[] {
  const known = new Set(view.ids.resources.filter((id) => id !== undefined));
  const suggester = new Suggester(known);
  return view.microsystems.flatMap(({ index, value: m }) => {
    if (m.uses === undefined) return [];
    const out: Finding[] = [];
    if (!known.has(m.uses))
      out.push(
        problem(
          ["microsystems", index, "uses"],
          `unknown resource ${quoted(m.uses)}${known.size === 0 ? ": the scenario has no resources" : didYouMean(m.uses, suggester)}`,
        ),
      );
    if (m.capacity !== undefined)
      out.push(
        problem(
          ["microsystems", index, "capacity"],
          `capacity and uses exclude each other: the microsystem uses the places of ${quoted(m.uses)}; remove one of them`,
          "key",
        ),
      );
    return out;
  });
}

/** A time by class needs a `default` unless every class has its own. */
function byClassDefaults(view: ScenarioView): Finding[] {
  const times: { path: Path; time: unknown }[] = [
    ...view.microsystems.map((m) => ({ path: ["microsystems", m.index, "time"], time: m.value.time })),
    ...view.handoffs.map((h) => ({ path: ["handoffs", h.index, "time"], time: h.value.time })),
    { path: ["handoff_defaults", "time"], time: view.top.handoff_defaults?.time },
  ];
  return times.flatMap(({ path, time }) => {
    const record = byClass(time);
    if (record === undefined || Object.hasOwn(record, "default")) return [];
    const missing = view.classIds.filter((c) => !Object.hasOwn(record, c));
    if (missing.length === 0) return [];
    return [
      problem(
        [...path, "by_class"],
        `no time for ${classList(missing)}: add \`default: <distribution>\` for the classes not listed`,
      ),
    ];
  });
}

function renegeTargets(view: ScenarioView): Finding[] {
  return view.microsystems.flatMap(({ index, value: m }) =>
    m.then !== undefined && m.then !== "leave" && m.then.goto === m.id
      ? [
          problem(
            ["microsystems", index, "then", "goto"],
            `a patient who waited too long at ${quoted(m.id)} cannot be sent back to its queue: goto another microsystem, or leave`,
          ),
        ]
      : [],
  );
}

type ShiftInput = { from: string; to: string; n: number; days?: readonly (typeof DAY_NAMES)[number][] };

/** `until_open` with shifts: some staffed minute of the week must have a place. */
function neverStaffed(view: ScenarioView): Finding[] {
  const resourceShifts = new Map<string, ShiftInput[]>();
  for (const r of view.resources)
    if (Array.isArray(r.value.capacity)) resourceShifts.set(r.value.id, r.value.capacity);
  return view.microsystems.flatMap(({ index, value: m }) => {
    if (m.off_hours_delay !== "until_open" || m.hours === undefined) return [];
    const shifts = Array.isArray(m.capacity)
      ? m.capacity
      : m.uses !== undefined
        ? resourceShifts.get(m.uses)
        : undefined;
    if (shifts === undefined) return [];
    const open = weeklyIntervals(span(m.hours.open, m.hours.close, m.hours.days));
    const staffed = shifts.filter((s) => s.n > 0).flatMap((s) => weeklyIntervals(span(s.from, s.to, s.days)));
    const meet = open.some(([a, b]) => staffed.some(([c, d]) => a < d && c < b));
    return meet
      ? []
      : [
          problem(
            ["microsystems", index, "hours"],
            "no shift has a place while these hours are staffed, and with until_open nobody starts outside them: patients would never be served",
          ),
        ];
  });
}

function span(from: string, to: string, days: readonly (typeof DAY_NAMES)[number][] | undefined): WeeklySpan {
  return {
    from: parseClock(from) ?? 0,
    to: parseClock(to) ?? 0,
    days: [...new Set((days ?? DAY_NAMES).map(dayIndex))],
  };
}

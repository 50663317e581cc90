// Ids: no duplicates where ids must be unique, and every reference to a microsystem or a patient
// class names one that exists (with a suggestion when it looks like a typo).

import { type Finding, problem } from "../finding.js";
import { type Path, quoted } from "../issues.js";
import { isRecord } from "../source-map.js";
import { didYouMean, Suggester } from "../suggest.js";
import { isProbabilityObject } from "../uncertain.js";
import { originalIndex, type ScenarioView } from "../view.js";
import { allFailureModes, allMilestones, failureLists, type Located } from "./walk.js";

/** A microsystem id that would make the milestone `journey.start` ambiguous. */
const RESERVED_ID = "journey";

export function checkIds(view: ScenarioView): Finding[] {
  return [...duplicates(view), ...microsystemReferences(view), ...classReferences(view)];
}

function duplicates(view: ScenarioView): Finding[] {
  const lists: Located<(string | undefined)[]>[] = [
    { path: ["microsystems"], value: view.ids.microsystems },
    { path: ["classes"], value: view.ids.classes },
    { path: ["metrics"], value: view.ids.metrics },
    { path: ["resources"], value: view.ids.resources },
  ];
  const handoffs = view.handoffs.map((h) => ({ index: h.index, key: `${h.value.from} -> ${h.value.to}` }));
  return [
    ...lists.flatMap(({ path, value }) =>
      repeated(
        value.map((id, i) => ({ index: i, key: id })),
        path,
        "id",
      ),
    ),
    ...failureLists(view).flatMap(({ path, modes }) =>
      repeated(
        modes.map((m) => ({ index: m.index, key: m.mode.id })),
        path,
        "id",
      ),
    ),
    ...repeated(handoffs, ["handoffs"], "handoff"),
    ...reserved(view),
  ];
}

/** A finding for every key seen before in the list, pointing back at the first. */
function repeated(items: { index: number; key: string | undefined }[], list: Path, what: string): Finding[] {
  const first = new Map<string, number>();
  const out: Finding[] = [];
  for (const { index, key } of items) {
    if (key === undefined) continue;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, index);
    else {
      const at = what === "id" ? [...list, index, "id"] : [...list, index];
      const related = what === "id" ? [...list, earlier, "id"] : [...list, earlier];
      out.push({ ...problem(at, `duplicate ${what} ${quoted(key)}`), related });
    }
  }
  return out;
}

function reserved(view: ScenarioView): Finding[] {
  return view.ids.microsystems.flatMap((id, i) =>
    id === RESERVED_ID
      ? [problem(["microsystems", i, "id"], `"${RESERVED_ID}" is reserved (milestone journey.start)`)]
      : [],
  );
}

function microsystemReferences(view: ScenarioView): Finding[] {
  const known = new Set(view.ids.microsystems.filter((id) => id !== undefined));
  const suggester = new Suggester(known);
  const unknown = (ref: Located<string>, suffix = ""): Finding[] =>
    known.has(ref.value)
      ? []
      : [
          problem(
            ref.path,
            `unknown microsystem ${quoted(ref.value)}${suffix}${didYouMean(ref.value, suggester)}`,
          ),
        ];
  const milestones = allMilestones(view).flatMap((m) => {
    const id = milestoneMicrosystem(m.value);
    return id === undefined ? [] : unknown({ path: m.path, value: id }, ` in milestone ${quoted(m.value)}`);
  });
  return [...microsystemRefs(view).flatMap((ref) => unknown(ref)), ...milestones];
}

/** Every place a microsystem id is written, except milestones. */
function microsystemRefs(view: ScenarioView): Located<string>[] {
  const refs: Located<string>[] = [];
  if (view.top.start !== undefined) refs.push({ path: ["start"], value: view.top.start });
  for (const c of view.classes ?? []) {
    if (c.value.start !== undefined) refs.push({ path: ["classes", c.index, "start"], value: c.value.start });
  }
  for (const m of view.microsystems) {
    for (const [j, route] of (m.value.next ?? []).entries()) {
      refs.push({
        path: ["microsystems", m.index, "next", originalIndex(m, "next", j), "to"],
        value: route.to,
      });
    }
  }
  for (const mode of allFailureModes(view)) {
    if (mode.value.goto !== undefined) refs.push({ path: [...mode.path, "goto"], value: mode.value.goto });
  }
  for (const m of view.microsystems) {
    const then = m.value.then;
    if (then !== undefined && then !== "leave")
      refs.push({ path: ["microsystems", m.index, "then", "goto"], value: then.goto });
  }
  for (const h of view.handoffs) {
    refs.push({ path: ["handoffs", h.index, "from"], value: h.value.from });
    refs.push({ path: ["handoffs", h.index, "to"], value: h.value.to });
  }
  return refs;
}

/** The microsystem of `<id>.arrive|start|end`; undefined for `journey.start`. */
export function milestoneMicrosystem(milestone: string): string | undefined {
  return milestone === "journey.start" ? undefined : milestone.slice(0, milestone.lastIndexOf("."));
}

function classReferences(view: ScenarioView): Finding[] {
  const known = new Set(view.classIds);
  const refs: Located<string>[] = [];
  for (const m of view.microsystems) {
    for (const [j, route] of (m.value.next ?? []).entries()) {
      for (const [k, cls] of (route.classes ?? []).entries()) {
        refs.push({
          path: ["microsystems", m.index, "next", originalIndex(m, "next", j), "classes", k],
          value: cls,
        });
      }
    }
  }
  for (const mode of allFailureModes(view)) {
    for (const [k, cls] of (mode.value.classes ?? []).entries())
      refs.push({ path: [...mode.path, "classes", k], value: cls });
    for (const [w, condition] of (mode.value.when ?? []).entries())
      for (const [k, cls] of (condition.classes ?? []).entries())
        refs.push({ path: [...mode.path, "when", w, "classes", k], value: cls });
  }
  for (const m of view.metrics) {
    for (const [k, cls] of (m.value.classes ?? []).entries())
      refs.push({ path: ["metrics", m.index, "classes", k], value: cls });
  }
  const keyRefs = classKeys(view).filter((ref) => !known.has(ref.value));
  const suggester = new Suggester(known);
  const unknown = (ref: Located<string>) =>
    `unknown class ${quoted(ref.value)}${didYouMean(ref.value, suggester)}`;
  const baseKeys = mortalityBaseKeys(view).filter((ref) => !known.has(ref.value));
  return [
    ...refs.filter((ref) => !known.has(ref.value)).map((ref) => problem(ref.path, unknown(ref))),
    ...baseKeys.map((ref) => problem(ref.path, unknown(ref), "key")),
    ...keyRefs.map((ref) => problem(ref.path, unknown(ref), "key")),
  ];
}

/** Class ids written as keys: a microsystem's `priority`, and `time.by_class` (besides `default`). */
function classKeys(view: ScenarioView): Located<string>[] {
  const out: Located<string>[] = [];
  const keys = (record: unknown, path: (string | number)[], except?: string): void => {
    if (!isRecord(record)) return;
    for (const key of Object.keys(record)) if (key !== except) out.push({ path: [...path, key], value: key });
  };
  for (const m of view.microsystems) {
    keys(m.value.priority, ["microsystems", m.index, "priority"]);
    keys(byClass(m.value.time), ["microsystems", m.index, "time", "by_class"], "default");
  }
  for (const h of view.handoffs)
    keys(byClass(h.value.time), ["handoffs", h.index, "time", "by_class"], "default");
  keys(byClass(view.top.handoff_defaults?.time), ["handoff_defaults", "time", "by_class"], "default");
  return out;
}

/** The `by_class` mapping of a time, if it is one. */
export function byClass(time: unknown): Record<string, unknown> | undefined {
  return isRecord(time) && isRecord(time.by_class) ? time.by_class : undefined;
}

function mortalityBaseKeys(view: ScenarioView): Located<string>[] {
  const base = view.top.outcomes?.mortality?.base;
  if (!isRecord(base) || isProbabilityObject(base)) return [];
  return Object.keys(base).map((key) => ({ path: ["outcomes", "mortality", "base", key], value: key }));
}

// Failure modes that refer to each other: `unless` names earlier modes of the same microsystem or
// handoff (docs/semantics.md §3), and one element may name at most MAX_UNLESS_TARGETS of them, so
// that the exact outcome of a visit stays a small enumeration.

import { MAX_UNLESS_TARGETS } from "../../model/rules.js";
import { type Finding, problem } from "../finding.js";
import { quoted } from "../issues.js";
import { didYouMean, Suggester } from "../suggest.js";
import type { ScenarioView } from "../view.js";
import { failureLists } from "./walk.js";

export function checkModeReferences(view: ScenarioView): Finding[] {
  const lists = failureLists(view);
  // Where each mode id is defined, for "a mode of another element".
  const owners = new Map<string, string>();
  for (const list of lists) {
    const owner = ownerName(view, list.path);
    for (const { mode } of list.modes) if (!owners.has(mode.id)) owners.set(mode.id, owner);
  }
  const out: Finding[] = [];
  for (const list of lists) {
    const here = ownerName(view, list.path);
    const position = new Map<string, number>();
    list.modes.forEach(({ mode }, k) => {
      if (!position.has(mode.id)) position.set(mode.id, k);
    });
    const suggester = new Suggester(new Set(position.keys()));
    const named = new Set<string>();
    list.modes.forEach(({ index, mode }, k) => {
      (mode.unless ?? []).forEach((ref, j) => {
        const at = [...list.path, index, "unless", j];
        const p = position.get(ref);
        if (ref === mode.id)
          out.push(problem(at, `${quoted(ref)} is this mode: a mode cannot be drawn unless itself`));
        else if (p !== undefined && p > k)
          out.push(
            problem(at, `${quoted(ref)} comes after this mode: unless names only earlier modes of ${here}`),
          );
        else if (p === undefined && owners.has(ref))
          out.push(
            problem(
              at,
              `${quoted(ref)} is a failure mode of ${owners.get(ref)}, not of ${here}: unless names only earlier modes of the same element`,
            ),
          );
        else if (p === undefined)
          out.push(
            problem(at, `unknown failure mode ${quoted(ref)} of ${here}${didYouMean(ref, suggester)}`),
          );
        else named.add(ref);
      });
    });
    if (named.size > MAX_UNLESS_TARGETS)
      out.push(
        problem(
          list.path,
          `unless lists name ${named.size} different modes of ${here}, at most ${MAX_UNLESS_TARGETS}`,
        ),
      );
  }
  return out;
}

/** How a message names the element a failure list belongs to. */
function ownerName(view: ScenarioView, path: readonly (string | number)[]): string {
  if (path[0] === "microsystems") {
    const m = view.microsystems.find((e) => e.index === path[1]);
    return m === undefined ? "this microsystem" : `microsystem ${quoted(m.value.id)}`;
  }
  if (path[0] === "handoffs") {
    const h = view.handoffs.find((e) => e.index === path[1]);
    return h === undefined ? "this handoff" : `handoff ${quoted(`${h.value.from}->${h.value.to}`)}`;
  }
  return "handoff_defaults";
}

// Patient classes that the journey cannot tell apart. A class changes the journey graph only where
// it is named (a route's or a failure mode's `classes`) and through its start; two classes named in
// exactly the same lists, starting at the same place, walk the same graph. The checks that walk the
// graph per class walk it once per group instead: with thousands of classes and microsystems, a
// walk per class made validation take the product of the two (4,000 × 4,000 took 45 s).

import { quoted } from "../issues.js";
import type { ScenarioView } from "../view.js";
import { allFailureModes } from "./walk.js";

export interface ClassGroup {
  /** The class whose graph stands for the whole group (its first class). */
  representative: string;
  /** Every class of the group, in the order of `view.classIds`. */
  classes: string[];
}

/** The classes of the view grouped by how the journey treats them, in the order of their first class. */
export function classGroups(view: ScenarioView): ClassGroup[] {
  const namedIn = new Map<string, number[]>();
  let list = 0;
  const name = (classes: readonly string[] | undefined): void => {
    if (classes === undefined) return;
    list++;
    for (const cls of new Set(classes)) {
      const lists = namedIn.get(cls);
      if (lists) lists.push(list);
      else namedIn.set(cls, [list]);
    }
  };
  for (const m of view.microsystems) for (const route of m.value.next ?? []) name(route.classes);
  for (const mode of allFailureModes(view)) name(mode.value.classes);
  // Its own start (the fallbacks are the same for every class); the first entry counts, as in classStart.
  const ownStart = new Map<string, string | undefined>();
  for (const c of view.classes ?? []) if (!ownStart.has(c.value.id)) ownStart.set(c.value.id, c.value.start);
  const groups = new Map<string, ClassGroup>();
  for (const cls of view.classIds) {
    const key = `${ownStart.get(cls) ?? ""}\u0000${(namedIn.get(cls) ?? []).join(",")}`;
    const group = groups.get(key);
    if (group) group.classes.push(cls);
    else groups.set(key, { representative: cls, classes: [cls] });
  }
  return [...groups.values()];
}

/** `class "a"` or `classes "a", "b"`, the list cut after ten names. */
export function classList(classes: readonly string[]): string {
  const shown = classes.slice(0, 10).map((c) => quoted(c));
  const more = classes.length > 10 ? ` and ${classes.length - 10} more` : "";
  return `${classes.length > 1 ? "classes" : "class"} ${shown.join(", ")}${more}`;
}

const classOrders = new WeakMap<ScenarioView, Map<string, number>>();

/** The classes sorted as in `view.classIds` (groups merged for a message keep the file's order). */
export function inClassOrder(view: ScenarioView, classes: string[]): string[] {
  let order = classOrders.get(view);
  if (order === undefined) {
    order = new Map();
    for (const [i, cls] of view.classIds.entries()) if (!order.has(cls)) order.set(cls, i);
    classOrders.set(view, order);
  }
  const at = order;
  return classes.sort((a, b) => (at.get(a) ?? 0) - (at.get(b) ?? 0));
}

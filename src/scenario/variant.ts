// A what-if as a file: given a baseline scenario and an edited copy, the list of values that
// changed, and a variant file that `extends` the baseline with only those values. Browser-safe.
//
// The diff follows the `extends` merge rules (src/scenario/merge.ts): mappings key by key, lists of
// microsystems, classes, metrics and failure modes by `id`, handoffs by their from/to pair, time
// distributions and every other value whole; `key: null` removes a key. A test merges each variant
// back over its baseline and checks that the edited scenario comes out, so the two cannot drift.

import { parse } from "yaml";
import { type Change, diff, isRecord, MERGE_RULES, treeChanges, type Walk } from "./diff.js";
import { yamlText } from "./edit.js";

export type { Change } from "./diff.js";

export interface Variant {
  /** The variant file's text, or null when the change cannot be written as an `extends` file. */
  text: string | null;
  changes: Change[];
  /** Why `text` is null: changes `extends` cannot express (a removed list item, say). */
  problems: string[];
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/** The values that differ between two scenario trees (as parsed from YAML), in file order. */
export function scenarioChanges(base: unknown, edited: unknown): Change[] {
  return treeChanges(base, edited, MERGE_RULES);
}

export interface VariantOptions {
  /** What the variant's `extends` says: the baseline's path from the variant's folder. */
  extendsPath: string;
  /** The variant's scenario name (a `name` key is always written, so reports tell them apart). */
  name: string;
}

/** The variant of `baseText` that gives `editedText`, as an `extends` file with only what changed. */
export function makeVariant(baseText: string, editedText: string, options: VariantOptions): Variant {
  const base: unknown = parse(baseText);
  const edited: unknown = parse(editedText);
  const walk: Walk = { rules: MERGE_RULES, changes: [], problems: [] };
  const d = diff(base, edited, [], [], walk);
  const body: Record<string, unknown> = isRecord(d) ? { ...d } : {};
  if (
    isRecord(edited) &&
    typeof edited.extends === "string" &&
    !same(edited.extends, (base as { extends?: unknown })?.extends)
  )
    walk.problems.push("extends was changed: a variant extends its baseline");
  delete body.extends;
  delete body.name;
  // A description is not inherited through extends (merge.ts): the variant writes its own.
  if (isRecord(edited) && typeof edited.description === "string") body.description = edited.description;
  const tree = { extends: options.extendsPath, name: options.name, ...body };
  const header =
    `# A variant of ${options.extendsPath}, made in the handoff-sim studio: it extends the baseline\n` +
    "# and writes only what differs from it.\n";
  return {
    text: walk.problems.length > 0 ? null : header + yamlText(tree),
    changes: walk.changes,
    problems: walk.problems,
  };
}

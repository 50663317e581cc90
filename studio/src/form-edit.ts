// Turns a form edit into a change of the scenario text. The value is written where the file (or
// the file it extends) writes it; a handoff that takes its failure modes from handoff_defaults gets
// its own copy of that list with the one value changed (a listed handoff's failures replace the
// defaults whole, so writing only the changed mode would drop the others).
import { parse } from "yaml";
import { type EditPath, type EditValue, setValue, valueAt } from "./api.js";
import type { StudioFile } from "./files.js";
import { normalizePath } from "./paths.js";

/** One edit the form asks for: which value, and what the user typed. */
export interface FormEdit {
  element: string;
  kind: "microsystem" | "handoff";
  /** A failure mode's id for p/detect; null for a microsystem's own values. */
  mode: string | null;
  field: "p" | "detect" | "capacity" | "time";
  text: string;
}

/** The text typed in a field as a scenario value: 0.2, "20%", 30 min, { median: 3 d, p90: 9 d }, or null. */
export function typedValue(text: string, field: FormEdit["field"]): EditValue {
  if (text === "") {
    if (field === "capacity") return null;
    throw new Error("a value is needed");
  }
  const number = Number(text);
  if (Number.isFinite(number) && /^[\d.eE+-]+$/.test(text)) return number;
  if (field === "time" && /^[{[]/.test(text)) {
    const value = parse(text) as EditValue;
    if (value === null || typeof value !== "object") throw new Error(`not a time distribution: ${text}`);
    return value;
  }
  return text;
}

/** The first of `chain` (the file, then the files it extends) that writes `path`. */
function written(chain: readonly string[], path: EditPath): unknown {
  for (const text of chain) {
    const value = valueAt(text, path);
    if (value !== undefined) return value;
  }
  return undefined;
}

export function applyFormEdit(chain: readonly string[], edit: FormEdit): string {
  const text = chain[0]!;
  const value = typedValue(edit.text, edit.field);
  if (edit.kind === "microsystem") {
    const at: EditPath = ["microsystems", { id: edit.element }];
    if (edit.mode === null) return setValue(text, [...at, edit.field], value);
    return setValue(text, [...at, "failures", { id: edit.mode }, edit.field], value);
  }
  const [from, to] = edit.element.split("->") as [string, string];
  const handoff: EditPath = ["handoffs", { from, to }];
  if (written(chain, [...handoff, "failures"]) !== undefined)
    return setValue(text, [...handoff, "failures", { id: edit.mode! }, edit.field], value);
  const defaults = written(chain, ["handoff_defaults", "failures"]);
  if (!Array.isArray(defaults)) throw new Error(`the handoff ${edit.element} has no failure mode to change`);
  const copy = defaults.map((f: Record<string, EditValue>) =>
    f.id === edit.mode ? { ...f, [edit.field]: value } : f,
  ) as EditValue;
  return setValue(text, [...handoff, "failures"], copy);
}

/** The texts of a file and of the files it extends, nearest first (for the form's edits). */
export function extendsChain(text: string, name: string, files: readonly StudioFile[]): string[] {
  const chain = [text];
  let current = text;
  let folder = name.includes("/") ? name.slice(0, name.lastIndexOf("/") + 1) : "";
  for (let i = 0; i < 16; i++) {
    const target = valueAt(current, ["extends"]);
    if (typeof target !== "string") break;
    const wanted = normalizePath(folder + target);
    const base = files.find((f) => normalizePath(f.name) === wanted);
    if (base === undefined) break;
    chain.push(base.text);
    current = base.text;
    folder = wanted.includes("/") ? wanted.slice(0, wanted.lastIndexOf("/") + 1) : "";
  }
  return chain;
}

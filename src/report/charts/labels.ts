// Readers know microsystems by name, not by id; a handoff is named by the two it joins.
import type { ModeSummary, RunSummary } from "../../analysis/summary.js";

/** Microsystem id → name, from the summary (every run has it). */
export function microsystemNames(summary: RunSummary): Map<string, string> {
  return new Map(summary.microsystems.map((m) => [m.id, m.name]));
}

/** Splits a handoff key "from->to" (or "from→to"); null when the text is not one. */
export function splitHandoff(element: string): { from: string; to: string } | null {
  const match = /^(.+?)(?:->|→)(.+)$/.exec(element);
  return match === null ? null : { from: match[1]!, to: match[2]! };
}

/** "ED → Cath lab" for a handoff key, the name for a microsystem id, the id when unknown. */
export function elementLabel(names: Map<string, string>, element: string): string {
  const h = splitHandoff(element);
  if (h === null) return names.get(element) ?? element;
  return `${names.get(h.from) ?? h.from} → ${names.get(h.to) ?? h.to}`;
}

/** The failure modes of an element (microsystem id or handoff key), as the summary describes them. */
export function elementModes(summary: RunSummary, element: string): ModeSummary[] {
  const h = splitHandoff(element);
  const el =
    h === null
      ? summary.microsystems.find((m) => m.id === element)
      : summary.handoffs.find((x) => x.from === h.from && x.to === h.to);
  return el?.modes ?? [];
}

/** The name a scenario gave a failure mode; its id when the summary does not have it. */
export function failureModeName(summary: RunSummary, element: string, mode: string): string {
  return elementModes(summary, element).find((f) => f.id === mode)?.name ?? mode;
}

// The exact answer of a model, without simulation, in the shape the public API returns: the
// defect-free share (overall and per class), expected visits and transfers, each element's
// per-visit reliability, and the cascade along the most common route. When the routing has no
// exact answer (a journey that can never end) the figures are null or empty and `note` says why.
import { recordOf } from "../engine/records.js";
import type { ModelSpec } from "../model/spec.js";
import { AnalysisError, analyze, exactnessNote, mainPath } from "./analytic.js";

export interface Exact {
  /** Exact defect-free share of journeys; null when there is no exact answer. */
  reliability: number | null;
  /** Why `reliability` is null, in plain words; otherwise null. */
  note: string | null;
  by_class: Record<string, { share: number; reliability: number | null; start: string }>;
  /** Expected visits per journey, by microsystem id. */
  visits: Record<string, number>;
  /** Expected transfers per journey, by handoff key "from->to". */
  transfers: Record<string, number>;
  /** Per-visit (per-transfer) reliability of each element, over all patients. */
  elements: { microsystems: Record<string, number>; handoffs: Record<string, number> };
  /** The most common route of the largest class, with the share still defect-free after each step
   * (empty when a failure probability depends on the visit: then no step's figure is exact). */
  cascade: { kind: "microsystem" | "handoff"; element: string; reliability: number; cumulative: number }[];
}

export function exact(model: ModelSpec): Exact {
  // A cascade of probabilities that depend on the visit would not be exact: none then.
  const cascade = exactnessNote(model) === null ? mainPathOrEmpty(model) : [];
  try {
    const a = analyze(model);
    return {
      reliability: a.overall.defectFree,
      note: null,
      by_class: recordOf(
        model.classes.map((c) => [
          c.id,
          { share: c.share, reliability: a.byClass[c.id]!.defectFree, start: c.start },
        ]),
      ),
      visits: a.overall.visits,
      transfers: a.overall.transfers,
      elements: a.overall.reliability,
      cascade,
    };
  } catch (error) {
    if (!(error instanceof AnalysisError)) throw error;
    return {
      reliability: null,
      note: error.message,
      by_class: recordOf(
        model.classes.map((c) => [c.id, { share: c.share, reliability: null, start: c.start }]),
      ),
      visits: recordOf(),
      transfers: recordOf(),
      elements: { microsystems: recordOf(), handoffs: recordOf() },
      cascade,
    };
  }
}

function mainPathOrEmpty(model: ModelSpec): Exact["cascade"] {
  try {
    return mainPath(model);
  } catch (error) {
    if (error instanceof AnalysisError) return [];
    throw error;
  }
}

// The exact defect-free share of many variants of one model, each changing the failure modes of
// one element (a mode removed or halved for the leverage ranking; every mode removed for
// "if this step were perfect"), from one factorisation per class instead of one analysis per
// variant.
//
// Changing one element changes one row of the clean system (I − Q)·x = b of each class: a
// microsystem i scales its row by its new per-visit reliability (Q[i][·] = Sᵢ·Rᵢ·, b[i] = Sᵢ·Eᵢ);
// a handoff i→k changes the one entry Q[i][k]. For a rank-one change A' = A + eᵢ·δᵀ, b' = b + β·eᵢ
// the Sherman–Morrison formula gives the new value at the start s without solving again:
//
//   x'ₛ = xₛ + (A⁻¹)ₛᵢ · (β − δᵀx) / (1 + δᵀ·A⁻¹eᵢ)
//
// (A⁻¹)ₛᵢ for every i is row s of A⁻¹: one transposed solve per class. δᵀ·A⁻¹eᵢ needs (A⁻¹)ⱼᵢ only
// for the microsystems j that i leads to, which is 0 unless j and i share a loop, and then an
// entry of that loop's block inverse (src/analysis/sparse.ts). So the whole ranking costs one
// factorisation per class and a few multiply-adds per variant: a 1,000-microsystem chain in well
// under a second (was an O(n³) solve per variant: 400 microsystems took 56 s, 1,000 hung).
//
// A change that alters which transitions are possible at all (a goto or drop that no longer
// happens, a certain failure that becomes uncertain) can make new microsystems reachable or close a
// loop: such a variant is analysed whole (a sparse analysis, still linear in the model's size).

import { elementReliability } from "../model/rules.js";
import { type FailureMode, handoffKey, type ModelSpec } from "../model/spec.js";
import {
  type Analysis,
  analyze,
  type ClassSystem,
  classSystem,
  cleanSystem,
  type Lever,
  probability,
} from "./analytic.js";
import {
  AnalysisError,
  type ChainLookup,
  chainLookup,
  eligibleRoutes,
  type VisitRow,
  visitRow,
} from "./markov.js";
import { AbsorbingSystem, transpose } from "./sparse.js";

/** One element of the model with other failure modes. */
export interface ElementChange {
  kind: "microsystem" | "handoff";
  /** Index in `spec.microsystems` or `spec.handoffs`. */
  at: number;
  failures: FailureMode[];
}

/** The model with one element's failure modes replaced. */
export function changedModel(spec: ModelSpec, change: ElementChange): ModelSpec {
  const swap = <T extends { failures: FailureMode[] }>(list: T[]): T[] =>
    list.map((el, i) => (i === change.at ? { ...el, failures: change.failures } : el));
  return change.kind === "microsystem"
    ? { ...spec, microsystems: swap(spec.microsystems) }
    : { ...spec, handoffs: swap(spec.handoffs) };
}

/** The exact defect-free share of `spec` after each change (alone); null where it has none. */
export function variantDefectFree(spec: ModelSpec, changes: readonly ElementChange[]): (number | null)[] {
  const lookup = chainLookup(spec);
  const classes = spec.classes.map((c) => new ClassVariants(spec, c.id, c.share, lookup));
  return changes.map((change) => {
    let total = 0;
    for (const c of classes) {
      const x = c.defectFree(change);
      if (x === "whole") return wholeAnalysis(changedModel(spec, change));
      if (x === null) return null;
      total += c.share * x;
    }
    return Math.min(1, total);
  });
}

function wholeAnalysis(variant: ModelSpec): number | null {
  try {
    return analyze(variant).overall.defectFree;
  } catch (error) {
    if (error instanceof AnalysisError) return null;
    throw error;
  }
}

/** One class's factorisation, and the variants' values at its start. */
class ClassVariants {
  private readonly system: ClassSystem;
  private readonly clean: AbsorbingSystem;
  /** x: the defect-free share of the rest of the journey from each microsystem. */
  private readonly x: Float64Array;
  /** Row `start` of (I − Q)⁻¹. */
  private readonly fromStart: Float64Array;
  private readonly reachable: Set<number>;

  constructor(
    private readonly spec: ModelSpec,
    private readonly classId: string,
    readonly share: number,
    private readonly lookup: ChainLookup,
  ) {
    this.system = classSystem(spec, classId, lookup);
    const { chain, states, start } = this.system;
    this.clean = cleanSystem(this.system, classId, true);
    this.x = this.clean.solve((i) => chain.rows[i]!.cleanEnd);
    const q = chain.rows.map((r) => r.cleanNext);
    // yᵀ = e_sᵀ·(I − Q)⁻¹, i.e. y = e_s + Qᵀ·y; no solve can fail that the clean one did not.
    this.fromStart = new AbsorbingSystem(transpose(q, states), states).solve((i) => (i === start ? 1 : 0));
    this.reachable = new Set(states);
  }

  /** The class's defect-free share after the change; "whole" when the variant must be analysed whole. */
  defectFree(change: ElementChange): number | null | "whole" {
    const { chain } = this.system;
    const base = this.x[this.system.start]!;
    const from =
      change.kind === "microsystem" ? change.at : chain.index.get(this.spec.handoffs[change.at]!.from)!;
    if (!this.reachable.has(from)) return probability(base);
    const m = this.spec.microsystems[from]!;
    const row =
      change.kind === "microsystem"
        ? visitRow(m, this.classId, this.lookup, change.failures)
        : visitRow(m, this.classId, this.changedHandoff(change));
    const structure = compareStructure(chain.rows[from]!, row);
    if (structure.added) return "whole";
    if (structure.removed && !this.canEnd(from, row)) return null;
    const delta =
      change.kind === "microsystem" ? this.visitChange(from, row) : this.transferChange(from, change);
    return probability(base + delta);
  }

  /** Sherman–Morrison for a new per-visit reliability of microsystem i (its clean row scaled). */
  private visitChange(i: number, row: VisitRow): number {
    const old = this.system.chain.rows[i]!;
    const dS = row.reliability - old.reliability;
    if (dS === 0) return 0;
    // Q[i][j] = S·R[i][j] and b[i] = S·E[i], so t = E + R·x is the value of leaving i cleanly and
    // u = Σⱼ R[i][j]·(A⁻¹)ⱼᵢ what a walk from i's successors brings back to i.
    const { cleanEnd, cleanNext } = this.continuation(i);
    let t = cleanEnd;
    let u = 0;
    for (const [j, r] of cleanNext) {
      t += r * this.x[j]!;
      u += r * this.clean.inverseEntry(j, i);
    }
    return (this.fromStart[i]! * dS * t) / (1 - dS * u);
  }

  /** Sherman–Morrison for a new reliability of the handoff i→k (one entry of Q). */
  private transferChange(i: number, change: ElementChange): number {
    const h = this.spec.handoffs[change.at]!;
    const k = this.system.chain.index.get(h.to)!;
    const share = eligibleRoutes(this.spec.microsystems[i]!, this.classId)
      .filter((r) => r.to === h.to)
      .reduce((sum, r) => sum + r.p, 0);
    const before = this.system.chain.handoffReliability.get(handoffKey(h.from, h.to)) ?? 1;
    const dQ =
      this.system.chain.rows[i]!.reliability *
      share *
      (elementReliability(change.failures, this.classId) - before);
    if (dQ === 0) return 0;
    return (this.fromStart[i]! * dQ * this.x[k]!) / (1 - dQ * this.clean.inverseEntry(k, i));
  }

  /**
   * Row i of Q and b without the visit's own reliability: R[i][j] = Σ p·(handoff reliability) over
   * the routes to j, E[i] = 1 where the journey ends. (Recomputed rather than divided out, so a
   * visit that never succeeded (S = 0) is handled too.)
   */
  private continuation(i: number): { cleanEnd: number; cleanNext: Map<number, number> } {
    const m = this.spec.microsystems[i]!;
    const routes = eligibleRoutes(m, this.classId);
    const cleanNext = new Map<number, number>();
    for (const r of routes) {
      const j = this.system.chain.index.get(r.to)!;
      const hs = this.system.chain.handoffReliability.get(handoffKey(m.id, r.to)) ?? 1;
      cleanNext.set(j, (cleanNext.get(j) ?? 0) + r.p * hs);
    }
    return { cleanEnd: routes.length === 0 ? 1 : 0, cleanNext };
  }

  private changedHandoff(change: ElementChange): ChainLookup {
    const changed = this.spec.handoffs[change.at]!;
    return {
      at: this.lookup.at,
      handoff: (from, to) =>
        from === changed.from && to === changed.to
          ? { ...changed, failures: change.failures }
          : this.lookup.handoff(from, to),
    };
  }

  /** Whether a journey at i can still end (complete or drop) once i's row is `row`. */
  private canEnd(i: number, row: VisitRow): boolean {
    const rows = this.system.chain.rows;
    const seen = new Set<number>([i]);
    const stack = [i];
    for (let s = stack.pop(); s !== undefined; s = stack.pop()) {
      const r = s === i ? row : rows[s]!;
      if (r.drop > 0 || r.complete > 0) return true;
      for (const [j, p] of r.next)
        if (p > 0 && !seen.has(j)) {
          seen.add(j);
          stack.push(j);
        }
    }
    return false;
  }
}

/**
 * How a visit's possible outcomes changed: `added` when it can now lead to a microsystem it could
 * not (new states may become reachable), `removed` when a transition or an end became impossible
 * (a loop may have closed). New ends change neither.
 */
function compareStructure(before: VisitRow, after: VisitRow): { added: boolean; removed: boolean } {
  const possible = (r: VisitRow): Set<number> =>
    new Set([...r.next].filter(([, p]) => p > 0).map(([j]) => j));
  const a = possible(before);
  const b = possible(after);
  return {
    added: [...b].some((j) => !a.has(j)),
    removed:
      [...a].some((j) => !b.has(j)) ||
      (before.drop > 0 && after.drop === 0) ||
      (before.complete > 0 && after.complete === 0),
  };
}

/**
 * Every element with at least one failure mode, ranked by the gain in the overall defect-free share
 * if all its failure modes were removed (largest first; list order on a tie). Exact, from one
 * factorisation per class (analysis/variants.ts).
 */
export function perfectElementGains(spec: ModelSpec, baseline: Analysis = analyze(spec)): Lever[] {
  const elements: (ElementChange & { element: string })[] = [
    ...spec.microsystems.map((m, at) => ({
      kind: "microsystem" as const,
      at,
      element: m.id,
      failures: m.failures,
    })),
    ...spec.handoffs.map((h, at) => ({
      kind: "handoff" as const,
      at,
      element: handoffKey(h.from, h.to),
      failures: h.failures,
    })),
  ].filter((e) => e.failures.length > 0);
  const perfect = variantDefectFree(
    spec,
    elements.map((e) => ({ ...e, failures: [] })),
  );
  // An element whose perfection would leave the routing without an exact answer (its failure was
  // the only way out of a loop) has no figure to rank: it is left out.
  const levers = elements.flatMap((e, i): Lever[] => {
    const defectFreeIfPerfect = perfect[i] ?? null;
    if (defectFreeIfPerfect === null) return [];
    return [
      {
        kind: e.kind,
        element: e.element,
        defectFreeIfPerfect,
        gain: defectFreeIfPerfect - baseline.overall.defectFree,
      },
    ];
  });
  // Stable sort keeps list order among equal gains; the tolerance stops rounding noise between
  // identical elements (seven steps at 95%) from shuffling them.
  return levers.sort((a, b) => (Math.abs(b.gain - a.gain) < 1e-12 ? 0 : b.gain - a.gain));
}

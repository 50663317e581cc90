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
//
// A death drawn at a microsystem (`decided_at`) doubles the chain's states (markov.ts `stateChain`),
// so one element changes two rows of the clean system: the same update for two rows (Woodbury),
// whose one entry of (I − Q)⁻¹ across the two copies is a product through the drawing state.

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
import { AnalysisError, type ChainLookup, chainLookup, type VisitRow, visitRow } from "./markov.js";
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

/** One changed row of the clean system of the state chain: −δ (the change of Q's row) and β (of b). */
interface RowChange {
  state: number;
  /** Change of Q[state][·] (δ = −dQ: A = I − Q). */
  dQ: Map<number, number>;
  /** Change of b[state]. */
  db: number;
}

/** One class's factorisation, and the variants' values at its start. */
class ClassVariants {
  private readonly system: ClassSystem;
  private readonly clean: AbsorbingSystem;
  /** x: the defect-free share of the rest of the journey from each state. */
  private readonly x: Float64Array;
  /** Row `start` of (I − Q)⁻¹. */
  private readonly fromStart: Float64Array;
  /**
   * With a death exit at state d (reachable): column d and row d of (I − Q)⁻¹. Every walk from the
   * first copy of the states to the second passes d once, so (I − Q)⁻¹[j][n+i] = col[j]·row[n+i]
   * for j in the first copy: the one entry across the copies a two-row change needs.
   */
  private readonly death: { at: number; col: Float64Array; row: Float64Array } | null;
  private readonly reachable: Set<number>;

  constructor(
    private readonly spec: ModelSpec,
    private readonly classId: string,
    readonly share: number,
    private readonly lookup: ChainLookup,
  ) {
    this.system = classSystem(spec, classId, lookup);
    const { sc, states, start } = this.system;
    this.clean = cleanSystem(this.system, classId, true);
    this.x = this.clean.solve((i) => sc.rows[i]!.cleanEnd);
    const q = sc.rows.map((r) => r.cleanNext);
    // yᵀ = e_sᵀ·(I − Q)⁻¹, i.e. y = e_s + Qᵀ·y; no solve can fail that the clean one did not.
    const transposed = new AbsorbingSystem(transpose(q, states), states);
    this.fromStart = transposed.solve((i) => (i === start ? 1 : 0));
    this.reachable = new Set(states);
    const d = this.system.death?.at ?? -1;
    this.death =
      d >= 0 && this.reachable.has(d)
        ? {
            at: d,
            col: this.clean.solve((i) => (i === d ? 1 : 0)),
            row: transposed.solve((i) => (i === d ? 1 : 0)),
          }
        : null;
  }

  /** The class's defect-free share after the change; "whole" when the variant must be analysed whole. */
  defectFree(change: ElementChange): number | null | "whole" {
    const { chain } = this.system;
    const base = this.x[this.system.start]!;
    const from =
      change.kind === "microsystem" ? change.at : chain.index.get(this.spec.handoffs[change.at]!.from)!;
    const n = chain.ids.length;
    const twins = this.system.death === null ? [from] : [from, from + n];
    if (!twins.some((s) => this.reachable.has(s))) return probability(base);
    const m = this.spec.microsystems[from]!;
    const row =
      change.kind === "microsystem"
        ? visitRow(m, this.classId, this.lookup, change.failures)
        : visitRow(m, this.classId, this.changedHandoff(change));
    const structure = compareStructure(chain.rows[from]!, row);
    if (structure.added) return "whole";
    if (structure.removed && !this.canEnd(from, row)) return this.system.death === null ? null : "whole";
    const changes = this.rowChanges(from, row).filter((c) => this.reachable.has(c.state));
    const delta = this.update(changes);
    return delta === null ? "whole" : probability(base + delta);
  }

  /**
   * The rows of the clean system that a new visit row of microsystem i changes: its state, and
   * with a death exit its twin (markov.ts `stateChain`: the drawing state's row scaled by the
   * survival of the draw, and its end gaining the defect-free share of those who die there).
   */
  private rowChanges(i: number, row: VisitRow): RowChange[] {
    const old = this.system.chain.rows[i]!;
    const dQ = new Map<number, number>();
    for (const [k, p] of row.cleanNext) dQ.set(k, p - (old.cleanNext.get(k) ?? 0));
    for (const [k, p] of old.cleanNext) if (!row.cleanNext.has(k)) dQ.set(k, -p);
    const db = row.cleanEnd - old.cleanEnd;
    const death = this.system.death;
    if (death === null) return [{ state: i, dQ, db }];
    const n = this.system.chain.ids.length;
    return [i, i + n].map((state) => {
      const drawn = state === death.at;
      const scale = drawn ? 1 - death.risk : 1;
      const offset = state < n && !drawn ? 0 : n;
      const shifted = new Map<number, number>();
      for (const [k, v] of dQ) shifted.set(offset + k, scale * v);
      const dies = drawn && death.event === "end" ? death.risk * (row.reliability - old.reliability) : 0;
      return { state, dQ: shifted, db: scale * db + dies };
    });
  }

  /**
   * x'[start] − x[start] after changing rows R of A = I − Q and b (Woodbury, |R| ≤ 2):
   *   x' = A⁻¹b' − A⁻¹U·(I + VᵀA⁻¹U)⁻¹·VᵀA⁻¹b',  Vᵀ's rows δ_r = −dQ_r, U = [e_r].
   * Null when I + VᵀA⁻¹U is singular (the change closes a loop: analysed whole instead).
   */
  private update(changes: readonly RowChange[]): number | null {
    if (changes.length === 0) return 0;
    const p = changes.map((c) => this.fromStart[c.state]!);
    // VᵀA⁻¹b' = δᵀx + Σ β_r'·δᵀA⁻¹e_r'; G = VᵀA⁻¹U.
    const g = changes.map((c) => changes.map((c2) => -this.dot(c.dQ, (j) => this.inverse(j, c2.state))));
    const vb = changes.map(
      (c, r) =>
        -this.dot(c.dQ, (j) => this.x[j]!) + changes.reduce((sum, c2, r2) => sum + c2.db * g[r]![r2]!, 0),
    );
    let head = 0;
    changes.forEach((c, r) => {
      head += c.db * p[r]!;
    });
    // (I + G)·w = VᵀA⁻¹b', then x'[s] − x[s] = Σ β·p − p·w.
    const k = changes.length;
    let w: number[];
    if (k === 1) {
      const den = 1 + g[0]![0]!;
      if (Math.abs(den) < 1e-300) return null;
      w = [vb[0]! / den];
    } else {
      const [a, b, c, d] = [1 + g[0]![0]!, g[0]![1]!, g[1]![0]!, 1 + g[1]![1]!];
      const det = a * d - b * c;
      if (Math.abs(det) < 1e-300) return null;
      w = [(d * vb[0]! - b * vb[1]!) / det, (a * vb[1]! - c * vb[0]!) / det];
    }
    return head - p.reduce((sum, pr, r) => sum + pr * w[r]!, 0);
  }

  private dot(row: Map<number, number>, at: (j: number) => number): number {
    let sum = 0;
    for (const [j, v] of row) if (v !== 0 && this.reachable.has(j)) sum += v * at(j);
    return sum;
  }

  /**
   * (I − Q)⁻¹[j][r] for j a successor of a changed row (of r itself, or of its twin): a lookup in
   * r's loop (sparse.ts `inverseEntry`), or across the copies of a death exit through its state.
   */
  private inverse(j: number, r: number): number {
    const n = this.system.chain.ids.length;
    if (this.death !== null) {
      if (j < n && r >= n) return this.death.col[j]! * this.death.row[r]!;
      if (j >= n && r < n) return 0;
    }
    return this.clean.inverseEntry(j, r);
  }

  private changedHandoff(change: ElementChange): ChainLookup {
    const changed = this.spec.handoffs[change.at]!;
    return {
      ...this.lookup,
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

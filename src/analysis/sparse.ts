// The linear algebra of an absorbing chain, sparse: the systems x = b + M·x (and the transposed
// y = e + Mᵀ·y) where M holds the chain's transition probabilities between microsystems. A
// journey's graph is sparse (a handful of routes out of each microsystem) and mostly a chain, so
// instead of one dense n×n elimination (O(n³): 400 microsystems took 56 s per failure mode) the
// states are split into strongly connected components (the loops), which are solved one after
// the other in topological order: a state outside every loop costs one multiply-add per route,
// and only the states of one loop are ever solved together, densely. A chain of 1,000
// microsystems is solved in microseconds; the cost is the size of the loops cubed.
//
// For the leverage ranking the same factorisation answers every "what if this element changed"
// (analysis/variants.ts): the inverse of each loop's block is kept, so an entry of (I − M)⁻¹
// between two states of one loop is a lookup (between states of different components that one
// cannot reach from the other it is 0).

import { AnalysisError } from "./markov.js";

/** Row i of a sparse square matrix: column → value (each column once). */
export type SparseRow = Map<number, number>;

/** Below this a pivot counts as zero: the chain has a closed loop the journey can never leave. */
export const SINGULAR = 1e-13;

/**
 * States in one loop solved densely at most: a loop of 2,000 microsystems costs about 3·10⁹
 * multiply-adds (seconds) and 32 MB; a larger one has no exact answer here (the simulation still
 * runs), rather than minutes of work or gigabytes of memory.
 */
export const MAX_LOOP_STATES = 2000;

/** One strongly connected component, in the order the systems are solved. */
export interface Component {
  states: number[];
  /** Position of each state in `states`. */
  position: Map<number, number>;
  /** Inverse of (I − M) restricted to the component (row-major), when asked for. */
  inverse: Float64Array | null;
}

/**
 * The components of the graph i → j (M[i][j] ≠ 0) over `states`, every component after all the
 * components it leads to (Tarjan's order: successors first). Iterative, so a chain of any length
 * cannot overflow the stack.
 */
export function components(rows: readonly SparseRow[], states: readonly number[]): Component[] {
  const inSet = new Set(states);
  const index = new Map<number, number>();
  const low = new Map<number, number>();
  const onStack = new Set<number>();
  const stack: number[] = [];
  const out: Component[] = [];
  let counter = 0;
  for (const root of states) {
    if (index.has(root)) continue;
    // Each frame: a state and the iterator over its successors.
    const frames: { v: number; next: Iterator<number> }[] = [];
    const open = (v: number): void => {
      index.set(v, counter);
      low.set(v, counter);
      counter++;
      stack.push(v);
      onStack.add(v);
      frames.push({ v, next: (rows[v] ?? new Map<number, number>()).keys() });
    };
    open(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const step = frame.next.next();
      if (!step.done) {
        const w = step.value;
        if (!inSet.has(w) || rows[frame.v]!.get(w) === 0) continue;
        if (!index.has(w)) open(w);
        else if (onStack.has(w)) low.set(frame.v, Math.min(low.get(frame.v)!, index.get(w)!));
        continue;
      }
      frames.pop();
      const v = frame.v;
      const parent = frames[frames.length - 1];
      if (parent !== undefined) low.set(parent.v, Math.min(low.get(parent.v)!, low.get(v)!));
      if (low.get(v) !== index.get(v)) continue;
      const members: number[] = [];
      for (let w = stack.pop(); w !== undefined; w = stack.pop()) {
        onStack.delete(w);
        members.push(w);
        if (w === v) break;
      }
      members.sort((a, b) => a - b);
      out.push({ states: members, position: new Map(members.map((s, p) => [s, p])), inverse: null });
    }
  }
  return out;
}

/** The rows of Mᵀ over `states` (only entries between states of the set). */
export function transpose(rows: readonly SparseRow[], states: readonly number[]): SparseRow[] {
  const inSet = new Set(states);
  const out: SparseRow[] = rows.map(() => new Map<number, number>());
  for (const i of states) for (const [j, v] of rows[i] ?? []) if (inSet.has(j) && v !== 0) out[j]!.set(i, v);
  return out;
}

/** A factorised system x = b + M·x over a set of states: its components, in solving order. */
export class AbsorbingSystem {
  readonly order: Component[];
  /** The component of each state. */
  readonly componentOf = new Map<number, Component>();

  /**
   * `rows` = M (only entries between `states` are used). With `inverses`, each component's block
   * inverse is kept for the rank-one updates of the leverage ranking. `structure` (default: M)
   * gives the graph the components are taken from: a superset of M's non-zero entries, so that
   * the components hold for any M with fewer of them. Throws AnalysisError when a loop can never
   * be left (singular) or is too large to solve exactly.
   */
  constructor(
    readonly rows: readonly SparseRow[],
    readonly states: readonly number[],
    inverses = false,
    structure: readonly SparseRow[] = rows,
  ) {
    this.order = components(structure, states);
    for (const c of this.order) {
      if (c.states.length > MAX_LOOP_STATES)
        throw new AnalysisError(
          `a loop through ${c.states.length} microsystems is too large for the exact answer (at most ${MAX_LOOP_STATES})`,
        );
      for (const s of c.states) this.componentOf.set(s, c);
      if (inverses) c.inverse = invert(this.block(c));
    }
  }

  /** x = b + M·x; x[i] for every state of the set (0 elsewhere). */
  solve(b: (state: number) => number): Float64Array {
    const x = new Float64Array(this.rows.length);
    for (const c of this.order) {
      const rhs = c.states.map((i) => {
        let s = b(i);
        for (const [j, v] of this.rows[i] ?? [])
          if (!c.position.has(j) && this.componentOf.has(j)) s += v * x[j]!;
        return s;
      });
      // Elimination even when the inverse is kept: the figures are those of a plain solve.
      const solved = solveBlock(this.block(c), rhs);
      c.states.forEach((i, p) => {
        x[i] = solved[p]!;
      });
    }
    return x;
  }

  /**
   * (I − M)⁻¹[a][b] (needs the inverses): the expected visits to b of a walk from a, asked only
   * for a state a that b leads to directly (M[b][a] ≠ 0). Then a can reach b only if the two are
   * in one component, so across components the entry is 0 and within one it is the block's.
   */
  inverseEntry(a: number, b: number): number {
    const c = this.componentOf.get(a);
    if (c === undefined || c !== this.componentOf.get(b)) return 0;
    if (c.inverse === null) throw new Error("internal error: the block inverses were not kept");
    const n = c.states.length;
    return c.inverse[c.position.get(a)! * n + c.position.get(b)!]!;
  }

  /** I − M restricted to a component, dense (row-major). */
  private block(c: Component): Float64Array {
    const n = c.states.length;
    const a = new Float64Array(n * n);
    c.states.forEach((i, r) => {
      a[r * n + r] = 1;
      for (const [j, v] of this.rows[i] ?? []) {
        const col = c.position.get(j);
        if (col !== undefined) a[r * n + col]! -= v;
      }
    });
    return a;
  }
}

/** Solves A·x = b for a dense A (rows of numbers) by Gaussian elimination with partial pivoting. */
export function solveDense(a: readonly (readonly number[])[], b: readonly number[]): number[] {
  return Array.from(solveBlock(Float64Array.from(a.flat()), [...b]));
}

/** Solves A·x = b (A n×n row-major, not modified) by Gaussian elimination with partial pivoting. */
function solveBlock(a: Float64Array, b: number[]): Float64Array {
  const n = b.length;
  if (n === 1) {
    if (Math.abs(a[0]!) < SINGULAR) throw new AnalysisError("singular system");
    return Float64Array.of(b[0]! / a[0]!);
  }
  const m = Float64Array.from(a);
  const x = Float64Array.from(b);
  eliminate(
    m,
    n,
    (col, pivot) => {
      [x[col], x[pivot]] = [x[pivot]!, x[col]!];
    },
    (r, col, f) => {
      x[r]! -= f * x[col]!;
    },
  );
  for (let r = n - 1; r >= 0; r--) {
    let s = x[r]!;
    for (let c = r + 1; c < n; c++) s -= m[r * n + c]! * x[c]!;
    x[r] = s / m[r * n + r]!;
  }
  return x;
}

/**
 * Forward elimination with partial pivoting, in place (upper triangle left in `m`); `swap` and
 * `update` apply the same row operations to the right-hand side(s).
 */
function eliminate(
  m: Float64Array,
  n: number,
  swap: (col: number, pivot: number) => void,
  update: (row: number, col: number, factor: number) => void,
): void {
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++)
      if (Math.abs(m[r * n + col]!) > Math.abs(m[pivot * n + col]!)) pivot = r;
    if (Math.abs(m[pivot * n + col]!) < SINGULAR) throw new AnalysisError("singular system");
    if (pivot !== col) {
      for (let c = 0; c < n; c++) [m[col * n + c], m[pivot * n + c]] = [m[pivot * n + c]!, m[col * n + c]!];
      swap(col, pivot);
    }
    const top = m[col * n + col]!;
    for (let r = col + 1; r < n; r++) {
      const f = m[r * n + col]! / top;
      if (f === 0) continue;
      for (let c = col; c < n; c++) m[r * n + c]! -= f * m[col * n + c]!;
      update(r, col, f);
    }
  }
}

/** The inverse of A (n×n row-major): A⁻¹ by elimination on [A | I]. */
function invert(a: Float64Array): Float64Array {
  const n = Math.round(Math.sqrt(a.length));
  const m = Float64Array.from(a);
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1;
  eliminate(
    m,
    n,
    (col, pivot) => {
      for (let c = 0; c < n; c++)
        [inv[col * n + c], inv[pivot * n + c]] = [inv[pivot * n + c]!, inv[col * n + c]!];
    },
    (r, col, f) => {
      for (let c = 0; c < n; c++) inv[r * n + c]! -= f * inv[col * n + c]!;
    },
  );
  for (let r = n - 1; r >= 0; r--) {
    const d = m[r * n + r]!;
    for (let c = 0; c < n; c++) {
      let s = inv[r * n + c]!;
      for (let k = r + 1; k < n; k++) s -= m[r * n + k]! * inv[k * n + c]!;
      inv[r * n + c] = s / d;
    }
  }
  return inv;
}

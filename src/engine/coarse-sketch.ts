// A small histogram for quantiles of one batch of values (output analysis: the p90 of each batch of
// a replication's waits). The run's own quantiles come from the exact-to-0.1% Sketch (sketch.ts,
// 272 KiB each); a batch quantile only has to be good to a fraction of the spread between batches,
// and a replication holds dozens of them, so this one is 128 times smaller: log-linear buckets,
// 32 per power of two (each narrower than 2.2% of its values) from 2^-6 min (4 s) to 2^24 min,
// with an exact bucket for 0 (most waits) and values read back by linear interpolation.

const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
const MIN_EXP = -6;
const MAX_EXP = 24;
const MIN_TRACKED = 2 ** MIN_EXP;
const MAX_TRACKED = 2 ** MAX_EXP;
const ZERO = 0;
const UNDER = 1;
const FIRST = 2;
const OVER = FIRST + ((MAX_EXP - MIN_EXP) << SUB_BITS);
const BUCKETS = OVER + 1;

/** The high word of a double, read without allocating (as in sketch.ts). */
const F64 = new Float64Array(1);
const U32 = new Uint32Array(F64.buffer);
const HIGH = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const OFFSET = (1023 + MIN_EXP) << SUB_BITS;

function bucketOf(x: number): number {
  if (x < MIN_TRACKED) return x === 0 ? ZERO : UNDER;
  if (x >= MAX_TRACKED) return OVER;
  F64[0] = x;
  return FIRST + ((U32[HIGH]! >>> (20 - SUB_BITS)) - OFFSET);
}

function lowerEdge(i: number): number {
  if (i <= ZERO) return 0;
  if (i === UNDER) return 0;
  if (i === OVER) return MAX_TRACKED;
  const k = i - FIRST;
  return (SUB + (k & (SUB - 1))) * 2 ** ((k >> SUB_BITS) + MIN_EXP - SUB_BITS);
}

export class CoarseSketch {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private hi = 0;

  get count(): number {
    return this.n;
  }

  /** Records a value ≥ 0 (the caller's values are checked where they are made). */
  add(x: number): void {
    this.counts[bucketOf(x)]! += 1;
    this.n++;
    if (x > this.hi) this.hi = x;
  }

  /**
   * The q-quantile (0 < q < 1) at rank q·(n − 1), values spread evenly within their bucket; NaN
   * when empty.
   */
  quantile(q: number): number {
    if (this.n === 0) return Number.NaN;
    const rank = q * (this.n - 1);
    let seen = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const c = this.counts[i]!;
      if (c === 0) continue;
      if (rank < seen + c) {
        if (i === ZERO) return 0;
        const lo = lowerEdge(i);
        const hi = Math.min(i === OVER ? this.hi : lowerEdge(i + 1), this.hi);
        return lo + ((rank - seen + 0.5) / c) * (hi - lo);
      }
      seen += c;
    }
    return this.hi;
  }
}

// "Did you mean …?" for misspelt keys and ids.
//
// A file can hold tens of thousands of unknown references, each to be compared with tens of
// thousands of ids: compared naively (a full edit-distance table per pair) 30,000 unknown route
// targets took over ten minutes. So a Suggester indexes its candidates once (exact matches by
// hash, the others by length: a candidate whose length differs by more than the edits allowed
// cannot match), computes only the band of the table within the allowed edits and stops as soon
// as a row exceeds them, and spends at most a fixed amount of work per file: past that budget a
// message simply goes without its suggestion.

import { quoted } from "./issues.js";

/** Edit-distance work (table cells and candidates looked at) one Suggester may spend: about 50 ms
 * on this machine, thousands of times what a real file needs. */
export const SUGGESTION_BUDGET = 2_000_000;

/** Stands for "more than allowed" in the table (any value above the limit would do). */
const FAR = 1 << 29;

/**
 * Optimal string alignment distance (Levenshtein plus adjacent transpositions) if it is at most
 * `max`, else `max + 1`. Only the cells within `max` of the diagonal are computed; `work.cells`
 * counts them.
 */
export function boundedDistance(a: string, b: string, max: number, work = { cells: 0 }): number {
  const n = a.length;
  const m = b.length;
  if (Math.abs(n - m) > max) return max + 1;
  if (n === 0 || m === 0) return Math.max(n, m);
  let [before, previous, current] = rows(m + 2);
  for (let j = 0; j <= Math.min(m, max); j++) previous[j] = j;
  for (let i = 1; i <= n; i++) {
    const lo = Math.max(1, i - max);
    const hi = Math.min(m, i + max);
    current[lo - 1] = lo === 1 ? i : FAR;
    let rowMin = current[lo - 1] as number;
    for (let j = lo; j <= hi; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(
        (previous[j] as number) + 1,
        (current[j - 1] as number) + 1,
        (previous[j - 1] as number) + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d = Math.min(d, (before[j - 2] as number) + 1);
      current[j] = d;
      if (d < rowMin) rowMin = d;
    }
    if (hi < m) current[hi + 1] = FAR;
    work.cells += hi - lo + 1;
    // Row minima never decrease: once a whole row is over the limit, so is the distance.
    if (rowMin > max) return max + 1;
    [before, previous, current] = [previous, current, before];
  }
  const distance = previous[m] as number;
  return distance <= max ? distance : max + 1;
}

/** Three rows of the table, reused from call to call (a suggestion compares thousands of pairs). */
let scratch: [Int32Array, Int32Array, Int32Array] = [new Int32Array(0), new Int32Array(0), new Int32Array(0)];

function rows(length: number): [Int32Array, Int32Array, Int32Array] {
  if (scratch[0].length < length) {
    const size = Math.max(length, 2 * scratch[0].length);
    scratch = [new Int32Array(size), new Int32Array(size), new Int32Array(size)];
  }
  for (const row of scratch) row.fill(FAR, 0, length);
  return [scratch[0], scratch[1], scratch[2]];
}

/** Optimal string alignment distance (Levenshtein plus adjacent transpositions). */
export function editDistance(a: string, b: string): number {
  return boundedDistance(a, b, Math.max(a.length, b.length));
}

/**
 * Edits allowed for a word to count as a likely typo: case only for words of one or two
 * characters (any other one-letter id is "close"), one edit up to four characters, then two,
 * then a third of the length.
 */
function editsAllowed(length: number): number {
  return length <= 2 ? 0 : length < 5 ? 1 : Math.max(2, Math.floor(length / 3));
}

interface Candidate {
  text: string;
  lower: string;
  /** Position among the candidates: of two equally close, the first is suggested. */
  index: number;
}

/** The candidates of one kind (the known keys, the microsystem ids…), indexed for suggestions. */
export class Suggester {
  private readonly exact = new Map<string, Candidate>();
  private readonly byLength = new Map<number, Candidate[]>();
  private readonly work = { cells: 0 };

  constructor(
    candidates: Iterable<string>,
    private readonly budget = SUGGESTION_BUDGET,
  ) {
    let index = 0;
    for (const text of candidates) {
      const candidate = { text, lower: text.toLowerCase(), index: index++ };
      if (!this.exact.has(candidate.lower)) this.exact.set(candidate.lower, candidate);
      const bucket = this.byLength.get(candidate.lower.length);
      if (bucket) bucket.push(candidate);
      else this.byLength.set(candidate.lower.length, [candidate]);
    }
  }

  /** Work spent so far (table cells and candidates looked at). */
  spent(): number {
    return this.work.cells;
  }

  /** The candidate closest to `word` (case ignored), if close enough to be a likely typo. */
  closest(word: string): string | undefined {
    const lower = word.toLowerCase();
    const same = this.exact.get(lower);
    if (same !== undefined) return same.text;
    const limit = editsAllowed(lower.length);
    if (limit === 0 || this.work.cells > this.budget) return undefined;
    let best: Candidate | undefined;
    let bestDistance = limit;
    for (let length = lower.length - limit; length <= lower.length + limit; length++) {
      for (const candidate of this.byLength.get(length) ?? []) {
        this.work.cells++;
        // The length difference alone is a lower bound of the distance.
        const floor = Math.abs(length - lower.length);
        if (floor > bestDistance || (floor === bestDistance && best && candidate.index > best.index))
          continue;
        const distance = boundedDistance(lower, candidate.lower, bestDistance, this.work);
        if (distance > bestDistance) continue;
        if (!best || distance < bestDistance || candidate.index < best.index)
          [best, bestDistance] = [candidate, distance];
      }
    }
    return best?.text;
  }
}

/** The candidate closest to `word`, if close enough to be a likely typo (see Suggester). */
export function closest(word: string, candidates: Iterable<string> | Suggester): string | undefined {
  return (candidates instanceof Suggester ? candidates : new Suggester(candidates)).closest(word);
}

/** ` (did you mean "x"?)`, or "" when nothing is close. */
export function didYouMean(word: string, candidates: Iterable<string> | Suggester): string {
  const match = closest(word, candidates);
  return match === undefined ? "" : ` (did you mean ${quoted(match)}?)`;
}

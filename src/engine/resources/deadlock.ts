// Deadlock among pools of places: holders that keep a place in one pool while they wait for a
// place in another (blocking after service). A set of pools is deadlocked when none of them can
// ever free a place: each is full even at its largest capacity, and every place in it is held by
// a holder waiting for a pool of the same set. Nothing can then move, however long the run goes
// on, so a driver must stop instead of waiting for a release that never comes.
//
// Called when a holder starts waiting (the only moment a deadlock can form: a place held by
// someone in service, or by nobody, will be released).

/** One holder: it holds a place of pool `holds` and waits for a place of pool `wants`. */
export interface WaitFor {
  holds: number;
  wants: number;
}

/**
 * The pools of a deadlock (ascending), or [] when there is none. `busy[p]` = places held in pool
 * p, `maxCapacity[p]` = the most places p ever has; `waiting` = every holder that waits.
 */
export function deadlockedPools(
  busy: ArrayLike<number>,
  maxCapacity: ArrayLike<number>,
  waiting: readonly WaitFor[],
): number[] {
  const pools = busy.length;
  const blockedHolders = new Float64Array(pools);
  for (const w of waiting) blockedHolders[w.holds]!++;
  // Candidates: full at their largest, and every place held by a waiting holder.
  const stuck = new Uint8Array(pools);
  for (let p = 0; p < pools; p++) {
    stuck[p] = busy[p]! > 0 && busy[p]! >= maxCapacity[p]! && blockedHolders[p] === busy[p] ? 1 : 0;
  }
  // Greatest fixed point: a pool with a holder waiting for a pool that may move can move too.
  for (let changed = true; changed; ) {
    changed = false;
    for (const w of waiting) {
      if (stuck[w.holds] === 1 && stuck[w.wants] === 0) {
        stuck[w.holds] = 0;
        changed = true;
      }
    }
  }
  const out: number[] = [];
  for (let p = 0; p < pools; p++) if (stuck[p] === 1) out.push(p);
  return out;
}

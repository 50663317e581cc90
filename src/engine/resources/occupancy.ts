// How many places one user holds over time, integrated: place-minutes, for utilisation.
//
// The area is accumulated only when the count changes (never at a handover that leaves it as it
// was), so that splitting a run into more events does not change the floating-point sum: the
// figures stay identical to the bit whatever else is scheduled in between.

export class Occupancy {
  /** Places held now. */
  count = 0;
  private area = 0;
  private last = 0;

  /** The count changes by `delta` at `now`. */
  change(now: number, delta: number): void {
    if (delta === 0) return;
    this.area += this.count * (now - this.last);
    this.last = now;
    this.count += delta;
  }

  /** Place-minutes from time 0 to `now`. */
  areaUntil(now: number): number {
    return this.area + this.count * (now - this.last);
  }
}

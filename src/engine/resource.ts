// A resource with a capacity and a first-in-first-out queue of waiting entities (integer ids).
// It also integrates how many units are busy over time, for utilisation.

export class Resource {
  private inUse = 0;
  private queue: Int32Array = new Int32Array(64);
  private head = 0;
  private count = 0;
  private busyArea = 0;
  private lastChange = 0;

  /** capacity: units available at once (Infinity = never queues). */
  constructor(readonly capacity: number) {}

  get busy(): number {
    return this.inUse;
  }

  get waiting(): number {
    return this.count;
  }

  /** Takes a unit now if one is free; otherwise queues `entity` and returns false. */
  request(entity: number, now: number): boolean {
    if (this.inUse < this.capacity) {
      this.account(now);
      this.inUse++;
      return true;
    }
    this.enqueue(entity);
    return false;
  }

  /**
   * Frees a unit at `now`. If someone waits, the unit passes straight to the longest-waiting entity,
   * which is returned (it now holds the unit); otherwise returns -1.
   */
  release(now: number): number {
    if (this.count > 0) return this.dequeue();
    this.account(now);
    this.inUse--;
    return -1;
  }

  /** Busy unit-minutes from time 0 to `now`. */
  busyTime(now: number): number {
    return this.busyArea + this.inUse * (now - this.lastChange);
  }

  private account(now: number): void {
    this.busyArea += this.inUse * (now - this.lastChange);
    this.lastChange = now;
  }

  // The queue is a ring buffer: O(1) at both ends and no garbage per waiting entity.
  private enqueue(entity: number): void {
    if (this.count === this.queue.length) {
      const bigger = new Int32Array(this.queue.length * 2);
      for (let i = 0; i < this.count; i++) bigger[i] = this.queue[(this.head + i) % this.queue.length]!;
      this.queue = bigger;
      this.head = 0;
    }
    this.queue[(this.head + this.count) % this.queue.length] = entity;
    this.count++;
  }

  private dequeue(): number {
    const entity = this.queue[this.head]!;
    this.head = (this.head + 1) % this.queue.length;
    this.count--;
    return entity;
  }
}

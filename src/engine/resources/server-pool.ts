// A pool of identical places (beds, a procedure team, rooms) and ONE queue of requests for them.
//
// - Capacity may change over time (staffing shifts): `capacity` is set by the owner at each shift
//   boundary. A drop never interrupts anyone: `busy` may exceed `capacity` until enough places
//   have been released.
// - Requests carry a group (which of the pool's users asks: one microsystem of a shared pool) and
//   a priority: the higher priority is served first, ties first-come-first-served (by the order
//   of `enqueue`), never preemptive.
// - A group can be closed (`setOpen`): its requests stay in the queue, in order, but are passed
//   over until it opens, while the other groups' requests are served.
//
// The pool counts places; it does not start anything. Its owner asks `takeNext` for the request to
// serve whenever a place is free, and decides what serving it means. Busy time is integrated by
// the owner too (engine/resources/occupancy.ts), per user.
//
// Performance: each group's queue is a binary heap in parallel typed arrays (no object per
// request, no garbage); queues are short in practice, so removing a request (a patient who stops
// waiting) scans its group's heap.

export class ServerPool {
  /** Places in use (may exceed `capacity` just after a drop). */
  busy = 0;
  /** Places available now; Infinity = never queues. */
  capacity: number;
  /** What the last successful `takeNext` returned. */
  entity = 0;
  group = 0;
  private readonly queues: RequestHeap[];
  private readonly open: Uint8Array;
  private seq = 0;
  private count = 0;

  constructor(capacity: number, groups = 1) {
    this.capacity = capacity;
    this.queues = Array.from({ length: groups }, () => new RequestHeap());
    this.open = new Uint8Array(groups).fill(1);
  }

  /** Whether a place is free now. */
  get hasRoom(): boolean {
    return this.busy < this.capacity;
  }

  /** Requests waiting, in every group. */
  get waiting(): number {
    return this.count;
  }

  waitingIn(group: number): number {
    return this.queues[group]!.size;
  }

  isOpen(group: number): boolean {
    return this.open[group] === 1;
  }

  setOpen(group: number, open: boolean): void {
    this.open[group] = open ? 1 : 0;
  }

  /** Queues a request of `group` (ties with equal priority are served in the order queued). */
  enqueue(entity: number, group: number, priority: number): void {
    this.queues[group]!.push(entity, priority, this.seq++);
    this.count++;
  }

  /** Withdraws a waiting request; false when it is not in the queue. */
  remove(entity: number, group: number): boolean {
    if (!this.queues[group]!.remove(entity)) return false;
    this.count--;
    return true;
  }

  /**
   * Removes the request to serve next — the highest priority, then the earliest, over the open
   * groups — and exposes it as `entity` and `group`; false when no open group has a request.
   * It does not take a place: the owner does (`busy++`) or hands a released one over.
   */
  takeNext(): boolean {
    let best = -1;
    for (let g = 0; g < this.queues.length; g++) {
      if (this.open[g] === 0) continue;
      const q = this.queues[g]!;
      if (q.size === 0) continue;
      if (best < 0 || q.before(this.queues[best]!)) best = g;
    }
    if (best < 0) return false;
    this.entity = this.queues[best]!.pop();
    this.group = best;
    this.count--;
    return true;
  }

  /** The entities waiting in `group`, in no particular order (for diagnostics). */
  waitingEntities(group: number): number[] {
    return this.queues[group]!.entities();
  }
}

/** A binary heap of requests: highest priority first, then lowest sequence number. */
class RequestHeap {
  size = 0;
  private entity = new Int32Array(16);
  private priority = new Float64Array(16);
  private seq = new Float64Array(16);

  /** Whether this heap's head goes before `other`'s (both non-empty). */
  before(other: RequestHeap): boolean {
    return this.ahead(this.priority[0]!, this.seq[0]!, other.priority[0]!, other.seq[0]!);
  }

  push(entity: number, priority: number, seq: number): void {
    if (this.size === this.entity.length) this.grow();
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.ahead(priority, seq, this.priority[parent]!, this.seq[parent]!)) break;
      this.move(parent, i);
      i = parent;
    }
    this.set(i, entity, priority, seq);
  }

  pop(): number {
    const head = this.entity[0]!;
    this.removeAt(0);
    return head;
  }

  remove(entity: number): boolean {
    for (let i = 0; i < this.size; i++) {
      if (this.entity[i] === entity) {
        this.removeAt(i);
        return true;
      }
    }
    return false;
  }

  entities(): number[] {
    return Array.from(this.entity.subarray(0, this.size));
  }

  private removeAt(i: number): void {
    const last = --this.size;
    if (i === last) return;
    const e = this.entity[last]!;
    const p = this.priority[last]!;
    const s = this.seq[last]!;
    // The last request takes the hole at i: up if it goes before i's parent, otherwise down.
    let at = i;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.ahead(p, s, this.priority[parent]!, this.seq[parent]!)) break;
      this.move(parent, at);
      at = parent;
    }
    if (at === i) {
      for (;;) {
        let child = 2 * at + 1;
        if (child >= last) break;
        const right = child + 1;
        if (
          right < last &&
          this.ahead(this.priority[right]!, this.seq[right]!, this.priority[child]!, this.seq[child]!)
        )
          child = right;
        if (!this.ahead(this.priority[child]!, this.seq[child]!, p, s)) break;
        this.move(child, at);
        at = child;
      }
    }
    this.set(at, e, p, s);
  }

  private ahead(p1: number, s1: number, p2: number, s2: number): boolean {
    return p1 > p2 || (p1 === p2 && s1 < s2);
  }

  private move(from: number, to: number): void {
    this.entity[to] = this.entity[from]!;
    this.priority[to] = this.priority[from]!;
    this.seq[to] = this.seq[from]!;
  }

  private set(i: number, entity: number, priority: number, seq: number): void {
    this.entity[i] = entity;
    this.priority[i] = priority;
    this.seq[i] = seq;
  }

  private grow(): void {
    const n = this.entity.length * 2;
    const e = new Int32Array(n);
    e.set(this.entity);
    const p = new Float64Array(n);
    p.set(this.priority);
    const s = new Float64Array(n);
    s.set(this.seq);
    this.entity = e;
    this.priority = p;
    this.seq = s;
  }
}

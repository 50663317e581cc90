import { describe, expect, it } from "vitest";
import { ServerPool } from "../../../src/engine/resources/server-pool.js";

/** Drains the pool's queue in the order it serves it. */
function order(pool: ServerPool): number[] {
  const out: number[] = [];
  while (pool.takeNext()) out.push(pool.entity);
  return out;
}

describe("ServerPool", () => {
  it("one group, equal priorities: first come first served (the FIFO queue of version 1)", () => {
    const pool = new ServerPool(1);
    for (let e = 0; e < 300; e++) pool.enqueue(e, 0, 0);
    expect(pool.waiting).toBe(300);
    expect(order(pool)).toEqual(Array.from({ length: 300 }, (_, i) => i));
  });

  it("higher priority first, ties in the order queued, negative entities and priorities too", () => {
    const pool = new ServerPool(1);
    const requests: [number, number][] = [
      [1, 0],
      [2, 5],
      [-3, 0],
      [4, 5],
      [5, -2],
      [6, 9],
    ];
    for (const [e, p] of requests) pool.enqueue(e, 0, p);
    expect(order(pool)).toEqual([6, 2, 4, 1, -3, 5]);
  });

  it("across groups: one queue; a closed group keeps its place in the order but is passed over", () => {
    const pool = new ServerPool(2, 2);
    pool.enqueue(10, 0, 0);
    pool.enqueue(20, 1, 0);
    pool.enqueue(11, 0, 0);
    pool.enqueue(21, 1, 1);
    pool.setOpen(1, false);
    expect(pool.takeNext()).toBe(true);
    expect([pool.entity, pool.group]).toEqual([10, 0]);
    expect(pool.takeNext() && pool.entity).toBe(11);
    expect(pool.takeNext()).toBe(false);
    expect(pool.waitingIn(1)).toBe(2);
    pool.setOpen(1, true);
    expect(order(pool)).toEqual([21, 20]);
  });

  it("withdraws a waiting request (reneging) and keeps the heap in order", () => {
    const pool = new ServerPool(1);
    for (let e = 0; e < 50; e++) pool.enqueue(e, 0, e % 3);
    expect(pool.remove(7, 0)).toBe(true);
    expect(pool.remove(7, 0)).toBe(false);
    expect(pool.remove(30, 0)).toBe(true);
    const served = order(pool);
    const expected = Array.from({ length: 50 }, (_, e) => e)
      .filter((e) => e !== 7 && e !== 30)
      .sort((a, b) => (b % 3) - (a % 3) || a - b);
    expect(served).toEqual(expected);
  });

  it("room follows the capacity, which may drop below the places in use", () => {
    const pool = new ServerPool(2);
    pool.busy = 2;
    expect(pool.hasRoom).toBe(false);
    pool.capacity = 1;
    pool.busy--;
    expect(pool.hasRoom).toBe(false);
    pool.busy--;
    expect(pool.hasRoom).toBe(true);
    expect(new ServerPool(Number.POSITIVE_INFINITY).hasRoom).toBe(true);
  });
});

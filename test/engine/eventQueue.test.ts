import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue } from "../../src/engine/eventQueue.js";

describe("EventQueue", () => {
  it("pops in time order, first-in-first-out among equal times", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue(2); // tiny start: exercises growth
        times.forEach((t, i) => {
          q.push(t, i, 0);
        });
        const popped: [number, number][] = [];
        while (q.pop()) popped.push([q.poppedTime, q.poppedEntity]);
        const expected = times
          .map((t, i): [number, number] => [t, i])
          .sort((a, b) => a[0] - b[0] || a[1] - b[1]);
        expect(popped).toEqual(expected);
      }),
    );
  });

  it("keeps FIFO order for ties pushed while popping", () => {
    const q = new EventQueue();
    q.push(5, 1, 0);
    q.push(5, 2, 0);
    expect(q.pop()).toBe(true);
    q.push(5, 3, 7);
    const order: number[] = [q.poppedEntity];
    while (q.pop()) order.push(q.poppedEntity);
    expect(order).toEqual([1, 2, 3]);
    expect(q.size).toBe(0);
    expect(q.peekTime()).toBe(Number.POSITIVE_INFINITY);
  });
});

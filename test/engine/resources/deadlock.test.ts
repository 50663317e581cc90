import { describe, expect, it } from "vitest";
import { deadlockedPools } from "../../../src/engine/resources/deadlock.js";

describe("deadlockedPools", () => {
  it("a cycle of full pools whose holders all wait for each other", () => {
    // Pools 0 and 1 of one place each: 0's holder waits for 1, 1's for 0.
    expect(
      deadlockedPools(
        [1, 1],
        [1, 1],
        [
          { holds: 0, wants: 1 },
          { holds: 1, wants: 0 },
        ],
      ),
    ).toEqual([0, 1]);
  });

  it("none while someone in a pool is not waiting (in care, it will release its place)", () => {
    expect(
      deadlockedPools(
        [2, 1],
        [2, 1],
        [
          { holds: 0, wants: 1 },
          { holds: 1, wants: 0 },
        ],
      ),
    ).toEqual([]);
  });

  it("none while a pool can still grow (a later shift has more places)", () => {
    expect(
      deadlockedPools(
        [1, 1],
        [2, 1],
        [
          { holds: 0, wants: 1 },
          { holds: 1, wants: 0 },
        ],
      ),
    ).toEqual([]);
  });

  it("a pool waiting for a pool that can move is not stuck; a self-loop of a full pool is", () => {
    expect(
      deadlockedPools(
        [1, 1, 0],
        [1, 1, 1],
        [
          { holds: 0, wants: 1 },
          { holds: 1, wants: 2 },
        ],
      ),
    ).toEqual([]);
    expect(
      deadlockedPools(
        [2],
        [2],
        [
          { holds: 0, wants: 0 },
          { holds: 0, wants: 0 },
        ],
      ),
    ).toEqual([0]);
  });

  it("only the cycle, not the pools that merely wait on it", () => {
    expect(
      deadlockedPools(
        [1, 1, 1],
        [1, 1, 5],
        [
          { holds: 0, wants: 1 },
          { holds: 1, wants: 0 },
          { holds: 2, wants: 0 },
        ],
      ),
    ).toEqual([0, 1]);
  });
});

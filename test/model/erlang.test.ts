// The Erlang C helper against published values.
import { describe, expect, it } from "vitest";
import { erlangC } from "../fixtures/erlang.js";

describe("erlangC (test helper)", () => {
  it("is ρ for one server (M/M/1: an arrival waits when the server is busy)", () => {
    for (const rho of [0.1, 0.5, 0.9]) expect(erlangC(1, rho)).toBeCloseTo(rho, 14);
  });

  it("matches the M/M/2 closed form 2ρ²/(1 + ρ) (Kleinrock 1975)", () => {
    for (const rho of [0.25, 0.5, 0.8])
      expect(erlangC(2, 2 * rho)).toBeCloseTo((2 * rho * rho) / (1 + rho), 14);
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 15);
  });

  it("matches the Erlang C table: 5 servers, 3 erlangs → 0.2362", () => {
    expect(erlangC(5, 3)).toBeCloseTo(0.2362, 3);
  });

  it("refuses a load the servers cannot carry", () => {
    expect(() => erlangC(2, 2)).toThrow(RangeError);
    expect(() => erlangC(0, 0.5)).toThrow(RangeError);
  });
});

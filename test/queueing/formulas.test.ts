// The formulas of the queueing helper against published values and identities.
import { describe, expect, it } from "vitest";
import { cobhamWaits, erlangC, mm1Wait, mmcWait } from "./formulas.js";

describe("Erlang C", () => {
  it("M/M/1: the probability of waiting is ρ", () => {
    for (const rho of [0.1, 0.5, 0.9]) expect(erlangC(1, rho)).toBeCloseTo(rho, 14);
  });

  it("M/M/2: 2ρ²/(1 + ρ) (Gross & Harris §2.3), e.g. 1/3 at ρ = 0.5", () => {
    expect(erlangC(2, 1)).toBeCloseTo(1 / 3, 14);
    for (const rho of [0.2, 0.6, 0.95])
      expect(erlangC(2, 2 * rho)).toBeCloseTo((2 * rho * rho) / (1 + rho), 14);
  });

  it("3 servers, 2 erlangs: 4/9 (the basic example of Wolfram's ErlangC documentation)", () => {
    expect(erlangC(3, 2)).toBeCloseTo(4 / 9, 14);
  });

  it("5 servers, 3 erlangs: 0.2362 (the Erlang C table of call-centre staffing)", () => {
    expect(erlangC(5, 3)).toBeCloseTo(0.2362, 3);
  });

  it("agrees with the birth-death chain of M/M/c solved directly (P(wait) and Little's law)", () => {
    for (const [c, lambda, mu] of [
      [13, 10, 1],
      [55, 12, 0.25],
      [2, 0.03, 1 / 45],
    ] as const) {
      // π_n ∝ Π λ / (min(k, c) μ), truncated where the tail is below 1e-300.
      const pi: number[] = [1];
      for (let n = 1; n < 20_000 && pi[n - 1]! > 1e-300; n++)
        pi.push((pi[n - 1]! * lambda) / (Math.min(n, c) * mu));
      const total = pi.reduce((s, x) => s + x, 0);
      const waiting = pi.slice(c).reduce((s, x) => s + x, 0) / total;
      const queue = pi.reduce((s, x, n) => s + Math.max(0, n - c) * x, 0) / total;
      expect(erlangC(c, lambda / mu)).toBeCloseTo(waiting, 10);
      expect(mmcWait(c, lambda, mu)).toBeCloseTo(queue / lambda, 8);
    }
  });

  it("mean waits: M/M/c with c = 1 is M/M/1", () => {
    expect(mmcWait(1, 0.7 / 30, 1 / 30)).toBeCloseTo(mm1Wait(0.7 / 30, 1 / 30), 10);
    expect(mm1Wait(0.8, 1)).toBeCloseTo(4, 14);
  });
});

describe("Cobham's non-preemptive priorities", () => {
  it("M/M/1, two classes of 0.4 at μ = 1: waits 4/3 and 20/3 (W0 = ρ/μ = 0.8)", () => {
    const [w1, w2] = cobhamWaits(1, [0.4, 0.4], 1);
    expect(w1).toBeCloseTo(0.8 / 0.6, 14);
    expect(w2).toBeCloseTo(0.8 / (0.6 * 0.2), 14);
  });

  it("Kleinrock's conservation law: the rate-weighted waits equal the first-come-first-served wait", () => {
    for (const [c, lambdas, mu] of [
      [1, [0.2, 0.3, 0.25], 1],
      [2, [0.5, 0.9], 1],
      [4, [0.3, 1.2, 1.5], 1.1],
    ] as const) {
      const waits = cobhamWaits(c, lambdas, mu);
      const lambda = lambdas.reduce((s, x) => s + x, 0);
      const weighted = waits.reduce((s, w, k) => s + lambdas[k]! * w, 0) / lambda;
      expect(weighted).toBeCloseTo(mmcWait(c, lambda, mu), 12);
    }
  });

  it("one class is first come first served", () => {
    expect(cobhamWaits(3, [2], 1)[0]).toBeCloseTo(mmcWait(3, 2, 1), 14);
  });
});

// Exact results of queueing theory that the simulator's queues must reproduce (test helper).
// Rates are per minute, times in minutes. Every formula assumes Poisson arrivals and exponential
// service with the same mean for every class, in steady state.
//
// - Erlang C (A. K. Erlang 1917): the probability that an arrival waits in M/M/c, and the mean wait
//   Wq = C(c, a) / (cμ − λ), a = λ/μ offered load (Gross, Shortle, Thompson & Harris, Fundamentals of
//   Queueing Theory, 4th ed., 2008, §2.3).
// - M/M/1: Wq = ρ / (μ − λ), the c = 1 case.
// - Cobham (1954), non-preemptive priorities, classes served highest first, ties first come first
//   served: W_k = W0 / ((1 − σ_{k−1})(1 − σ_k)), σ_k = Σ_{i ≤ k} λ_i / (cμ) over the classes at least
//   as urgent as k; W0 = C(c, a) / (cμ) for M/M/c (for M/M/1: ρ/μ). Kleinrock's conservation law
//   (1965) ties it to Erlang C: Σ λ_k W_k = λ Wq(FCFS).

/** Erlang C: the probability that an arrival waits, with c servers and a = λ/μ offered load (a < c). */
export function erlangC(c: number, a: number): number {
  if (!(a >= 0 && a < c) || !Number.isInteger(c) || c < 1)
    throw new RangeError(`erlangC: need 0 <= a < c, got c=${c}, a=${a}`);
  // a^k / k! term by term (no overflow for large c), summed for k < c.
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  // term = a^c / c!
  const last = (term * c) / (c - a);
  return last / (sum + last);
}

/** Mean wait in queue of M/M/c: C(c, a) / (cμ − λ). */
export function mmcWait(c: number, lambda: number, mu: number): number {
  return erlangC(c, lambda / mu) / (c * mu - lambda);
}

/** Mean wait in queue of M/M/1: ρ / (μ − λ). */
export function mm1Wait(lambda: number, mu: number): number {
  const rho = lambda / mu;
  if (!(rho < 1)) throw new RangeError("mm1Wait: needs λ < μ");
  return rho / (mu - lambda);
}

/**
 * Cobham's mean waits per class in M/M/c with non-preemptive priorities: `lambdas` in priority
 * order, most urgent first (one common service rate μ).
 */
export function cobhamWaits(c: number, lambdas: readonly number[], mu: number): number[] {
  const lambda = lambdas.reduce((s, x) => s + x, 0);
  const w0 = erlangC(c, lambda / mu) / (c * mu);
  let sigma = 0;
  return lambdas.map((l) => {
    const before = sigma;
    sigma += l / (c * mu);
    return w0 / ((1 - before) * (1 - sigma));
  });
}

// Time distributions and their samplers. Each sampler draws from keyed streams (random.ts), using
// the inverse CDF where one exists so that one key gives one uniform gives one value: a what-if
// that changes a median shifts every entity's value monotonically instead of reshuffling them.
import { normalQuantile } from "./normal.js";
import { draw } from "./random.js";

export { normalQuantile };

/** A distribution of non-negative values (minutes, in this simulator). */
export type Distribution =
  | { kind: "fixed"; value: number }
  | { kind: "lognormal"; median: number; p90: number }
  | { kind: "exponential"; mean: number }
  | { kind: "triangular"; min: number; mode: number; max: number }
  | { kind: "uniform"; min: number; max: number }
  | { kind: "gamma"; mean: number; sd: number };

/** Draws a value for (entity, site, visit); pure, so the same key gives the same value. */
export type Sampler = (entity: number, site: number, visit: number) => number;

/** z such that Φ(z) = 0.9. */
export const Z90 = 1.2815515655446004;

export function sampler(d: Distribution): Sampler {
  switch (d.kind) {
    case "fixed": {
      const v = d.value;
      return () => v;
    }
    case "lognormal": {
      const mu = Math.log(d.median);
      const sigma = Math.log(d.p90 / d.median) / Z90;
      return (e, s, v) => Math.exp(mu + sigma * normalQuantile(draw(e, s, v, 0)));
    }
    case "exponential": {
      const mean = d.mean;
      return (e, s, v) => -mean * Math.log(draw(e, s, v, 0));
    }
    case "triangular":
      return triangular(d.min, d.mode, d.max);
    case "uniform": {
      const { min } = d;
      const width = d.max - d.min;
      return (e, s, v) => min + width * draw(e, s, v, 0);
    }
    case "gamma":
      return gamma(d.mean, d.sd);
  }
}

/** Mean of a distribution, exactly. */
export function mean(d: Distribution): number {
  switch (d.kind) {
    case "fixed":
      return d.value;
    case "lognormal": {
      const sigma = Math.log(d.p90 / d.median) / Z90;
      return d.median * Math.exp((sigma * sigma) / 2);
    }
    case "exponential":
      return d.mean;
    case "triangular":
      return (d.min + d.mode + d.max) / 3;
    case "uniform":
      return (d.min + d.max) / 2;
    case "gamma":
      return d.mean;
  }
}

function triangular(min: number, mode: number, max: number): Sampler {
  const width = max - min;
  if (width === 0) return () => min;
  const split = (mode - min) / width;
  return (e, s, v) => {
    const u = draw(e, s, v, 0);
    return u < split
      ? min + Math.sqrt(u * width * (mode - min))
      : max - Math.sqrt((1 - u) * width * (max - mode));
  };
}

/**
 * Gamma by Marsaglia & Tsang (2000): no closed-form inverse CDF, so rejection sampling, each attempt
 * taking uniforms k, k+1 of the same key (still a pure function of the key). Shape < 1 uses the
 * boost Gamma(a) = Gamma(a+1)·U^(1/a).
 */
function gamma(meanValue: number, sd: number): Sampler {
  if (sd === 0) return () => meanValue;
  const shape = (meanValue / sd) ** 2;
  const scale = (sd * sd) / meanValue;
  const boosted = shape < 1;
  const a = boosted ? shape + 1 : shape;
  const d = a - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  return (e, s, v) => {
    for (let k = 1; ; k += 2) {
      const z = normalQuantile(draw(e, s, v, k));
      const t = 1 + c * z;
      if (t <= 0) continue;
      const t3 = t * t * t;
      const u = draw(e, s, v, k + 1);
      if (Math.log(u) < 0.5 * z * z + d - d * t3 + d * Math.log(t3)) {
        const x = d * t3 * scale;
        return boosted ? x * draw(e, s, v, 0) ** (1 / shape) : x;
      }
    }
  };
}

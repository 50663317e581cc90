// Keyed random streams for common random numbers.
//
// Every draw is a pure function of (seed, stream key…, counter): the same key always gives the same
// number, whatever else the simulation did before. That is what makes paired what-if comparisons
// precise and results identical however the work is split across workers.
//
// Why a counter-based generator: seeding a seedrandom generator per decision costs microseconds
// (docs/toolchain.md; `npm run bench` measures it), and an entity may make ~30 decisions, so a
// generator per decision would cap a simulation far below 1 M entities/s. Instead each draw
// hashes its key with MurmurHash3's 32-bit block mix and finaliser (full avalanche: every input
// bit flips each output bit with probability ~1/2) — a handful of integer multiplies per draw.
// seedrandom's Alea turns the user's seed into the streams' 32-bit root key: well-spread keys
// even for neighbouring seeds (1, 2, 3…).
import seedrandom from "seedrandom";

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

/** One MurmurHash3 block round: folds the 32-bit word `k` into the running hash `h`. */
export function mix(h: number, k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, C2);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser: spreads every input bit over the whole output word. */
export function finish(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const TWO_TO_MINUS_32 = 2 ** -32;

/** Maps a 32-bit hash to a uniform in (0, 1): never exactly 0 or 1, so logs and inverse CDFs stay finite. */
export function toUniform(h: number): number {
  return (h + 0.5) * TWO_TO_MINUS_32;
}

/** A stable 32-bit key for a string (an element id, a failure-mode id, a purpose). */
export function stringKey(s: string): number {
  let h = 0x9747b28c;
  for (let i = 0; i < s.length; i++) h = mix(h, s.charCodeAt(i));
  return finish(h ^ s.length) | 0;
}

/** The 32-bit root of all streams for a seed, derived with seedrandom's Alea generator. */
export function seedKey(seed: number | string): number {
  const alea = seedrandom.alea(String(seed));
  return mix(alea.int32(), alea.int32());
}

/**
 * The stream root of one entity: hash of (seed, group, index). Draws for that entity
 * then only fold in a site, a visit number and a counter.
 */
export function entityKey(seed: number, group: number, index: number): number {
  return mix(mix(mix(seed, group), index), 0x5bd1e995);
}

/**
 * Uniform in (0,1) for (entity, site, visit, k). Almost every draw is the first of its key
 * (k = 0) and folds in no k. (This was meant as a speed-up; measured, the difference is within
 * noise, but the streams are defined this way now and every documented figure depends on them.)
 */
export function draw(entity: number, site: number, visit: number, k: number): number {
  let h = mix(mix(entity, site), visit);
  if (k !== 0) h = mix(h, k);
  return toUniform(finish(h));
}

// Parsers for flags shared by several commands. A flag is checked as the file's key it overrides
// is (the same bounds, the same words): `--patients 1e12` is refused as the command line is read,
// exactly as `patients: 1e12` is refused in a file, instead of aborting a run 87 s later.
import { InvalidArgumentError } from "commander";
import { MAX_DRAWS, MAX_PATIENTS, MAX_SHARDS, MAX_WORKERS } from "../node.js";

/** Digits only: no sign, exponent, hexadecimal, spaces or fraction (`1e3`, `0x10`, `" 5"` are typos here). */
const DIGITS = /^\d{1,16}$/;

/** A whole number from `min` to `max` written in decimal digits, or null. */
function wholeNumber(value: string, min: number, max: number): number | null {
  if (!DIGITS.test(value)) return null;
  const n = Number(value);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** A parser for a whole-number flag, refusing with `expected …` what it cannot take. */
function bounded(min: number, max: number, expected: string): (value: string) => number {
  return (value) => {
    const n = wholeNumber(value, min, max);
    if (n === null) throw new InvalidArgumentError(`expected ${expected}.`);
    return n;
  };
}

/** `--patients`: the bounds of the file's `patients`. */
export const patientCount = bounded(1, MAX_PATIENTS, `a whole number of patients from 1 to ${MAX_PATIENTS}`);

/** `--patient` (story): an index into the run's patients. */
export const patientIndex = bounded(0, MAX_PATIENTS - 1, `a patient index from 0 to ${MAX_PATIENTS - 1}`);

/** `--seed`: the bounds of the file's `seed`. */
export const seedValue = bounded(
  0,
  Number.MAX_SAFE_INTEGER,
  `a non-negative whole number up to ${Number.MAX_SAFE_INTEGER}`,
);

/**
 * `--workers`: 1 to MAX_WORKERS (256). Each worker is a thread with its own heap; more threads
 * than cores only share the cores, and an unbounded count would ask for gigabytes at once.
 */
export const workerCount = bounded(
  1,
  MAX_WORKERS,
  `a whole number of worker threads from 1 to ${MAX_WORKERS}`,
);

/** `--shard K/N`: shard K (1 to N) of N, N at most MAX_SHARDS. */
export function shardOption(value: string): { k: number; n: number } {
  const [k, n, extra] = value.trim().split("/");
  const total = n === undefined ? null : wholeNumber(n, 1, MAX_SHARDS);
  const index = k === undefined || total === null ? null : wholeNumber(k, 1, total);
  if (extra !== undefined || total === null || index === null)
    throw new InvalidArgumentError(`expected K/N with 1 <= K <= N <= ${MAX_SHARDS}, e.g. 2/8.`);
  return { k: index, n: total };
}

/** `--uncertainty N`: parameter sets to draw, 2 to MAX_DRAWS (one set has no spread). */
export const drawCount = bounded(2, MAX_DRAWS, `a whole number of parameter sets from 2 to ${MAX_DRAWS}`);

/** `--wtp AMOUNT`: a non-negative amount, digits with an optional decimal part (no sign or exponent). */
export function amountValue(value: string): number {
  const n = Number(value);
  if (!/^\d{1,15}(\.\d{1,6})?$/.test(value) || !Number.isFinite(n))
    throw new InvalidArgumentError("expected a non-negative amount in digits, e.g. 50000 or 12.5.");
  return n;
}

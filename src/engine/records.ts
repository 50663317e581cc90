// Records keyed by data. Ids come from scenario files, and `__proto__`, `constructor` or
// `toString` are ids like any other: on a plain object `{}[id] = x` with id `__proto__` replaces
// the prototype instead of storing x, and reading a missing `constructor` finds Object's own
// function. A null-prototype record has neither trap: every key is an own property, and
// JSON.stringify writes `__proto__` like any other key.

/** A record with no prototype, filled from `entries` (later entries win). */
export function recordOf<V>(entries: Iterable<readonly [string, V]> = []): Record<string, V> {
  const out = Object.create(null) as Record<string, V>;
  for (const [key, value] of entries) out[key] = value;
  return out;
}

/** The value stored under `key`, or undefined: never one inherited from Object.prototype. */
export function own<V>(record: Readonly<Record<string, V>>, key: string): V | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

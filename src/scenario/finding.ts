// A problem found in the scenario tree before it is located in a file: the field path and the
// message. The loader maps the path to a file, line and column through the source map.

import type { Path } from "./issues.js";
import { renderValue } from "./issues.js";
import type { Anchor } from "./source-map.js";

export interface Finding {
  path: Path;
  message: string;
  /** Point at the key (an unknown key) or at the value (the default). */
  anchor: Anchor;
  found?: string;
  expected?: string;
  /** Another place the message refers to (e.g. the first definition of a duplicate id). */
  related?: Path;
  /** For an unknown key: the known key it is probably a misspelling of. */
  meant?: string;
}

/** `found X, expected Y` (or `missing, expected Y` when there is no value). */
export function mismatch(path: Path, value: unknown, expected: string): Finding {
  if (value === undefined)
    return { path, message: `missing, expected ${expected}`, anchor: "value", expected };
  const found = renderValue(value);
  return { path, message: `found ${found}, expected ${expected}`, anchor: "value", found, expected };
}

/** A problem stated in words. */
export function problem(path: Path, message: string, anchor: Anchor = "value"): Finding {
  return { path, message, anchor };
}

// The checks that need the whole scenario (ids, routing, reachability, totals), run after the
// schema on a best-effort view, plus the warnings.

import type { Finding } from "../finding.js";
import type { ScenarioView } from "../view.js";
import { checkCapacity } from "./capacity.js";
import { checkIds } from "./ids.js";
import { checkModeReferences } from "./modes.js";
import { checkReachability } from "./reach.js";
import { checkRouting } from "./routing.js";
import { checkTotals } from "./totals.js";
import { checkUncertainty } from "./uncertainty.js";

export { scenarioWarnings } from "./warnings.js";

/** Every cross-reference error of the scenario. */
export function crossChecks(view: ScenarioView): Finding[] {
  return [
    ...checkIds(view),
    ...checkModeReferences(view),
    ...checkRouting(view),
    ...checkReachability(view),
    ...checkTotals(view),
    ...checkCapacity(view),
    ...checkUncertainty(view),
  ];
}

// The starter scenario `handoff-sim init` writes: a small, valid pathway whose comments teach the
// format to someone opening it for the first time. Every key it shows is explained where it is
// used; the full reference is docs/scenario-reference.md. Tests check that it validates (against
// the loader and the JSON Schema) and runs.
import { parse } from "yaml";

/** The comment that tells editors (the YAML language server) where the scenario's schema is. */
export function schemaComment(schemaPath: string): string {
  return `# yaml-language-server: $schema=${schemaPath}`;
}

/** The starter scenario as YAML, pointing editors at `schemaPath` (relative to the file). */
export function starterScenario(schemaPath: string): string {
  return `${schemaComment(schemaPath)}\n${STARTER_BODY}`;
}

/** The same starter as JSON (without its comments), with a `$schema` key pointing at `schemaPath`. */
export function starterScenarioJson(schemaPath: string): string {
  return `${JSON.stringify({ $schema: schemaPath, ...(parse(STARTER_BODY) as object) }, null, 2)}\n`;
}

const STARTER_BODY = `#
# A starter scenario for handoff-sim: a heart-attack pathway in four steps. Change it to describe
# your own pathway, then check and run it:
#
#   handoff-sim validate scenario.yaml     every problem, with its line and what to write instead
#   handoff-sim run scenario.yaml          simulate, print the summary, write output/<name>/
#
# Lines starting with # are comments. Indentation (spaces, never tabs) shows what belongs to what.
# Times take a unit: 45 s, 30 min, 1.5 h, 3 d, 2 wk (a bare number is minutes).
# Probabilities are numbers from 0 to 1 (0.05) or percentages in quotes ("5%").
# Full reference: docs/scenario-reference.md, or \`handoff-sim schema\` for the JSON Schema.

name: My pathway                  # required; also names the output folder
description: >-
  Emergency department, cath lab or ward, then the follow-up clinic. Replace with your own.
seed: 1                           # the same seed gives the same results
patients: 10000                   # journeys to simulate

# Patient classes and their shares of the patients (the shares add up to 1). Leave the whole
# \`classes\` list out for a single class.
classes:
  - { id: stemi, share: 0.3 }     # needs the cath lab
  - { id: nstemi, share: 0.7 }

# The microsystems (units of care), in the order of the journey. Each has an id (letters, digits,
# _ or -), a time it takes, the ways it fails, and where patients go next.
microsystems:
  - id: ed
    name: Emergency department
    # A time distribution: { median, p90 } means half of the patients take less than the median,
    # 9 in 10 less than the p90. Also: a fixed time (45 min), { mean }, { min, mode, max },
    # { min, max }, { mean, sd }.
    time: { median: 45 min, p90: 90 min }
    failures:
      - id: ecg_late                  # unique within this microsystem
        name: ECG not done within 10 minutes
        p: 10%                        # happens in 10% of visits
        detect: 0.5                   # half of the time someone notices: a near miss
        recover_time: 5 min           # what a near miss costs
        delay: 20 min                 # what an unnoticed failure (a defect) costs
        harm: 1.1                     # a defect multiplies the patient's mortality risk by this
    next:                             # routes onward; for one class, or shares (p) that add up to 1
      - { to: cathlab, classes: [stemi] }
      - { to: ward }

  - id: cathlab
    name: Catheterization lab
    time: { min: 30 min, mode: 45 min, max: 2 h }
    hours: { open: "07:00", close: "19:00", days: [mon, tue, wed, thu, fri] }
    off_hours_delay: { median: 30 min, p90: 60 min }   # extra wait outside the staffed hours
    next: [{ to: ward }]

  - id: ward
    name: Cardiology ward
    time: { median: 3 d, p90: 6 d }
    failures:
      - { id: discharge_meds, name: Discharge medicines incomplete, p: 0.08, harm: 1.05 }
    # No \`next\`: patients go to the next microsystem in the list.

  - id: clinic
    name: Follow-up clinic
    time: 30 min
    next: []                          # the journey ends here

# Handoffs are the transfers between microsystems. Every route above is one; these are the
# defaults, and the list below changes the ones that differ.
handoff_defaults: { time: 15 min }
handoffs:
  - from: ward
    to: clinic
    time: { median: 10 d, p90: 21 d }
    failures:
      - id: no_appointment
        name: No follow-up appointment made
        p: 0.15
        drop: true                    # the patient is lost to follow-up: the journey ends

# Optional: 30-day mortality, as a base risk per class, raised by time to treatment.
outcomes:
  mortality:
    base: { stemi: 0.06, nstemi: 0.04 }
    delay: { from: ed.arrive, to: cathlab.start, reference: 90 min, rr_per_30min: 1.07 }

# Optional: intervals between milestones to report (journey.start, or <microsystem>.arrive,
# .start or .end).
metrics:
  - { id: door_to_balloon, name: Door to balloon, from: ed.arrive, to: cathlab.start, target: 90 min }

# Optional: patients arriving over time and sharing capacity (patients a microsystem can serve at
# once: add \`capacity: 2\` to it). Remove the # signs to try it.
# arrivals:
#   per_day: 6
#   warmup: 14 d
`;

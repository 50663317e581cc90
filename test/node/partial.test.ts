// `merge` reads partial files as untrusted input (src/node/partial.ts): every field is checked,
// the fingerprint is recomputed, the units must be the shard's own, and each tally must add up.
// Each hostile partial is refused with a message naming the file and the field.
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/analysis/run.js";
import type { ModelSpec } from "../../src/model/spec.js";
import { loadScenarioFile } from "../../src/node/load.js";
import { fingerprint } from "../../src/node/partial.js";
import { mergePartials, type PartialResult, runShard } from "../../src/node/shards.js";
import { cli } from "../cli/capture.js";
import { chainSpec } from "../fixtures/specs.js";

const spec: ModelSpec = { ...chainSpec([0.9, 0.95, 0.8], 0.97), patients: 150_000 };
// biome-ignore lint/suspicious/noExplicitAny: the tests edit files as untyped JSON, as an attacker would
type Json = any;
let shards: PartialResult[] = [];
let other: PartialResult;
/** A fresh deep copy of shard k (1-based), as a file would hold it. */
const copy = (k: number): Json => JSON.parse(JSON.stringify(shards[k - 1]));
/** A mortality with its death drawn at `decidedAt` (issue 13), as a partial's spec holds it. */
const deathAt = (p: Json, decidedAt: Json): Json => ({
  base: Object.fromEntries(p.spec.classes.map((c: Json) => [c.id, 0.1])),
  delays: [],
  decidedAt,
});
/** Edits a shard and re-signs it, as someone who knows the (public) fingerprint rule would. */
function resigned(p: Json, edit: () => void): Json[] {
  edit();
  p.fingerprint = fingerprint(p.spec);
  return [p, copy(2)];
}

beforeAll(async () => {
  shards = [
    await runShard(spec, { k: 1, n: 2 }, { workers: 1 }),
    await runShard(spec, { k: 2, n: 2 }, { workers: 1 }),
  ];
  other = await runShard({ ...spec, seed: 9 }, { k: 2, n: 2 }, { workers: 1 });
});

describe("merge refuses a partial that cannot be trusted", () => {
  /** Each edit changes the two honest shards (files[0], files[1]) in place, or returns other files. */
  const cases: [string, (files: Json[]) => Json[] | undefined, RegExp][] = [
    [
      "a negative count",
      ([a]) => {
        a.units[0].tally.scalars.completed = -5;
      },
      /partial 1: units\.0\.tally\.scalars\.completed/,
    ],
    [
      "a NaN count (written as text)",
      ([a]) => {
        a.units[0].tally.scalars.deaths = "NaN";
      },
      /partial 1: units\.0\.tally\.scalars\.deaths/,
    ],
    [
      "an infinite count (1e999)",
      ([a, b]) => [JSON.parse(JSON.stringify(a).replace(/"riskSum":[0-9.e+-]+/, '"riskSum":1e999')), b],
      /partial 1: units\.0\.tally\.scalars\.riskSum: Invalid input: expected number, received Infinity/,
    ],
    [
      "a fractional count",
      ([a]) => {
        a.units[0].tally.arrays.visits[0] += 0.5;
      },
      /partial 1: units\.0\.tally\.arrays\.visits\.0/,
    ],
    [
      "more defect-free journeys than journeys",
      ([a]) => {
        a.units[0].tally.arrays.defectFree[0] = a.units[0].tally.arrays.patients[0] + 1;
      },
      /more defect-free journeys than journeys/,
    ],
    [
      "journeys' ends that do not add up",
      ([a]) => {
        a.units[0].tally.scalars.completed += 1;
      },
      /journeys ended/,
    ],
    [
      "a unit's patients changed",
      ([a]) => {
        a.units[0].tally.arrays.patients[0] += 10;
      },
      /partial 1: units\.0\.tally\.arrays\.patients: \d+ journeys, the unit has 65536/,
    ],
    [
      "a unit left out",
      ([a]) => void a.units.pop(),
      /partial 1: units: shard 1 of 2 has 1 units, the file 0/,
    ],
    [
      "a unit's range edited",
      ([a]) => {
        a.units[0].unit.to = 70_000;
      },
      /partial 1: units\.0\.unit: not unit 0/,
    ],
    [
      "shard {k: 0, n: 0}",
      ([a]) => {
        a.shard = { k: 0, n: 0 };
      },
      /partial 1 is damaged: a partial result needs its format, fingerprint, spec, shard and units/,
    ],
    [
      "k above n",
      ([a]) => {
        a.shard = { k: 3, n: 2 };
      },
      /partial 1 is damaged/,
    ],
    [
      "n beyond the bound",
      ([a]) => {
        a.shard = { k: 1, n: 1e9 };
      },
      /partial 1: shard\.n/,
    ],
    [
      "a relabelled duplicate shard",
      ([a]) => [a, { ...JSON.parse(JSON.stringify(a)), shard: { k: 2, n: 2 } }],
      /partial 2: units: shard 2 of 2 has 2 units, the file 1/,
    ],
    [
      "the same shard twice",
      ([a]) => [a, JSON.parse(JSON.stringify(a))],
      /partial 2 and partial 1 are both shard 1\/2/,
    ],
    [
      "a copied fingerprint on another scenario's shard",
      ([a]) => [a, { ...JSON.parse(JSON.stringify(other)), fingerprint: a.fingerprint }],
      /partial 2: fingerprint: does not match the scenario the file holds/,
    ],
    [
      "another scenario's shard, honestly signed",
      ([a]) => [a, JSON.parse(JSON.stringify(other))],
      /partial 2 comes from another scenario or other settings than partial 1/,
    ],
    [
      "an edited spec under the old fingerprint",
      ([a]) => {
        a.spec.microsystems[0].failures[0].p = 0.5;
      },
      /partial 1: fingerprint: does not match/,
    ],
    [
      "a probability of 2 in the spec (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.microsystems[0].failures[0].p = 2;
        }),
      /partial 1: spec\.microsystems\.0\.failures\.0\.p/,
    ],
    [
      "a route to an unknown microsystem (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.microsystems[0].next[0].to = "nowhere";
        }),
      /partial 1: spec\.microsystems\.0\.next\.0\.to: "nowhere" is not defined/,
    ],
    [
      "a microsystem defined twice (re-signed)",
      ([a]) => resigned(a, () => void a.spec.microsystems.push(a.spec.microsystems[0])),
      /partial 1: spec\.microsystems\.3\.id: "s1" is defined twice/,
    ],
    [
      "an unknown key in the spec (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.exploit = 1;
        }),
      /partial 1: spec: Unrecognized key/,
    ],
    [
      "a spec that is not an object",
      ([a]) =>
        resigned(a, () => {
          a.spec = "x";
        }),
      /partial 1 is damaged/,
    ],
    [
      "patients beyond the bound (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.patients = 1e12;
        }),
      /partial 1: spec\.patients/,
    ],
    [
      "a runaway arrival rate (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.arrivals = { perDay: 1e-300, byHour: null, warmup: 0 };
        }),
      /partial 1: spec: /,
    ],
    [
      "unless naming a mode that is not an earlier one of its element (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.microsystems[0].failures[0].unless = ["nope"];
        }),
      /partial 1: spec\.microsystems\.0\.failures\.0\.unless: "nope" is not defined/,
    ],
    [
      "a when condition with a probability of 2 (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.microsystems[0].failures[0].when = [
            { offHours: true, loadAtLeast: null, waitedAtLeast: null, classes: null, p: 2 },
          ];
        }),
      /partial 1: spec\.microsystems\.0\.failures\.0\.when\.0\.p/,
    ],
    [
      "a when condition for an unknown class (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.microsystems[0].failures[0].when = [
            { offHours: null, loadAtLeast: null, waitedAtLeast: null, classes: ["__proto__"], p: 0.5 },
          ];
        }),
      /partial 1: spec\.microsystems\.0\.failures\.0\.when\.0\.classes: "__proto__" is not defined/,
    ],
    [
      "a severity off the harm scale (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.microsystems[0].failures[0].severity = "catastrophic";
        }),
      /partial 1: spec\.microsystems\.0\.failures\.0\.severity/,
    ],
    [
      "a death decided at an unknown microsystem (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.mortality = deathAt(a, { kind: "microsystem", id: "nowhere", event: "end" });
        }),
      /partial 1: spec\.mortality\.decidedAt\.id: "nowhere" is not defined/,
    ],
    [
      "a death decided at the journey's start (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.mortality = deathAt(a, { kind: "journey.start" });
        }),
      /partial 1: spec\.mortality\.decidedAt: a microsystem milestone/,
    ],
    [
      "handoff hours that close after 100 years (re-signed)",
      ([a]) =>
        resigned(a, () => {
          a.spec.handoffs[0].hours = { open: 0, close: 1e12, days: [0] };
        }),
      /partial 1: spec\.handoffs\.0\.hours\.close/,
    ],
    [
      "journeys ended by death that the deaths do not count",
      ([a]) => {
        a.units[0].tally.scalars.died += 1;
        a.units[0].tally.scalars.completed -= 1;
      },
      /partial 1: units\.0\.tally\.scalars\.died: more journeys ended by death than deaths/,
    ],
    [
      "journeys by worst defect that do not add up",
      ([a]) => {
        a.units[0].tally.arrays.worstSeverity[0] += 1;
      },
      /partial 1: units\.0\.tally\.arrays\.worstSeverity/,
    ],
    [
      "another format",
      ([a]) => {
        a.format = "x";
      },
      /partial 1 is not a partial result of this format/,
    ],
    ["not an object at all", ([, b]) => [[1, 2], b], /partial 1 is not a partial result of this format/],
    [
      "a bad sketch",
      ([a]) => {
        a.units[0].tally.waits[0].count += 1;
      },
      /partial 1: units\.0\.tally: Sketch\.fromJSON/,
    ],
  ];

  it.each(cases)("%s", (_, edit, message) => {
    const files = [copy(1), copy(2)];
    const edited = edit(files) ?? files;
    expect(() => mergePartials(edited)).toThrow(message);
  });

  it("still merges the honest shards, in any order", () => {
    expect(mergePartials([copy(2), copy(1)]).patients).toBe(150_000);
  });

  it("on the command line: exit 2, one line naming the file and the field", async () => {
    const dir = await mkdtemp(join(tmpdir(), "handoff-sim-partial-"));
    const bad = copy(1);
    bad.units[0].tally.scalars.completed = -5;
    await writeFile(join(dir, "a.json"), JSON.stringify(bad));
    await writeFile(join(dir, "b.json"), JSON.stringify(copy(2)));
    const r = await cli(
      "merge",
      join(dir, "a.json"),
      join(dir, "b.json"),
      "--no-charts",
      "--out",
      join(dir, "out"),
    );
    expect(r.status).toBe(2);
    expect(r.err).toBe(
      `handoff-sim: cannot merge: ${join(dir, "a.json")}: units.0.tally.scalars.completed: Too small: expected number to be >=0\n`,
    );
    const device = await cli("merge", "/dev/zero", join(dir, "b.json"), "--no-charts");
    expect(device.status).toBe(2);
    expect(device.err).toBe("handoff-sim: cannot merge: /dev/zero: not a file\n");
  });
});

describe("merge of the AMI baseline (costs, blocking, arrivals)", () => {
  it("gives exactly what one run gives, cost interval and blocked minutes included", async () => {
    const { model } = await loadScenarioFile("scenarios/ami-baseline.yaml");
    const options = { patients: 2000, workers: 2 };
    const one = await run(model, options);
    const parts = [
      await runShard(model, { k: 1, n: 2 }, options),
      await runShard(model, { k: 2, n: 2 }, options),
    ];
    const merged = mergePartials(parts.map((p) => JSON.parse(JSON.stringify(p))));
    expect(merged.costs?.per_patient.ci95).not.toBeNull();
    expect(JSON.stringify({ ...merged, wall_ms: 0 })).toBe(JSON.stringify({ ...one, wall_ms: 0 }));
  });
});

// Calibration of the AMI scenarios against published figures (scenarios/README.md). Some targets are
// not in the run summary (off-hours vs on-hours door-to-balloon, mortality by class, the share of
// all discharged patients seen within 7 days), so this runs the scenario with a JourneyCollector and
// measures every figure from the journeys themselves, per replication: the estimate is over all
// counted journeys, its 95% interval comes from the spread between replications (Student t).
//
// It relies on the ids of the AMI pathway: classes stemi_ems, stemi_self, nstemi; microsystems ed,
// cathlab, telemetry (discharge = its end), cardiology, rehab.
//
// It drives simulations for one bundled scenario, so it lives with that scenario's test, not in src/.
// It reads typed journey events (src/model/events.ts), never text.
//
// Print the README table: npx tsx test/scenarios/calibration.ts scenarios/ami-baseline.yaml
import { pathToFileURL } from "node:url";
import { runModel } from "../../src/analysis/run.js";
import { tQuantile } from "../../src/analysis/stats.js";
import type { Interval } from "../../src/analysis/summary.js";
import { isStaffed, MINUTES_PER_DAY } from "../../src/model/calendar.js";
import { JourneyCollector, type JourneyRecord, milestones } from "../../src/model/replay.js";
import type { ModelSpec, StaffedHours } from "../../src/model/spec.js";
import { loadScenarioFile } from "../../src/node/load.js";

/** What calibration needs of one counted journey. */
export interface JourneyFacts {
  classId: string;
  /** Door (ED arrival) to cath-lab start, minutes; null when the journey has no primary PCI. */
  doorToBalloon: number | null;
  /** Door time outside the cath lab's staffed hours. */
  offHours: boolean;
  /** First medical contact (journey start) to cath-lab start, for patients brought by paramedics. */
  fmcToDevice: number | null;
  risk: number;
  attendedRehab: boolean;
  /** Discharged alive: reached the end of the telemetry stay and did not die there (`decided_at`). */
  discharged: boolean;
  /** Seen at the cardiology clinic within 7 days of discharge. */
  followUpWithin7Days: boolean;
}

const SEVEN_DAYS = 7 * MINUTES_PER_DAY;

/** Reads the facts off a journey's events; `hours` classifies door times (null: never off-hours). */
export function journeyFacts(record: JourneyRecord, hours: StaffedHours | null): JourneyFacts {
  const m = milestones(record.events);
  const door = m.get("ed.arrive");
  const device = m.get("cathlab.start");
  const discharge = m.get("telemetry.end");
  // Seen = the visit starts (the clinic starts visits only in its hours: `until_open`).
  const followUp = m.get("cardiology.start");
  const interval = (a: number | undefined, b: number | undefined): number | null =>
    a === undefined || b === undefined ? null : b - a;
  return {
    classId: record.class,
    doorToBalloon: interval(door, device),
    offHours: door !== undefined && hours !== null && !isStaffed(hours, door),
    fmcToDevice: record.class === "stemi_ems" ? interval(m.get("journey.start"), device) : null,
    risk: record.risk,
    attendedRehab: m.has("rehab.arrive"),
    discharged: discharge !== undefined && record.ending !== "died",
    followUpWithin7Days:
      discharge !== undefined && followUp !== undefined && followUp - discharge <= SEVEN_DAYS,
  };
}

/** A published figure the baseline should reproduce. */
export interface Target {
  id: string;
  label: string;
  /** The published value as the source states it. */
  published: string;
  source: string;
  /** The value compared with (minutes, or a share in [0, 1]), and how far off still passes. */
  target: number;
  tolerance: number;
  unit: "min" | "share";
  /** Decimals of a share in percent (default 1). */
  decimals?: number;
  measure(facts: readonly JourneyFacts[]): number;
}

export interface Measured {
  target: Target;
  simulated: number;
  ci95: Interval;
  ok: boolean;
}

const isStemi = (f: JourneyFacts): boolean => f.doorToBalloon !== null;
const d2b = (facts: readonly JourneyFacts[], keep: (f: JourneyFacts) => boolean = () => true): number[] =>
  facts.filter((f) => isStemi(f) && keep(f)).map((f) => f.doorToBalloon!);

/** The figures of scenarios/README.md, with their sources and tolerances. */
export const AMI_TARGETS: readonly Target[] = [
  {
    id: "d2b_median",
    label: "Door-to-balloon, median",
    published: "64 min (2010)",
    source: "Krumholz et al. 2011, Circulation",
    target: 64,
    tolerance: 6,
    unit: "min",
    measure: (f) => median(d2b(f)),
  },
  {
    id: "d2b_within_90",
    label: "Door-to-balloon ≤ 90 min",
    published: "91.4% (2010)",
    source: "Krumholz et al. 2011, Circulation",
    target: 0.914,
    tolerance: 0.04,
    unit: "share",
    measure: (f) => shareOf(d2b(f), (x) => x <= 90),
  },
  {
    id: "d2b_off_minus_on",
    label: "Door-to-balloon, off-hours − on-hours (medians)",
    published: "+14.8 min (10.7–19.0)",
    source: "Sorita et al. 2014, BMJ (meta-analysis)",
    target: 14.8,
    tolerance: 4.2,
    unit: "min",
    measure: (f) => median(d2b(f, (x) => x.offHours)) - median(d2b(f, (x) => !x.offHours)),
  },
  {
    id: "off_hours_share",
    label: "Primary PCI patients arriving off-hours",
    published: "54.2%",
    source: "Magid et al. 2005, JAMA",
    target: 0.542,
    tolerance: 0.05,
    unit: "share",
    measure: (f) => shareOf(f.filter(isStemi), (x) => x.offHours),
  },
  {
    id: "d2b_self_minus_ems",
    label: "Door-to-balloon, walk-in − ambulance (medians)",
    published: "76 vs 63 min: +13 min",
    source: "Mathews et al. 2011, Circulation",
    target: 13,
    tolerance: 5,
    unit: "min",
    measure: (f) =>
      median(d2b(f, (x) => x.classId === "stemi_self")) - median(d2b(f, (x) => x.classId === "stemi_ems")),
  },
  {
    id: "fmc_to_device_ems",
    label: "First medical contact to device, ambulance, median",
    published: "84 min (2012)",
    source: "Mission: Lifeline, JAHA 2018",
    target: 84,
    tolerance: 8,
    unit: "min",
    measure: (f) => median(f.flatMap((x) => (x.fmcToDevice === null ? [] : [x.fmcToDevice]))),
  },
  mortality("stemi_ems", "STEMI by ambulance", "STEMI 8.0% (2006, in hospital)", 0.08, 0.01),
  mortality("stemi_self", "STEMI walking in", "STEMI 8.0% (2006, in hospital)", 0.08, 0.01),
  mortality("nstemi", "NSTEMI", "NSTEMI 5.2% (2006, in hospital)", 0.052, 0.008),
  {
    id: "rehab_attendance",
    label: "Cardiac rehab attendance",
    published: "24.4% (62.4% referred × 32.6% attend = 20.3%)",
    source: "Ritchey et al. 2020; Doll et al. 2015",
    target: 0.244,
    tolerance: 0.045,
    unit: "share",
    // Among patients discharged alive: the published shares count survivors eligible for rehab.
    measure: (f) =>
      shareOf(
        f.filter((x) => x.discharged),
        (x) => x.attendedRehab,
      ),
  },
  {
    id: "followup_7d_nstemi",
    label: "NSTEMI seen within 7 days of discharge",
    published: "23.3% (hospital median)",
    source: "Hess et al. 2013, Circulation",
    target: 0.233,
    tolerance: 0.04,
    unit: "share",
    measure: (f) =>
      shareOf(
        f.filter((x) => x.classId === "nstemi" && x.discharged),
        (x) => x.followUpWithin7Days,
      ),
  },
];

function mortality(
  classId: string,
  who: string,
  published: string,
  target: number,
  tolerance: number,
): Target {
  return {
    id: `mortality_${classId}`,
    label: `30-day mortality, ${who}`,
    published,
    source: "Rogers et al. 2008, Am Heart J (NRMI)",
    target,
    tolerance,
    unit: "share",
    decimals: 2,
    measure: (f) => mean(f.filter((x) => x.classId === classId).map((x) => x.risk)),
  };
}

export interface CalibrationOptions {
  patients?: number;
  seed?: number;
  /** Cath-lab hours that define "off-hours" door times (default: the scenario's own). */
  hours?: StaffedHours | null;
}

/** The counted journeys of a run, as facts, one list per replication. */
export function collectFacts(spec: ModelSpec, options: CalibrationOptions = {}): JourneyFacts[][] {
  const hours = options.hours ?? spec.microsystems.find((m) => m.id === "cathlab")?.hours ?? null;
  const perReplication: JourneyFacts[][] = [];
  const collector = new JourneyCollector((record) => {
    if (!record.counted) return;
    perReplication[record.replication] ??= [];
    perReplication[record.replication]!.push(journeyFacts(record, hours));
  });
  runModel(spec, { patients: options.patients, seed: options.seed, monitor: collector });
  return perReplication.filter((list) => list !== undefined);
}

/** Measures every target on a run of `spec`. */
export function calibrate(
  spec: ModelSpec,
  targets: readonly Target[] = AMI_TARGETS,
  options: CalibrationOptions = {},
): Measured[] {
  const replications = collectFacts(spec, options);
  const all = replications.flat();
  return targets.map((target) => {
    const simulated = target.measure(all);
    const ci95 = spreadInterval(
      simulated,
      replications.map((r) => target.measure(r)),
    );
    return { target, simulated, ci95, ok: Math.abs(simulated - target.target) <= target.tolerance };
  });
}

/** estimate ± t·sd/√R from the replications' own estimates; [NaN, NaN] with one replication. */
function spreadInterval(estimate: number, values: readonly number[]): Interval {
  const R = values.length;
  if (R < 2) return [Number.NaN, Number.NaN];
  const m = mean(values);
  const variance = values.reduce((s, v) => s + (v - m) ** 2, 0) / (R - 1);
  const half = (tQuantile(0.975, R - 1) * Math.sqrt(variance)) / Math.sqrt(R);
  return [estimate - half, estimate + half];
}

/** The README's Markdown table of targets and simulated values. */
export function calibrationTable(results: readonly Measured[]): string {
  const rows = results.map(({ target: t, simulated, ci95, ok }) => {
    const tolerance = t.unit === "min" ? `± ${t.tolerance} min` : `± ${(t.tolerance * 100).toFixed(1)} pts`;
    const cells = [
      t.label,
      t.published,
      t.source,
      `${show(t, t.target)} ${tolerance}`,
      `${show(t, simulated)}${interval(t, ci95)}`,
      ok ? "yes" : "**no**",
    ];
    return `| ${cells.join(" | ")} |`;
  });
  return [
    "| Figure | Published | Source | Target ± tolerance | Simulated (95% CI) | Within |",
    "|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

/** " (59.0–60.4)" in the figure's unit; "" without an interval. */
function interval(t: Target, ci: Interval): string {
  if (!Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return "";
  const n = (x: number): string => (t.unit === "min" ? signed(t, x) : (x * 100).toFixed(t.decimals ?? 1));
  return ` (${n(ci[0])}–${n(ci[1])})`;
}

/** "59.7 min", "+14.5 min" (differences are signed), "89.1%"; "—" when not measurable. */
function show(t: Target, value: number): string {
  if (!Number.isFinite(value)) return "—";
  return t.unit === "min" ? `${signed(t, value)} min` : `${(value * 100).toFixed(t.decimals ?? 1)}%`;
}

function signed(t: Target, value: number): string {
  const isDifference = t.id.includes("minus");
  return isDifference ? `${value < 0 ? "−" : "+"}${Math.abs(value).toFixed(1)}` : value.toFixed(1);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

function shareOf<T>(items: readonly T[], test: (item: T) => boolean): number {
  return items.length === 0 ? Number.NaN : items.filter(test).length / items.length;
}

/** `npx tsx test/scenarios/calibration.ts <scenario>`: prints the table (and the D2B median, for 24/7 checks). */
async function main(file: string): Promise<void> {
  const { model: spec } = await loadScenarioFile(file);
  const results = calibrate(spec);
  process.stdout.write(`${calibrationTable(results)}\n`);
  const d2bMedian = results.find((r) => r.target.id === "d2b_median")!.simulated;
  process.stdout.write(`\n${spec.name}: door-to-balloon median ${d2bMedian.toFixed(1)} min\n`);
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv[2] ?? "scenarios/ami-baseline.yaml");
}

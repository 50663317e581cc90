// The reliability math of a model told step by step, for a reader who has never seen it: the text
// of `handoff-sim explain`, rendered from the Explanation (analysis/explain-data.ts), which holds
// every number. Pure: no files, no terminal, no simulation, no model.

import type { Lever, PathStep } from "../analysis/analytic.js";
import type {
  ExplainedBranch,
  ExplainedClass,
  ExplainedElement,
  Explanation,
} from "../analysis/explain-data.js";
import { IHI_LEVELS, type ReliabilityLevelId } from "../analysis/ihi.js";
import { formatCount, formatDecimal as formatNumber, formatPercent, formatPoints } from "./format.js";

/**
 * Greedy word wrap; lines starting with spaces keep their indent on continuation lines. Linear in
 * the text: names and descriptions come from scenario files, and a description of 9,000 spaces
 * and some words once made every continuation line 9,000 characters long.
 */
export function wrap(text: string, width = 100): string[] {
  // Short lines are kept as they are, so aligned tables keep their spacing.
  if (text.length <= width) return [text];
  const leading = /^\s*/.exec(text)![0];
  // A short run of spaces is a margin; a long one is part of the text, not an indent to repeat.
  const indent = leading.length <= width / 4 ? leading : "";
  const words = text.trim().split(/\s+/);
  const lines: string[] = [];
  let line = indent;
  let empty = true;
  for (const w of words) {
    if (!empty && line.length + 1 + w.length > width) {
      lines.push(line);
      // Indented items hang under their first line; plain paragraphs continue flush left.
      line = indent.length > 0 ? `${indent}  ${w}` : w;
    } else line = empty ? `${line}${w}` : `${line} ${w}`;
    empty = false;
  }
  lines.push(line);
  return lines;
}

// ---------------------------------------------------------------------------------------------
// The text.

/** The reliability math of a model, as plain text for a newcomer (lines of at most ~100 characters). */
export function explanationText(x: Explanation): string {
  const ctx: Ctx = { x, name: nameLookup(x) };
  const sections = [
    elementsSection(ctx),
    pathSection(ctx),
    branchSection(ctx),
    wholeSection(ctx),
    allOrNoneSection(ctx),
    leverSection(ctx),
    simulationSection(ctx),
  ].filter((s) => s.length > 0);
  // Sections come and go with the scenario (no branches, no simulation), so number them here.
  const numbered = sections.map(([heading, ...rest], i) => [`${i + 1}. ${heading}`, ...rest]);
  return `${[intro(ctx), ...numbered]
    .map((s) => trimBlank(s.flatMap((p) => (p === "" ? [""] : wrap(p)))).join("\n"))
    .join("\n\n")}\n`;
}

function trimBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1] === "") end--;
  return lines.slice(0, end);
}

interface Ctx {
  x: Explanation;
  /** Display name of a microsystem id or handoff key. */
  name: (id: string) => string;
}

function nameLookup(x: Explanation): (id: string) => string {
  const names = new Map<string, string>(x.microsystems.map((m) => [m.id, m.name]));
  for (const e of x.elements) names.set(e.id, e.kind === "handoff" ? `handoff ${e.name}` : e.name);
  return (id) => names.get(id) ?? id;
}

const multiClass = (ctx: Ctx): boolean => ctx.x.classes.length > 1;

function intro(ctx: Ctx): string[] {
  const title = `How reliable is the journey? The math behind "${ctx.x.scenario}"`;
  return [
    title,
    "=".repeat(Math.min(title.length, 100)),
    "",
    ...(ctx.x.description ? [ctx.x.description.trim(), ""] : []),
    "This is the exact arithmetic of the scenario: no random numbers, only probabilities. A patient's " +
      "journey goes through microsystems (the units where care is given) and the handoffs between them " +
      "(the transfer of the patient, and of the information about the patient, from one unit to the " +
      "next). A defect is anything that goes wrong for the patient and is not caught in time. A journey " +
      'is "defect-free" when it has no defect anywhere. The reliability of a step is the share of ' +
      "patients who pass it without a defect.",
  ];
}

function elementsSection(ctx: Ctx): string[] {
  const { x } = ctx;
  const failing = x.elements.filter((e) => e.modes.length > 0);
  const perfect = x.elements.filter((e) => e.modes.length === 0);
  const lines = [
    "How reliable is each step?",
    "",
    "Each microsystem and each handoff can fail in one or more ways (its failure modes). A failure mode " +
      'happens with probability p. Some failures are caught in time, with probability "detect": that ' +
      "is a near miss, with no harm done. Only an uncaught failure is a defect, so a failure mode leaves " +
      "the patient defect-free with probability 1 − p × (1 − detect). When an element has several " +
      "failure modes, they happen independently of each other, so its reliability is the product of " +
      "these numbers.",
    "",
    levelsParagraph(),
    "",
  ];
  for (const e of failing) lines.push(...elementLines(ctx, e));
  const steps = perfect.filter((e) => e.kind === "microsystem").map((e) => e.name);
  const handoffs = perfect.filter((e) => e.kind === "handoff").map((e) => e.name);
  if (steps.length + handoffs.length > 0) lines.push("");
  if (steps.length > 0) lines.push(`Steps that cannot fail (100%): ${listNames(steps)}.`);
  if (handoffs.length > 0) lines.push(`Handoffs that cannot fail (100%): ${listNames(handoffs)}.`);
  return lines;
}

function levelsParagraph(): string {
  const parts = IHI_LEVELS.map((l) => `${l.label} = ${l.meaning}`);
  return (
    "Each figure is also given its IHI reliability level (Nolan and colleagues, 2004), which says how " +
    `often something fails. The cut-offs used here are: ${parts.join("; ")}.`
  );
}

function elementLines(ctx: Ctx, e: ExplainedElement): string[] {
  const kind = e.kind === "handoff" ? "Handoff " : "";
  const lines = [`  ${kind}${e.name}: ${formatPercent(e.reliability)}, IHI level ${levelLabel(e.level)}`];
  for (const m of e.modes) {
    const only = m.classes === null || !multiClass(ctx) ? "" : ` (only for ${m.classes.join(", ")})`;
    lines.push(
      `      ${m.name}${only}: 1 − ${formatNumber(m.p)} × (1 − ${formatNumber(m.detect)}) = ` +
        `${formatNumber(1 - m.defect)}${m.detect > 0 ? ` (without the catch it would be ${formatNumber(1 - m.p)})` : ""}`,
    );
  }
  const distinct = new Set(Object.values(e.byClass).map((r) => r.toFixed(12)));
  if (distinct.size > 1) lines.push(`      ${classBreakdown(e)}`);
  else if (e.modes.length > 1)
    lines.push(
      `      Together: ${e.modes.map((m) => formatNumber(1 - m.defect)).join(" × ")} = ${formatNumber(e.reliability)}`,
    );
  return lines;
}

function classBreakdown(e: ExplainedElement): string {
  const parts = Object.entries(e.byClass).map(([c, r]) => `${formatPercent(r)} for ${c}`);
  return `By patient class: ${parts.join(", ")}; the figure above averages them over the patients who come here.`;
}

const levelLabel = (id: ReliabilityLevelId): string => IHI_LEVELS.find((l) => l.id === id)!.label;

function listNames(names: string[]): string {
  if (names.length <= 8) return names.join("; ");
  return `${names.slice(0, 8).join("; ")} and ${names.length - 8} more`;
}

function pathSection(ctx: Ctx): string[] {
  const lines = [
    "Along the most common route: the product rule",
    "",
    "A patient stays defect-free only if every step and every handoff on the way goes right. The " +
      "chances are independent, so they multiply. That is why a chain of good steps can make a poor journey.",
  ];
  for (const c of ctx.x.classes) lines.push("", ...classPathLines(ctx, c));
  return lines;
}

function classPathLines(ctx: Ctx, c: ExplainedClass): string[] {
  const who = multiClass(ctx)
    ? `A patient of class "${c.id}" (${formatPercent(c.share)} of patients)`
    : "A patient";
  const micro = c.path.filter((s) => s.kind === "microsystem").map((s) => ctx.name(s.element));
  const factors = c.path.filter((s) => s.reliability < 1);
  const final = c.path.at(-1)!.cumulative;
  const product =
    factors.length === 0
      ? "1: nothing on it can fail"
      : factors.length === 1
        ? `${formatNumber(final)} (${formatPercent(final)})`
        : `${factors.map((s) => formatNumber(s.reliability)).join(" × ")} = ${formatNumber(final)} (${formatPercent(final)})`;
  const lines = [
    `${who} who follows the most common route, ${micro.join(" → ")}, is defect-free with probability ${product}.${powers(factors)}`,
  ];
  if (Math.abs(final - c.defectFree) > 1e-12) {
    lines.push(
      `That is the figure for patients on this route. Counting every route (see below), patients ${multiClass(ctx) ? "of this class " : ""}are defect-free ${formatPercent(c.defectFree)} of the time.`,
    );
  }
  if (c.pathLoops)
    lines.push(
      `(The most common route from ${micro.at(-1)} goes back to a step already on it: see the loop below.)`,
    );
  lines.push(
    "",
    "      Step                                              Step reliability   Still defect-free",
  );
  for (const s of c.path) {
    if (s.kind === "handoff" && s.reliability === 1) continue;
    const label = truncate(ctx.name(s.element), 48);
    lines.push(
      `      ${label.padEnd(50)}${formatPercent(s.reliability).padStart(16)}${formatPercent(s.cumulative).padStart(20)}`,
    );
  }
  if (c.path.some((s) => s.kind === "handoff" && s.reliability === 1)) {
    lines.push("      (Handoffs that cannot fail are left out of the table.)");
  }
  return lines;
}

/** The product written with powers, when a factor repeats: " (that is, 0.95^7 × 0.9^6)". */
function powers(factors: PathStep[]): string {
  const counts = new Map<string, number>();
  for (const f of factors) {
    const k = formatNumber(f.reliability);
    counts.set(k, (counts.get(k) ?? 0) + 1);
  }
  // Only worth it when a factor repeats often: 0.95^7 reads better than seven factors.
  if (![...counts.values()].some((n) => n >= 3)) return "";
  const terms = [...counts].map(([k, n]) => (n === 1 ? k : `${k}^${n}`));
  return ` (That is, ${terms.join(" × ")}.)`;
}

function truncate(s: string, n: number): string {
  return s.length <= n ? s : `${s.slice(0, n - 1)}…`;
}

function branchSection(ctx: Ctx): string[] {
  const branches = ctx.x.classes.flatMap((c) => c.branches);
  const detours = ctx.x.elements.some((e) => e.modes.some((m) => m.defect > 0)) && ctx.x.detours;
  if (branches.length === 0 && !ctx.x.loops && !detours) return [];
  const lines = ["Branches and loops: weighing the routes", ""];
  if (branches.length > 0) lines.push(...branchLines(ctx, branches), "");
  if (ctx.x.loops) lines.push(...loopLines(ctx), "");
  if (detours) lines.push(detourParagraph(ctx));
  return lines;
}

function branchLines(ctx: Ctx, branches: ExplainedBranch[]): string[] {
  const lines = [
    "Where the pathway splits, not every patient meets every step. Each route is weighed by the share " +
      "of patients who take it. Write R(X) for the chance that a patient arriving at X gets through the " +
      "rest of the journey without a defect. At a split, R is the step's own reliability times the " +
      "weighted sum, over the routes, of (share taking the route × its handoff × R of where it leads):",
    "",
  ];
  for (const b of branches) {
    const who = multiClass(ctx) ? ` (class ${b.classId})` : "";
    const symbolic = b.routes
      .map(
        (r) =>
          `${formatNumber(r.p)} × ${r.handoff < 1 ? `${formatNumber(r.handoff)} × ` : ""}R(${ctx.name(r.to)})`,
      )
      .join(" + ");
    const numeric = b.routes
      .map(
        (r) =>
          `${formatNumber(r.p)} × ${r.handoff < 1 ? `${formatNumber(r.handoff)} × ` : ""}${formatNumber(r.after)}`,
      )
      .join(" + ");
    lines.push(
      `      R(${ctx.name(b.at)})${who} = ${formatNumber(b.own)} × (${symbolic})`,
      `        = ${formatNumber(b.own)} × (${numeric}) = ${formatNumber(b.after)}`,
    );
  }
  lines.push(
    "",
    "Each R on the right is found the same way, working back from the end of the journey (at the last " +
      "step, R is just that step's reliability); along a stretch without a split it is the plain product " +
      "of the reliabilities. The R of the first step is the answer for the whole journey.",
  );
  return lines;
}

function loopLines(ctx: Ctx): string[] {
  const repeated = ctx.x.elements
    .filter((e) => e.kind === "microsystem" && e.perJourney > 1 + 1e-12)
    .map((e) => `${e.name} ${formatNumber(e.perJourney)} times`);
  return [
    "The pathway can also come back to a step already visited (a loop, such as a readmission). Every pass " +
      "round the loop is one more chance for a defect. The R of the steps in the loop then depend on each " +
      "other, so their equations are solved together (a small linear system; for a single loop this is " +
      "the sum of a geometric series: one pass, two passes, three, …, each pass multiplying in the " +
      "loop's reliability once more).",
    ...(repeated.length > 0 ? ["", `On average a patient visits: ${listNames(repeated)}.`] : []),
    "",
    "The exact math lets a patient go round a loop any number of times. The simulation stops a " +
      `journey after ${formatCount(ctx.x.maxVisits)} visits (a safety limit) and reports how many it stopped.`,
  ];
}

function detourParagraph(ctx: Ctx): string {
  const dropped =
    ctx.x.whole.dropped > 0
      ? ` Here ${formatPercent(ctx.x.whole.dropped)} of patients are lost to follow-up (the journey ends early).`
      : "";
  return (
    "Some defects also change where the patient goes: they send the patient to another unit, or end " +
    "the journey early (lost to follow-up). They do not change the defect-free share, because those " +
    `journeys already have a defect; they change how many patients reach each step.${dropped}`
  );
}

function wholeSection(ctx: Ctx): string[] {
  const { x } = ctx;
  const level = IHI_LEVELS.find((l) => l.id === x.whole.level)!;
  const lines = ["The whole system", ""];
  if (multiClass(ctx)) {
    const terms = x.classes
      .map((c) => `${formatNumber(c.share)} × ${formatNumber(c.defectFree)}`)
      .join(" + ");
    lines.push(
      "Patients of different classes take different routes. Weighing each class's defect-free share by " +
        `its share of patients: ${terms} = ${formatNumber(x.whole.defectFree)}.`,
      "",
    );
  }
  lines.push(
    `All in all, ${formatPercent(x.whole.defectFree)} of journeys are defect-free: of every 1,000 patients, ` +
      `about ${formatCount(x.whole.defectFree * 1000)} get through without a single defect and about ` +
      `${formatCount((1 - x.whole.defectFree) * 1000)} meet at least one. As a whole the system is at IHI ` +
      `level ${level.label}: ${level.meaning}.`,
  );
  if (x.death !== null)
    lines.push(
      "",
      `The 30-day death is drawn when a journey reaches ${x.death.milestone}, with a risk that is the same for ` +
        `every patient of a class there, so it is one more way out of the chain: ${formatPercent(x.death.died)} ` +
        "of journeys end there by death. A journey cut short counts as defect-free when the care it received had no defect.",
    );
  lines.push("", levelCounts(ctx));
  return lines;
}

/** "7 steps and 6 handoffs", "1 step", "2 handoffs": the elements that can fail, counted. */
function failingPhrase(ctx: Ctx): string {
  const failing = ctx.x.elements.filter((e) => e.modes.length > 0);
  const count = (n: number, word: string): string => (n === 0 ? "" : `${n} ${word}${n === 1 ? "" : "s"}`);
  const steps = count(failing.filter((e) => e.kind === "microsystem").length, "step");
  const handoffs = count(failing.filter((e) => e.kind === "handoff").length, "handoff");
  return [steps, handoffs].filter((p) => p !== "").join(" and ");
}

function levelCounts(ctx: Ctx): string {
  const failing = ctx.x.elements.filter((e) => e.modes.length > 0);
  if (failing.length === 0) return "No step or handoff can fail.";
  if (failing.length === 1) return "Only one element can fail, so the whole is exactly as reliable as it is.";
  const counts = IHI_LEVELS.map((l) => [l, failing.filter((e) => e.level === l.id).length] as const)
    .filter(([, n]) => n > 0)
    .map(([l, n]) => `${n} at ${l.label}`);
  const rank = (id: ReliabilityLevelId): number => IHI_LEVELS.findIndex((l) => l.id === id);
  const worst = Math.min(...failing.map((e) => rank(e.level)));
  const lower =
    rank(ctx.x.whole.level) < worst
      ? " The whole journey sits at a lower level than every one of its parts: that is the product rule at work."
      : "";
  return `Level by level, of the ${failingPhrase(ctx)} that can fail: ${counts.join(", ")}.${lower}`;
}

function allOrNoneSection(ctx: Ctx): string[] {
  const { allOrNone } = ctx.x;
  // With a single item, all-or-none and the item are the same number: nothing to contrast.
  if (allOrNone.itemAverage === null || allOrNone.items < 2) return [];
  return [
    '"All-or-none": the patient\'s view',
    "",
    `Looked at one by one, the ${failingPhrase(ctx)} that can fail are on average ` +
      `${formatPercent(allOrNone.itemAverage)} reliable (the plain average of their item-by-item shares). ` +
      `But a patient needs all of them to go right, and only ${formatPercent(allOrNone.defectFree)} of ` +
      "patients get a journey with no defect at all. Nolan and Berwick (2006) call this the " +
      '"all-or-none" measure: it counts a patient as well served only if everything was done. Reporting ' +
      "the items one by one hides how few patients get everything.",
  ];
}

function leverSection(ctx: Ctx): string[] {
  const levers = ctx.x.levers.filter((l) => l.gain > 0);
  if (levers.length === 0) return [];
  const lines = [
    "Where to start: the elements that cost the most",
    "",
    "If one step or handoff could be made perfect (never failing), how much would the whole journey " +
      `gain? Today ${formatPercent(ctx.x.whole.defectFree)} of journeys are defect-free. Making the ` +
      "following perfect would raise that to:",
    "",
  ];
  for (const group of groupTies(levers).slice(0, 5)) {
    const names = group.map((l) => ctx.name(l.element));
    const first = group[0]!;
    const tie = group.length > 1 ? ` (each of these ${group.length}, tied)` : "";
    lines.push(
      `      ${listNames(names)}${tie}: ${formatPercent(first.defectFreeIfPerfect)} (${formatPoints(first.gain, 1, "points")})`,
    );
  }
  return lines;
}

/** Consecutive levers with the same gain (to rounding) form one group. */
function groupTies(levers: Lever[]): Lever[][] {
  const groups: Lever[][] = [];
  for (const l of levers) {
    const last = groups.at(-1);
    if (last && Math.abs(last[0]!.gain - l.gain) < 1e-9) last.push(l);
    else groups.push([l]);
  }
  return groups;
}

function simulationSection(ctx: Ctx): string[] {
  const s = ctx.x.simulated;
  if (s === null) return [];
  const lines = [
    "The simulation",
    "",
    `The simulation of ${formatCount(s.patients)} patients found ${formatPercent(s.estimate)} of journeys ` +
      `defect-free, with a 95% confidence interval from ${formatPercent(s.ci95[0])} to ` +
      `${formatPercent(s.ci95[1])} (the range that, 95 times in 100, contains the value the simulation ` +
      `would settle on with unlimited patients). ${agreement(s.analytic, s.inside)}`,
  ];
  const classes = Object.entries(s.byClass);
  if (classes.length > 1) {
    lines.push("");
    for (const [id, c] of classes) {
      lines.push(
        `      Class ${id}: simulated ${formatPercent(c.estimate)} (${formatPercent(c.ci95[0])} to ` +
          `${formatPercent(c.ci95[1])}), exact ${formatPercent(c.analytic)}: ${c.inside ? "inside" : "outside"}.`,
      );
    }
  }
  if (s.guardStopped > 0) {
    lines.push(
      "",
      `${formatCount(s.guardStopped)} simulated journeys were stopped by the visit limit. The exact math ` +
        "has no such limit, which can make the two differ.",
    );
  }
  return lines;
}

function agreement(analytic: number, inside: boolean): string {
  const exact = `The exact value, ${formatPercent(analytic)},`;
  if (inside) return `${exact} lies inside this interval: the simulation agrees with the arithmetic.`;
  return (
    `${exact} lies outside this interval. By chance alone that happens about 1 time in 20; if it ` +
    "persists with other seeds or more patients, the simulation and the arithmetic disagree."
  );
}

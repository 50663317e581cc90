// Costs and uncertainty in words, from results only: the terminal sections of `run` and `compare`
// and the sentences the HTML report repeats ("in 97 of 100 plausible worlds the variant avoids
// deaths; it costs 41,000 per death avoided, in USD").
import type { VariantComparison } from "../analysis/compare.js";
import type { CostSummary, Interval, Ratio, RunSummary, Spread, VarianceShare } from "../analysis/summary.js";
import { formatCount, formatNumber, formatPercent, validInterval } from "./format.js";
import { clean, type Styler } from "./table.js";

/** An amount as people read it: whole units from 100 up, else two decimals; 3 significant digits from 10,000. */
export function formatAmount(x: number): string {
  if (!Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a >= 10_000) return formatNumber(Number(x.toPrecision(3)), 0);
  return formatNumber(x, a >= 100 ? 0 : 2);
}

export function amountInterval(ci: Interval | null): string {
  return ci !== null && validInterval(ci) ? ` (95% ${formatAmount(ci[0])} to ${formatAmount(ci[1])})` : "";
}

function currencyNote(currency: string | null): string {
  return currency === null ? "" : `, in ${clean(currency)}`;
}

/** The run's costs: per patient, per year, the largest parts. */
export function costLines(c: CostSummary | null | undefined, st: Styler): string[] {
  if (c == null) return [];
  const lines = [
    st.heading(`Costs${currencyNote(c.currency)}`),
    `  Per patient  ${st.bold(formatAmount(c.per_patient.mean))}${amountInterval(c.per_patient.ci95)}`,
  ];
  if (c.per_year !== null)
    lines.push(
      `  Per year     ${st.bold(formatAmount(c.per_year.mean))}${amountInterval(c.per_year.ci95)} for ${formatCount(c.volume_per_year ?? 0)} patients`,
    );
  const total = c.by_element.reduce((a, i) => a + i.per_patient, 0);
  for (const item of c.by_element.slice(0, 6))
    lines.push(
      `    ${clean(item.name).padEnd(44)} ${formatAmount(item.per_patient).padStart(10)}  ${formatPercent(total > 0 ? item.per_patient / total : 0)}`,
    );
  lines.push(
    st.dim("  Stays are charged from gaining a place to leaving; waiting for a place at per_hour_waiting."),
  );
  return lines;
}

function spreadText(s: Spread, format: (x: number) => string): string {
  return `${format(s.mean)} (95% of parameter sets ${format(s.interval95[0])} to ${format(s.interval95[1])})`;
}

function shareText(v: VarianceShare | undefined): string {
  if (v === undefined) return "";
  return ` · ${formatPercent(v.parameters, 0)} of its variance is parameter uncertainty, at most ${formatPercent(v.monte_carlo_at_most, 0)} Monte Carlo`;
}

/** `run --uncertainty`: each figure's spread over the parameter sets and the inputs that drive it. */
export function runUncertaintyLines(s: RunSummary, st: Styler): string[] {
  const u = s.uncertainty;
  if (u === undefined) return [];
  const pct = (x: number) => formatPercent(x, 1);
  const lines = [
    st.heading(`Uncertainty over ${formatCount(u.draws)} parameter sets`),
    st.dim(
      `  ${formatCount(u.inner_patients)} patients per set (the same patients in every set)${u.pilot ? `, chosen by a pilot of ${u.pilot.draws} sets on ${formatCount(u.pilot.patients)}` : ""}`,
    ),
  ];
  const r = u.reliability;
  if (r.exact_mean !== null && r.exact_interval95 !== null)
    lines.push(
      `  Reliability (exact per set)  ${st.bold(spreadText({ mean: r.exact_mean, interval95: r.exact_interval95 }, pct))}`,
    );
  lines.push(
    `  Reliability (simulated)      ${spreadText(r, pct)}${shareText(u.variance_share.reliability)}`,
  );
  if (u.mortality_per_1000 !== null)
    lines.push(
      `  Deaths per 1000              ${spreadText(u.mortality_per_1000, (x) => formatNumber(x, 1))}${shareText(u.variance_share.mortality_per_1000)}`,
    );
  if (u.cost_per_patient !== null)
    lines.push(
      `  Cost per patient             ${spreadText(u.cost_per_patient, formatAmount)}${shareText(u.variance_share.cost_per_patient)}`,
    );
  const drivers = (u.drivers.reliability ?? []).filter((d) => d.rank_correlation !== 0).slice(0, 5);
  if (drivers.length > 0) {
    lines.push("  What drives reliability most (rank correlation over the sets):");
    for (const d of drivers)
      lines.push(`    ${formatNumber(d.rank_correlation, 2).padStart(6)}  ${clean(d.label)}`);
  }
  return lines;
}

export function ratioText(r: Ratio | null, what: string): string | null {
  if (r === null || r.estimate === null) return r?.note ?? null;
  const ci = r.ci95 === null ? ` (${r.note ?? "no interval"})` : amountInterval(r.ci95);
  return `${formatAmount(r.estimate)} per ${what} avoided${ci}`;
}

/** The plain comparison's costs: incremental cost, cost per defect and death avoided, net benefit. */
export function economicsLines(v: VariantComparison, st: Styler): string[] {
  const e = v.economics;
  if (e == null) return [];
  const inc = e.incremental_cost_per_patient;
  const lines = [
    st.heading(`Costs${currencyNote(e.currency)}`),
    `  Incremental cost per patient  ${st.bold(formatAmount(inc.estimate))}${amountInterval(inc.ci95)}`,
  ];
  if (e.incremental_cost_per_year !== null)
    lines.push(
      `  Incremental cost per year     ${formatAmount(e.incremental_cost_per_year.estimate)}${amountInterval(e.incremental_cost_per_year.ci95)}`,
    );
  for (const [r, what] of [
    [e.cost_per_death_avoided, "death"],
    [e.cost_per_defect_avoided, "defect"],
  ] as const) {
    const text = ratioText(r, what);
    if (text !== null) lines.push(`  ${text}`);
  }
  const nmb = e.net_monetary_benefit;
  if (nmb !== null)
    lines.push(
      `  Net monetary benefit at ${formatAmount(nmb.wtp)} per death avoided: ${formatAmount(nmb.per_patient.estimate)} per patient${amountInterval(nmb.per_patient.ci95)}`,
    );
  return lines;
}

/** "in 97 of 100 plausible worlds the variant avoids deaths; it costs 41,000 per death avoided, in USD". */
export function uncertaintySentences(v: VariantComparison): string[] {
  const u = v.uncertainty;
  if (u === undefined) return [];
  const n = u.draws;
  const worlds = (share: number | undefined) =>
    `${formatCount(Math.round((share ?? 0) * n))} of ${formatCount(n)}`;
  const name = clean(v.scenario);
  const out: string[] = [];
  const pb = u.probability_better;
  if (pb.mortality_per_1000 !== undefined) {
    let sentence = `In ${worlds(pb.mortality_per_1000)} plausible worlds ${name} avoids deaths`;
    const icer = u.economics.cost_per_death_avoided;
    if (icer?.estimate != null) {
      sentence +=
        icer.estimate > 0
          ? `; it costs ${formatAmount(icer.estimate)} per death avoided${currencyNote(u.economics.currency)}`
          : `; it saves ${formatAmount(-icer.estimate)} per death avoided${currencyNote(u.economics.currency)}`;
    }
    out.push(`${sentence}.`);
  }
  out.push(
    `In ${worlds(pb.reliability)} it makes more journeys defect-free; in ${worlds(pb.defects_per_1000)} it avoids defects.`,
  );
  if (pb.cost_per_patient !== undefined)
    out.push(`In ${worlds(pb.cost_per_patient)} it costs less than the baseline.`);
  const nmb = u.economics.net_monetary_benefit;
  if (nmb !== null && u.economics.wtp !== null)
    out.push(
      `At ${formatAmount(u.economics.wtp)} per death avoided its net monetary benefit is positive in ${worlds(nmb.probability_positive)}.`,
    );
  return out;
}

/** `compare --uncertainty`: the variant's differences over the sets, the sentences, the drivers. */
export function variantUncertaintyLines(v: VariantComparison, st: Styler): string[] {
  const u = v.uncertainty;
  if (u === undefined) return [];
  const d = u.differences;
  const pts = (x: number) => `${formatNumber(100 * x, 2)} pts`;
  const lines = [
    st.heading(`Uncertainty over ${formatCount(u.draws)} parameter sets`),
    st.dim(`  ${formatCount(u.inner_patients)} patients per set, the same in every set and scenario`),
    ...uncertaintySentences(v).map((s) => `  ${st.bold(s)}`),
  ];
  const r = d.reliability;
  if (r.exact_mean !== null && r.exact_interval95 !== null)
    lines.push(
      `  Reliability change (exact)     ${spreadText({ mean: r.exact_mean, interval95: r.exact_interval95 }, pts)}`,
    );
  else
    lines.push(
      `  Reliability change             ${spreadText(r, pts)}${shareText(u.variance_share.reliability)}`,
    );
  if (d.deaths_avoided_per_1000 !== null)
    lines.push(
      `  Deaths avoided per 1000        ${spreadText(d.deaths_avoided_per_1000, (x) => formatNumber(x, 2))}${shareText(u.variance_share.deaths_avoided_per_1000)}`,
    );
  lines.push(
    `  Defects avoided per 1000       ${spreadText(d.defects_avoided_per_1000, (x) => formatNumber(x, 1))}${shareText(u.variance_share.defects_avoided_per_1000)}`,
  );
  if (d.incremental_cost_per_patient !== null)
    lines.push(
      `  Incremental cost per patient   ${spreadText(d.incremental_cost_per_patient, formatAmount)}${shareText(u.variance_share.incremental_cost_per_patient)}`,
    );
  if (d.incremental_cost_per_year !== null)
    lines.push(`  Incremental cost per year      ${spreadText(d.incremental_cost_per_year, formatAmount)}`);
  const e = u.economics;
  for (const [r2, what] of [
    [e.cost_per_death_avoided, "death"],
    [e.cost_per_defect_avoided, "defect"],
  ] as const) {
    const text = ratioText(r2, what);
    if (text !== null) lines.push(`  ${text}`);
  }
  if (e.net_monetary_benefit !== null && e.wtp !== null) {
    lines.push(
      `  Net monetary benefit at ${formatAmount(e.wtp)}: ${spreadText(e.net_monetary_benefit.per_patient, formatAmount)} per patient`,
    );
    if (e.evpi !== null)
      lines.push(
        `  Expected value of perfect information: ${formatAmount(e.evpi.per_patient)} per patient${e.evpi.per_year === null ? "" : `, ${formatAmount(e.evpi.per_year)} a year`}`,
      );
  }
  const drivers = u.drivers.filter((x) => x.rank_correlation !== 0).slice(0, 5);
  if (drivers.length > 0) {
    lines.push(`  What drives it most (rank correlation with ${u.driver_figure.replaceAll("_", " ")}):`);
    for (const x of drivers)
      lines.push(`    ${formatNumber(x.rank_correlation, 2).padStart(6)}  ${clean(x.label)}`);
  }
  return lines;
}

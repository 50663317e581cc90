// A run's results as report.html shows them — the warnings first, headline cards, the charts
// (cascade, leverage, metrics, p-chart, waits; here interactive), where defects arise, capacity
// (blocking, other patients, reneging, shared resources), costs, metrics — from the same summary
// (`run --json`), the same chart specs and the reports' own formatting, each figure with its 95%
// interval where the run gives one. The summary and its CSVs can be downloaded.
import {
  amountInterval,
  capacityMicrosystems,
  durationUnit,
  elementsCsv,
  formatAmount,
  formatCount,
  formatDuration,
  formatDurationEstimate,
  formatDurationInEstimate,
  formatInterval,
  formatNumber,
  formatPercentEstimate,
  formatWaitP90,
  patientsPerYear,
  type RunSummary,
  summaryCsv,
  utilizationCell,
  validInterval,
} from "../api.js";
import { pct, utilizationDecimals } from "../format.js";
import { download } from "../host.js";

type ModeSummary = RunSummary["microsystems"][number]["modes"][number];

import { Chart } from "./Chart.js";
import { ScrollBox } from "./ScrollBox.js";

export type Summary = RunSummary;

const count = formatCount;

interface Card {
  label: string;
  value: string;
  note: string;
  testId?: string;
  /** The unrounded figure, for tests that compare it with the command line's to the bit. */
  raw?: number;
}

function cards(summary: Summary): Card[] {
  const r = summary.reliability;
  const o = summary.outcomes;
  const ended = o.completed + o.dropped + o.guard_stopped;
  const m = o.mortality_per_1000;
  const year = patientsPerYear(summary);
  const list: Card[] = [
    {
      label: "Defect-free journeys",
      value: pct(r.estimate),
      note: `95% CI ${formatInterval(r.ci95)}${r.analytic === null ? "" : ` · exact ${pct(r.analytic)}`}`,
      testId: "sim-reliability",
      raw: r.estimate,
    },
  ];
  if (m !== null)
    list.push({
      label: "30-day deaths per 1000",
      value: formatNumber(m.expected, 1),
      note: `95% CI ${formatInterval(m.ci95, "number")} · sampled ${formatNumber(m.sampled, 1)}${year === null ? "" : ` · ≈ ${formatNumber((m.expected * year) / 1000, 1)} a year at ${count(Math.round(year))} patients`}`,
    });
  const share = (n: number, e: typeof o.completed_share) =>
    e !== undefined && validInterval(e.ci95)
      ? `${formatPercentEstimate(e.estimate, e.ci95)} of journeys`
      : ended > 0
        ? `${pct(n / ended)} of journeys`
        : "";
  list.push(
    { label: "Completed journeys", value: count(o.completed), note: share(o.completed, o.completed_share) },
    { label: "Lost to follow-up", value: count(o.dropped), note: share(o.dropped, o.dropped_share) },
    { label: "Near misses", value: count(o.near_misses), note: "failures caught before they did harm" },
  );
  if ((o.reneged ?? 0) > 0)
    list.push({
      label: "Left after waiting too long",
      value: count(o.reneged ?? 0),
      note: `${pct((o.reneged ?? 0) / Math.max(1, summary.patients))} of patients (max_wait, then leave)`,
      testId: "reneged",
    });
  const c = summary.costs;
  if (c != null) {
    list.push({
      label: `Cost per patient${c.currency === null ? "" : ` (${c.currency})`}`,
      value: formatAmount(c.per_patient.mean),
      note: `${amountInterval(c.per_patient.ci95).trim() || "no interval from one unit of work"}${c.per_patient.analytic === null ? "" : ` · exact ${formatAmount(c.per_patient.analytic)}`}`,
      testId: "cost-per-patient",
      raw: c.per_patient.mean,
    });
    if (c.per_year !== null)
      list.push({
        label: `Cost per year${c.currency === null ? "" : ` (${c.currency})`}`,
        value: formatAmount(c.per_year.mean),
        note: `${amountInterval(c.per_year.ci95).trim()} for ${count(c.volume_per_year ?? 0)} patients a year`,
        testId: "cost-per-year",
      });
  }
  for (const metric of Object.values(summary.metrics))
    list.push({
      label: `${metric.name} (median)`,
      value: formatDuration(metric.median),
      note:
        metric.target === null || metric.within_target === null
          ? `90th percentile ${formatDuration(metric.p90)}`
          : `${formatPercentEstimate(metric.within_target, metric.within_target_ci95)} within ${formatDuration(metric.target)}`,
    });
  return list;
}

function Cards({ summary }: { summary: Summary }) {
  return (
    <div class="figures">
      {cards(summary).map((c) => (
        <div class="figure" key={c.label}>
          <p class="figure-label">{c.label}</p>
          <p class="figure-value" data-testid={c.testId} data-value={c.raw}>
            {c.value}
          </p>
          <p class="figure-note">{c.note}</p>
        </div>
      ))}
    </div>
  );
}

/** What the reader must know before trusting the figures (overload, growing waits, too short a run). */
function Warnings({ summary }: { summary: Summary }) {
  const list = summary.warnings ?? [];
  if (list.length === 0) return null;
  return (
    <div class="warning" role="note" data-testid="run-warnings">
      <p>
        <strong>Read these figures with care:</strong>
      </p>
      <ul>
        {list.map((w) => (
          <li key={`${w.kind}:${w.microsystem}`} data-kind={w.kind}>
            {w.message}.
          </li>
        ))}
      </ul>
    </div>
  );
}

function Modes({ modes }: { modes: ModeSummary[] }) {
  const sorted = [...modes]
    .filter((m) => m.occurrences > 0 || m.defects > 0)
    .sort((a, b) => b.defects - a.defects);
  if (sorted.length === 0) return <span class="quiet">none</span>;
  return (
    <ul class="modes">
      {sorted.map((m) => (
        <li key={m.id}>
          {m.name} — {count(m.defects)} defects{m.caught > 0 ? `, ${count(m.caught)} caught` : ""}
        </li>
      ))}
    </ul>
  );
}

/** A table that may scroll sideways in its box: the box is a named, focusable region (keyboard scrolling). */
function Table(props: {
  caption?: string;
  label?: string;
  head: string[];
  num: number[];
  children: preact.ComponentChildren;
}) {
  return (
    <ScrollBox label={props.label ?? props.caption ?? props.head[0]!}>
      <table>
        {props.caption && <caption>{props.caption}</caption>}
        <thead>
          <tr>
            {props.head.map((h, i) => (
              <th key={h} scope="col" class={props.num.includes(i) ? "num" : undefined}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </ScrollBox>
  );
}

function Elements({ summary }: { summary: Summary }) {
  const names = new Map(summary.microsystems.map((m) => [m.id, m.name]));
  const visited = summary.microsystems.filter((m) => m.visits > 0);
  const unit = durationUnit(visited.flatMap((m) => [m.wait.mean, m.wait.p90]));
  const util = utilizationDecimals(summary);
  return (
    <section aria-labelledby="elements-title">
      <h3 id="elements-title">Where defects arise</h3>
      <Table
        head={[
          "Microsystem",
          "Visits",
          "Defects",
          "Reliability",
          "Wait mean (95% CI)",
          "Wait p90 (95% CI)",
          "Utilisation (95% CI)",
          "Failure modes",
        ]}
        num={[1, 2, 3, 4, 5, 6]}
      >
        {summary.microsystems.map((m) => (
          <tr key={m.id} data-row={m.id}>
            <th scope="row">{m.name}</th>
            <td class="num">{count(m.visits)}</td>
            <td class="num">{count(m.defects)}</td>
            <td class="num">{m.visits === 0 ? "—" : pct(m.reliability)}</td>
            <td class="num">
              {m.visits === 0 ? "—" : formatDurationInEstimate(m.wait.mean, m.wait.ci95, unit)}
            </td>
            <td class="num">{m.visits === 0 ? "—" : formatWaitP90(m.wait, unit)}</td>
            <td class="num">
              {m.utilization === null
                ? "no limit"
                : utilizationCell(m.utilization, m.utilization_ci95, m.background_utilization ?? null, util)}
            </td>
            <td>
              <Modes modes={m.modes} />
            </td>
          </tr>
        ))}
      </Table>
      {summary.handoffs.length > 0 && (
        <Table head={["Handoff", "Transfers", "Defects", "Reliability", "Failure modes"]} num={[1, 2, 3]}>
          {summary.handoffs.map((h) => (
            <tr key={`${h.from}->${h.to}`}>
              <th scope="row">
                {names.get(h.from) ?? h.from} → {names.get(h.to) ?? h.to}
              </th>
              <td class="num">{count(h.transfers)}</td>
              <td class="num">{count(h.defects)}</td>
              <td class="num">{h.transfers === 0 ? "—" : pct(h.reliability)}</td>
              <td>
                <Modes modes={h.modes} />
              </td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

/** Blocking, other patients, reneging and shared resources: shown only when the run has any. */
function Capacity({ summary }: { summary: Summary }) {
  const shown = capacityMicrosystems(summary);
  const resources = summary.resources ?? [];
  if (shown.length === 0 && resources.length === 0) return null;
  const names = new Map(summary.microsystems.map((m) => [m.id, m.name]));
  const util = utilizationDecimals(summary);
  return (
    <section aria-labelledby="capacity-title" data-testid="capacity">
      <h3 id="capacity-title">Capacity</h3>
      <p class="quiet">
        Utilisation is the place-minutes held (by the pathway's patients, blocked ones included, and by other
        patients) over the place-minutes available. A blocked patient has finished but keeps its place until
        the next microsystem has one.
      </p>
      {shown.length > 0 && (
        <Table
          head={[
            "Microsystem",
            "Places",
            "Utilisation",
            "Other patients' share",
            "Blocked mean / p90",
            "Stays blocked",
            "Left the queue",
          ]}
          num={[2, 3, 4, 5, 6]}
        >
          {shown.map((m) => {
            const b = m.blocked ?? null;
            return (
              <tr key={m.id} data-row={m.id}>
                <th scope="row">{m.name}</th>
                <td>{m.uses == null ? "own" : (resources.find((r) => r.id === m.uses)?.name ?? m.uses)}</td>
                <td class="num">
                  {m.utilization === null
                    ? "no limit"
                    : formatPercentEstimate(m.utilization, m.utilization_ci95, util)}
                </td>
                <td class="num">
                  {m.background_utilization == null ? "—" : pct(m.background_utilization, 0)}
                </td>
                <td class="num">
                  {b === null ? "—" : `${formatDuration(b.mean)} / ${formatDuration(b.p90)}`}
                </td>
                <td class="num">{b === null ? "—" : `${pct(b.share, 0)} of stays`}</td>
                <td class="num">{count(m.reneged ?? 0)}</td>
              </tr>
            );
          })}
        </Table>
      )}
      {resources.length > 0 && (
        <Table
          caption="Shared resources"
          head={["Resource", "Places", "Used by", "Utilisation"]}
          num={[1, 3]}
        >
          {resources.map((r) => (
            <tr key={r.id} data-row={r.id}>
              <th scope="row">{r.name}</th>
              <td class="num">{r.capacity === null ? "by shift" : count(r.capacity)}</td>
              <td>{r.microsystems.map((id) => names.get(id) ?? id).join(", ")}</td>
              <td class="num">{utilizationCell(r.utilization, null, r.background_utilization)}</td>
            </tr>
          ))}
        </Table>
      )}
    </section>
  );
}

function Costs({ summary }: { summary: Summary }) {
  const c = summary.costs;
  if (c == null) return null;
  const total = c.by_element.reduce((a, i) => a + i.per_patient, 0);
  return (
    <section aria-labelledby="costs-title" data-testid="costs">
      <h3 id="costs-title">Costs{c.currency === null ? "" : `, in ${c.currency}`}</h3>
      <p>
        Per patient <strong>{formatAmount(c.per_patient.mean)}</strong>
        {amountInterval(c.per_patient.ci95)}
        {c.per_year !== null && (
          <>
            {" "}
            · per year <strong>{formatAmount(c.per_year.mean)}</strong>
            {amountInterval(c.per_year.ci95)} for {count(c.volume_per_year ?? 0)} patients
          </>
        )}
      </p>
      <Table head={["Where the cost arises", "Per patient", "Share"]} num={[1, 2]}>
        {c.by_element.slice(0, 8).map((item) => (
          <tr key={`${item.kind}:${item.element}:${item.mode}`}>
            <th scope="row">{item.name}</th>
            <td class="num">{formatAmount(item.per_patient)}</td>
            <td class="num">{pct(total > 0 ? item.per_patient / total : 0)}</td>
          </tr>
        ))}
      </Table>
      <p class="quiet">
        Stays are charged from gaining a place to leaving; waiting for a place at per_hour_waiting.
      </p>
    </section>
  );
}

function Metrics({ summary }: { summary: Summary }) {
  const list = Object.entries(summary.metrics);
  if (list.length === 0) return null;
  const time = (n: number, x: number, ci: [number, number] | null | undefined) =>
    n === 0 ? "—" : formatDurationEstimate(x, ci);
  return (
    <section aria-labelledby="metrics-title">
      <h3 id="metrics-title">Metrics</h3>
      <Table
        head={[
          "Metric",
          "Journeys",
          "Mean (95% CI)",
          "Median (95% CI)",
          "90th percentile (95% CI)",
          "Target",
          "Within target",
        ]}
        num={[1, 2, 3, 4, 5, 6]}
      >
        {list.map(([id, m]) => (
          <tr key={id}>
            <th scope="row">{m.name}</th>
            <td class="num">{count(m.n)}</td>
            <td class="num">{time(m.n, m.mean, m.mean_ci95)}</td>
            <td class="num">{time(m.n, m.median, m.median_ci95)}</td>
            <td class="num">{time(m.n, m.p90, m.p90_ci95)}</td>
            <td class="num">{m.target === null ? "—" : formatDuration(m.target)}</td>
            <td class="num">
              {m.within_target === null ? "—" : formatPercentEstimate(m.within_target, m.within_target_ci95)}
            </td>
          </tr>
        ))}
      </Table>
    </section>
  );
}

/** How the queue figures' intervals were made, and the warm-up, in a few words. */
function method(s: Summary): string {
  const facts: string[] = [];
  if (s.arrivals && s.warmup_minutes > 0)
    facts.push(
      `warm-up ${formatDuration(s.warmup_minutes)}${s.warmup?.method === "MSER-5" ? " (chosen by MSER-5)" : ""}`,
    );
  const a = s.output_analysis;
  if (a?.method === "replications") facts.push(`intervals over ${count(a.units)} replications`);
  else if (a?.method === "batch means")
    facts.push(
      `intervals by batch means (${count(a.units)} batches of ${count(Math.floor(a.batch_patients ?? 0))} patients)`,
    );
  return facts.length === 0 ? "" : ` · ${facts.join(" · ")}`;
}

/** The run as files: the summary `run --json` prints, and the two tidy CSVs `run` writes. */
function Downloads({ summary }: { summary: Summary }) {
  const base = summary.scenario.replace(/[^A-Za-z0-9_-]+/g, "-").replace(/^-+|-+$/g, "") || "run";
  return (
    <div class="downloads">
      <button
        type="button"
        data-testid="download-summary"
        onClick={() =>
          download(`${base}-summary.json`, `${JSON.stringify(summary, null, 2)}\n`, "application/json")
        }
      >
        Download summary.json
      </button>
      <button type="button" onClick={() => download(`${base}-summary.csv`, summaryCsv(summary), "text/csv")}>
        summary.csv
      </button>
      <button
        type="button"
        onClick={() => download(`${base}-elements.csv`, elementsCsv(summary), "text/csv")}
      >
        elements.csv
      </button>
    </div>
  );
}

export function ResultsView(props: { summary: Summary; charts: Record<string, object>; ms: number }) {
  const { summary } = props;
  return (
    <div class="results">
      <p class="meta">
        {count(summary.patients)} patients · seed {summary.seed} · {summary.replications}{" "}
        {summary.replications === 1 ? "replication" : "replications"}
        {method(summary)} · simulated in this page in{" "}
        <span data-testid="run-ms">{(props.ms / 1000).toFixed(2)}</span> s
      </p>
      <Downloads summary={summary} />
      <Warnings summary={summary} />
      <Cards summary={summary} />
      <h3>Charts</h3>
      <div class="charts">
        {Object.entries(props.charts).map(([name, spec]) => (
          <Chart key={name} name={name} spec={spec} />
        ))}
      </div>
      <Elements summary={summary} />
      <Capacity summary={summary} />
      <Costs summary={summary} />
      <Metrics summary={summary} />
    </div>
  );
}

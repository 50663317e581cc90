// A run's results as report.html shows them — headline cards, the charts (cascade, leverage,
// metrics, p-chart, waits; here interactive), where defects arise, outcomes and metrics — from the
// same summary (`run --json`) and the same chart specs.
import { formatCount, formatInterval, type Model, type RunSummary } from "../api.js";
import { minutes, pct } from "../format.js";
import { Chart } from "./Chart.js";

export type Summary = RunSummary;

const count = formatCount;

function Cards({ summary }: { summary: Summary }) {
  const r = summary.reliability;
  const o = summary.outcomes;
  const ended = o.completed + o.dropped + o.guard_stopped;
  const m = o.mortality_per_1000;
  // `raw`: the unrounded figure, for tests that compare it with the command line's to the bit.
  const cards: { label: string; value: string; note: string; testId?: string; raw?: number }[] = [
    {
      label: "Defect-free journeys",
      value: pct(r.estimate),
      note: `95% CI ${formatInterval(r.ci95)}${r.analytic === null ? "" : ` · exact ${pct(r.analytic)}`}`,
      testId: "sim-reliability",
      raw: r.estimate,
    },
  ];
  if (m !== null)
    cards.push({
      label: "30-day deaths per 1000",
      value: m.expected.toFixed(1),
      note: `95% CI ${m.ci95[0].toFixed(1)}–${m.ci95[1].toFixed(1)} · sampled ${m.sampled.toFixed(1)}`,
    });
  cards.push(
    {
      label: "Completed journeys",
      value: count(o.completed),
      note: ended > 0 ? `${pct(o.completed / ended)} of journeys` : "",
    },
    {
      label: "Lost to follow-up",
      value: count(o.dropped),
      note: ended > 0 ? `${pct(o.dropped / ended)} of journeys` : "",
    },
    { label: "Near misses", value: count(o.near_misses), note: "failures caught before they did harm" },
  );
  for (const metric of Object.values(summary.metrics)) {
    cards.push({
      label: `${metric.name} (median)`,
      value: minutes(metric.median),
      note:
        metric.target === null || metric.within_target === null
          ? `90th percentile ${minutes(metric.p90)}`
          : `${pct(metric.within_target)} within ${minutes(metric.target)}`,
    });
  }
  return (
    <div class="figures">
      {cards.map((c) => (
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

function modes(
  failures: Record<string, number>,
  caught: Record<string, number>,
  name: (mode: string) => string,
) {
  const list = Object.entries(failures)
    .map(([mode, n]) => ({ mode, defects: n - (caught[mode] ?? 0), caught: caught[mode] ?? 0 }))
    .sort((a, b) => b.defects - a.defects);
  if (list.length === 0) return <span class="quiet">none</span>;
  return (
    <ul class="modes">
      {list.map((m) => (
        <li key={m.mode}>
          {name(m.mode)} — {count(m.defects)} defects{m.caught > 0 ? `, ${count(m.caught)} caught` : ""}
        </li>
      ))}
    </ul>
  );
}

function Elements({ summary, model }: { summary: Summary; model: Model }) {
  const modeName = (element: string) => (mode: string) => {
    const m = model.microsystems.find((x) => x.id === element);
    const h = model.handoffs.find((x) => `${x.from}->${x.to}` === element);
    return (m ?? h)?.failures.find((f) => f.id === mode)?.name ?? mode;
  };
  const names = new Map(summary.microsystems.map((m) => [m.id, m.name]));
  return (
    <section aria-labelledby="elements-title">
      <h3 id="elements-title">Where defects arise</h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Microsystem</th>
              <th scope="col" class="num">
                Visits
              </th>
              <th scope="col" class="num">
                Defects
              </th>
              <th scope="col" class="num">
                Reliability
              </th>
              <th scope="col" class="num">
                Wait mean / p90
              </th>
              <th scope="col" class="num">
                Utilisation
              </th>
              <th scope="col">Failure modes</th>
            </tr>
          </thead>
          <tbody>
            {summary.microsystems.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.name}</th>
                <td class="num">{count(m.visits)}</td>
                <td class="num">{count(m.defects)}</td>
                <td class="num">{pct(m.reliability)}</td>
                <td class="num">
                  {minutes(m.wait.mean)} / {minutes(m.wait.p90)}
                </td>
                <td class="num">{m.utilization === null ? "no limit" : pct(m.utilization, 0)}</td>
                <td>{modes(m.failures, m.caught, modeName(m.id))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {summary.handoffs.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Handoff</th>
                <th scope="col" class="num">
                  Transfers
                </th>
                <th scope="col" class="num">
                  Defects
                </th>
                <th scope="col" class="num">
                  Reliability
                </th>
                <th scope="col">Failure modes</th>
              </tr>
            </thead>
            <tbody>
              {summary.handoffs.map((h) => {
                const key = `${h.from}->${h.to}`;
                return (
                  <tr key={key}>
                    <th scope="row">
                      {names.get(h.from) ?? h.from} → {names.get(h.to) ?? h.to}
                    </th>
                    <td class="num">{count(h.transfers)}</td>
                    <td class="num">{count(h.defects)}</td>
                    <td class="num">{pct(h.reliability)}</td>
                    <td>{modes(h.failures, h.caught, modeName(key))}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Metrics({ summary }: { summary: Summary }) {
  const list = Object.entries(summary.metrics);
  if (list.length === 0) return null;
  return (
    <section aria-labelledby="metrics-title">
      <h3 id="metrics-title">Metrics</h3>
      <div class="table-wrap">
        <table>
          <thead>
            <tr>
              <th scope="col">Metric</th>
              <th scope="col" class="num">
                Journeys
              </th>
              <th scope="col" class="num">
                Median
              </th>
              <th scope="col" class="num">
                90th percentile
              </th>
              <th scope="col" class="num">
                Target
              </th>
              <th scope="col" class="num">
                Within target
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map(([id, m]) => (
              <tr key={id}>
                <th scope="row">{m.name}</th>
                <td class="num">{count(m.n)}</td>
                <td class="num">{minutes(m.median)}</td>
                <td class="num">{minutes(m.p90)}</td>
                <td class="num">{m.target === null ? "—" : minutes(m.target)}</td>
                <td class="num">{pct(m.within_target)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ResultsView(props: {
  summary: Summary;
  model: Model;
  charts: Record<string, object>;
  ms: number;
}) {
  const { summary } = props;
  return (
    <div class="results">
      <p class="meta">
        {count(summary.patients)} patients · seed {summary.seed} · {summary.replications}{" "}
        {summary.replications === 1 ? "replication" : "replications"} · simulated in this page in{" "}
        <span data-testid="run-ms">{(props.ms / 1000).toFixed(2)}</span> s
      </p>
      <Cards summary={summary} />
      <h3>Charts</h3>
      <div class="charts">
        {Object.entries(props.charts).map(([name, spec]) => (
          <Chart key={name} name={name} spec={spec} />
        ))}
      </div>
      <Elements summary={summary} model={props.model} />
      <Metrics summary={summary} />
    </div>
  );
}

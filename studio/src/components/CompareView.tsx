// What if: the saved scenario is the baseline, the text being edited is the variant. Shows what
// changed (value by value), saves the change as a variant file (`extends` the baseline, with only
// what changed), and compares the two with common random numbers and paired intervals.

import { useMemo, useRef, useState } from "preact/hooks";
import { parse } from "yaml";
import {
  amountInterval,
  type Comparison,
  changeValue,
  compare,
  compareChartSpecs,
  compareFigures,
  comparisonCsv,
  formatAmount,
  formatChange,
  formatCount,
  formatLevel,
  type Model,
  makeVariant,
  modelChanges,
  ratioText,
  scenarioChanges,
  unchanged,
  verdict,
} from "../api.js";
import { flowValue, pct } from "../format.js";
import { download, type Host, type StudioFile } from "../host.js";
import type { WorkerPool } from "../pool.js";
import { checkText } from "../scenario-state.js";
import { Chart } from "./Chart.js";
import { PatientsInput } from "./PatientsInput.js";
import { ScrollBox } from "./ScrollBox.js";

interface Props {
  host: Host;
  file: StudioFile;
  text: string;
  model: Model | null;
  pool: WorkerPool;
  onVariant: (file: StudioFile) => void;
}

function safeParse(text: string): unknown {
  try {
    return parse(text);
  } catch {
    return null;
  }
}

/** Each figure of the comparison: baseline, variant, the paired difference and its reading (as report.html). */
function Differences({ comparison }: { comparison: Comparison }) {
  const v = comparison.variants[0];
  if (v === undefined) return null;
  const d = v.differences;
  const exactChange = d.reliability.analytic;
  const figures = compareFigures(comparison);
  return (
    <ScrollBox label="Every figure, baseline against variant">
      <table data-testid="compare-table">
        <caption>
          Variant − baseline, {v.pairing.method} over {formatCount(v.pairing.units)}{" "}
          {v.pairing.unit === "batch" ? "batches" : "replications"} of the same patients; shares change in
          percentage points
        </caption>
        <thead>
          <tr>
            <th scope="col">Figure</th>
            <th scope="col" class="num">
              Baseline
            </th>
            <th scope="col" class="num">
              Variant
            </th>
            <th scope="col" class="num">
              Difference (95% CI)
            </th>
            <th scope="col">Reading</th>
          </tr>
        </thead>
        <tbody>
          {figures.map((f) => {
            const change = f.differences[0];
            if (change === null || change === undefined) return null;
            const base = f.levels[0];
            const own = f.levels[1];
            const text = formatChange(change, f.group);
            // One unit for the row's two times, as report.html writes them.
            const row = [base?.value, own?.value].filter(
              (x): x is number => x !== undefined && Number.isFinite(x),
            );
            const reliability = f.key === "reliability";
            return (
              <tr key={f.key} data-figure={f.key}>
                <th scope="row">
                  {f.group === "deaths" || f.group === "per1000" ? `${f.label} per 1000` : f.label}
                </th>
                <td class="num">{base == null ? "—" : formatLevel(base.value, f.group, row)}</td>
                <td class="num">{own == null ? "—" : formatLevel(own.value, f.group, row)}</td>
                <td class="num" data-testid={reliability ? "compare-reliability" : undefined}>
                  {unchanged(change) ? "no change" : `${text.value} (95% CI ${text.interval})`}
                  {reliability && exactChange !== null
                    ? ` · exact ${formatChange({ estimate: exactChange * 100, ci95: [exactChange * 100, exactChange * 100] }, "shares").value}`
                    : ""}
                </td>
                <td class={`reading ${verdict(change, f.better).replaceAll(" ", "-").toLowerCase()}`}>
                  {verdict(change, f.better)}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollBox>
  );
}

/** What the compared variant ran with differently: the comparison's own list (compare.json's `changes`). */
function ComparedChanges({ comparison }: { comparison: Comparison }) {
  const v = comparison.variants[0];
  if (v === undefined) return null;
  return (
    <details class="changes" data-testid="compared-changes" open>
      <summary>
        Compared: {v.changes.length} {v.changes.length === 1 ? "value differs" : "values differ"} from the
        baseline
      </summary>
      <ul>
        {v.changes.map((c) => (
          <li key={c.path}>
            <code>{c.path}</code>: {changeValue(c.baseline)} → {changeValue(c.variant)}
          </li>
        ))}
      </ul>
    </details>
  );
}

/** The runs' own warnings (overload, too short): a comparison of unreliable figures says so. */
function ComparisonWarnings({ comparison }: { comparison: Comparison }) {
  const runs = [
    ["Baseline", comparison.baseline],
    ["Variant", comparison.variants[0]?.summary],
  ] as const;
  const list = runs.flatMap(([who, s]) => (s?.warnings ?? []).map((w) => `${who}: ${w.message}.`));
  if (list.length === 0) return null;
  return (
    <div class="warning" role="note" data-testid="compare-warnings">
      <p>
        <strong>Read these figures with care:</strong>
      </p>
      <ul>
        {list.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </div>
  );
}

/** The variant's costs against what it avoids: incremental cost, cost per death and per defect avoided. */
function Economics({ comparison }: { comparison: Comparison }) {
  const e = comparison.variants[0]?.economics;
  if (e == null) return null;
  const inc = e.incremental_cost_per_patient;
  const lines = [
    ["Incremental cost per patient", `${formatAmount(inc.estimate)}${amountInterval(inc.ci95)}`],
    ...(e.incremental_cost_per_year === null
      ? []
      : [
          [
            "Incremental cost per year",
            `${formatAmount(e.incremental_cost_per_year.estimate)}${amountInterval(e.incremental_cost_per_year.ci95)}`,
          ],
        ]),
    ...([
      ["Cost per death avoided", ratioText(e.cost_per_death_avoided, "death")],
      ["Cost per defect avoided", ratioText(e.cost_per_defect_avoided, "defect")],
    ].filter(([, text]) => text != null) as [string, string][]),
  ];
  return (
    <section aria-labelledby="economics-title" data-testid="economics">
      <h3 id="economics-title">Costs{e.currency === null ? "" : `, in ${e.currency}`}</h3>
      <ScrollBox label="The variant's costs">
        <table>
          <tbody>
            {lines.map(([label, value]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td class="num">{value}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollBox>
      <p class="quiet">
        Positive = the variant costs more. Paired 95% intervals; a ratio's interval by Fieller's method.
      </p>
    </section>
  );
}

export function CompareView({ host, file, text, model, pool, onVariant }: Props) {
  // The library's list of what the variant runs with differently (the one `compare` reports), once
  // both scenarios are valid; while the edit does not validate, the difference of the two texts.
  const baselineModel = useMemo(() => checkText(file.text, file.name, host.files).model, [file, host.files]);
  const changes = useMemo(
    () =>
      baselineModel !== null && model !== null
        ? modelChanges(baselineModel, model).map((c) => ({
            path: c.path,
            before: c.baseline ?? undefined,
            after: c.variant ?? undefined,
          }))
        : scenarioChanges(safeParse(file.text), safeParse(text)),
    [baselineModel, model, file.text, text],
  );
  const [name, setName] = useState("what-if");
  const [patients, setPatients] = useState("");
  const [status, setStatus] = useState<string | null>(null);
  const [running, setRunning] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<{ comparison: Comparison; charts: Record<string, object> } | null>(
    null,
  );
  const abort = useRef<AbortController | null>(null);

  const saveVariant = async () => {
    const variant = makeVariant(file.text, text, {
      extendsPath: file.name,
      name: `${model?.name ?? "Scenario"} — ${name}`,
    });
    if (variant.text === null) return setStatus(variant.problems.join("; "));
    try {
      const made = await host.createVariant(name, variant.text);
      setStatus(
        host.kind === "server" ? `Variant saved as ${made.name}.` : `Variant downloaded as ${made.name}.`,
      );
      onVariant(made);
    } catch (error) {
      setStatus(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const runCompare = async () => {
    if (model === null) return;
    const baseline = checkText(file.text, file.name, host.files).model;
    if (baseline === null) return setStatus("The saved baseline has problems: fix and save it first.");
    abort.current?.abort();
    const controller = new AbortController();
    abort.current = controller;
    setRunning({ done: 0, total: 0 });
    setResult(null);
    try {
      const n = Number(patients);
      const comparison = await compare(baseline, [model], {
        patients: Number.isInteger(n) && n > 0 ? n : undefined,
        executeUnits: pool.execute,
        signal: controller.signal,
        onProgress: (done, total) => setRunning({ done, total }),
      });
      setResult({ comparison, charts: compareChartSpecs(comparison) });
      setStatus(null);
    } catch (error) {
      setStatus(
        controller.signal.aborted
          ? "Comparison cancelled."
          : String(error instanceof Error ? error.message : error),
      );
    } finally {
      setRunning(null);
    }
  };

  return (
    <div class="compare">
      <p>
        Baseline: <strong>{file.name}</strong> as saved. Variant: the scenario as edited now. Both run on the
        same patients (common random numbers), so the intervals are for the difference itself.
      </p>
      <h3>What changed</h3>
      {changes.length === 0 ? (
        <p class="quiet">Nothing yet: edit a value (form or YAML) to make a what-if.</p>
      ) : (
        <ScrollBox label="What changed">
          <table data-testid="changes">
            <thead>
              <tr>
                <th scope="col">Value</th>
                <th scope="col">Baseline</th>
                <th scope="col">Variant</th>
              </tr>
            </thead>
            <tbody>
              {changes.map((c) => (
                <tr key={c.path}>
                  <th scope="row">
                    <code>{c.path}</code>
                  </th>
                  <td>
                    {c.before === undefined ? <span class="quiet">(not set)</span> : flowValue(c.before)}
                  </td>
                  <td>{c.after === undefined ? <span class="quiet">(removed)</span> : flowValue(c.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <div class="run-bar">
        <label>
          Variant name{" "}
          <input
            type="text"
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            pattern="[A-Za-z0-9][A-Za-z0-9_-]*"
          />
        </label>
        <button
          type="button"
          data-testid="save-variant"
          onClick={saveVariant}
          disabled={changes.length === 0}
        >
          Save as variant
        </button>
        <PatientsInput
          value={patients}
          scenarioPatients={model?.patients}
          onInput={setPatients}
          label="Patients to compare"
          size={7}
        />
        <button
          type="button"
          data-testid="compare"
          onClick={runCompare}
          disabled={changes.length === 0 || model === null || running !== null}
        >
          Compare
        </button>
        {running && (
          <>
            <progress
              max={Math.max(1, running.total)}
              value={running.done}
              aria-label="Comparison progress"
            />
            <button type="button" onClick={() => abort.current?.abort()}>
              Cancel
            </button>
          </>
        )}
      </div>
      {status && (
        <p class="status" role="status">
          {status}
        </p>
      )}
      {result && (
        <>
          <ComparedChanges comparison={result.comparison} />
          <ComparisonWarnings comparison={result.comparison} />
          <Differences comparison={result.comparison} />
          <Economics comparison={result.comparison} />
          <div class="downloads">
            <button
              type="button"
              data-testid="download-comparison"
              onClick={() =>
                download(
                  "compare.json",
                  `${JSON.stringify(result.comparison, null, 2)}\n`,
                  "application/json",
                )
              }
            >
              Download compare.json
            </button>
            <button
              type="button"
              onClick={() => download("compare.csv", comparisonCsv(result.comparison), "text/csv")}
            >
              compare.csv
            </button>
          </div>
          <p class="meta">
            Baseline {pct(result.comparison.baseline.reliability.estimate)} → variant{" "}
            {pct(result.comparison.variants[0]?.summary.reliability.estimate)} defect-free.
          </p>
          <div class="charts">
            {Object.entries(result.charts).map(([n, spec]) => (
              <Chart key={n} name={n} spec={spec} />
            ))}
          </div>
        </>
      )}
    </div>
  );
}

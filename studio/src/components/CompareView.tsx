// What if: the saved scenario is the baseline, the text being edited is the variant. Shows what
// changed (value by value), saves the change as a variant file (`extends` the baseline, with only
// what changed), and compares the two with common random numbers and paired intervals.
import { useMemo, useRef, useState } from "preact/hooks";
import { parse } from "yaml";
import {
  type Comparison,
  compare,
  compareChartSpecs,
  type Model,
  makeVariant,
  modelChanges,
  scenarioChanges,
} from "../api.js";
import { flowValue, pct } from "../format.js";
import type { Host, StudioFile } from "../host.js";
import type { WorkerPool } from "../pool.js";
import { checkText } from "../scenario-state.js";
import { Chart } from "./Chart.js";

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

const signed = (x: number, digits = 1) => `${x >= 0 ? "+" : "−"}${Math.abs(x).toFixed(digits)}`;

function Differences({ comparison }: { comparison: Comparison }) {
  const v = comparison.variants[0];
  if (v === undefined) return null;
  const d = v.differences;
  const pp = (e: { estimate: number; ci95: [number, number] }) =>
    `${signed(e.estimate * 100, 2)} points (95% CI ${signed(e.ci95[0] * 100, 2)} to ${signed(e.ci95[1] * 100, 2)})`;
  const per = (e: { estimate: number; ci95: [number, number] }) =>
    `${signed(e.estimate)} (95% CI ${signed(e.ci95[0])} to ${signed(e.ci95[1])})`;
  return (
    <div class="table-wrap">
      <table data-testid="compare-table">
        <caption>
          Variant − baseline, {v.pairing.method} over {v.pairing.units}{" "}
          {v.pairing.unit === "batch" ? "batches" : "replications"} of the same patients
        </caption>
        <tbody>
          <tr>
            <th scope="row">Defect-free journeys</th>
            <td class="num" data-testid="compare-reliability">
              {pp(d.reliability)}
              {d.reliability.analytic === null
                ? ""
                : ` · exact ${signed(d.reliability.analytic * 100, 2)} points`}
            </td>
          </tr>
          {d.mortality_per_1000 && (
            <tr>
              <th scope="row">30-day deaths per 1000</th>
              <td class="num">{per(d.mortality_per_1000)}</td>
            </tr>
          )}
          <tr>
            <th scope="row">Defects avoided per 1000 patients</th>
            <td class="num">{per(d.defects_avoided_per_1000)}</td>
          </tr>
          {d.deaths_avoided_per_1000 && (
            <tr>
              <th scope="row">Deaths avoided per 1000 patients</th>
              <td class="num">{per(d.deaths_avoided_per_1000)}</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
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
      const comparison = await compare(baseline, [model], {
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
        <div class="table-wrap">
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
        </div>
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
          <Differences comparison={result.comparison} />
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

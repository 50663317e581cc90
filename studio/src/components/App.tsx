// The studio page: the pathway map with the exact reliability on top; below, the edit form and the
// YAML editor on the left, and the run, compare, explain and story views on the right.

import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { flowText, scenarioJsonSchema, valueAt } from "../api.js";
import { SchemaHelp } from "../editor/schema-help.js";
import { createYamlEditor, type YamlEditor } from "../editor/yaml-editor.js";
import { applyFormEdit, extendsChain } from "../form-edit.js";
import { pct } from "../format.js";
import { markEdit, unmarkEdit, useChecked, useRun } from "../hooks.js";
import { addLocalFiles, download, type Host } from "../host.js";
import { WorkerPool } from "../pool.js";
import { CompareView } from "./CompareView.js";
import { EditForm, type FormEdit } from "./EditForm.js";
import { ElementDetails } from "./ElementDetails.js";
import { ExactCascade } from "./ExactCascade.js";
import { ExplainView } from "./ExplainView.js";
import { type MapReplay, type MapRun, mapRunOf, PathwayMap } from "./PathwayMap.js";
import { PatientsInput } from "./PatientsInput.js";
import { ResultsView } from "./ResultsView.js";
import { StoryView } from "./StoryView.js";

const pool = new WorkerPool();
const help = new SchemaHelp(scenarioJsonSchema() as Record<string, unknown>);

type Tab = "results" | "compare" | "explain" | "story";

export function App({ host }: { host: Host }) {
  const editable = () => host.files.filter((f) => f.role !== "base");
  const [fileKey, setFileKey] = useState(editable()[0]?.key ?? "");
  const file = host.files.find((f) => f.key === fileKey);
  const [text, setText] = useState(file?.text ?? "");
  const [selected, setSelected] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>("results");
  const runner = useRun(pool);
  const runState = runner.state;
  const [message, setMessage] = useState<string | null>(null);
  const [patients, setPatients] = useState<string>("");
  const [, refresh] = useState(0);
  const [replay, setReplay] = useState<MapReplay | null>(null);
  const editorBox = useRef<HTMLDivElement>(null);
  const editor = useRef<YamlEditor | null>(null);

  const dirty = file !== undefined && text !== file.text;
  const readOnly =
    file === undefined || !file.writable || (host.readOnlyReason !== null && host.kind === "server");

  const { checked, lastModel, lastExact, checkNow } = useChecked(text, file, host, editor);
  // The form writes into the editor too: that change is the form's edit, not a keystroke.
  const applying = useRef(false);
  const typed = (next: string) => {
    if (!applying.current) markEdit();
    setText(next);
  };

  // One editor per file shown.
  useEffect(() => {
    if (editorBox.current === null || file === undefined) return;
    editor.current?.view.destroy();
    editorBox.current.textContent = "";
    editor.current = createYamlEditor(editorBox.current, text, help, typed, readOnly);
    return () => editor.current?.view.destroy();
  }, [fileKey]);

  const model = checked?.model ?? lastModel;
  const stale = checked !== null && checked.model === null;
  const shownExact = stale ? lastExact : (checked?.exact ?? null);
  const exactFigure = shownExact?.reliability ?? null;

  const applyEdit = (edit: FormEdit) => {
    try {
      markEdit();
      const next = applyFormEdit(extendsChain(text, file!.name, host.files), edit);
      checkNow(next);
      setText(next);
      applying.current = true;
      try {
        editor.current?.setText(next);
      } finally {
        applying.current = false;
      }
      setMessage(null);
    } catch (error) {
      unmarkEdit();
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };

  const startRun = () => {
    if (checked?.model == null) return;
    setTab("results");
    const n = Number(patients);
    void runner.start(checked.model, Number.isInteger(n) && n > 0 ? n : undefined);
  };

  const save = async () => {
    if (file === undefined) return;
    try {
      await host.save(file, text);
      setMessage(host.kind === "server" ? `Saved ${file.name}.` : `Downloaded ${file.name}.`);
      refresh((n) => n + 1);
    } catch (error) {
      setMessage(`Not saved: ${error instanceof Error ? error.message : String(error)}`);
    }
  };

  const mapRun: MapRun | null = useMemo(
    () => (runState.summary === undefined ? null : mapRunOf(runState.summary)),
    [runState.summary],
  );

  const onDrop = async (e: DragEvent) => {
    e.preventDefault();
    if (e.dataTransfer?.files && e.dataTransfer.files.length > 0) await openFiles(e.dataTransfer.files);
  };
  const openFiles = async (list: FileList) => {
    try {
      const added = await addLocalFiles(host, list);
      if (added[0]) {
        setFileKey(added[0].key);
        setText(added[0].text);
      }
    } catch (error) {
      setMessage(error instanceof Error ? error.message : String(error));
    }
  };

  const switchFile = (key: string) => {
    const next = host.files.find((f) => f.key === key);
    if (next === undefined) return;
    setFileKey(key);
    setText(next.text);
    runner.reset();
  };

  const findings = checked?.findings ?? [];
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping files is a shortcut; "Open…" is the accessible way
    <div class="studio" onDragOver={(e) => e.preventDefault()} onDrop={onDrop}>
      <header class="bar">
        <h1>handoff-sim studio</h1>
        <label class="file-pick">
          <span class="visually-hidden">Scenario file</span>
          <select
            value={fileKey}
            onChange={(e) => switchFile(e.currentTarget.value)}
            aria-label="Scenario file"
          >
            {editable().map((f) => (
              <option key={f.key} value={f.key}>
                {f.name}
                {f.role === "variant" ? " (variant)" : ""}
              </option>
            ))}
          </select>
        </label>
        {host.kind === "static" && (
          <label class="button">
            Open…
            <input
              type="file"
              accept=".yaml,.yml,.json"
              multiple
              class="visually-hidden"
              onChange={(e) => e.currentTarget.files && openFiles(e.currentTarget.files)}
            />
          </label>
        )}
        <button type="button" data-testid="save" onClick={save} disabled={readOnly || !dirty}>
          {host.kind === "server" ? "Save" : "Download"}
          {dirty ? " •" : ""}
        </button>
        <button type="button" onClick={() => file && download(file.name, text)}>
          Download YAML
        </button>
        <span class="status" role="status" aria-live="polite">
          {message ?? host.readOnlyReason ?? ""}
        </span>
      </header>

      <section class="overview" aria-label="Pathway and exact reliability">
        <div class="exact-card">
          <p class="figure-label">Defect-free journeys, exact</p>
          <p
            class={`figure-value${stale ? " stale" : ""}`}
            data-testid="exact-reliability"
            data-value={exactFigure ?? undefined}
          >
            {pct(exactFigure)}
          </p>
          <p class="figure-note">
            {checked === null
              ? "checking…"
              : findings.length > 0
                ? `last valid figure · ${findings.length} problem${findings.length === 1 ? "" : "s"} in the scenario`
                : checked.exact?.reliability === null
                  ? (checked.exact?.note ?? "no exact answer")
                  : `absorbing Markov chain · ${checked.ms.toFixed(0)} ms`}
          </p>
          {model !== null && <ExactCascade exact={shownExact} model={model} />}
        </div>
        {model !== null && (
          <PathwayMap
            model={model}
            exact={shownExact}
            selected={selected}
            onSelect={(el) => setSelected(el === selected ? null : el)}
            run={mapRun}
            replay={tab === "story" ? replay : null}
          />
        )}
        {model !== null && selected !== null && (
          <ElementDetails
            element={selected}
            model={model}
            exact={shownExact}
            summary={runState.summary ?? null}
            onClose={() => setSelected(null)}
            onEdit={() => document.getElementById(`form-${selected}`)?.scrollIntoView({ block: "nearest" })}
          />
        )}
      </section>

      <main class="panes">
        <section class="pane edit" aria-label="Edit the scenario">
          <h2>Edit</h2>
          {findings.length > 0 && (
            <ul class="findings" aria-label="Problems">
              {findings.slice(0, 8).map((f) => (
                <li key={`${f.file}:${f.line}:${f.column}:${f.message}`}>
                  <code>
                    {f.file}:{f.line}:{f.column}
                  </code>{" "}
                  {f.path && <code>{f.path}</code>} {f.message}
                </li>
              ))}
            </ul>
          )}
          {model !== null && (
            <details open>
              <summary>Common values</summary>
              <EditForm
                model={model}
                readOnly={false}
                focus={selected}
                onEdit={applyEdit}
                timeText={(id) => {
                  const v = extendsChain(text, file?.name ?? "", host.files)
                    .map((t) => valueAt(t, ["microsystems", { id }, "time"]))
                    .find((x) => x !== undefined);
                  return v === undefined ? "" : flowText(v as never);
                }}
              />
            </details>
          )}
          <details open>
            <summary>YAML</summary>
            <div class="editor" ref={editorBox} />
          </details>
        </section>

        <section class="pane views" aria-label="Run, compare, explain, story">
          <div class="tabs" role="tablist">
            {(["results", "compare", "explain", "story"] as Tab[]).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                class={tab === t ? "active" : ""}
                onClick={() => setTab(t)}
              >
                {t[0]!.toUpperCase() + t.slice(1)}
              </button>
            ))}
          </div>
          {tab === "results" && (
            <div role="tabpanel">
              <div class="run-bar">
                <PatientsInput
                  value={patients}
                  scenarioPatients={model?.patients}
                  onInput={setPatients}
                  label="Patients to simulate"
                />
                <button
                  type="button"
                  data-testid="run"
                  onClick={startRun}
                  disabled={checked?.model == null || runState.status === "running"}
                >
                  Run
                </button>
                {runState.status === "running" && (
                  <>
                    <progress
                      max={Math.max(1, runState.total)}
                      value={runState.done}
                      aria-label="Simulation progress"
                    />
                    <button type="button" data-testid="cancel" onClick={() => runner.cancel()}>
                      Cancel
                    </button>
                  </>
                )}
                {runState.error && <span class="status">{runState.error}</span>}
              </div>
              {runState.status === "done" && runState.summary && runState.model && runState.charts && (
                <ResultsView summary={runState.summary} charts={runState.charts} ms={runState.ms ?? 0} />
              )}
            </div>
          )}
          {tab === "compare" && file && (
            <div role="tabpanel">
              <CompareView
                host={host}
                file={file}
                text={text}
                model={checked?.model ?? null}
                pool={pool}
                onVariant={() => refresh((n) => n + 1)}
              />
            </div>
          )}
          {tab === "explain" && model && (
            <div role="tabpanel">
              <ExplainView model={model} />
            </div>
          )}
          {tab === "story" && model && (
            <div role="tabpanel">
              <StoryView model={model} onReplay={setReplay} />
            </div>
          )}
        </section>
      </main>
    </div>
  );
}

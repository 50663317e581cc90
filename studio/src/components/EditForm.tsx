// The form for the values a quality team changes most: each failure mode's probability and
// detection, each microsystem's capacity and service time. An input applies on Enter or when it
// loses focus (change); the text of the scenario changes in place (comments kept) and everything
// downstream — the validator, the exact figures, the map — follows.
import type { Model } from "../api.js";
import type { FormEdit } from "../form-edit.js";
import { pct } from "../format.js";

export type { FormEdit };

interface Props {
  model: Model;
  /** The time of each microsystem as written in the file (e.g. "{ median: 25 min, p90: 35 min }"). */
  timeText: (id: string) => string;
  onEdit: (edit: FormEdit) => void;
  readOnly: boolean;
  focus: string | null;
}

function Field(props: {
  label: string;
  value: string;
  testId?: string;
  apply: (text: string) => void;
  readOnly: boolean;
  wide?: boolean;
  hint?: string;
}) {
  const commit = (input: HTMLInputElement) => {
    if (input.value.trim() !== props.value) props.apply(input.value.trim());
  };
  return (
    <label class={`field${props.wide ? " wide" : ""}`}>
      <span class="field-label">{props.label}</span>
      <input
        key={props.value}
        type="text"
        inputMode={props.wide ? "text" : "decimal"}
        defaultValue={props.value}
        data-testid={props.testId}
        readOnly={props.readOnly}
        title={props.hint}
        onChange={(e) => commit(e.currentTarget)}
        onKeyDown={(e) => {
          if (e.key === "Enter") commit(e.currentTarget);
        }}
      />
    </label>
  );
}

function modeRows(
  element: string,
  kind: FormEdit["kind"],
  failures: Model["microsystems"][number]["failures"],
  props: Props,
) {
  return failures.map((f) => (
    <div class="mode" key={f.id}>
      <div class="mode-name">
        {f.name}
        {f.name !== f.id && <span class="id"> {f.id}</span>}
        <span class="mode-defect">defect {pct(f.p * (1 - f.detect))}</span>
      </div>
      <Field
        label="p"
        value={String(f.p)}
        testId={`p:${element}#${f.id}`}
        hint="probability per visit or transfer: 0.05 or 5%"
        readOnly={props.readOnly}
        apply={(text) => props.onEdit({ element, kind, mode: f.id, field: "p", text })}
      />
      <Field
        label="caught"
        value={String(f.detect)}
        testId={`detect:${element}#${f.id}`}
        hint="probability that an occurrence is caught (a near miss)"
        readOnly={props.readOnly}
        apply={(text) => props.onEdit({ element, kind, mode: f.id, field: "detect", text })}
      />
    </div>
  ));
}

export function EditForm(props: Props) {
  const { model } = props;
  const names = new Map(model.microsystems.map((m) => [m.id, m.name]));
  return (
    <div class="edit-form">
      {model.microsystems.map((m) => (
        <fieldset key={m.id} class={props.focus === m.id ? "focus" : ""} id={`form-${m.id}`}>
          <legend>
            {m.name} <span class="id">{m.id}</span>
          </legend>
          <div class="row">
            <Field
              label="capacity"
              value={m.capacity === null ? "" : String(m.capacity)}
              testId={`capacity:${m.id}`}
              hint="patients served at once; empty = unlimited (applies with arrivals)"
              readOnly={props.readOnly}
              apply={(text) =>
                props.onEdit({ element: m.id, kind: "microsystem", mode: null, field: "capacity", text })
              }
            />
            <Field
              label="time"
              wide
              value={props.timeText(m.id)}
              testId={`time:${m.id}`}
              hint="30 min, { median: 30 min, p90: 60 min }, { mean: 2 h }, { min, mode, max }"
              readOnly={props.readOnly}
              apply={(text) =>
                props.onEdit({ element: m.id, kind: "microsystem", mode: null, field: "time", text })
              }
            />
          </div>
          {modeRows(m.id, "microsystem", m.failures, props)}
        </fieldset>
      ))}
      {model.handoffs
        .filter((h) => h.failures.length > 0)
        .map((h) => {
          const key = `${h.from}->${h.to}`;
          return (
            <fieldset key={key} class={props.focus === key ? "focus" : ""} id={`form-${key}`}>
              <legend>
                Handoff {names.get(h.from) ?? h.from} → {names.get(h.to) ?? h.to}
              </legend>
              {modeRows(key, "handoff", h.failures, props)}
            </fieldset>
          );
        })}
    </div>
  );
}

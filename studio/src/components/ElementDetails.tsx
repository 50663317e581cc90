// What a click on the map shows: the element's exact reliability and expected visits, its failure
// modes (probability, share caught, defect probability, consequence) and, after a run, what the
// simulation counted there.
import type { Exact, Model, RunSummary } from "../api.js";
import { pct } from "../format.js";
import { mapRunOf } from "./PathwayMap.js";

interface Props {
  element: string;
  model: Model;
  exact: Exact | null;
  summary: RunSummary | null;
  onEdit: () => void;
  onClose: () => void;
}

export function ElementDetails({ element, model, exact, summary, onEdit, onClose }: Props) {
  const names = new Map(model.microsystems.map((m) => [m.id, m.name]));
  const micro = model.microsystems.find((m) => m.id === element);
  const handoff = model.handoffs.find((h) => `${h.from}->${h.to}` === element);
  if (micro === undefined && handoff === undefined) return null;
  const failures = (micro ?? handoff)!.failures;
  const title = micro
    ? micro.name
    : `Handoff ${names.get(handoff!.from) ?? handoff!.from} → ${names.get(handoff!.to) ?? handoff!.to}`;
  const reliability = micro ? exact?.elements.microsystems[element] : exact?.elements.handoffs[element];
  const expected = micro ? exact?.visits[element] : exact?.transfers[element];
  const ran = micro
    ? summary?.microsystems.find((m) => m.id === element)
    : summary?.handoffs.find((h) => `${h.from}->${h.to}` === element);
  const counted = (mode: string) => {
    if (ran === undefined) return null;
    const n = ran.failures[mode] ?? 0;
    const caught = ran.caught[mode] ?? 0;
    return `${n - caught} defects, ${caught} caught`;
  };
  return (
    <section class="element-details" aria-label={`Details: ${title}`} data-testid="element-details">
      <header>
        <h2>{title}</h2>
        <button type="button" onClick={onEdit}>
          Edit its values
        </button>
        <button type="button" onClick={onClose} aria-label="Close the details">
          ✕
        </button>
      </header>
      <p>
        Exact reliability per {micro ? "visit" : "transfer"}: <strong>{pct(reliability)}</strong> · expected{" "}
        {micro ? "visits" : "transfers"} per journey: {expected === undefined ? "—" : expected.toFixed(2)}
        {micro && summary ? ` · last run: ${mapRunOf(summary).lines[element]?.join(" · ") ?? ""}` : ""}
      </p>
      {failures.length === 0 ? (
        <p class="quiet">No failure modes.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">Failure mode</th>
              <th scope="col" class="num">
                p
              </th>
              <th scope="col" class="num">
                Caught
              </th>
              <th scope="col" class="num">
                Defect
              </th>
              <th scope="col">Consequence</th>
              {ran && <th scope="col">Last run</th>}
            </tr>
          </thead>
          <tbody>
            {failures.map((f) => (
              <tr key={f.id}>
                <th scope="row">
                  {f.name} <span class="id">{f.id}</span>
                  {f.classes && <span class="quiet"> ({f.classes.join(", ")})</span>}
                </th>
                <td class="num">{pct(f.p)}</td>
                <td class="num">{pct(f.detect)}</td>
                <td class="num">{pct(f.p * (1 - f.detect))}</td>
                <td>
                  {[
                    f.delay ? "delay" : null,
                    f.harm !== 1 ? `risk ×${f.harm}` : null,
                    f.drop ? "ends the journey" : null,
                    f.goto ? `goes to ${names.get(f.goto) ?? f.goto}` : null,
                  ]
                    .filter((x) => x !== null)
                    .join(", ") || "—"}
                </td>
                {ran && <td>{counted(f.id)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

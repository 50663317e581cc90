// The reliability cascade, exact, as you type: the share of patients still defect-free after each
// step and handoff of the main path (the most common route of the largest class). The run's
// cascade chart shows the same line beside the simulation; this one follows every edit.
import type { Exact, Model } from "../api.js";
import { pct } from "../format.js";

export function ExactCascade({ exact, model }: { exact: Exact | null; model: Model }) {
  const steps = exact?.cascade ?? [];
  if (steps.length === 0) return null;
  const names = new Map(model.microsystems.map((m) => [m.id, m.name]));
  const label = (s: (typeof steps)[number]) =>
    s.kind === "microsystem"
      ? (names.get(s.element) ?? s.element)
      : `→ ${names.get(s.element.split("->")[1] ?? "") ?? s.element}`;
  const w = 100 / steps.length;
  const last = steps.at(-1)!;
  return (
    <figure class="exact-cascade" aria-label="Exact reliability cascade along the main path">
      <figcaption>
        Still defect-free along the main path, exact: <strong>{pct(last.cumulative)}</strong> at its end
      </figcaption>
      <svg
        viewBox="0 0 100 30"
        preserveAspectRatio="none"
        role="img"
        aria-label={steps.map((s) => `${label(s)} ${pct(s.cumulative)}`).join(", ")}
      >
        {steps.map((s, i) => (
          <rect
            key={`${s.kind}:${s.element}`}
            class={s.kind}
            x={i * w + w * 0.1}
            y={30 - 30 * s.cumulative}
            width={w * 0.8}
            height={30 * s.cumulative}
          >
            <title>{`${label(s)}: ${pct(s.reliability)} of this step goes right; ${pct(s.cumulative)} still defect-free`}</title>
          </rect>
        ))}
      </svg>
    </figure>
  );
}

// One patient's journey, told as `handoff-sim story` tells it and replayed step by step on the
// map: the patient moves through the units, each defect is marked where it happened — the
// "memorable patient" a teacher tells. The same patient number is the same patient as in a run.
import { useEffect, useState } from "preact/hooks";
import { type Model, story, tellStory } from "../api.js";
import type { MapReplay } from "./PathwayMap.js";

type Found = ReturnType<typeof story>;
type Find = "defect" | "drop" | "death" | "near-miss" | "smooth";

interface Step {
  where: string;
  what: string;
  defect: boolean;
}

/** The steps of a story, from the library's journey events. */
function stepsOf(found: Found): Step[] {
  return found.record.events
    .filter((e) => e.where !== "journey" || e.event !== "start")
    .map((e) => ({
      where: e.where,
      what: `${e.where === "journey" ? "" : `${e.where}: `}${e.event}${e.detail ? ` (${e.detail})` : ""}`,
      defect: e.event === "defect",
    }));
}

export function StoryView({ model, onReplay }: { model: Model; onReplay: (r: MapReplay | null) => void }) {
  const [patient, setPatient] = useState("0");
  const [find, setFind] = useState<Find | "">("defect");
  const [found, setFound] = useState<Found | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [step, setStep] = useState(0);
  const [playing, setPlaying] = useState(false);
  const steps = found === null ? [] : stepsOf(found);

  const tell = () => {
    try {
      const f = story(model, { patient: Number(patient) || 0, find: find === "" ? undefined : find });
      setFound(f);
      setStep(0);
      setError(null);
    } catch (e) {
      setFound(null);
      setError(e instanceof Error ? e.message : String(e));
    }
  };

  useEffect(() => {
    if (found === null) return onReplay(null);
    const upTo = steps.slice(0, step + 1);
    onReplay({
      at: steps[step]?.where ?? null,
      visited: new Set(upTo.map((s) => s.where)),
      defects: new Set(upTo.filter((s) => s.defect).map((s) => s.where)),
    });
  }, [found, step]);
  useEffect(() => () => onReplay(null), []);
  useEffect(() => {
    if (!playing) return;
    if (step >= steps.length - 1) return setPlaying(false);
    const t = setTimeout(() => setStep((s) => s + 1), 700);
    return () => clearTimeout(t);
  }, [playing, step]);

  return (
    <div class="story">
      <div class="run-bar">
        <label>
          From patient{" "}
          <input
            type="text"
            inputMode="numeric"
            value={patient}
            onInput={(e) => setPatient(e.currentTarget.value)}
          />
        </label>
        <label>
          find{" "}
          <select value={find} onChange={(e) => setFind(e.currentTarget.value as Find | "")}>
            <option value="">this patient</option>
            <option value="defect">a defect</option>
            <option value="drop">lost to follow-up</option>
            <option value="death">a death</option>
            <option value="near-miss">a near miss</option>
            <option value="smooth">a smooth journey</option>
          </select>
        </label>
        <button type="button" data-testid="tell-story" onClick={tell}>
          Tell the story
        </button>
      </div>
      {error && <p class="status">{error}</p>}
      {found && (
        <>
          <div class="run-bar" role="toolbar" aria-label="Replay">
            <button type="button" onClick={() => setStep((s) => Math.max(0, s - 1))} disabled={step === 0}>
              ◀ Back
            </button>
            <button type="button" onClick={() => setPlaying((p) => !p)}>
              {playing ? "Pause" : "Play"}
            </button>
            <button
              type="button"
              onClick={() => setStep((s) => Math.min(steps.length - 1, s + 1))}
              disabled={step >= steps.length - 1}
            >
              Next ▶
            </button>
            <span class="status" aria-live="polite" data-testid="story-step">
              Step {step + 1} of {steps.length}: {steps[step]?.what}
            </span>
          </div>
          <ol class="steps">
            {steps.map((s, i) => (
              <li key={`${i}-${s.what}`} class={`${i === step ? "current" : ""}${s.defect ? " defect" : ""}`}>
                <button type="button" class="link" onClick={() => setStep(i)}>
                  {s.what}
                </button>
              </li>
            ))}
          </ol>
          <h3>The story</h3>
          <pre data-testid="story-text">{tellStory(found)}</pre>
        </>
      )}
    </div>
  );
}

// One patient's journey, told as `handoff-sim story` tells it and replayed step by step on the
// map: the patient moves through the units, each defect is marked where it happened — the
// "memorable patient" a teacher tells. The same patient number is the same patient as in a run.

import { useEffect, useState } from "preact/hooks";
import {
  type FindKind,
  formatDuration,
  type JourneyEvent,
  type Model,
  type Story,
  story,
  tellStory,
} from "../api.js";
import type { MapReplay } from "./PathwayMap.js";
import { ScrollBox } from "./ScrollBox.js";

type Found = Story;
type Find = FindKind;

interface Step {
  /** Where the patient is: a microsystem id or a handoff key. */
  where: string;
  what: string;
  defect: boolean;
}

/** One journey event in words, for the step list (the full story is tellStory's). */
function describe(e: JourneyEvent, found: Found, t0: number): string {
  const place = (id: string) => found.places.find((p) => p.id === id);
  const at = place(e.element)?.name ?? e.element;
  const mode = (id: string) => place(e.element)?.modes.find((m) => m.id === id)?.name ?? id;
  const when = `+${formatDuration(e.time - t0)}`;
  switch (e.kind) {
    case "start":
      return `${when} starts at ${at}`;
    case "arrive":
      return `${when} arrives at ${at}`;
    case "off_hours_delay":
      return `${when} outside staffed hours: ${formatDuration(e.delay)} for the on-call team`;
    case "service_start":
      return `${when} care starts${e.wait > 0 ? ` after waiting ${formatDuration(e.wait)}` : ""}`;
    case "near_miss":
      return `${when} near miss at ${at}: ${mode(e.mode)} (caught)`;
    case "defect": {
      const effects = [
        e.delay > 0 ? `+${formatDuration(e.delay)}` : null,
        e.harm !== 1 ? `risk ×${e.harm}` : null,
        e.drop ? "lost to follow-up" : null,
        e.goto !== null ? `sent to ${place(e.goto)?.name ?? e.goto}` : null,
      ].filter((x) => x !== null);
      return `${when} DEFECT at ${at}: ${mode(e.mode)}${effects.length > 0 ? ` (${effects.join(", ")})` : ""}`;
    }
    case "end":
      return `${when} leaves ${at}`;
    case "blocked":
      return `${when} care over, but no place yet in ${place(e.to)?.name ?? e.to}: keeps its place at ${at}`;
    case "reneged":
      return `${when} waited ${formatDuration(e.wait)} at ${at} and left the queue${e.goto === null ? "" : ` for ${place(e.goto)?.name ?? e.goto}`}`;
    case "handoff":
      return `${when} handoff ${at}`;
    case "death":
      return `${when} dies within 30 days${e.milestone === null ? "" : ` (drawn at ${e.milestone}: the journey ends here)`}`;
    case "finish":
      return `${when} journey over: ${e.ending}, ${e.defects} defect${e.defects === 1 ? "" : "s"}`;
  }
}

/** The steps of a story, from the library's typed journey events. */
function stepsOf(found: Found): Step[] {
  const t0 = found.events[0]?.time ?? 0;
  return found.events.map((e) => ({
    where: e.element,
    what: describe(e, found, t0),
    defect: e.kind === "defect" || e.kind === "reneged",
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
          <ScrollBox label="The patient's story">
            <pre data-testid="story-text">{tellStory(found)}</pre>
          </ScrollBox>
        </>
      )}
    </div>
  );
}

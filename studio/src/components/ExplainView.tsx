// The reliability math told step by step (what `handoff-sim explain` prints): each step's and each
// handoff's chance of going right, multiplied along the journey — for a teacher to walk through.
// Exact only (no simulation), so it follows every edit at once.

import { useEffect, useState } from "preact/hooks";
import { explain, explanationText, type Model } from "../api.js";
import { ScrollBox } from "./ScrollBox.js";

export function ExplainView({ model }: { model: Model }) {
  const [text, setText] = useState<string>("");
  useEffect(() => {
    let current = true;
    explain(model, { simulate: false })
      .then((x) => current && setText(explanationText(x)))
      .catch(
        (error: unknown) =>
          current &&
          setText(`No exact explanation: ${error instanceof Error ? error.message : String(error)}`),
      );
    return () => {
      current = false;
    };
  }, [model]);
  return (
    <div class="explain">
      <p class="meta">Exact arithmetic, no random numbers: it follows every edit at once.</p>
      <ScrollBox label="The reliability math, step by step">
        <pre data-testid="explain-text">{text}</pre>
      </ScrollBox>
    </div>
  );
}

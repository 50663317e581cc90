// The reliability math told step by step (what `handoff-sim explain` prints): each step's and each
// handoff's chance of going right, multiplied along the journey — for a teacher to walk through.
import { useMemo } from "preact/hooks";
import { explain, type Model } from "../api.js";

export function ExplainView({ model }: { model: Model }) {
  const text = useMemo(() => {
    try {
      return String(explain(model));
    } catch (error) {
      return `No explanation: ${error instanceof Error ? error.message : String(error)}`;
    }
  }, [model]);
  return (
    <div class="explain">
      <p class="meta">Exact arithmetic, no random numbers: it follows every edit at once.</p>
      <pre data-testid="explain-text">{text}</pre>
    </div>
  );
}

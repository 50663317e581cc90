// The pathway map: microsystems as nodes, handoffs as edges, laid out by dagre (a layered graph
// layout), each coloured by its exact per-visit reliability and labelled with it in words too (colour
// is never the only signal). Nodes are buttons: click or Enter shows their failure modes; hover
// (or focus) shows waits and utilisation once a run has them. During a story replay the patient is
// a marker on the map and each defect marks the node or handoff where it happened.
import { Graph, layout } from "@dagrejs/dagre";
import { useMemo, useState } from "preact/hooks";
import {
  type Exact,
  formatCount,
  formatDuration,
  formatDurationEstimate,
  formatPercentEstimate,
  type Model,
  type RunSummary,
} from "../api.js";
import { pct, utilizationDecimals } from "../format.js";

export interface MapRun {
  /** Per microsystem id: what the last run measured there, one line each (the hover's text). */
  lines: Record<string, string[]>;
  /** Per microsystem id with a capacity: its mean wait, for the node's own label. */
  wait: Record<string, string>;
}

/**
 * What a run measured at each microsystem, as the hover says it: waits and utilisation with their
 * 95% intervals, other patients' share, the shared resource it uses, blocked time, patients who left
 * the queue, and the run's warnings about it — all from the run's summary, in the reports' wording.
 */
export function mapRunOf(s: RunSummary): MapRun {
  const lines: MapRun["lines"] = {};
  const wait: MapRun["wait"] = {};
  const resources = new Map((s.resources ?? []).map((r) => [r.id, r]));
  // As the table of microsystems: the decimals that tell the utilisations (and their ends) apart.
  const util = utilizationDecimals(s);
  for (const m of s.microsystems) {
    const out: string[] = [];
    if (m.visits === 0) out.push("not visited in the last run");
    else {
      out.push(
        `wait mean ${formatDurationEstimate(m.wait.mean, m.wait.ci95)}, p90 ${formatDurationEstimate(m.wait.p90, m.wait.p90_ci95)}`,
      );
      if (m.utilization === null) out.push("utilisation: no capacity limit");
      else {
        const others =
          m.background_utilization == null ? "" : `, ${pct(m.background_utilization, 0)} by other patients`;
        out.push(`utilisation ${formatPercentEstimate(m.utilization, m.utilization_ci95, util)}${others}`);
        wait[m.id] = formatDuration(m.wait.mean);
      }
    }
    const pool = m.uses == null ? undefined : resources.get(m.uses);
    if (pool !== undefined)
      out.push(
        `shares ${pool.name}${pool.utilization === null ? "" : ` (${pct(pool.utilization, 0)} busy)`}`,
      );
    const b = m.blocked ?? null;
    if (b !== null)
      out.push(
        `blocked after care: mean ${formatDuration(b.mean)}, p90 ${formatDuration(b.p90)}, ${pct(b.share, 0)} of stays`,
      );
    if ((m.reneged ?? 0) > 0)
      out.push(`${formatCount(m.reneged ?? 0)} left the queue after waiting too long`);
    for (const w of s.warnings ?? []) if (w.microsystem === m.id) out.push(`warning: ${w.message}`);
    lines[m.id] = out;
  }
  return { lines, wait };
}

export interface MapReplay {
  /** Where the patient is now: a microsystem id or a handoff key. */
  at: string | null;
  visited: Set<string>;
  defects: Set<string>;
}

interface Props {
  model: Model;
  exact: Exact | null;
  selected: string | null;
  onSelect: (element: string) => void;
  run?: MapRun | null;
  replay?: MapReplay | null;
}

const NODE_W = 128;
const NODE_H = 54;

/** Reliability → fill: the same four bands everywhere, with dark text on all of them (contrast). */
export function reliabilityColor(r: number | null | undefined): string {
  if (r === null || r === undefined) return "#e8ecf0";
  if (r >= 0.99) return "#cfe8d5";
  if (r >= 0.9) return "#f6e7b4";
  if (r >= 0.75) return "#f7cfa6";
  return "#f2b8b5";
}

interface Laid {
  nodes: { id: string; name: string; x: number; y: number }[];
  edges: { key: string; from: string; to: string; points: { x: number; y: number }[] }[];
  /** A handoff's failure that sends the patient elsewhere (goto): drawn dashed, from the handoff's start. */
  detours: { key: string; points: { x: number; y: number }[] }[];
  width: number;
  height: number;
}

function layOut(model: Model): Laid {
  const g = new Graph();
  g.setGraph({ rankdir: "LR", nodesep: 18, ranksep: 40, marginx: 8, marginy: 8 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const m of model.microsystems) g.setNode(m.id, { width: NODE_W, height: NODE_H });
  for (const h of model.handoffs) g.setEdge(h.from, h.to, { width: 44, height: 16, labelpos: "c" });
  const detourKeys = new Set<string>();
  for (const h of model.handoffs)
    for (const f of h.failures)
      if (f.goto !== null && !g.hasEdge(h.from, f.goto)) {
        g.setEdge(h.from, f.goto, { width: 10, height: 10 });
        detourKeys.add(`${h.from}->${f.goto}`);
      }
  layout(g);
  const nodes = model.microsystems.map((m) => {
    const n = g.node(m.id) as { x: number; y: number };
    return { id: m.id, name: m.name, x: n.x, y: n.y };
  });
  const edges = model.handoffs.map((h) => {
    const e = g.edge(h.from, h.to) as { points: { x: number; y: number }[] };
    return { key: `${h.from}->${h.to}`, from: h.from, to: h.to, points: e.points };
  });
  const detours = [...detourKeys].map((key) => {
    const [from, to] = key.split("->") as [string, string];
    return { key, points: (g.edge(from, to) as { points: { x: number; y: number }[] }).points };
  });
  const graph = g.graph() as { width?: number; height?: number };
  return { nodes, edges, detours, width: graph.width ?? 400, height: graph.height ?? 200 };
}

function path(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ");
}

/** Characters of a node's name per line (bold 12 px DejaVu Sans in a 128 px box). */
const LINE = 17;

/** Splits a name into at most two lines that fit a node. */
function twoLines(name: string): string[] {
  if (name.length <= LINE) return [name];
  const words = name.split(/\s+/);
  let first = "";
  while (words.length > 0 && `${first} ${words[0]}`.trim().length <= LINE)
    first = `${first} ${words.shift()}`.trim();
  if (first === "") return [`${name.slice(0, LINE - 1)}…`];
  const rest = words.join(" ");
  return [first, rest.length > LINE ? `${rest.slice(0, LINE - 1)}…` : rest].filter((x) => x !== "");
}

/** Enter or Space on a focused node or handoff: what a click does. */
function activate(ev: KeyboardEvent, action: () => void): void {
  if (ev.key !== "Enter" && ev.key !== " ") return;
  ev.preventDefault();
  action();
}

export function PathwayMap({ model, exact, selected, onSelect, run, replay }: Props) {
  // The layout depends only on the graph's shape, not on the numbers being edited.
  const shape = `${model.microsystems.map((m) => `${m.id}:${m.name}`).join(",")}|${model.handoffs.map((h) => `${h.from}->${h.to}`).join(",")}`;
  const laid = useMemo(() => layOut(model), [shape]);
  // The microsystem under the pointer or the keyboard focus: its hover card says what it measured.
  const [hovered, setHovered] = useState<string | null>(null);
  const elements = exact?.elements;
  const failureCount = (id: string) => model.microsystems.find((m) => m.id === id)?.failures.length ?? 0;
  return (
    <div class="map-wrap">
      {/* biome-ignore lint/a11y/useSemanticElements: an SVG drawing of buttons; a fieldset cannot hold SVG */}
      <svg
        class="pathway-map"
        data-testid="pathway-map"
        viewBox={`0 0 ${laid.width} ${laid.height}`}
        // A small pathway is not blown up to the whole width: at most 1.4 times its laid-out size.
        style={{ maxWidth: `${Math.round(laid.width * 1.4)}px` }}
        role="group"
        aria-label="Pathway map: microsystems and the handoffs between them, coloured by exact reliability"
      >
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="7"
            markerHeight="7"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#5f6b76" />
          </marker>
        </defs>
        {laid.detours.map((d) => (
          <g key={d.key} class="edge detour">
            <title>{`${d.key.replace("->", " → ")}: where a handoff failure sends the patient instead`}</title>
            <path d={path(d.points)} marker-end="url(#arrow)" />
          </g>
        ))}
        {laid.edges.map((e) => {
          const r = elements?.handoffs[e.key];
          const mid = e.points[Math.floor(e.points.length / 2)]!;
          const hasModes =
            (model.handoffs.find((h) => `${h.from}->${h.to}` === e.key)?.failures.length ?? 0) > 0;
          const active = replay?.at === e.key;
          return (
            <g
              key={e.key}
              class={`edge${selected === e.key ? " selected" : ""}${active ? " active" : ""}${replay?.defects.has(e.key) ? " defect" : ""}`}
              data-handoff={e.key}
            >
              <path d={path(e.points)} marker-end="url(#arrow)" />
              {hasModes && (
                // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
                <g
                  class="edge-label"
                  role="button"
                  tabindex={0}
                  aria-label={`${pct(r, 0)}: handoff ${e.from} to ${e.to}, exact reliability ${pct(r)} per transfer`}
                  onClick={() => onSelect(e.key)}
                  onKeyDown={(ev) => activate(ev, () => onSelect(e.key))}
                  transform={`translate(${mid.x},${mid.y})`}
                >
                  <title>{`${e.from} → ${e.to}: ${pct(r)} per transfer`}</title>
                  <rect x={-24} y={-10} width={48} height={20} rx={4} fill={reliabilityColor(r)} />
                  <text y={4} text-anchor="middle">
                    {pct(r, 0)}
                  </text>
                </g>
              )}
            </g>
          );
        })}
        {laid.nodes.map((n) => {
          const r = elements?.microsystems[n.id];
          const measured = run?.lines[n.id];
          const wait = run?.wait[n.id];
          const lines = twoLines(n.name);
          const here = replay?.at === n.id;
          const tip = [
            `${n.name}: exact reliability ${pct(r)} per visit`,
            `${failureCount(n.id)} failure modes`,
            ...(measured ?? ["run to see waits and utilisation"]),
          ].join("\n");
          // The accessible name starts with the text the box shows (WCAG 2.5.3, label in name).
          const figure = `${pct(r)}${wait === undefined ? "" : ` · wait ${wait}`}`;
          const shown = `${lines.join(" ")} ${figure}`;
          const label = [
            `${shown}${lines.join(" ") === n.name ? "" : ` (${n.name})`}: exact reliability per visit`,
            `${failureCount(n.id)} failure modes`,
            ...(replay?.defects.has(n.id) ? ["a defect happened here"] : []),
            ...(measured ?? []),
          ].join("; ");
          return (
            // biome-ignore lint/a11y/useSemanticElements: an SVG group cannot be a <button>
            <g
              key={n.id}
              class={`node${selected === n.id ? " selected" : ""}${here ? " active" : ""}${replay?.visited.has(n.id) ? " visited" : ""}${replay?.defects.has(n.id) ? " defect" : ""}`}
              data-microsystem={n.id}
              role="button"
              tabindex={0}
              aria-label={label}
              aria-pressed={selected === n.id}
              transform={`translate(${n.x - NODE_W / 2},${n.y - NODE_H / 2})`}
              onClick={() => onSelect(n.id)}
              onKeyDown={(ev) => activate(ev, () => onSelect(n.id))}
              onMouseEnter={() => setHovered(n.id)}
              onMouseLeave={() => setHovered((h) => (h === n.id ? null : h))}
              onFocus={() => setHovered(n.id)}
              onBlur={() => setHovered((h) => (h === n.id ? null : h))}
            >
              <title>{tip}</title>
              <rect width={NODE_W} height={NODE_H} rx={8} fill={reliabilityColor(r)} />
              {lines.map((line, i) => (
                <text
                  key={line}
                  x={NODE_W / 2}
                  y={lines.length === 1 ? 24 : 18 + i * 15}
                  text-anchor="middle"
                  class="name"
                >
                  {/* The space keeps the words apart in the box's text (its accessible name). */}
                  {`${line} `}
                </text>
              ))}
              <text x={NODE_W / 2} y={NODE_H - 9} text-anchor="middle" class="figure">
                {figure}
              </text>
              {replay?.defects.has(n.id) && (
                <text x={NODE_W - 12} y={16} text-anchor="middle" class="defect-mark">
                  ✕
                </text>
              )}
              {here && <circle class="patient" cx={NODE_W / 2} cy={-1} r={7} />}
            </g>
          );
        })}
      </svg>
      <MapHover
        name={laid.nodes.find((n) => n.id === hovered)?.name ?? null}
        lines={hovered === null ? null : (run?.lines[hovered] ?? ["run to see its waits and utilisation"])}
      />
    </div>
  );
}

/** The hover card under the map: the hovered microsystem's measured figures (or how to see them). */
function MapHover({ name, lines }: { name: string | null; lines: string[] | null }) {
  return (
    <p class="map-hover" data-testid="map-hover" aria-live="polite">
      {name === null || lines === null ? (
        <span class="quiet">
          Point at or Tab to a microsystem for its waits and utilisation after a run; Enter or click for its
          failure modes.
        </span>
      ) : (
        <>
          <strong>{name}</strong>: {lines.join(" · ")}
        </>
      )}
    </p>
  );
}

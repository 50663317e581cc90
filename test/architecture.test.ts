// The dependency rules of docs/architecture.md, checked on every import in src/: data flows one
// way (scenario → model → engine → tallies → results → reports), the engine knows no medicine,
// the model knows no files, reports know only results, the command line holds no logic, and
// nothing browser-safe reaches for Node.
import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";
import { describe, expect, it } from "vitest";

interface Import {
  file: string;
  /** The imported module: "src/…" for ours (without .js), else the package or built-in name. */
  target: string;
  typeOnly: boolean;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

const IMPORT = /^(?:import|export)\s+(type\s+)?(?:[^"';]*?\sfrom\s+)?"([^"]+)";/gm;

function importsOf(file: string): Import[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(IMPORT)].map((m) => {
    const spec = m[2]!;
    const target = spec.startsWith(".")
      ? normalize(join(dirname(file), spec)).replace(/\.js$/, "")
      : spec
          .split("/")
          .slice(0, spec.startsWith("@") ? 2 : 1)
          .join("/");
    return { file, target, typeOnly: m[1] !== undefined };
  });
}

const ALL = sources("src").flatMap(importsOf);
const layer = (path: string): string => {
  const parts = relative("src", path).split("/");
  return parts.length === 1 ? parts[0]!.replace(/\.ts$/, "") : parts[0]!;
};
const ours = (i: Import): boolean => i.target.startsWith("src/");
const from = (l: string): Import[] => ALL.filter((i) => layer(i.file) === l);
const show = (list: Import[]): string[] =>
  list.map((i) => `${i.file} → ${i.target}${i.typeOnly ? " (type)" : ""}`);

describe("architecture (docs/architecture.md)", () => {
  it("finds the imports it checks", () => {
    expect(ALL.length).toBeGreaterThan(300);
    expect(from("report").some((i) => i.target === "src/analysis/summary")).toBe(true);
  });

  it("the engine imports only itself (and seedrandom): no medicine, no model", () => {
    const bad = from("engine").filter((i) =>
      ours(i) ? layer(i.target) !== "engine" : i.target !== "seedrandom",
    );
    expect(show(bad)).toEqual([]);
  });

  it("the model imports only the engine and itself: no analysis, no files, no reports", () => {
    const bad = from("model").filter((i) => !ours(i) || !["engine", "model"].includes(layer(i.target)));
    expect(show(bad)).toEqual([]);
  });

  it("the scenario format builds the model's spec and applies its rules, nothing else of it", () => {
    // The workload estimate: a valid scenario whose run could never finish is refused at loading.
    const allowed = new Set(["src/model/spec", "src/model/rules", "src/model/workload"]);
    const bad = from("scenario").filter((i) =>
      ours(i)
        ? layer(i.target) !== "scenario" && !allowed.has(i.target)
        : !["yaml", "zod"].includes(i.target),
    );
    expect(show(bad)).toEqual([]);
  });

  it("analysis uses the model and the engine, never files, reports or threads", () => {
    // And the changes between two models in the scenario file's words (what `compare` lists).
    const bad = from("analysis").filter((i) =>
      ours(i)
        ? !["engine", "model", "analysis", "version"].includes(layer(i.target)) &&
          i.target !== "src/scenario/changes"
        : i.target !== "simple-statistics",
    );
    expect(show(bad)).toEqual([]);
  });

  it("reports read results and event types only: no driver, no replay, no model, no files", () => {
    // Values a report may import: the one formatting module's calendar, the IHI levels and the
    // flat figures of a run (pure functions of results). Everything else from analysis/ and
    // model/ only as types (results, events, stories).
    const values = new Set([
      "src/model/calendar",
      "src/analysis/ihi",
      "src/analysis/figures",
      "src/engine/records",
    ]);
    const types = new Set([
      "src/analysis/summary",
      "src/analysis/compare",
      "src/analysis/sensitivity",
      "src/analysis/explain-data",
      "src/analysis/analytic",
      "src/model/events",
      "src/model/story",
    ]);
    const bad = from("report").filter((i) => {
      if (!ours(i)) return !["vega", "vega-lite"].includes(i.target);
      if (layer(i.target) === "report") return false;
      return !(values.has(i.target) || (i.typeOnly && types.has(i.target)));
    });
    expect(show(bad)).toEqual([]);
  });

  it("the command line calls the public API (src/node.ts) and nothing beneath it", () => {
    const bad = from("cli").filter((i) =>
      ours(i)
        ? layer(i.target) !== "cli" && i.target !== "src/node"
        : !(i.target.startsWith("node:") || ["commander", "cli-progress"].includes(i.target)),
    );
    expect(show(bad)).toEqual([]);
  });

  it("only src/node/, src/node.ts and the command line import Node built-ins or piscina", () => {
    const node = (i: Import): boolean => i.target.startsWith("node:") || i.target === "piscina";
    const bad = ALL.filter((i) => node(i) && !["node", "cli"].includes(layer(i.file)));
    expect(show(bad)).toEqual([]);
    // …and no file outside them touches process or Buffer.
    const globals = sources("src")
      .filter((f) => !["node", "cli"].includes(layer(f)))
      .filter((f) =>
        /\b(process\.|Buffer\b)/.test(readFileSync(f, "utf8").replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "")),
      );
    expect(globals).toEqual([]);
  });

  it("src/index.ts reaches nothing of the node side or the command line", () => {
    const seen = new Set<string>();
    const walk = (module: string): void => {
      if (seen.has(module)) return;
      seen.add(module);
      for (const i of importsOf(`${module}.ts`)) if (ours(i) && !i.typeOnly) walk(i.target);
    };
    walk("src/index");
    expect([...seen].filter((m) => ["node", "cli"].includes(layer(m)) || m === "src/node")).toEqual([]);
  });
});

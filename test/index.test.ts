// src/index.ts is the browser-safe library: bundled for the browser, no Node built-in may be reachable
// from it, and the bundle must work where there is no `process`, `Buffer`, `require` or
// `setImmediate` — here a bare JavaScript context with only what every browser has.
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { build, type Metafile } from "esbuild";
import { describe, expect, it } from "vitest";
import { run } from "../src/analysis/run.js";
import * as library from "../src/index.js";
import { loadScenarioFile } from "../src/node/load.js";

const NODE_BUILTINS =
  /^(node:|fs|path|crypto|os|worker_threads|child_process|module|url|util|stream|events|timers|zlib|buffer|process)(\/|$)/;

async function bundle(): Promise<{ code: string; metafile: Metafile }> {
  const result = await build({
    entryPoints: ["src/index.ts"],
    bundle: true,
    platform: "browser",
    format: "iife",
    globalName: "handoffSim",
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  return { code: result.outputFiles[0]!.text, metafile: result.metafile };
}

/** What a page has: the language, plus the few web APIs the library uses. Nothing of Node. */
function browserGlobals(): Record<string, unknown> {
  return {
    TextEncoder,
    TextDecoder,
    setTimeout,
    clearTimeout,
    queueMicrotask,
    performance,
    structuredClone,
    DOMException,
    AbortController,
    AbortSignal,
    console,
  };
}

describe("the browser bundle of src/index.ts", () => {
  it("reaches no Node built-in and no node-only module of ours", async () => {
    // esbuild refuses to resolve node:* and fs, path… for the browser platform: the build would throw.
    const { metafile } = await bundle();
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.filter((f) => NODE_BUILTINS.test(f))).toEqual([]);
    expect(inputs.filter((f) => /^src\/(node|cli)(\/|\.ts$)/.test(f))).toEqual([]);
    const imports = Object.values(metafile.inputs).flatMap((i) => i.imports.map((x) => x.path));
    expect(imports.filter((p) => NODE_BUILTINS.test(p))).toEqual([]);
  });

  it("parses, solves, simulates and tells a story without process, Buffer, require or setImmediate", async () => {
    const { code } = await bundle();
    const sandbox: Record<string, unknown> = browserGlobals();
    runInNewContext(code, sandbox);
    const lib = sandbox.handoffSim as typeof library;
    for (const name of ["process", "Buffer", "require", "setImmediate", "global"]) {
      expect(runInNewContext(`typeof ${name}`, sandbox), name).toBe("undefined");
    }
    // A variant that `extends` the baseline, with the files handed over in memory.
    const files: Record<string, string> = {
      "scenarios/ami-baseline.yaml": readFileSync("scenarios/ami-baseline.yaml", "utf8"),
    };
    const resolve = (path: string): string => {
      const text = files[path];
      if (text === undefined) throw new Error("not open");
      return text;
    };
    const model = lib.parseScenario(readFileSync("scenarios/ami-ipass.yaml", "utf8"), {
      name: "scenarios/ami-ipass.yaml",
      resolve,
    });
    expect(model).toEqual((await loadScenarioFile("scenarios/ami-ipass.yaml")).model);
    expect(lib.exact(model).reliability).toBeCloseTo(library.exact(model).reliability!, 15);
    // The same figures as in Node, yielding between units without setImmediate.
    const inBrowser = await lib.run(model, { patients: 3000 });
    const inNode = await run(model, { patients: 3000 });
    expect({ ...inBrowser, wall_ms: 0 }).toEqual({ ...inNode, wall_ms: 0 });
    const story = lib.story(model, { patient: 3, patients: 3000 });
    expect(lib.tellStory(story)).toBe(
      library.tellStory(library.story(model, { patient: 3, patients: 3000 })),
    );
    expect(Object.keys(lib.runChartSpecs(inBrowser)).length).toBeGreaterThan(0);
    // Bad input is a located ScenarioError, and an abort rejects the run.
    const checked = lib.checkScenario("name: x\nmicrosystems: [{ id: ed, time: -1 }]\n", { name: "x.yaml" });
    expect(checked.model).toBeNull();
    expect(checked.findings[0]).toMatchObject({ file: "x.yaml", line: 2, path: "microsystems[0].time" });
    const controller = new AbortController();
    controller.abort();
    await expect(lib.run(model, { signal: controller.signal })).rejects.toMatchObject({ name: "AbortError" });
  });
});

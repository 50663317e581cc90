// Bundles the command line into one file, dist/bundle/cli/handoff-sim.js (run by
// bin/handoff-sim.js), and the worker thread's task into dist/bundle/cli/worker.js (what the
// bundle's worker pool starts) and the traced run's thread into dist/bundle/cli/trace-worker.js. Every output file sits at the depth of dist/src/cli/, and chunks
// beside the entries: the command line finds the studio's files, the bundled scenario and the
// worker by paths relative to its own file (src/cli/studio.ts, src/node/pool.ts), so those paths
// hold from the bundle as from the compiled sources.
//
// Why: Node's ES module loader pays per file — resolving, reading, compiling — and the command
// line reaches about 200 files (the library, zod, yaml, commander…), charts another 60 (vega and
// its d3 parts). One file starts in a fraction of the time (`npm run bench` measures `--version`,
// a small `run --no-charts` and the charts); each worker thread starts faster too. With code
// splitting, vega and vega-lite (a dynamic import in src/report/render.ts) become a chunk of their
// own, loaded only when charts are drawn; code both entries share becomes a shared chunk. piscina
// stays outside because it starts its threads from its own files. The library itself (dist/src,
// the package's "." and "./node") is not bundled.
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: {
    "handoff-sim": "src/cli/entry.ts",
    worker: "src/node/worker.ts",
    // A traced run's thread (src/node/trace-run.ts starts it by this name).
    "trace-worker": "src/node/trace-worker.ts",
  },
  outdir: "dist/bundle/cli",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  splitting: true,
  chunkNames: "[name]-[hash]",
  external: ["piscina"],
  // Bundled CommonJS packages (commander, cli-progress) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
  },
  logLevel: "warning",
});

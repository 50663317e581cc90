// Builds the studio (the simulator in a browser) with esbuild:
//   node studio/build.mjs                 → dist/studio/   (served by `handoff-sim studio`)
//   node studio/build.mjs --site DIR      → DIR/           (a static site: open DIR/index.html or host it)
// Two bundles: the simulation worker first, then the page, which carries the worker's code as a
// string and starts it from a blob: URL — so the same files work from a server and from a folder
// opened as file:// (where Chromium refuses `new Worker("file.js")`). Classic scripts (IIFE), not
// modules, for the same reason. Everything is bundled: no CDN, font or analytics at run time.
// The build fails if a `node:` module is reachable from the page (the library must be browser-safe).

import { copyFile, mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const siteAt = args.indexOf("--site");
const site = siteAt >= 0 ? path.resolve(args[siteAt + 1] ?? "site") : null;
const out = site ?? path.join(ROOT, "dist", "studio");

/** Refuses Node built-ins: a browser has none, and a silent stub would break at run time. */
const browserOnly = {
  name: "browser-only",
  setup(build) {
    // seedrandom looks for Node's crypto inside a try, for an unused auto-seed: give it nothing.
    build.onResolve({ filter: /^crypto$/ }, (args) =>
      args.importer.includes(`${path.sep}seedrandom${path.sep}`)
        ? { path: "crypto", namespace: "empty" }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "module.exports = {};" }));
    build.onResolve({ filter: /^node:|^(fs|path|os|crypto|child_process|worker_threads)$/ }, (args) => ({
      errors: [{ text: `${args.path} imported by ${args.importer}: the studio runs in a browser` }],
    }));
  },
};

const common = {
  bundle: true,
  format: "iife",
  platform: "browser",
  target: ["es2022"],
  minify: process.env.STUDIO_DEBUG === undefined,
  legalComments: "none",
  sourcemap: false,
  logLevel: "warning",
  plugins: [browserOnly],
  jsx: "automatic",
  jsxImportSource: "preact",
};

/** The bundled scenarios, for the static site's picker: name → text, the AMI baseline first. */
async function bundledScenarios() {
  const files = { "ami-baseline.yaml": "" };
  for (const dir of ["scenarios", "scenarios/teaching"]) {
    for (const name of (await readdir(path.join(ROOT, dir))).sort()) {
      if (!name.endsWith(".yaml")) continue;
      const rel = dir === "scenarios" ? name : `teaching/${name}`;
      files[rel] = await readFile(path.join(ROOT, dir, name), "utf8");
    }
  }
  return files;
}

async function main() {
  const worker = await esbuild.build({
    ...common,
    entryPoints: [path.join(ROOT, "studio/src/worker.ts")],
    write: false,
  });
  const workerCode = worker.outputFiles[0].text;
  await mkdir(out, { recursive: true });
  await esbuild.build({
    ...common,
    entryPoints: { studio: path.join(ROOT, "studio/src/main.tsx") },
    outdir: out,
    define: {
      __WORKER_SOURCE__: JSON.stringify(workerCode),
      // Only the static site carries the scenario files; the server gives the page its own.
      __BUNDLED_SCENARIOS__: JSON.stringify(site === null ? {} : await bundledScenarios()),
      "process.env.NODE_ENV": '"production"',
    },
    metafile: true,
  });
  await copyFile(path.join(ROOT, "studio/index.html"), path.join(out, "index.html"));
  const sizes = await Promise.all(
    ["studio.js", "studio.css"].map(
      async (f) => `${f} ${Math.round((await readFile(path.join(out, f))).length / 1024)} KiB`,
    ),
  );
  if (site !== null) {
    await writeFile(
      path.join(out, "README.txt"),
      "handoff-sim studio, static: open index.html in a browser (or host this folder).\n" +
        "Scenarios are opened from the page (or dropped on it); results and variants are downloaded.\n",
    );
  }
  process.stderr.write(`studio built in ${path.relative(ROOT, out) || out}: ${sizes.join(", ")}\n`);
}

main().catch((error) => {
  process.stderr.write(`${error.message ?? error}\n`);
  process.exit(1);
});

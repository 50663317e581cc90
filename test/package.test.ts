// The package as a user gets it: `npm pack`, installed into an empty folder. From there the
// command runs a bundled scenario, and a TypeScript program importing the library type-checks
// against the installed declarations and runs. (~30 s: it packs, installs from the npm cache and
// compiles; it runs in `npm test` like every other test.)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";

const ROOT = resolve(import.meta.dirname, "..");
const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");

function sh(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

const CONSUMER = `import { exact, parseScenario, run, type Model, type RunSummary } from "handoff-sim";
import { loadScenarioFile, workerPool } from "handoff-sim/node";

const text = "name: Two steps\\nmicrosystems:\\n  - { id: a, time: 10 min, failures: [{ id: f, p: 0.1 }] }\\n  - { id: b, time: 5 min }\\n";
const model: Model = parseScenario(text, { name: "two.yaml" });
const reliability: number | null = exact(model).reliability;
const summary: RunSummary = await run(model, { patients: 2000, seed: 1 });
const fromFile = await loadScenarioFile("node_modules/handoff-sim/scenarios/teaching/seven-steps.yaml");
const pooled = await run(fromFile.model, { patients: 2000, executeUnits: workerPool(2) });
console.log(JSON.stringify({ reliability, estimate: summary.reliability.estimate, seven: pooled.reliability.analytic }));
`;

const TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    lib: ["ES2023", "DOM"],
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    // The library's own declarations are checked too; dependencies' are theirs to check.
    skipLibCheck: true,
    types: [],
    outDir: "build",
  },
  files: ["consumer.ts"],
};

let packed: { work: string; tarball: string } | null = null;

/** `npm pack` once for the tests of this file: the folder it packed into and the tarball's name. */
function pack(): { work: string; tarball: string } {
  if (packed !== null) return packed;
  const work = mkdtempSync(join(tmpdir(), "handoff-sim-pack-"));
  // The build `npm test` made first (packing must not rebuild: other tests' workers load dist/).
  sh("npm", ["pack", "--silent", "--ignore-scripts", "--pack-destination", work], ROOT);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"))!;
  packed = { work, tarball };
  return packed;
}

describe("the npm package", () => {
  it("installs into an empty folder, runs a scenario from there, and types an importing program", () => {
    const { work, tarball } = pack();
    expect(tarball).toBe(`handoff-sim-${VERSION}.tgz`);
    const app = join(work, "app");
    mkdirSync(app);
    writeFileSync(join(app, "package.json"), JSON.stringify({ name: "app", private: true, type: "module" }));
    sh("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, tarball)], app);

    const out = sh(
      join(app, "node_modules", ".bin", "handoff-sim"),
      ["run", "node_modules/handoff-sim/scenarios/ami-baseline.yaml", "--patients", "2000", "--no-charts"],
      app,
    );
    expect(out).toContain("Whole-journey reliability");
    expect(out).toContain("Results written to output/ami-pathway-baseline/");

    writeFileSync(join(app, "consumer.ts"), CONSUMER);
    writeFileSync(join(app, "tsconfig.json"), JSON.stringify(TSCONFIG));
    // Node's own types for the "./node" part come from this repository (the consumer has none).
    writeFileSync(
      join(app, "tsconfig.node.json"),
      JSON.stringify({
        extends: "./tsconfig.json",
        compilerOptions: { types: ["node"], typeRoots: [join(ROOT, "node_modules", "@types")] },
      }),
    );
    sh(process.execPath, [TSC, "-p", "tsconfig.node.json"], app);
    const result = JSON.parse(sh(process.execPath, ["build/consumer.js"], app).trim()) as Record<
      string,
      number
    >;
    expect(result.reliability).toBeCloseTo(0.9, 12);
    expect(Math.abs(result.estimate! - 0.9)).toBeLessThan(0.03);
    expect(result.seven).toBeCloseTo(0.95 ** 7, 12);
  }, 180_000);

  it("installs globally from the tarball and by npm link: init and validate work from any folder, docs ship", () => {
    const { work, tarball: name } = pack();
    const tarball = join(work, name);
    // A global install, into a prefix of its own (as `npm install -g` does into npm's prefix).
    const prefix = join(work, "global");
    sh(
      "npm",
      ["install", "-g", "--prefix", prefix, "--prefer-offline", "--no-audit", "--no-fund", tarball],
      work,
    );
    const installed = join(prefix, "lib", "node_modules", "handoff-sim");
    for (const doc of [
      "README.md",
      "docs/README.md",
      "docs/scenario-reference.md",
      "docs/errors.md",
      "docs/api.md",
    ])
      expect(existsSync(join(installed, doc)), doc).toBe(true);
    // From a folder that has nothing to do with the repository, as a user would.
    const folder = join(work, "my-team");
    mkdirSync(folder);
    const bin = join(prefix, "bin", "handoff-sim");
    const init = sh(bin, ["init", "pathway/"], folder);
    expect(init).toContain("Wrote pathway/scenario.yaml");
    expect(sh(bin, ["validate", "pathway/scenario.yaml"], folder)).toBe("ok pathway/scenario.yaml\n");
    expect(sh(bin, ["run", "pathway/scenario.yaml", "--patients", "500", "--no-charts"], folder)).toContain(
      "Whole-journey reliability",
    );
    // npm link: the repository itself on the PATH (no scripts: the build `npm test` made is used).
    const linked = join(work, "linked");
    execFileSync("npm", ["link", "--ignore-scripts", "--no-audit", "--no-fund"], {
      cwd: ROOT,
      env: { ...process.env, npm_config_prefix: linked },
      stdio: ["ignore", "pipe", "pipe"],
    });
    expect(sh(join(linked, "bin", "handoff-sim"), ["--version"], folder).trim()).toBe(VERSION);
  }, 180_000);

  it("declares its browser-safe part without Node's types", () => {
    const work = mkdtempSync(join(tmpdir(), "handoff-sim-types-"));
    // The declarations of "." alone, with no Node types at all: a browser program's view.
    writeFileSync(
      join(work, "browser.ts"),
      `import { parseScenario, exact, run, story, tellStory, type JourneyEvent } from "${join(ROOT, "dist/src/index.js")}";
const m = parseScenario("name: x\\nmicrosystems: [{ id: a, time: 1 }]\\n", { name: "x.yaml" });
const e: JourneyEvent[] = story(m).events;
export const out = [exact(m).reliability, run, tellStory, e.length];
`,
    );
    writeFileSync(
      join(work, "tsconfig.json"),
      JSON.stringify({
        ...TSCONFIG,
        compilerOptions: { ...TSCONFIG.compilerOptions, skipLibCheck: false, noEmit: true },
        files: ["browser.ts"],
      }),
    );
    sh(process.execPath, [TSC, "-p", "tsconfig.json"], work);
  }, 60_000);
});

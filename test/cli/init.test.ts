// First use: `init` writes a commented starter scenario that validates (with the loader and with the
// JSON Schema editors use) and runs, never overwrites a scenario without --force, and every
// command's --help shows an example.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { scenarioJsonSchema } from "../../src/scenario/format.js";
import { builtBin, ROOT } from "./built.js";
import { cli } from "./capture.js";

const tmp = (): Promise<string> => mkdtemp(join(tmpdir(), "handoff-sim-init-"));
const SCHEMA_TEXT = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;

/** Runs `init` in a fresh folder; returns the folder and the scenario's path. */
async function initIn(name = "scenario.yaml"): Promise<{ dir: string; file: string }> {
  const dir = await tmp();
  const file = join(dir, name);
  const r = await cli("init", file);
  expect(r.status).toBe(0);
  expect(r.err).toBe("");
  return { dir, file };
}

describe("handoff-sim init", () => {
  it("writes a commented starter and the schema it points editors to, and says so", async () => {
    const dir = await tmp();
    const file = join(dir, "scenario.yaml");
    const r = await cli("init", file);
    expect(r.status).toBe(0);
    expect(r.out).toContain(`Wrote ${file}: a commented starter scenario.`);
    expect(r.out).toContain(`Wrote ${join(dir, "scenario.schema.json")}: the JSON Schema of the format`);
    expect(r.out).toContain(`handoff-sim validate ${file}`);
    expect((await readdir(dir)).sort()).toEqual(["scenario.schema.json", "scenario.yaml"]);
    const text = await readFile(file, "utf8");
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=scenario.schema.json");
    expect(text.split("\n").filter((line) => line.trimStart().startsWith("#")).length).toBeGreaterThan(20);
    expect(await readFile(join(dir, "scenario.schema.json"), "utf8")).toBe(SCHEMA_TEXT);
  });

  it("writes scenario.yaml in the current folder by default, or in a folder given", async () => {
    // The current folder of a real process (test workers cannot change theirs).
    const dir = await tmp();
    const r = spawnSync(process.execPath, [builtBin("src/cli/init.js"), "init"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("Wrote scenario.yaml: a commented starter scenario.");
    expect((await readdir(dir)).sort()).toEqual(["scenario.schema.json", "scenario.yaml"]);
    const other = await tmp();
    expect((await cli("init", other)).status).toBe(0);
    expect((await readdir(other)).sort()).toEqual(["scenario.schema.json", "scenario.yaml"]);
  });

  it("writes a starter that validates without warnings and runs", async () => {
    const { dir, file } = await initIn();
    const v = await cli("validate", file);
    expect(v).toEqual({ status: 0, out: `ok ${file}\n`, err: "" });
    const out = join(dir, "out");
    const r = await cli("run", file, "--patients", "2000", "--workers", "1", "--no-charts", "--out", out);
    expect(r.status).toBe(0);
    expect(r.out).toMatch(/Whole-journey reliability \d/);
    expect(await readdir(out)).toContain("summary.json");
  });

  it("writes a starter that the JSON Schema accepts, as YAML and as JSON", async () => {
    const validate = new Ajv2020({ allErrors: true }).compile(scenarioJsonSchema());
    const { dir, file } = await initIn();
    const yaml = parse(await readFile(file, "utf8")) as unknown;
    expect(validate(yaml), JSON.stringify(validate.errors)).toBe(true);
    expect((await cli("init", join(dir, "s.json"))).status).toBe(0);
    const json = JSON.parse(await readFile(join(dir, "s.json"), "utf8")) as Record<string, unknown>;
    expect(json.$schema).toBe("scenario.schema.json");
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect((await cli("validate", join(dir, "s.json"))).status).toBe(0);
  });

  it("refuses to overwrite a scenario (exit 2, a clear message, the file untouched) unless --force", async () => {
    const { file } = await initIn();
    await writeFile(file, "my own work\n");
    const r = await cli("init", file);
    expect(r).toEqual({
      status: 2,
      out: "",
      err: `handoff-sim: ${file} already exists: choose another name, or add --force to overwrite it\n`,
    });
    expect(await readFile(file, "utf8")).toBe("my own work\n");
    expect((await cli("init", file, "--force")).status).toBe(0);
    expect(await readFile(file, "utf8")).toMatch(/^# yaml-language-server/);
  });

  it("leaves an existing schema that differs, and says how to refresh it", async () => {
    const { dir } = await initIn();
    const schema = join(dir, "scenario.schema.json");
    await writeFile(schema, "{}\n");
    const r = await cli("init", join(dir, "second.yaml"));
    expect(r.status).toBe(0);
    expect(r.out).toContain(`Kept the existing ${schema}`);
    expect(r.out).toContain(`handoff-sim schema > ${schema}`);
    expect(await readFile(schema, "utf8")).toBe("{}\n");
  });

  it("makes a new folder written with a trailing slash, and puts both files in it", async () => {
    const dir = await tmp();
    const target = `${join(dir, "newdir")}/`;
    const r = await cli("init", target);
    expect(r.status, r.err).toBe(0);
    const file = join(dir, "newdir", "scenario.yaml");
    expect(r.out).toContain(`Wrote ${file}: a commented starter scenario.`);
    expect(r.out).toContain(`handoff-sim validate ${file}`);
    expect(await readdir(dir)).toEqual(["newdir"]);
    expect((await readdir(join(dir, "newdir"))).sort()).toEqual(["scenario.schema.json", "scenario.yaml"]);
    expect((await cli("validate", file)).status).toBe(0);
    // Again into the same folder: the scenario is there now, so it is refused without --force.
    expect((await cli("init", target)).status).toBe(2);
  });

  it("refuses the schema's own name, and creates missing folders", async () => {
    const dir = await tmp();
    const r = await cli("init", join(dir, "scenario.schema.json"));
    expect(r.status).toBe(2);
    expect(r.err).toContain("is the schema's name");
    const nested = join(dir, "a", "b", "pathway.yaml");
    expect((await cli("init", nested)).status).toBe(0);
    expect(existsSync(nested)).toBe(true);
  });
});

describe("handoff-sim schema", () => {
  it("prints the same schema init writes", async () => {
    const r = await cli("schema");
    expect(r.status).toBe(0);
    expect(r.out).toBe(SCHEMA_TEXT);
  });
});

describe("docs/scenario-reference.md", () => {
  it("names every key of the format", async () => {
    const doc = await readFile(join(ROOT, "docs", "scenario-reference.md"), "utf8");
    const missing = schemaKeys(scenarioJsonSchema()).filter((key) => !doc.includes(`\`${key}\``));
    expect(missing).toEqual([]);
  });
});

/** Every property name anywhere in a JSON Schema. */
function schemaKeys(schema: unknown): string[] {
  const keys = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(walk);
    else if (node !== null && typeof node === "object") {
      const properties = (node as { properties?: Record<string, unknown> }).properties;
      for (const key of Object.keys(properties ?? {})) keys.add(key);
      Object.values(node).forEach(walk);
    }
  };
  walk(schema);
  return [...keys];
}

describe("--help", () => {
  it("of every registered command shows an example", async () => {
    const top = await cli("--help");
    const commands = commandNames(top.out);
    expect(commands).toEqual(
      expect.arrayContaining(["run", "validate", "schema", "init", "merge", "compare"]),
    );
    for (const command of commands) {
      const help = await cli(command, "--help");
      expect(help.status, command).toBe(0);
      expect(help.out, `${command} --help`).toMatch(/\nExamples?:\n {2}handoff-sim /);
    }
  });
});

/** The command names in the "Commands:" section of the program's help (help itself excluded). */
function commandNames(help: string): string[] {
  const section = help.split("\nCommands:\n")[1] ?? "";
  return section
    .split("\n")
    .map((line) => /^ {2}(\S+)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined && name !== "help");
}

// `handoff-sim init [file]`: writes a commented starter scenario (default scenario.yaml) and, next to
// it, scenario.schema.json, the JSON Schema the scenario's first line points editors to — so the
// YAML language server (VS Code and others) completes and checks it as it is typed. Never
// overwrites a scenario unless --force; exit 2 with a clear message when it would.

import { readFile, stat } from "node:fs/promises";
import { basename, dirname, extname, join } from "node:path";
import type { Command } from "commander";
import { scenarioJsonSchema, starterScenario, starterScenarioJson, writeFileAtomically } from "../node.js";
import { type Io, UsageError } from "./io.js";

export const DEFAULT_SCENARIO = "scenario.yaml";
/** One schema file per folder, shared by the scenarios in it. */
export const SCHEMA_FILE = "scenario.schema.json";

interface InitFlags {
  force?: boolean;
}

export function registerInit(program: Command, io: Io, done: (status: number) => void): void {
  program
    .command("init")
    .description(`write a commented starter scenario (and ${SCHEMA_FILE} for editors)`)
    .argument(
      "[file]",
      `the scenario to write (YAML, or JSON if it ends in .json); a folder (existing, or ending in "/") gets ${DEFAULT_SCENARIO} and the schema`,
      DEFAULT_SCENARIO,
    )
    .option("--force", "overwrite the file (and the schema) if they exist")
    .addHelpText(
      "after",
      "\nExamples:\n  handoff-sim init my-pathway.yaml && handoff-sim run my-pathway.yaml\n" +
        "  handoff-sim init my-pathway/ && handoff-sim validate my-pathway/scenario.yaml",
    )
    .action(async (file: string, flags: InitFlags) => done(await initCommand(file, flags, io)));
}

export async function initCommand(target: string, flags: InitFlags, io: Pick<Io, "out">): Promise<number> {
  // A folder — one that exists, or a new one written with a trailing slash — gets both files in it.
  const folder = (await kindOf(target)) === "folder" || /[/\\]$/.test(target);
  const file = folder ? join(target, DEFAULT_SCENARIO) : target;
  if (basename(file) === SCHEMA_FILE)
    throw new UsageError(`${file} is the schema's name: choose another name`);
  if (!flags.force && (await kindOf(file)) !== "none") {
    throw new UsageError(`${file} already exists: choose another name, or add --force to overwrite it`);
  }
  const dir = dirname(file);
  const schemaText = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
  const schema = await schemaAction(join(dir, SCHEMA_FILE), schemaText, flags.force === true);
  // File by file (never the folder as a set: it is the user's, often the working folder).
  await writeFileAtomically(file, scenarioText(file));
  if (schema === "write") await writeFileAtomically(join(dir, SCHEMA_FILE), schemaText);
  io.out(report(file, join(dir, SCHEMA_FILE), schema));
  return 0;
}

type Kind = "none" | "file" | "folder";

async function kindOf(path: string): Promise<Kind> {
  try {
    return (await stat(path)).isDirectory() ? "folder" : "file";
  } catch {
    return "none";
  }
}

/** The starter as YAML (with its comments), or as JSON with a `$schema` key for .json files. */
function scenarioText(file: string): string {
  return isJson(file) ? starterScenarioJson(SCHEMA_FILE) : starterScenario(SCHEMA_FILE);
}

function isJson(file: string): boolean {
  return extname(file).toLowerCase() === ".json";
}

type SchemaAction = "write" | "current" | "kept";

/** Writes the schema if missing (or with --force); an identical one is left; a different one is kept. */
async function schemaAction(path: string, text: string, force: boolean): Promise<SchemaAction> {
  if (force) return "write";
  const existing = await readFile(path, "utf8").catch(() => null);
  if (existing === null) return "write";
  return existing === text ? "current" : "kept";
}

function report(file: string, schemaPath: string, schema: SchemaAction): string {
  const schemaLine = {
    write: `Wrote ${schemaPath}: the JSON Schema of the format, for editors.`,
    current: `${schemaPath} is already up to date.`,
    kept: `Kept the existing ${schemaPath}, which differs from this version's: to refresh it, run handoff-sim schema > ${schemaPath}`,
  }[schema];
  const pointer = isJson(file)
    ? ['Its "$schema" key points editors to the schema, for completion and checks as you type.']
    : [
        "Its first line points editors to the schema: with the YAML language server (e.g. the YAML",
        "extension of VS Code) you get completion and checks as you type.",
      ];
  return [
    `Wrote ${file}: a ${isJson(file) ? "" : "commented "}starter scenario.`,
    schemaLine,
    ...pointer,
    "Next:",
    `  handoff-sim validate ${file}`,
    `  handoff-sim run ${file}`,
  ].join("\n");
}

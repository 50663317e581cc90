// Scenario files from disk: the file and every file it `extends`, read through the file system,
// then parsed by the browser-safe parser (src/scenario/parse.ts).
import type { ModelSpec } from "../model/spec.js";
import { type Finding, type ParseResult, parseWith, ScenarioError } from "../scenario/parse.js";
import type { Assignment } from "../scenario/set.js";
import { readScenarioFile } from "./read.js";

export interface LoadOptions {
  /** `--set PATH=VALUE` changes (text or parsed), applied before validation. */
  set?: readonly (string | Assignment)[];
}

/** Loads, validates and compiles a scenario file; rejects with a ScenarioError listing every problem. */
export async function loadScenarioFile(
  path: string,
  options: LoadOptions = {},
): Promise<{ model: ModelSpec; warnings: Finding[] }> {
  const read = readScenarioFile(path);
  if (!read.ok)
    throw new ScenarioError([{ file: path, line: 1, column: 1, path: "", message: read.message }]);
  return loadScenarioText(read.text, path, options);
}

/** The result of checking a file: what `validate` reports (`model` is null when it has findings). */
export interface FileCheck {
  file: string;
  model: ModelSpec | null;
  findings: Finding[];
  warnings: Finding[];
}

/** Like loadScenarioFile, but never rejects on bad input: the findings and warnings of the file. */
export async function checkScenarioFile(path: string, options: LoadOptions = {}): Promise<FileCheck> {
  try {
    const { model, warnings } = await loadScenarioFile(path, options);
    return { file: path, model, findings: [], warnings };
  } catch (error) {
    if (!(error instanceof ScenarioError)) throw error;
    return { file: path, model: null, findings: [...error.findings], warnings: [] };
  }
}

/** Same for text already in memory; `fileName` names it in findings and anchors `extends` (read from disk). */
export async function loadScenarioText(
  text: string,
  fileName: string,
  options: LoadOptions = {},
): Promise<ParseResult> {
  // An `extends` target is never reached through a symbolic link (src/scenario/extends.ts).
  return parseWith(text, fileName, {
    read: (file) => readScenarioFile(file, { followLinks: false }),
    set: options.set,
  });
}

/** The scenarios of a comparison, loaded from files. */
export interface ComparisonFiles {
  baseline: ModelSpec;
  variants: ModelSpec[];
  /** The baseline's file, then each variant's (the baseline's again for a variant made with `set`). */
  files: string[];
  /** Every warning once: variants extend the baseline, so its warnings would repeat for each. */
  warnings: Finding[];
}

/**
 * The baseline and its variants: each variant file with the `set` changes applied — or, with no
 * variant file, the baseline itself with them. A variant changed by `set` says so in its name, so
 * reports never show two scenarios alike.
 */
export async function loadComparison(
  baselineFile: string,
  variantFiles: readonly string[],
  options: LoadOptions = {},
): Promise<ComparisonFiles> {
  const set = options.set ?? [];
  const seen = new Set<string>();
  const warnings: Finding[] = [];
  const load = async (file: string, changes: LoadOptions["set"]): Promise<ModelSpec> => {
    const loaded = await loadScenarioFile(file, { set: changes });
    for (const w of loaded.warnings) {
      const key = JSON.stringify(w);
      if (!seen.has(key)) warnings.push(w);
      seen.add(key);
    }
    return loaded.model;
  };
  const baseline = await load(baselineFile, []);
  const files = variantFiles.length > 0 ? [...variantFiles] : [baselineFile];
  const variants: ModelSpec[] = [];
  for (const file of files) variants.push(named(await load(file, set), set));
  return { baseline, variants, files: [baselineFile, ...files], warnings };
}

function named(model: ModelSpec, set: readonly (string | Assignment)[]): ModelSpec {
  if (set.length === 0) return model;
  const texts = set.map((a) => (typeof a === "string" ? a : a.text));
  // The file's description is about the file as written, not about it with these changes.
  return { ...model, name: `${model.name} (--set ${texts.join(", ")})`, description: "" };
}

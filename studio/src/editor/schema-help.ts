// Completion and hover for the YAML editor, from the scenario format's JSON Schema (the one
// `handoff-sim schema` prints). Where the cursor is in the YAML is read from the indentation of
// the lines above it — enough for block-style scenario files, and tolerant of the half-typed text
// an editor holds (a full parse would fail exactly while the user types).

type Schema = Record<string, unknown>;

/** The keys from the document's root to the line at `lineIndex` (list items step into `items`). */
export interface YamlContext {
  /** Keys from the root; "-" for a list item. */
  path: string[];
  /** The key on the current line, when the cursor is after `key:` (a value is being typed). */
  key: string | null;
}

const KEY_LINE = /^(\s*)(-\s+)?([A-Za-z_$][\w$-]*)\s*:(.*)$/;

/** The context of a position: its line's indentation and the keys above it that enclose it. */
export function yamlContext(lines: string[], lineIndex: number, column: number): YamlContext {
  const line = lines[lineIndex] ?? "";
  const before = line.slice(0, column);
  const own = KEY_LINE.exec(before);
  const key = own !== null && own[4] !== undefined ? own[3]! : null;
  // Indentation of the current line's content (after a "- " the item's keys sit further in).
  const dash = /^(\s*)-\s+/.exec(line);
  let indent = dash ? dash[0].length : (/^\s*/.exec(line)?.[0].length ?? 0);
  const path: string[] = [];
  if (dash) path.unshift("-");
  for (let i = lineIndex - 1; i >= 0 && indent > 0; i--) {
    const text = lines[i]!;
    if (text.trim() === "" || text.trim().startsWith("#")) continue;
    const m = KEY_LINE.exec(text);
    const lead = /^\s*/.exec(text)![0].length;
    if (m !== null) {
      const keyAt = m[1]!.length + (m[2]?.length ?? 0);
      if (m[2] !== undefined && keyAt === indent) {
        // Another key of the list item we are in: step out to the item.
        path.unshift("-");
        indent = m[1]!.length;
      } else if (keyAt < indent) {
        path.unshift(m[3]!);
        if (m[2] !== undefined) path.unshift("-");
        indent = m[2] !== undefined ? m[1]!.length : keyAt;
      }
    } else if (/^\s*-\s*$/.test(text) && lead < indent) {
      path.unshift("-");
      indent = lead;
    }
  }
  return { path, key };
}

export class SchemaHelp {
  constructor(private readonly root: Schema) {}

  /** Follows `$ref`, and merges `anyOf`/`oneOf`/`allOf` branches that are objects. */
  private resolve(schema: unknown): Schema[] {
    if (schema === null || typeof schema !== "object") return [];
    const s = schema as Schema;
    if (typeof s.$ref === "string") {
      const name = s.$ref.replace(/^#\/\$defs\//, "");
      const defs = (this.root.$defs ?? {}) as Record<string, unknown>;
      // The property's own words (description) win over the shared definition's.
      return [{ ...this.resolveOne(defs[name]), ...s, $ref: undefined }];
    }
    const branches = [s.anyOf, s.oneOf, s.allOf].flatMap((b) => (Array.isArray(b) ? b : []));
    if (branches.length > 0) return [s, ...branches.flatMap((b) => this.resolve(b))];
    return [s];
  }

  private resolveOne(schema: unknown): Schema {
    return Object.assign({}, ...this.resolve(schema));
  }

  /** The schemas that may hold the value at `path` (several when the format offers a choice). */
  at(path: string[]): Schema[] {
    let current = this.resolve(this.root);
    for (const step of path) {
      current = current.flatMap((s) => {
        if (step === "-") return this.resolve(s.items);
        const props = s.properties as Record<string, unknown> | undefined;
        return props !== undefined && step in props ? this.resolve(props[step]) : [];
      });
    }
    return current;
  }

  /** The keys a mapping at `path` may have, each with its description. */
  keys(path: string[]): { key: string; description: string }[] {
    const out = new Map<string, string>();
    for (const s of this.at(path)) {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      for (const [key, value] of Object.entries(props)) {
        if (key === "$schema") continue;
        if (!out.has(key)) out.set(key, this.describe(value));
      }
    }
    return [...out].map(([key, description]) => ({ key, description }));
  }

  /** The fixed values (enums, booleans) a value at `path` may take. */
  values(path: string[]): string[] {
    const out = new Set<string>();
    for (const s of this.at(path)) {
      if (Array.isArray(s.enum)) for (const v of s.enum) out.add(String(v));
      if (s.const !== undefined) out.add(String(s.const));
      if (s.type === "boolean") for (const v of ["true", "false"]) out.add(v);
      if (s.type === "array") for (const v of this.values([...path, "-"])) out.add(v);
    }
    return [...out];
  }

  /** The description of the value at `path`, for hover. */
  describe(schema: unknown): string {
    for (const s of this.resolve(schema)) if (typeof s.description === "string") return s.description;
    return "";
  }

  describeAt(path: string[]): string {
    if (path.length === 0) return "";
    const parent = path.slice(0, -1);
    const key = path.at(-1)!;
    for (const s of this.at(parent)) {
      const props = (s.properties ?? {}) as Record<string, unknown>;
      if (key in props) return this.describe(props[key]);
    }
    return "";
  }
}

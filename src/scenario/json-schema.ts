// The JSON Schema editors see must accept every file `validate` accepts, and a variant — a file that
// `extends` another — is a partial scenario: it writes only what differs, and `key: null` removes an
// inherited key. So the schema has two readings, chosen by `extends`:
//   - without `extends`: the whole format (the zod schema's JSON Schema, in `$defs.Scenario`);
//   - with `extends`: the same keys, none required, any mapping key may be null, and the items of
//     the lists `extends` merges by id (microsystems, classes, metrics, failure modes; handoffs by
//     from and to) need only their identifying keys. Time distributions and every other list are
//     replaced whole by a variant, so they keep their full shape.
// The walk follows the merge rules of merge.ts (MERGED_LIST_KEYS, isDistribution), so the schema and
// `extends` cannot disagree about what a variant may leave out.

import { isDistribution, MERGED_LIST_KEYS } from "./merge.js";

type Schema = Record<string, unknown>;

const NULL: Schema = { type: "null" };

/** Definitions that hold a mergeable mapping, and the name of their partial version. */
const PARTIAL_DEFS: Readonly<Record<string, string>> = { FailureMode: "FailureModeChange" };

/** The scenario's JSON Schema (draft 2020-12) with the partial reading for variants. */
export function withVariants(full: Schema): Schema {
  const { $schema, $defs, title, description, ...scenario } = full;
  const defs = { ...($defs as Record<string, Schema> | undefined) };
  for (const [name, partialName] of Object.entries(PARTIAL_DEFS)) {
    const def = defs[name];
    if (def !== undefined)
      defs[partialName] = partialItem(def, ["microsystems", "*", "failures", "*"], ["id"]);
  }
  const variant = partial(scenario, []);
  return {
    $schema,
    title,
    description: `${String(description ?? "")} A file with \`extends\` is a variant: it writes only what differs from the file it extends (nothing is required, \`key: null\` removes an inherited key).`,
    ...variant,
    // Without `extends` the file is a whole scenario; with it, the partial reading above is all.
    if: { properties: { extends: { type: "string" } }, required: ["extends"] },
    else: { $ref: "#/$defs/Scenario" },
    $defs: { ...defs, Scenario: { ...scenario, title, description } },
  };
}

/** The partial reading of the value at `pattern` (keys from the root, "*" for a list item). */
function partial(schema: Schema, pattern: string[]): Schema {
  if (typeof schema.$ref === "string") {
    const name = schema.$ref.replace(/^#\/\$defs\//, "");
    const partialName = PARTIAL_DEFS[name];
    return partialName === undefined ? schema : { ...schema, $ref: `#/$defs/${partialName}` };
  }
  if (Array.isArray(schema.anyOf))
    return { ...schema, anyOf: schema.anyOf.map((s: Schema) => partial(s, pattern)) };
  if (schema.type === "object" && !isDistribution(pattern)) return partialMapping(schema, pattern);
  if (schema.type === "array") {
    const keys = MERGED_LIST_KEYS.get(pattern.join("."));
    if (keys !== undefined && isSchema(schema.items))
      return { ...schema, items: partialItem(schema.items, [...pattern, "*"], keys) };
  }
  return schema;
}

/** A mapping whose keys are all optional and may be null (null removes an inherited key). */
function partialMapping(schema: Schema, pattern: string[]): Schema {
  const { required: _, ...rest } = schema;
  const out: Schema = { ...rest };
  if (isSchema(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([key, value]) => [
        key,
        nullable(partial(value as Schema, [...pattern, key])),
      ]),
    );
  }
  if (isSchema(schema.additionalProperties))
    out.additionalProperties = nullable(partial(schema.additionalProperties, [...pattern, "*"]));
  return out;
}

/** A list item merged by `keys`: partial, but with the keys that say which item it changes. */
function partialItem(schema: Schema, pattern: string[], keys: readonly string[]): Schema {
  const item = partial(schema, pattern);
  return typeof item.$ref === "string" ? item : { ...item, required: [...keys] };
}

/** The value, or null; its annotations (description, default) stay where editors look for them. */
function nullable(schema: Schema): Schema {
  const annotations = Object.fromEntries(
    ANNOTATIONS.filter((key) => schema[key] !== undefined).map((key) => [key, schema[key]]),
  );
  return { ...annotations, anyOf: [schema, NULL] };
}

const ANNOTATIONS = ["title", "description", "default"] as const;

function isSchema(value: unknown): value is Schema {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

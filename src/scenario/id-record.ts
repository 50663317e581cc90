// A mapping keyed by ids (a base risk per class id), as a zod schema that keeps every key. Zod's
// own record drops a `__proto__` key without a word (assigning it to a plain `{}` would replace the
// prototype), so `base: { __proto__: 0.05 }` read as "no base risk for class __proto__", and with
// the risk left out of the compiled model. Ids are data: this record checks the `__proto__` entry
// like any other and returns a null-prototype object that holds it as an ordinary key.

import { z } from "zod";
import { setOwn } from "./source-map.js";

const PROTO = "__proto__";

type Schema = z.core.$ZodType;
type Payload = z.core.ParsePayload;

/** The record's parse, plus the entry zod skips. */
function keepProto(
  parse: (payload: Payload, ctx: z.core.ParseContextInternal) => Payload | Promise<Payload>,
  def: z.core.$ZodRecordDef,
  payload: Payload,
  ctx: z.core.ParseContextInternal,
): Payload | Promise<Payload> {
  const input = payload.value;
  const result = parse(payload, ctx);
  if (result instanceof Promise || input === null || typeof input !== "object" || Array.isArray(input))
    return result;
  const out: Record<string, unknown> = Object.assign(Object.create(null), result.value);
  if (Object.hasOwn(input, PROTO)) {
    const value = (input as Record<string, unknown>)[PROTO];
    for (const [schema, checked] of [
      [def.keyType, PROTO],
      [def.valueType, value],
    ] as const) {
      const inner = (schema as Schema)._zod.run({ value: checked, issues: [] }, ctx) as Payload;
      for (const issue of inner.issues)
        result.issues.push({ ...issue, path: [PROTO, ...(issue.path ?? [])] });
      if (schema === def.valueType) setOwn(out, PROTO, inner.value);
    }
  }
  result.value = out;
  return result;
}

/** A zod record (same JSON Schema, same issues) whose output keeps a `__proto__` key, in a null-prototype object. */
const ZodIdRecord = z.core.$constructor("ZodIdRecord", (inst: z.ZodRecord, def: z.core.$ZodRecordDef) => {
  z.ZodRecord.init(inst, def);
  const parse = inst._zod.parse;
  inst._zod.parse = (payload, ctx) => keepProto(parse, def, payload, ctx);
});

/** `z.record(key, value, params)` that keeps every key, `__proto__` included. */
export function idRecord<K extends z.core.$ZodRecordKey, V extends z.core.SomeType>(
  key: K,
  value: V,
  params?: string | z.core.$ZodRecordParams,
): z.ZodRecord<K, V> {
  const def = { type: "record", keyType: key, valueType: value, ...z.core.util.normalizeParams(params) };
  return new ZodIdRecord(def as unknown as z.core.$ZodRecordDef) as unknown as z.ZodRecord<K, V>;
}

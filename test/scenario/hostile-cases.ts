// Hostile scenario texts, generated (a 2 MiB file has no place in git): each with the message it
// must be refused with. Shared by the in-process tests (hostile.test.ts) and the fuzzer's
// child-process families (fuzz.test.ts), which run each one as a user would.

import { MAX_TOKENS } from "../../src/scenario/limits.js";
import { MAX_FILE_BYTES } from "../../src/scenario/text.js";

export interface HostileCase {
  name: string;
  text: string;
  /** A fragment of the first message. */
  message: string;
}

/** Bytes of a "2 MiB" hostile file: just under the size limit, so the parser does see it. */
const SIZE = MAX_FILE_BYTES - 64;
const HEAD = "name: hostile\nmicrosystems: [{ id: ed, time: 1 }]\n";

/** `unit` repeated to fill the file after HEAD and `before`. */
const fill = (before: string, unit: string, after = ""): string =>
  HEAD +
  before +
  unit.repeat(Math.floor((SIZE - HEAD.length - before.length - after.length) / unit.length)) +
  after;

function deepIndentation(): string {
  let text = `${HEAD}foo:\n`;
  for (let depth = 1; text.length + depth + 4 < SIZE; depth++) text += `${" ".repeat(depth)}a:\n`;
  return text;
}

const TOO_DEEP = "values nested too deep (more than 64 levels)";
const TOO_MANY_TOKENS = `file too long: more than ${MAX_TOKENS} tokens`;
const TOO_LONG = "text too long";

export const HOSTILE_CASES: readonly HostileCase[] = [
  { name: "2 MiB of [", text: fill("foo: ", "["), message: TOO_DEEP },
  { name: "2 MiB of {", text: fill("foo: ", "{"), message: TOO_DEEP },
  { name: "2 MiB of {a: ", text: fill("foo: ", "{a: "), message: TOO_DEEP },
  { name: "block lists nested on one line (- - - …)", text: fill("foo:\n", "- ", "x\n"), message: TOO_DEEP },
  {
    name: "a key per line, each indented one more (2,000 levels)",
    text: deepIndentation(),
    message: TOO_DEEP,
  },
  { name: "a flow list of 1,000,000 items", text: fill("foo: [", "1,", "1]\n"), message: TOO_MANY_TOKENS },
  { name: "a block list of 350,000 items", text: fill("foo:\n", "  - 1\n"), message: TOO_MANY_TOKENS },
  { name: "2 MiB of commas in a list", text: fill("foo: [", ",", "]\n"), message: TOO_MANY_TOKENS },
  { name: "2 MiB of comment lines", text: fill("", "#\n"), message: TOO_MANY_TOKENS },
  { name: "2 MiB of blank lines", text: fill("", "\n"), message: TOO_MANY_TOKENS },
  { name: "a 2 MiB text", text: fill('description: "', "x", '"\n'), message: TOO_LONG },
  { name: "a 2 MiB key", text: fill('foo: { "', "k", '": 1 }\n'), message: TOO_LONG },
  {
    name: "a 2 MiB id",
    text: `name: x\nmicrosystems: [{ time: 1, id: ${"a".repeat(SIZE - 60)} }]\n`,
    message: TOO_LONG,
  },
  {
    name: "a number of 2 MiB digits",
    text: fill("patients: ", "1", "\n"),
    message: "expected a finite number",
  },
  { name: "a tag of 2 MiB", text: fill("foo: !", "t", " 1\n"), message: "is not allowed" },
  { name: "an alias of 2 MiB", text: fill("foo: *", "a", "\n"), message: "unknown alias" },
  {
    name: 'a time of "1" + 100,000 spaces + "x"',
    text: `name: x\nmicrosystems: [{ id: ed, time: "1${" ".repeat(100_000)}x" }]\n`,
    message: TOO_LONG,
  },
  {
    name: 'a time of "1" + 9,990 spaces + "x" (under the text cap: the pattern is linear)',
    text: `name: x\nmicrosystems: [{ id: ed, time: "1${" ".repeat(9990)}x" }]\n`,
    message: "expected a non-negative time",
  },
  {
    name: "100 aliases of a list of 2,000 values",
    text: `name: x\nmicrosystems: [{ id: ed, time: 1 }]\nlist: &l [${"1, ".repeat(2000)}1]\nmany: [${"*l, ".repeat(99)}*l]\n`,
    message: "too many values (more than 100000)",
  },
  {
    name: "12,000 unknown route targets (compact JSON)",
    text: JSON.stringify({
      name: "x",
      microsystems: [{ id: "a", time: 1, next: Array.from({ length: 12_000 }, (_, i) => ({ to: `x${i}` })) }],
    }),
    message: "missing p: several routes are eligible",
  },
  {
    name: "12,000 unknown keys",
    text: `name: x\nmicrosystems:\n  - id: a\n    time: 1\n${Array.from({ length: 12_000 }, (_, i) => `    k${i}: 1\n`).join("")}`,
    message: 'unknown key "k0"',
  },
];

/** A valid scenario with `classes` classes and `microsystems` microsystems in a chain. */
export function classesByMicrosystems(classes: number, microsystems: number): string {
  const lines = ["name: many classes", "classes:"];
  for (let i = 0; i < classes; i++)
    lines.push(`  - { id: c${i}, share: ${i === 0 ? 1 - (classes - 1) / classes : 1 / classes} }`);
  lines.push("microsystems:");
  for (let i = 0; i < microsystems; i++) lines.push(`  - { id: m${i}, time: 1 }`);
  return `${lines.join("\n")}\n`;
}

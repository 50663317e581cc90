// Reading scenario files from disk: one non-blocking open, every check on the descriptor, at most
// the size cap read. And what `extends` may reach: regular files with a scenario name, not through
// a symbolic link, whose content is a scenario; nothing of any other file is ever echoed.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadScenarioFile } from "../../src/node/load.js";
import { readRegularFile, readScenarioFile } from "../../src/node/read.js";
import { ScenarioError } from "../../src/scenario/parse.js";

const dir = mkdtempSync(path.join(tmpdir(), "handoff-sim-read-"));
const at = (name: string) => path.join(dir, name);
const VALID = "name: base\nmicrosystems: [{ id: ed, time: 1 }]\n";
writeFileSync(at("base.yaml"), VALID);
symlinkSync("base.yaml", at("link.yaml"));
mkdirSync(at("folder.yaml"));
execFileSync("mkfifo", [at("fifo.yaml")]);
writeFileSync(at("secret.yaml"), "db_password: hunter2\nname: not really\n");
writeFileSync(at("text.yaml"), "root:x:0:0:root:/root:/bin/bash\n");
writeFileSync(at("broken.yaml"), 'token: "sekrit-9f8e7d\n');

async function messages(extendsPath: string): Promise<string> {
  const file = at(`variant-${Math.random().toString(16).slice(2)}.yaml`);
  writeFileSync(file, `extends: ${JSON.stringify(extendsPath)}\nname: v\n`);
  const error = await loadScenarioFile(file).catch((e: unknown) => e);
  if (!(error instanceof ScenarioError)) throw new Error(`extends ${extendsPath} was accepted`);
  return error.format();
}

describe("reading a file", () => {
  it("reads a regular file, and a link named on the command line", () => {
    expect(readScenarioFile(at("base.yaml"))).toEqual({ ok: true, text: VALID });
    expect(readScenarioFile(at("link.yaml"))).toEqual({ ok: true, text: VALID });
  });

  it("refuses a FIFO at once instead of blocking, a folder, a device, a link when told not to follow", () => {
    const began = performance.now();
    expect(readScenarioFile(at("fifo.yaml"))).toEqual({ ok: false, message: "not a file" });
    expect(performance.now() - began).toBeLessThan(1000);
    expect(readScenarioFile(at("folder.yaml"))).toEqual({ ok: false, message: "not a file" });
    expect(readScenarioFile("/dev/zero")).toEqual({ ok: false, message: "not a file" });
    expect(readScenarioFile(at("link.yaml"), { followLinks: false }).ok).toBe(false);
  });

  it("reads at most the cap", () => {
    writeFileSync(at("big.json"), "x".repeat(5000));
    expect(readRegularFile(at("big.json"), { maxBytes: 4096 })).toEqual({
      ok: false,
      message: "file too large: more than 4096 bytes",
    });
  });
});

describe("what extends may reach", () => {
  it.each([
    ["/etc/passwd", "not a scenario file (its name must end in .yaml, .yml or .json)"],
    ["/dev/zero", "not a scenario file (its name"],
    ["fifo.yaml", "not a file"],
    ["folder.yaml", "not a file"],
    ["link.yaml", "a symbolic link"],
    [
      "secret.yaml",
      "not a scenario file: 1 of its top-level keys is not a scenario key (the first at line 1",
    ],
    ["text.yaml", "not a scenario (its content is not a mapping of scenario keys)"],
  ])("extends %s: refused at the extends line, quoting nothing of it", async (target, message) => {
    const text = await messages(target);
    expect(text).toContain(":1:10 extends: cannot extend ");
    expect(text).toContain(message);
    expect(text).not.toMatch(/hunter2|db_password|root:x/);
  });

  it("a syntax error in a base is located there, without its text", async () => {
    const text = await messages("broken.yaml");
    expect(text).toMatch(/broken\.yaml:2:1 YAML syntax error \(a file that is extended/);
    expect(text).not.toContain("sekrit");
  });

  it("a scenario base with mistakes still gets them located in it, with their text", async () => {
    writeFileSync(at("typo.yaml"), "name: base\nmicrosystems: [{ id: ed, tme: 1 }]\n");
    expect(await messages("typo.yaml")).toContain('typo.yaml:2:26 microsystems[0].tme: unknown key "tme"');
  });
});

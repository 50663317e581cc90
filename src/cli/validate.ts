// `handoff-sim validate <scenario>...`: checks each file and prints every problem with
// file:line:column and field path; `--json` prints the same as one JSON document. Exit status 0
// when every file is valid, 2 otherwise.

import { checkScenarioFile, formatIssue, ScenarioError } from "../node.js";
import type { Io } from "./io.js";

export interface ValidateFlags {
  json?: boolean;
}

export async function validateCommand(
  files: string[],
  io: Pick<Io, "out" | "err">,
  flags: ValidateFlags = {},
): Promise<number> {
  const checks = [];
  for (const file of files) checks.push(await checkScenarioFile(file));
  const valid = checks.every((c) => c.findings.length === 0);
  if (flags.json === true) {
    const document = {
      valid,
      files: checks.map((c) => ({
        file: c.file,
        valid: c.findings.length === 0,
        findings: c.findings,
        warnings: c.warnings,
      })),
    };
    io.out(JSON.stringify(document, null, 2));
    return valid ? 0 : 2;
  }
  for (const c of checks) {
    if (c.findings.length > 0) {
      io.err(new ScenarioError(c.findings).format());
      continue;
    }
    io.out(`ok ${c.file}`);
    for (const warning of c.warnings) io.err(`warning: ${formatIssue(warning)}`);
  }
  return valid ? 0 : 2;
}

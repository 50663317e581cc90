// The repository stands on its own: no tracked file points to a file outside it (the design notes,
// toolchain facts and published figures it relies on are copied into docs/ and scenarios/README.md).
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

/** Built from pieces, so that this file does not match itself. */
const OUTSIDE = new RegExp(`(\\.\\./)+${"shared"}/|/work/${"shared"}`);

describe("the repository", () => {
  it("has no tracked file that points outside it", () => {
    const files = execFileSync("git", ["ls-files", "-z"], { encoding: "utf8" }).split("\0").filter(Boolean);
    expect(files.length).toBeGreaterThan(200);
    const pointing = files.filter((f) => {
      const bytes = readFileSync(f);
      return !bytes.includes(0) && OUTSIDE.test(bytes.toString("utf8"));
    });
    expect(pointing).toEqual([]);
  });

  it("lists every source the AMI scenarios cite in scenarios/README.md", () => {
    const readme = readFileSync("scenarios/README.md", "utf8");
    const references = readme.slice(readme.indexOf("### References cited by the AMI scenarios"));
    const files = execFileSync("git", ["ls-files", "scenarios/ami-*.yaml"], { encoding: "utf8" })
      .split("\n")
      .filter(Boolean);
    expect(files.length).toBeGreaterThanOrEqual(5);
    // "Khera 2014", "Rogers et al. 2008", "De Luca 2004", "Circ CQO 2012", "Mission: Lifeline 2018"…
    const cite =
      /\b((?:De |O')?[A-Z][A-Za-z'’-]+(?: [A-Z][A-Za-z]+)?(?::? [A-Z][a-z]+)?)(?: et al\.)?,? (?:19|20)\d\d\b/g;
    const cited = new Set<string>();
    for (const f of files) {
      for (const line of readFileSync(f, "utf8").split("\n")) {
        const comment = line.slice(line.indexOf("#") + 1);
        if (!line.includes("#")) continue;
        for (const m of comment.matchAll(cite)) cited.add(m[0].replace(" et al.", "").replace(",", ""));
      }
    }
    const generic = /^(The|In|By|From|Since|After|Before|Hospital|STEMI|NSTEMI|ACS|OR|RR|D2B) /;
    const missing = [...cited]
      .filter((c) => !generic.test(c))
      .filter((c) => {
        const year = c.slice(-4);
        const author = c.slice(0, -5).trim();
        return !new RegExp(`${author.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}[^\\n]*${year}`).test(references);
      });
    expect(cited.size).toBeGreaterThan(15);
    expect(missing).toEqual([]);
  });
});

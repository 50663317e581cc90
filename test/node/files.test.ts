import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { MANIFEST, slugify, writeOutputs } from "../../src/node/files.js";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "handoff-sim-files-"));
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

/** The folder's entries, but for the set's manifest (tested on its own below). */
const list = async (dir: string): Promise<string[]> =>
  (await readdir(dir)).filter((f) => f !== MANIFEST).sort();

describe("writeOutputs", () => {
  it("creates the directory and writes text and binary files whole", async () => {
    const dir = join(root, "output", "ami-baseline");
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0, 255]);
    const paths = await writeOutputs(dir, {
      "summary.json": '{"a":1}\n',
      "chart.png": bytes,
      "report.html": "<p>é</p>",
    });
    expect(paths).toEqual([join(dir, "summary.json"), join(dir, "chart.png"), join(dir, "report.html")]);
    expect(await readFile(join(dir, "summary.json"), "utf8")).toBe('{"a":1}\n');
    expect(new Uint8Array(await readFile(join(dir, "chart.png")))).toEqual(bytes);
    expect(await readFile(join(dir, "report.html"), "utf8")).toBe("<p>é</p>");
    expect(await list(dir)).toEqual(["chart.png", "report.html", "summary.json"]);
  });

  it("replaces its own earlier outputs and leaves other files alone", async () => {
    await writeFile(join(root, "summary.csv"), "old");
    await writeFile(join(root, "notes.txt"), "mine");
    await writeOutputs(root, { "summary.csv": "new" });
    expect(await readFile(join(root, "summary.csv"), "utf8")).toBe("new");
    expect(await readFile(join(root, "notes.txt"), "utf8")).toBe("mine");
    expect(await list(root)).toEqual(["notes.txt", "summary.csv"]);
  });

  it("writes nothing and leaves no temporaries when one write fails", async () => {
    await writeFile(join(root, "summary.json"), "old");
    const files = { "summary.json": "new", "elements.csv": 42 as unknown as string, "summary.csv": "x" };
    await expect(writeOutputs(root, files)).rejects.toThrow();
    expect(await list(root)).toEqual(["summary.json"]);
    expect(await readFile(join(root, "summary.json"), "utf8")).toBe("old");
  });

  it("refuses, and leaves everything, when a folder has an output's name", async () => {
    // A non-empty directory where a file should go: never replaced.
    await mkdir(join(root, "report.html"));
    await writeFile(join(root, "report.html", "keep.txt"), "keep");
    await expect(writeOutputs(root, { "report.html": "<p>", "summary.csv": "x" })).rejects.toThrow(
      /report\.html: a folder of that name is in the way/,
    );
    expect(await readdir(root)).toEqual(["report.html"]);
    expect(await readFile(join(root, "report.html", "keep.txt"), "utf8")).toBe("keep");
  });

  it("accepts only plain file names, before touching the disk", async () => {
    const dir = join(root, "never");
    for (const name of ["../escape.txt", "a/b.txt", "", "..", "a\\b"]) {
      await expect(writeOutputs(dir, { [name]: "x" })).rejects.toThrow(TypeError);
    }
    expect(await list(root)).toEqual([]);
  });

  it("returns an empty list for no files, with the directory created", async () => {
    expect(await writeOutputs(join(root, "empty"), {})).toEqual([]);
    expect(await list(root)).toEqual(["empty"]);
  });
});

describe("slugify", () => {
  it.each([
    ["AMI pathway — baseline", "ami-pathway-baseline"],
    ["Crème brûlée / Straße № 5", "creme-brulee-strasse-no-5"],
    ["  --Stroke: door-to-needle (v2)--  ", "stroke-door-to-needle-v2"],
    ["Ærø Øst", "aero-ost"],
    ["", "scenario"],
    ["   ", "scenario"],
    ["心筋梗塞", "scenario"],
  ])("%j → %j", (name, slug) => {
    expect(slugify(name)).toBe(slug);
  });

  it("keeps slugs short, without a dangling dash", () => {
    const slug = slugify(`${"a".repeat(59)} b c`);
    expect(slug.length).toBeLessThanOrEqual(60);
    expect(slug).toBe("a".repeat(59));
    expect(slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });
});

// The studio server's rules: loopback Host only, the token on every request, files only by the
// keys the workspace issued, atomic writes, never through a symbolic link.

import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type StudioServer, startStudioServer } from "../../src/node/studio/server.js";
import { Workspace } from "../../src/node/studio/workspace.js";

const BASE = "# the baseline\nname: Base\nmicrosystems:\n  - { id: a, time: 5 min } # step a\n";
const CHILD = "extends: base.yaml\nname: Child\n";
const TOKEN = "test-token-123";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: "127.0.0.1",
        port,
        path,
        method: options.method ?? "GET",
        headers: { Host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = "";
        res.on("data", (c) => {
          body += c;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

const auth = { Authorization: `Bearer ${TOKEN}` };
const json = { ...auth, "Content-Type": "application/json" };

describe("studio server", () => {
  let dir: string;
  let server: StudioServer;
  let workspace: Workspace;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "handoff-studio-"));
    const assets = join(dir, "assets");
    await mkdir(assets);
    await writeFile(join(assets, "index.html"), "<!doctype html><title>studio</title>");
    await writeFile(join(assets, "studio.js"), "console.log(1)");
    await writeFile(join(assets, "studio.css"), "body{}");
    await mkdir(join(dir, "work"));
    await writeFile(join(dir, "work", "base.yaml"), BASE);
    await writeFile(join(dir, "work", "child.yaml"), CHILD);
    await writeFile(join(dir, "work", "taken.yaml"), "name: someone else's\n");
    await writeFile(join(dir, "secret.txt"), "do not read");
    workspace = await Workspace.open([join(dir, "work", "child.yaml")]);
    server = await startStudioServer({ workspace, assets, token: TOKEN });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("listens on 127.0.0.1 and prints a URL with the token", () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it("refuses a request without the token (401) and with a wrong one (403)", async () => {
    expect((await call(server.port, "/")).status).toBe(401);
    expect((await call(server.port, "/api/workspace")).status).toBe(401);
    expect((await call(server.port, "/?token=nope")).status).toBe(403);
    expect(
      (await call(server.port, "/api/workspace", { headers: { Authorization: "Bearer nope" } })).status,
    ).toBe(403);
    expect(
      (await call(server.port, "/studio.js", { headers: { Cookie: `handoff_studio_${server.port}=nope` } }))
        .status,
    ).toBe(403);
  });

  it("refuses a Host that is not the loopback address (DNS rebinding), token or not", async () => {
    for (const host of ["evil.example:80", `evil.example:${server.port}`, "127.0.0.1:1", "[::1]"]) {
      const answer = await call(server.port, `/?token=${TOKEN}`, { headers: { Host: host } });
      expect(answer.status, host).toBe(403);
      expect(answer.body).toContain("host not allowed");
    }
    const local = await call(server.port, `/?token=${TOKEN}`, {
      headers: { Host: `localhost:${server.port}` },
    });
    expect(local.status).toBe(200);
  });

  it("serves the page with the token, sets a cookie for the page's own loads, and a strict CSP", async () => {
    const page = await call(server.port, `/?token=${TOKEN}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("<title>studio</title>");
    const cookie = String(page.headers["set-cookie"]);
    expect(cookie).toContain(`handoff_studio_${server.port}=${TOKEN}`);
    expect(cookie).toContain("HttpOnly");
    expect(cookie).toContain("SameSite=Strict");
    expect(page.headers["content-security-policy"]).toContain("default-src 'none'");
    const script = await call(server.port, "/studio.js", {
      headers: { Cookie: `handoff_studio_${server.port}=${TOKEN}` },
    });
    expect(script.status).toBe(200);
    expect(script.body).toBe("console.log(1)");
  });

  it("names files by key: the scenario (writable) and its base (read-only), no paths", async () => {
    const answer = await call(server.port, "/api/workspace", { headers: auth });
    const body = JSON.parse(answer.body);
    expect(body.files).toEqual([
      { key: "f0", name: "child.yaml", role: "scenario", writable: true, text: CHILD },
      { key: "f1", name: "base.yaml", role: "base", writable: false, text: BASE },
    ]);
    expect(answer.body).not.toContain(dir);
  });

  it("refuses paths from the client: unknown routes, unknown keys, traversal", async () => {
    for (const path of [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/secret.txt",
      "/api/files/../../secret.txt",
      "/api/files/f9",
    ]) {
      const answer = await call(server.port, path, { headers: auth });
      expect(answer.status, path).toBe(404);
      expect(answer.body).not.toContain("do not read");
    }
    const put = await call(server.port, "/api/files/f9", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ text: "x" }),
    });
    expect(put.status).toBe(404);
    const base = await call(server.port, "/api/files/f1", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ text: "x" }),
    });
    expect(base.status).toBe(403);
    expect(await readFile(join(dir, "work", "base.yaml"), "utf8")).toBe(BASE);
  });

  it("writes a scenario atomically, leaving no temporary file", async () => {
    const text = `${CHILD}# edited\n`;
    const put = await call(server.port, "/api/files/f0", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ text }),
    });
    expect(put.status).toBe(200);
    expect(await readFile(join(dir, "work", "child.yaml"), "utf8")).toBe(text);
    expect((await readdir(join(dir, "work"))).sort()).toEqual(["base.yaml", "child.yaml", "taken.yaml"]);
  });

  it("needs the header for changes: a cookie alone, another Origin or a form post is refused", async () => {
    const body = JSON.stringify({ text: "name: hijacked\n" });
    const cookie = { Cookie: `handoff_studio_${server.port}=${TOKEN}`, "Content-Type": "application/json" };
    expect((await call(server.port, "/api/files/f0", { method: "PUT", headers: cookie, body })).status).toBe(
      403,
    );
    const origin = { ...json, Origin: "http://evil.example" };
    expect((await call(server.port, "/api/files/f0", { method: "PUT", headers: origin, body })).status).toBe(
      403,
    );
    const form = { ...auth, "Content-Type": "application/x-www-form-urlencoded" };
    expect((await call(server.port, "/api/files/f0", { method: "PUT", headers: form, body })).status).toBe(
      415,
    );
    expect(await readFile(join(dir, "work", "child.yaml"), "utf8")).not.toContain("hijacked");
  });

  it("creates a variant beside the scenario from a simple name only, never over another file", async () => {
    const post = (name: string) =>
      call(server.port, "/api/variants", {
        method: "POST",
        headers: json,
        body: JSON.stringify({ name, text: CHILD }),
      });
    for (const name of ["../escape", "a/b", "", ".hidden", "x".repeat(65), "name.yaml"])
      expect((await post(name)).status, name).toBe(400);
    expect((await post("taken")).status).toBe(409);
    expect((await post("base")).status).toBe(409);
    expect(await readFile(join(dir, "work", "taken.yaml"), "utf8")).toBe("name: someone else's\n");
    const made = await post("what-if_1");
    expect(made.status).toBe(200);
    expect(JSON.parse(made.body)).toEqual({
      key: "f2",
      name: "what-if_1.yaml",
      role: "variant",
      writable: true,
    });
    expect(await readFile(join(dir, "work", "what-if_1.yaml"), "utf8")).toBe(CHILD);
    expect((await post("what-if_1")).status).toBe(200); // this session's own variant: replaced
  });

  it("never writes through a symbolic link that replaced a file", async () => {
    await rm(join(dir, "work", "what-if_1.yaml"));
    await symlink(join(dir, "secret.txt"), join(dir, "work", "what-if_1.yaml"));
    const put = await call(server.port, "/api/files/f2", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ text: "x" }),
    });
    expect(put.status).toBe(403);
    expect(await readFile(join(dir, "secret.txt"), "utf8")).toBe("do not read");
    const read = await call(server.port, "/api/workspace", { headers: auth });
    expect(read.body).not.toContain("do not read");
  });

  it("refuses malformed and oversized bodies", async () => {
    expect(
      (await call(server.port, "/api/files/f0", { method: "PUT", headers: json, body: "{" })).status,
    ).toBe(400);
    expect(
      (await call(server.port, "/api/files/f0", { method: "PUT", headers: json, body: "[1]" })).status,
    ).toBe(400);
    const big = JSON.stringify({ text: "#".repeat(3 * 1024 * 1024) });
    expect(
      (await call(server.port, "/api/files/f0", { method: "PUT", headers: json, body: big })).status,
    ).toBe(413);
  });
});

describe("Workspace.open", () => {
  it("refuses a symbolic link, a folder and a missing file", async () => {
    const dir = await mkdtemp(join(tmpdir(), "handoff-ws-"));
    try {
      await writeFile(join(dir, "real.yaml"), BASE);
      await symlink(join(dir, "real.yaml"), join(dir, "link.yaml"));
      await expect(Workspace.open([join(dir, "link.yaml")])).rejects.toThrow(/symbolic link/);
      await expect(Workspace.open([dir])).rejects.toThrow(/not a regular file/);
      await expect(Workspace.open([join(dir, "none.yaml")])).rejects.toThrow(/not found/);
      const readOnly = await Workspace.open([join(dir, "real.yaml")], { readOnly: true });
      expect(readOnly.list()[0]?.writable).toBe(false);
      await expect(readOnly.createVariant("v", "x")).rejects.toThrow(/nothing is saved/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

// The studio's local web server: the page and its assets, and the scenario files of a Workspace.
// It is for one person on this machine, so every request must pass three rules, in this order:
// 1. Host is 127.0.0.1:PORT or localhost:PORT — a page on another site that rebinds its DNS name
//    to 127.0.0.1 sends its own host name, and is refused (DNS rebinding);
// 2. the token printed on the command line comes with it: as ?token= on the first page load (the
//    answer sets a cookie for the page's later loads), or as `Authorization: Bearer` on fetches.
//    Without one: 401; a wrong one: 403. A change (PUT, POST) needs the header — a cookie alone
//    would let another site's form post here — and, when the browser names an Origin, our own;
// 3. files are named by the keys the workspace issued, never by a path (src/studio/workspace.ts).
// Nothing is cached, and the Content-Security-Policy lets the page load only from here: no CDN,
// font or analytics could load even if a dependency tried.

import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { MAX_FILE_BYTES } from "../../scenario/text.js";
import { VERSION } from "../../version.js";
import { type Workspace, WorkspaceError } from "./workspace.js";

export interface StudioServerOptions {
  workspace: Workspace;
  /** Folder with index.html, studio.js and studio.css (the build's dist/studio). */
  assets: string;
  /** 0 (default) lets the system choose a free port. */
  port?: number;
  /** For tests; by default 32 random bytes. */
  token?: string;
}

export interface StudioServer {
  /** http://127.0.0.1:PORT/?token=… — what the command prints and opens. */
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** The files the page may load, by URL path: a fixed list, so no request names a file. */
const ASSETS: Readonly<Record<string, { file: string; type: string }>> = {
  "/": { file: "index.html", type: "text/html; charset=utf-8" },
  "/index.html": { file: "index.html", type: "text/html; charset=utf-8" },
  "/studio.js": { file: "studio.js", type: "text/javascript; charset=utf-8" },
  "/studio.css": { file: "studio.css", type: "text/css; charset=utf-8" },
};

// Workers start from a blob: URL (the same bundle works from a static folder opened as a file);
// vega runs with its expression interpreter, so no 'unsafe-eval' is needed.
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

const COMMON_HEADERS: Readonly<Record<string, string>> = {
  "Cache-Control": "no-store",
  "Content-Security-Policy": CSP,
  "X-Content-Type-Options": "nosniff",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
};

export async function startStudioServer(options: StudioServerOptions): Promise<StudioServer> {
  const token = options.token ?? randomBytes(32).toString("base64url");
  const assets = await loadAssets(options.assets);
  let port = 0;
  const server = createServer((req, res) => {
    handle(req, res, { token, port, assets, workspace: options.workspace }).catch((error: unknown) => {
      send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  port = await listen(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // 127.0.0.1 only: never reachable from another machine.
    server.listen(port, "127.0.0.1", () => {
      server.off("error", reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

async function loadAssets(folder: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const { file } of Object.values(ASSETS)) {
    if (out.has(file)) continue;
    try {
      out.set(file, await readFile(`${folder}/${file}`));
    } catch {
      throw new WorkspaceError(
        500,
        `the studio is not built (${file} missing in ${folder}): run npm run build`,
      );
    }
  }
  return out;
}

interface Context {
  token: string;
  port: number;
  assets: Map<string, Buffer>;
  workspace: Workspace;
}

async function handle(req: IncomingMessage, res: ServerResponse, ctx: Context): Promise<void> {
  const url = new URL(req.url ?? "/", "http://127.0.0.1");
  if (!hostAllowed(req.headers.host, ctx.port)) return send(res, 403, { error: "host not allowed" });
  const presented = presentedToken(req, url, ctx.port);
  if (presented === null) return send(res, 401, { error: "token required: open the URL the studio printed" });
  if (!sameToken(presented.token, ctx.token)) return send(res, 403, { error: "wrong token" });

  const method = req.method ?? "GET";
  if (method !== "GET" && method !== "HEAD") {
    if (presented.via !== "header") return send(res, 403, { error: "changes need the Authorization header" });
    const origin = req.headers.origin;
    if (origin !== undefined && !hostAllowed(origin.replace(/^http:\/\//, ""), ctx.port))
      return send(res, 403, { error: "origin not allowed" });
  }
  try {
    await route(req, res, url, method, presented.via === "query", ctx);
  } catch (error) {
    if (error instanceof WorkspaceError) return send(res, error.status, { error: error.message });
    throw error;
  }
}

async function route(
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  method: string,
  fromQuery: boolean,
  ctx: Context,
): Promise<void> {
  const asset = ASSETS[url.pathname];
  if (asset !== undefined && (method === "GET" || method === "HEAD")) {
    const headers: Record<string, string> = { "Content-Type": asset.type };
    // The cookie lets the page's own loads (scripts, a reload) in; Strict: no other site sends it.
    if (fromQuery)
      headers["Set-Cookie"] = `${cookieName(ctx.port)}=${ctx.token}; Path=/; HttpOnly; SameSite=Strict`;
    return sendBody(res, 200, headers, method === "HEAD" ? Buffer.alloc(0) : ctx.assets.get(asset.file)!);
  }
  if (url.pathname === "/api/workspace" && method === "GET") return send(res, 200, await workspaceJson(ctx));
  const fileKey = /^\/api\/files\/(f\d+)$/.exec(url.pathname)?.[1];
  if (fileKey !== undefined && method === "PUT") {
    const body = await jsonBody(req);
    if (typeof body.text !== "string") return send(res, 400, { error: "expected {text}" });
    await ctx.workspace.write(fileKey, body.text);
    return send(res, 200, { ok: true });
  }
  if (url.pathname === "/api/variants" && method === "POST") {
    const body = await jsonBody(req);
    if (typeof body.name !== "string" || typeof body.text !== "string")
      return send(res, 400, { error: "expected {name, text}" });
    return send(res, 200, await ctx.workspace.createVariant(body.name, body.text));
  }
  return send(res, 404, { error: "not found" });
}

async function workspaceJson(ctx: Context): Promise<unknown> {
  const files = await Promise.all(
    ctx.workspace.list().map(async (entry) => ({ ...entry, text: await ctx.workspace.read(entry.key) })),
  );
  return { version: VERSION, readOnly: ctx.workspace.readOnly, files };
}

/** Host (or Origin without its scheme) is this server on the loopback address. */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

function cookieName(port: number): string {
  // Cookies ignore the port: name ours by it, so two studios on one machine keep their own.
  return `handoff_studio_${port}`;
}

function presentedToken(
  req: IncomingMessage,
  url: URL,
  port: number,
): { token: string; via: "query" | "header" | "cookie" } | null {
  const auth = req.headers.authorization;
  if (auth !== undefined) return { token: auth.replace(/^Bearer\s+/i, ""), via: "header" };
  const query = url.searchParams.get("token");
  if (query !== null) return { token: query, via: "query" };
  const name = cookieName(port);
  for (const part of (req.headers.cookie ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return { token: rest.join("="), via: "cookie" };
  }
  return null;
}

/** Constant-time comparison (of digests, so lengths never leak either). */
function sameToken(a: string, b: string): boolean {
  const digest = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!(req.headers["content-type"] ?? "").startsWith("application/json"))
    throw new WorkspaceError(415, "expected application/json");
  const chunks: Buffer[] = [];
  let size = 0;
  // JSON adds at most 6 bytes per character of text (\uXXXX); past that the request is refused
  // before it is all read.
  const limit = MAX_FILE_BYTES * 6 + 1024;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new WorkspaceError(413, "request too large");
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString("utf8"));
    if (value === null || typeof value !== "object" || Array.isArray(value)) throw new Error("not an object");
    return value as Record<string, unknown>;
  } catch {
    throw new WorkspaceError(400, "the body is not a JSON object");
  }
}

function send(res: ServerResponse, status: number, body: unknown): void {
  sendBody(
    res,
    status,
    { "Content-Type": "application/json; charset=utf-8" },
    Buffer.from(JSON.stringify(body)),
  );
}

function sendBody(res: ServerResponse, status: number, headers: Record<string, string>, body: Buffer): void {
  if (res.headersSent) return;
  res.writeHead(status, { ...COMMON_HEADERS, ...headers, "Content-Length": String(body.length) });
  res.end(body);
}

// Where the page's files come from and go to. Two hosts, one page:
// - the local server (`handoff-sim studio`): files by the keys it issued, saved in place;
// - a static site: files opened or dropped by the user (or the bundled examples), and saved by
//   downloading them.

import type { StudioFile } from "./files.js";

export type { StudioFile };

export interface Host {
  kind: "server" | "static";
  /** Why nothing can be saved in place, or null. */
  readOnlyReason: string | null;
  files: StudioFile[];
  save(file: StudioFile, text: string): Promise<void>;
  /** Writes (or downloads) a variant; returns its file. */
  createVariant(name: string, text: string): Promise<StudioFile>;
}

/** The token from the URL the command printed (kept in the page for its fetches). */
function token(): string | null {
  return new URLSearchParams(location.search).get("token");
}

async function api(path: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(path, {
    ...init,
    headers: {
      ...(init.headers ?? {}),
      Authorization: `Bearer ${token() ?? ""}`,
      "Content-Type": "application/json",
    },
  });
  const body = (await response.json().catch(() => ({}))) as { error?: string };
  if (!response.ok) throw new Error(body.error ?? `the studio server answered ${response.status}`);
  return body;
}

export async function serverHost(): Promise<Host> {
  const body = (await api("/api/workspace")) as { readOnly: boolean; files: StudioFile[] };
  const files = body.files;
  return {
    kind: "server",
    readOnlyReason: body.readOnly
      ? "Opened without a file: the bundled scenario is read-only. Start `handoff-sim studio my.yaml` to save, or download."
      : null,
    files,
    async save(file, text) {
      await api(`/api/files/${file.key}`, { method: "PUT", body: JSON.stringify({ text }) });
      file.text = text;
    },
    async createVariant(name, text) {
      const entry = (await api("/api/variants", {
        method: "POST",
        body: JSON.stringify({ name, text }),
      })) as StudioFile;
      const file = { ...entry, text };
      const known = files.findIndex((f) => f.key === file.key);
      if (known >= 0) files[known] = file;
      else files.push(file);
      return file;
    },
  };
}

export function download(name: string, text: string, type = "text/yaml"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = name.split("/").at(-1) ?? name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** A static page: the bundled examples, plus whatever the user opens. */
export function staticHost(): Host {
  const files: StudioFile[] = Object.entries(__BUNDLED_SCENARIOS__).map(([name, text], i) => ({
    key: `b${i}`,
    name,
    role: "scenario",
    writable: true,
    text,
  }));
  let opened = 0;
  return {
    kind: "static",
    readOnlyReason: "A static page cannot write files: Save downloads the scenario.",
    files,
    async save(file, text) {
      file.text = text;
      download(file.name, text);
    },
    async createVariant(name, text) {
      const file: StudioFile = {
        key: `v${opened++}`,
        name: `${name}.yaml`,
        role: "variant",
        writable: true,
        text,
      };
      files.push(file);
      download(file.name, text);
      return file;
    },
  };
}

/** Adds files the user opened or dropped (static site) as scenarios. */
export async function addLocalFiles(host: Host, list: FileList | File[]): Promise<StudioFile[]> {
  const added: StudioFile[] = [];
  for (const f of Array.from(list)) {
    if (f.size > 2 * 1024 * 1024) throw new Error(`${f.name}: larger than 2 MiB, not a scenario`);
    const file: StudioFile = {
      key: `u${host.files.length}`,
      name: f.name,
      role: "scenario",
      writable: true,
      text: await f.text(),
    };
    const same = host.files.findIndex((x) => x.name === f.name);
    if (same >= 0) host.files[same] = { ...file, key: host.files[same]!.key };
    else host.files.push(file);
    added.push(same >= 0 ? host.files[same]! : file);
  }
  return added;
}

export async function connect(): Promise<Host> {
  if (location.protocol.startsWith("http") && token() !== null) return serverHost();
  return staticHost();
}

// File paths as scenarios name them in `extends`: "/"-separated, joined and normalised like POSIX
// (the same results as Node's path.posix, without importing it, so the format parses in a browser).

export function isAbsolute(path: string): boolean {
  return path.startsWith("/");
}

/** "a/./b/../c" → "a/c"; "" → "."; keeps a leading "/" and leading ".." of relative paths and a trailing "/". */
export function normalize(path: string): string {
  if (path === "") return ".";
  const absolute = isAbsolute(path);
  const trailing = path.endsWith("/");
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out[out.length - 1] !== "..") out.pop();
    else if (part !== ".." || !absolute) out.push(part);
  }
  let joined = out.join("/");
  if (joined === "" && !absolute) joined = ".";
  if (trailing && joined !== "" && joined !== ".") joined += "/";
  else if (trailing && joined === ".") joined = "./";
  return absolute ? `/${joined}` : joined;
}

/** The parts joined with "/" and normalised; "." when there is nothing. */
export function join(...parts: string[]): string {
  const kept = parts.filter((p) => p !== "");
  return kept.length === 0 ? "." : normalize(kept.join("/"));
}

/** Everything before the last "/" ("." for a bare file name, "/" for the root); as path.posix.dirname. */
export function dirname(path: string): string {
  if (path === "") return ".";
  const rooted = path[0] === "/";
  let end = -1;
  let trailing = true;
  for (let i = path.length - 1; i >= 1; i--) {
    if (path[i] !== "/") trailing = false;
    else if (!trailing) {
      end = i;
      break;
    }
  }
  if (end === -1) return rooted ? "/" : ".";
  if (rooted && end === 1) return "//";
  return path.slice(0, end);
}

// The names the page gives files: paths relative to the first scenario's folder, "/"-separated.

/** "a/../b.yaml" → "b.yaml": the names the workspace uses, for `extends` lookups. */
export function normalizePath(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out.at(-1) !== "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

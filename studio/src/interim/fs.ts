// INTERIM: node:fs/promises for the internals' loader, answered from the page's open files.
export const memoryFiles: { resolve: ((path: string) => string) | null } = { resolve: null };
function text(file: string): string {
  if (memoryFiles.resolve === null) throw Object.assign(new Error("not open"), { code: "ENOENT" });
  try {
    return memoryFiles.resolve(file);
  } catch {
    throw Object.assign(new Error("not open"), { code: "ENOENT" });
  }
}
export async function stat(file: string) {
  const t = text(file);
  return { isFile: () => true, size: t.length };
}
export async function readFile(file: string) {
  return new TextEncoder().encode(text(file));
}

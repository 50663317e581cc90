// INTERIM: node:path (posix) for the internals' loader.
function normalize(p: string): string {
  const out: string[] = [];
  for (const part of p.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === ".." && out.length > 0 && out.at(-1) !== "..") out.pop();
    else out.push(part);
  }
  return (p.startsWith("/") ? "/" : "") + out.join("/");
}
const path = {
  isAbsolute: (p: string) => p.startsWith("/"),
  join: (...parts: string[]) => normalize(parts.join("/")),
  dirname: (p: string) => (p.includes("/") ? p.slice(0, p.lastIndexOf("/")) || "/" : "."),
  resolve: (...parts: string[]) => normalize(parts.join("/")),
};
export default path;
export const { join, dirname } = path;
export const basename = (p: string) => p.slice(p.lastIndexOf("/") + 1);

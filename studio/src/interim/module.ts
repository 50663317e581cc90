// INTERIM: node:module for render.ts (never called in the page).
export function createRequire(): (id: string) => never {
  return (id) => {
    throw new Error(`require(${id}) in the browser`);
  };
}

// INTERIM: the one Buffer use of the internals' loader.
(globalThis as { Buffer?: unknown }).Buffer ??= {
  byteLength: (s: string) => new TextEncoder().encode(s).length,
};

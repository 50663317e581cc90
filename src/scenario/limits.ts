// Every bound on what a scenario (a file, a `--set`, a flag) may ask for, in one place. Scenario
// files are data from people and from scripts, and soon from the network: each bound is far above
// what any real scenario needs (the figures below say how far) and low enough that checking a file
// that breaks it takes well under a second and a few hundred MB. docs/scenario-reference.md
// ("Limits") lists them for users; the tests in test/scenario/hostile.test.ts hold them to it.

// --- The file as text (src/scenario/yaml-source.ts; the size cap is in read.ts) ----------------

/** Alias uses allowed in one file; a real scenario needs a handful. */
export const MAX_ALIASES = 100;
/**
 * Values allowed in one file after alias expansion (maps, lists and scalars; keys not counted):
 * the bundled heart-attack scenario has 300, a 1,000-microsystem chain about 11,000.
 */
export const MAX_NODES = 100_000;
/** Nesting allowed; a real scenario nests about six deep. Bounds the recursion of every later stage. */
export const MAX_DEPTH = 64;
/**
 * Tokens (words, numbers, punctuation, line breaks, indentation, comments) the parser reads from
 * one file: the bundled heart-attack scenario has 3,300, a 1,000-microsystem chain (each with a
 * failure mode, written out in block style) 48,000–85,000. Parsing and checking cost up to about
 * 10 µs a token (flow-style JSON of 30,000 routes: 180,000 tokens took 1.8 s), so this bounds a
 * refusal to about a second.
 */
export const MAX_TOKENS = 100_000;
/** Characters in one text (a key or a value): a long description is a few thousand. */
export const MAX_TEXT = 10_000;

// --- Values (src/scenario/format.ts) -----------------------------------------------------------

/**
 * Longest id: ids name output files, CSV rows and chart marks, and people type them; the bundled
 * scenarios' longest has 25 characters.
 */
export const MAX_ID_LENGTH = 64;
/** Longest name (of the scenario, a microsystem, a failure mode, a metric). */
export const MAX_NAME_LENGTH = 200;
/** Longest path (`extends`, `$schema`); a path of the system is at most 4,096 bytes. */
export const MAX_PATH_LENGTH = 1024;
/** Patients of one run: rejects absurd sizes (and typos such as 1e12) before they cost a run. */
export const MAX_PATIENTS = 1e9;
/** Arrivals per day: a whole health system sees fewer; more is a typo, and each one is simulated. */
export const MAX_PER_DAY = 1e6;
/** Visits one journey may make before the guard stops it. */
export const MAX_VISITS = 1e6;

// --- Flags (src/cli/options.ts) ----------------------------------------------------------------

/**
 * Worker threads: each is a Node.js isolate of about 30 MB, and more threads than cores only
 * share the same cores; 256 covers the largest machines while bounding the memory asked for.
 */
export const MAX_WORKERS = 256;
/** Shards of one run (`--shard K/N`): as many as the units of work of a billion patients. */
export const MAX_SHARDS = 1_000_000;

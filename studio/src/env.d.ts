// What the build (studio/build.mjs) provides besides the sources.
declare module "*.css";
/** The simulation worker's bundled code, started from a blob: URL. */
declare const __WORKER_SOURCE__: string;
/** The static site's scenarios (name → text); empty when served by `handoff-sim studio`. */
declare const __BUNDLED_SCENARIOS__: Record<string, string>;

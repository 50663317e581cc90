#!/usr/bin/env node
// Thin launcher: the command line lives in src/cli, bundled into one file by `npm install`
// (prepare → build → scripts/bundle-cli.mjs) so it starts fast. Ctrl-C exits 130 with one line and
// no partial file (src/cli/interrupt.ts, wired in src/cli/entry.ts).
import "../dist/bundle/cli/handoff-sim.js";

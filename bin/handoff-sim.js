#!/usr/bin/env node
// Thin launcher: the command line lives in src/cli, compiled to dist/ by `npm install` (prepare).
import { handleInterrupts } from "../dist/src/cli/interrupt.js";
import { main } from "../dist/src/cli/main.js";

// Ctrl-C: exit 130 with one line and no partial file (src/cli/interrupt.ts).
handleInterrupts();
process.exitCode = await main(process.argv);

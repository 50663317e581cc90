#!/usr/bin/env node
// Thin launcher: the command line lives in src/cli, compiled to dist/ by `npm install` (prepare).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv);

// The command line's entry point (bin/handoff-sim.js runs its bundle, dist/bundle/cli/handoff-sim.js):
// Ctrl-C exits 130 with one line and no partial file; the exit status is main's.
import { handleInterrupts } from "./interrupt.js";
import { main } from "./main.js";

handleInterrupts();
process.exitCode = await main(process.argv);

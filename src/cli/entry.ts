import { handleInterrupts } from "./interrupt.js";
import { main } from "./main.js";

handleInterrupts();
process.exitCode = await main(process.argv);

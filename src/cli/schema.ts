// `handoff-sim schema`: prints the JSON Schema of the scenario format, for editors.

import { scenarioJsonSchema } from "../node.js";
import type { Io } from "./io.js";

export function schemaCommand(io: Pick<Io, "out">): number {
  io.out(JSON.stringify(scenarioJsonSchema(), null, 2));
  return 0;
}

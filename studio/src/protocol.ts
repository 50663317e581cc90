// Messages between the page and its simulation workers.
import type { Unit } from "./api.js";

export type ToWorker =
  | { kind: "model"; run: number; model: unknown }
  | { kind: "unit"; run: number; slot: number; unit: Unit };

export type FromWorker =
  | { kind: "tally"; run: number; slot: number; tally: unknown }
  | { kind: "error"; run: number; message: string };

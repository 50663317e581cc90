// A run that cannot go on: the model is valid, but what happens in it leaves patients who can
// never move (a deadlock of blocked microsystems, a class starved for ever by higher priorities).
// The run stops with this error instead of hanging; the message names the places and the
// simulated time, in words a quality team can act on.
export class SimulationError extends Error {
  override readonly name = "SimulationError";
}

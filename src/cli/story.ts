// `handoff-sim story <scenario> [--patient K] [--find KIND] [--seed S] [--patients N]`: one simulated
// patient's journey, told in plain language, drawn from the same random streams as `run`.
import { type Command, InvalidArgumentError } from "commander";
import { FIND_KINDS, type FindKind, StoryError, story, tellStory } from "../node.js";
import { type Io, UsageError } from "./io.js";
import { patientCount, patientIndex, seedValue } from "./options.js";
import { loadForCommand } from "./scenario.js";

export interface StoryFlags {
  patient?: number;
  find?: FindKind;
  seed?: number;
  patients?: number;
  json?: boolean;
}

export function registerStory(program: Command, io: Io, done: (status: number) => void): void {
  program
    .command("story")
    .description("one simulated patient's journey, told as a story (the same patient as in `run`)")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option(
      "--patient <k>",
      "patient index (with arrivals: replication 0 in arrival order, warm-up included; default: the first patient the run's figures count)",
      patientIndex,
    )
    .option("--find <kind>", `first patient from K on with: ${FIND_KINDS.join(", ")}`, parseFind)
    .option("--seed <s>", "random seed (overrides the scenario; use the same with run)", seedValue)
    .option(
      "--patients <n>",
      "journeys in the run (overrides the scenario; use the same with run)",
      patientCount,
    )
    .option("--json", "print the story as one JSON document: the typed events, `counted` and every figure")
    .addHelpText(
      "after",
      "\nExamples:\n  handoff-sim story scenarios/ami-baseline.yaml --patient 40\n" +
        "  handoff-sim story scenarios/ami-baseline.yaml --json > story.json\n" +
        "  handoff-sim story scenarios/ami-baseline.yaml --find death\n" +
        "\nThe same patient's every step is in the rows of `run --trace FILE` with that patient index" +
        "\n(and replication 0 when patients arrive over time): case_id 0-K.",
    )
    .action(async (file: string, flags: StoryFlags) => done(await storyCommand(file, flags, io)));
}

export async function storyCommand(file: string, flags: StoryFlags, io: Io): Promise<number> {
  const model = await loadForCommand(file, io);
  const { json, ...options } = flags;
  try {
    const told = story(model, options);
    io.out(json === true ? JSON.stringify(told, null, 2) : tellStory(told));
    return 0;
  } catch (error) {
    // A patient number beyond the run is the user's to fix: exit 2, like other bad input. A search
    // that finds no match is a result, reported as a run-time failure (exit 1) by main.
    if (error instanceof StoryError) throw new UsageError(error.message);
    throw error;
  }
}

function parseFind(value: string): FindKind {
  if (!(FIND_KINDS as readonly string[]).includes(value)) {
    throw new InvalidArgumentError(`expected one of ${FIND_KINDS.join(", ")}.`);
  }
  return value as FindKind;
}

// IHI reliability levels (Nolan et al. 2004, "Improving the reliability of health care"), with the
// exact cut-offs this tool uses, so every report names a level the same way.

export type ReliabilityLevelId = "chaotic" | "1e-1" | "1e-2" | "1e-3";

export interface ReliabilityLevel {
  id: ReliabilityLevelId;
  /** As printed: "chaotic", "10⁻¹", … */
  label: string;
  /** Lowest reliability in this level (inclusive). */
  from: number;
  meaning: string;
}

/**
 * The IHI levels with our cut-offs: chaotic below 80%; 10⁻¹ from 80% to below 95%; 10⁻² from 95% to
 * below 99.5%; 10⁻³ from 99.5%. The literature gives 10⁻¹ as "80–90%" and 10⁻² as "about 95%",
 * leaving 90–95% open; we count it as 10⁻¹ because 10⁻² starts at 95%.
 */
export const IHI_LEVELS: readonly ReliabilityLevel[] = [
  { id: "chaotic", label: "chaotic", from: 0, meaning: "more than 2 failures in 10 (below 80%)" },
  { id: "1e-1", label: "10⁻¹", from: 0.8, meaning: "1 or 2 failures in 10 (80% to below 95%)" },
  { id: "1e-2", label: "10⁻²", from: 0.95, meaning: "about 1 to 5 failures in 100 (95% to below 99.5%)" },
  { id: "1e-3", label: "10⁻³", from: 0.995, meaning: "5 or fewer failures in 1000 (99.5% or better)" },
];

/** Rounding noise must not push exactly 95% (0.95 computed as a product) below the cut-off. */
const LEVEL_TOLERANCE = 1e-9;

export function reliabilityLevel(reliability: number): ReliabilityLevel {
  let level = IHI_LEVELS[0]!;
  for (const l of IHI_LEVELS) if (reliability + LEVEL_TOLERANCE >= l.from) level = l;
  return level;
}

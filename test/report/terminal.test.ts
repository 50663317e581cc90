import { describe, expect, it } from "vitest";
import type { RunSummary } from "../../src/analysis/summary.js";
import { formatDuration as duration, formatPercent as percent } from "../../src/report/format.js";
import { failureModeRanking, formatRunSummary } from "../../src/report/terminal.js";
import { sampleSummary } from "../fixtures/summary.js";

/** The lines of one section: from its heading to the next blank line. */
function section(text: string, heading: string): string[] {
  const lines = text.split("\n");
  const start = lines.findIndex((l) => l.startsWith(heading));
  expect(start, `section "${heading}"`).toBeGreaterThanOrEqual(0);
  const end = lines.indexOf("", start);
  return lines.slice(start + 1, end === -1 ? undefined : end);
}

function row(lines: string[], label: string): string {
  const found = lines.find((l) => l.trimStart().startsWith(label));
  expect(found, `row "${label}"`).toBeDefined();
  return found!;
}

describe("formatRunSummary", () => {
  const text = formatRunSummary(sampleSummary());

  it("leads with the whole-journey reliability, its CI and the analytic value", () => {
    expect(text.split("\n")[0]).toBe("AMI pathway — baseline");
    expect(text).toContain("Whole-journey reliability 37.1% (95% CI 36.4–37.8%) · analytic 37.06%");
    expect(text).toContain("20,000 patients · 10 replications · warm-up 14 d");
  });

  it("shows one line per class when there are several, and none for a single class", () => {
    const classes = section(text, "Whole-journey reliability");
    expect(row(classes, "stemi_ems")).toMatch(
      /31\.2% \(95% CI 29\.8–32\.7%\)\s+analytic 31\.05%\s+4,012 patients$/,
    );
    expect(row(classes, "nstemi")).toContain("12,990 patients");
    const single = sampleSummary();
    single.reliability.by_class = { all: { ...single.reliability, patients: 20000 } };
    expect(formatRunSummary(single)).not.toContain("Class");
  });

  it("tabulates microsystems with aligned columns and humane times", () => {
    const table = section(text, "Microsystems");
    expect(table[0]).toMatch(
      /Microsystem\s+Visits\s+Defects\s+Reliability\s+Near misses\s+Wait mean\s+Wait p90\s+Utilisation\s+Off-hours/,
    );
    expect(
      row(table, "Cath lab")
        .trim()
        .split(/\s{2,}/)
        .slice(1),
    ).toEqual(["7,010", "210", "97.0%", "140", "0.64 h", "1.6 h", "46%", "2,921"]);
    // One unit per column of waits: 38 min and 7 d in hours, not "38 min … 7 d".
    expect(row(table, "Cardiac rehab")).toMatch(/72 h\s+168 h\s+—/);
    // Right-aligned numeric columns end where their header ends.
    const end = table[0]!.indexOf("Visits") + "Visits".length;
    for (const line of table.slice(1)) expect(line[end - 1]).toMatch(/\d/);
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it("leaves out utilisation and off-hours columns that would be empty", () => {
    const s = sampleSummary();
    for (const m of s.microsystems) {
      m.utilization = null;
      m.off_hours = 0;
    }
    const table = section(formatRunSummary(s), "Microsystems");
    expect(table[0]).not.toContain("Utilisation");
    expect(table[0]).not.toContain("Off-hours");
  });

  it("tabulates handoffs by microsystem name", () => {
    const table = section(text, "Handoffs");
    expect(table).toHaveLength(1 + 9);
    expect(row(table, "Telemetry → Cardiac rehab")).toMatch(/17,020\s+7,660\s+55\.0%\s+0$/);
    expect(row(table, "Emergency department → Cath lab")).toMatch(/7,010\s+140\s+98\.0%\s+70$/);
  });

  it("ranks the five failure modes that caused the most defects", () => {
    const lines = section(text, "Failure modes causing the most defects (top 5 of 15)");
    const ranked = lines.slice(1);
    expect(ranked).toHaveLength(5);
    expect(ranked[0]).toMatch(/1\.\s+Telemetry → Cardiac rehab\s+no_referral\s+7,660 defects\s+51% of all$/);
    expect(ranked[1]).toMatch(/2\.\s+Emergency department → Telemetry\s+incomplete_sbar\s+909 defects/);
    expect(ranked.join("\n")).toMatch(/missed_ecg\s+800 defects\s+5% of all\s+\+ 400 caught/);
  });

  it("reports outcomes, with guard stops only when there were any", () => {
    const lines = section(text, "Outcomes");
    expect(row(lines, "30-day mortality per 1000")).toMatch(
      /41\.8 expected \(95% CI 40\.9–42\.8\) · 42\.1 sampled$/,
    );
    expect(row(lines, "Completed journeys")).toMatch(/12,340 \(61\.7%\)$/);
    expect(row(lines, "Dropped (lost to follow-up)")).toMatch(/7,660 \(38\.3%\)$/);
    expect(row(lines, "Near misses")).toMatch(/1,306$/);
    expect(text).not.toContain("visit guard");
    const s = sampleSummary();
    s.outcomes.guard_stopped = 3;
    s.outcomes.mortality_per_1000 = null;
    const other = formatRunSummary(s);
    expect(row(section(other, "Outcomes"), "Stopped by the visit guard")).toMatch(/3 \(0\.02%\)$/);
    expect(other).not.toContain("mortality");
  });

  it("reports metrics with mean, median, p90 and share within target", () => {
    const lines = section(text, "Metrics");
    expect(lines[0]).toMatch(/Metric\s+n\s+Mean\s+Median\s+p90\s+Within target/);
    expect(row(lines, "Door to balloon")).toMatch(
      /6,812\s+\S.*\s+1 h 11 min\s+1 h 59 min\s+71\.2% \(≤ 1 h 30 min\)$/,
    );
    expect(row(lines, "ED length of stay")).toMatch(/20,000\s+\S.*\s+3 h 12 min\s+6 h 55 min\s+—$/);
  });

  it("ends with events and wall time", () => {
    expect(text.trimEnd().split("\n").at(-1)).toBe("1,234,567 events in 2.3 s (526,468 events/s)");
  });

  it("says n/a for an interval that does not exist (one replication)", () => {
    const s = sampleSummary();
    s.reliability.ci95 = [Number.NaN, Number.NaN];
    s.reliability.analytic = null;
    expect(formatRunSummary(s)).toContain("Whole-journey reliability 37.1% (95% CI n/a)\n");
  });

  it("uses colour only when asked", () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes
    const ansi = /\u001b\[/;
    expect(text).not.toMatch(ansi);
    const coloured = formatRunSummary(sampleSummary(), { color: true });
    expect(coloured).toMatch(ansi);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping ANSI escapes
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, "")).toBe(text);
  });

  it("keeps control characters in scenario names out of the terminal", () => {
    const s: RunSummary = sampleSummary();
    s.microsystems[0]!.name = "Para\u001b[31mmedics\nEMS";
    const out = formatRunSummary(s);
    expect(out).not.toContain("\u001b");
    expect(out).toContain("Para [31mmedics EMS");
  });
});

describe("failureModeRanking", () => {
  it("counts only uncaught occurrences and orders by defects", () => {
    const ranking = failureModeRanking(sampleSummary());
    expect(ranking[0]).toEqual({
      where: "Telemetry → Cardiac rehab",
      mode: "no_referral",
      defects: 7660,
      caught: 0,
    });
    const ecg = ranking.find((m) => m.mode === "missed_ecg");
    expect(ecg).toEqual({ where: "Emergency department", mode: "missed_ecg", defects: 800, caught: 400 });
    expect(ranking.map((m) => m.defects)).toEqual([...ranking.map((m) => m.defects)].sort((a, b) => b - a));
  });
});

describe("duration", () => {
  it.each([
    [0, "0 min"],
    [0.001, "< 1 s"],
    [0.5, "30 s"],
    [4.54, "4.5 min"],
    [4.0, "4 min"],
    [12.4, "12 min"],
    [59.7, "1 h"],
    [92, "1 h 32 min"],
    [1439.4, "23 h 59 min"],
    [3312, "2.3 d"],
    [14 * 1440, "14 d"],
    [2000 * 1440, "2,000 d"],
    [-30, "−30 min"],
    [Number.NaN, "—"],
  ])("%f min → %s", (minutes, expected) => {
    expect(duration(minutes)).toBe(expected);
  });
});

describe("percent", () => {
  it.each([
    [0.37125, 1, "37.1%"],
    [0.370641, 2, "37.06%"],
    [1, 1, "100.0%"],
    [0.99996, 1, "99.996%"],
    [0.00004, 1, "0.004%"],
    [0, 1, "0.0%"],
    [0.4629, 0, "46%"],
  ])("%f with %i decimals → %s", (share, decimals, expected) => {
    expect(percent(share, decimals)).toBe(expected);
  });
});

describe("formatRunSummary: capacity (issue 12)", () => {
  const withCapacity = (): RunSummary => {
    const s = sampleSummary();
    const lab = s.microsystems.find((m) => m.id === "cathlab")!;
    lab.blocked = { mean: 29, p90: 120, share: 0.09 };
    lab.utilization = 0.14;
    lab.background_utilization = 0.12;
    lab.reneged = 7;
    s.outcomes.reneged = 7;
    s.resources = [
      {
        id: "beds",
        name: "Shared beds",
        microsystems: ["cathlab", "ed"],
        capacity: null,
        utilization: 0.8,
        background_utilization: 0.3,
        occupancy: { busy_minutes: 50, background_minutes: 30, available_minutes: 100 },
      },
    ];
    return s;
  };

  it("adds the time blocked, the other patients' share and the patients who left, only when there are some", () => {
    const lines = section(formatRunSummary(withCapacity()), "Microsystems");
    expect(lines[0]).toMatch(
      /Utilisation\s+Off-hours\s+Blocked mean\s+Blocked p90\s+Blocked\s+Left the queue$/,
    );
    expect(row(lines, "Cath lab")).toMatch(/14% \(12% others\)\s+[\d,]+\s+29 min\s+2 h\s+9% of stays\s+7$/);
    expect(row(lines, "Emergency department")).toMatch(/—\s+—\s+—\s+0$/);
    expect(section(text(), "Microsystems")[0]).not.toContain("Blocked");
  });

  it("lists shared resources and the journeys that ended waiting too long", () => {
    const out = formatRunSummary(withCapacity());
    expect(row(section(out, "Shared resources"), "Shared beds")).toMatch(
      /by shift\s+Cath lab, Emergency department\s+80% \(30% others\)$/,
    );
    expect(row(section(out, "Outcomes"), "Left after waiting too long")).toMatch(
      /^\s+Left after waiting too long\s+7 \(/,
    );
    expect(formatRunSummary(sampleSummary())).not.toContain("Shared resources");
  });

  function text(): string {
    return formatRunSummary(sampleSummary());
  }
});

describe("queue-dependent intervals and warnings", () => {
  const s = sampleSummary();
  s.microsystems[0]!.wait = { mean: 17, p90: 54, ci95: [15, 19], p90_ci95: [50, 58] };
  s.microsystems[0]!.utilization = 0.69;
  s.microsystems[0]!.utilization_ci95 = [0.68, 0.7];
  s.warmup = {
    minutes: 14 * 1440,
    method: "MSER-5",
    pilot_patients: 4096,
    truncated_patients: 300,
    settled: true,
  };
  s.warnings = [{ kind: "overload", microsystem: "ed", message: "Emergency department is overloaded" }];
  const text = formatRunSummary(s);

  it("shows a wait and a utilisation with their intervals, and says who chose the warm-up", () => {
    const first = section(text, "Microsystems")[1]!;
    // In the column's unit (hours: other microsystems wait longer).
    expect(first).toContain("0.28 h (0.25–0.32 h)");
    expect(first).toContain("0.90 h (0.83–0.97 h)");
    expect(first).toContain("69% (68–70%)");
    expect(text).toContain("warm-up 14 d (chosen by MSER-5)");
  });

  it("ends with the warnings", () => {
    expect(section(text, "Warnings")).toEqual(["  ! Emergency department is overloaded."]);
  });
});

describe("wording a new user reads right", () => {
  it("says why a p90 of 0 sits beside a mean wait above 0, and keeps one unit per column", () => {
    const s = sampleSummary();
    s.microsystems[0]!.wait = { mean: 26, p90: 0 };
    s.microsystems[1]!.wait = { mean: 47 / 60, p90: 0 };
    const table = section(formatRunSummary(s), "Microsystems");
    expect(row(table, s.microsystems[0]!.name)).toMatch(/26 h?min|0\.43 h/);
    expect(row(table, s.microsystems[0]!.name)).toContain("(most do not wait)");
    // 47 s is written in the column's unit, as every other wait of the column.
    const units = new Set(
      table.slice(1).flatMap((line) => [...line.matchAll(/\d (s|min|h|d)\b/g)].map((m) => m[1])),
    );
    expect(units.size).toBe(1);
  });

  it("gives per-year figures at the scenario's volume, and each class's main path", () => {
    const text = formatRunSummary(sampleSummary());
    // 8 arrivals a day: 2,920 patients a year; 41.8 deaths per 1000.
    expect(text).toMatch(/A year at the scenario's volume\s+122\.1 deaths expected of 2,920 patients/);
    // The scenario's own volume_per_year, where it gives one, over the arrivals' rate.
    expect(formatRunSummary({ ...sampleSummary(), volume_per_year: 1000 })).toMatch(
      /A year at the scenario's volume\s+41\.8 deaths expected of 1,000 patients/,
    );
    const paths = section(text, "Main path by class: patients on it still defect-free after each step");
    expect(paths.join(" ").replace(/\s+/g, " ")).toContain(
      "stemi_ems, 20% of patients: Paramedics (EMS) 90.0% → Emergency department 73.0% → Cath lab 66.0% (exact 66.03%)",
    );
    for (const line of paths) expect(line.length).toBeLessThanOrEqual(104);
    expect(paths.join("\n")).toContain("nstemi, 65% of patients:");
  });
});

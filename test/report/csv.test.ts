import { describe, expect, it } from "vitest";
import {
  csvField,
  ELEMENT_COLUMNS,
  elementsCsv,
  SUMMARY_COLUMNS,
  summaryCsv,
  toCsv,
} from "../../src/report/csv.js";
import { sampleSummary } from "../fixtures/summary.js";

/**
 * A strict RFC 4180 reader, written independently of the writer: records end in CRLF, quoted fields
 * may hold commas, CRLF/LF and doubled quotes; a quote inside an unquoted field is an error.
 */
function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = "";
  let i = 0;
  const endField = (): void => {
    record.push(field);
    field = "";
  };
  while (i < text.length) {
    if (field === "" && text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error("unterminated quoted field");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
      if (i < text.length && text[i] !== "," && text[i] !== "\r")
        throw new Error(`text after closing quote at ${i}`);
      continue;
    }
    const c = text[i]!;
    if (c === ",") {
      endField();
      i++;
    } else if (c === "\r") {
      if (text[i + 1] !== "\n") throw new Error(`bare CR at ${i}`);
      endField();
      records.push(record);
      record = [];
      i += 2;
    } else if (c === "\n") {
      throw new Error(`bare LF outside quotes at ${i}`);
    } else if (c === '"') {
      throw new Error(`quote inside unquoted field at ${i}`);
    } else {
      field += c;
      i++;
    }
  }
  if (field !== "" || record.length > 0) throw new Error("last record does not end in CRLF");
  return records;
}

/** Records as objects keyed by the header row; checks every record has the header's width. */
function table(text: string): Record<string, string>[] {
  const [header, ...rows] = parseCsv(text);
  for (const r of rows) expect(r).toHaveLength(header!.length);
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i]!])));
}

describe("csvField", () => {
  it("quotes only what RFC 4180 requires and doubles quotes", () => {
    expect(csvField("ED")).toBe("ED");
    expect(csvField("ED, main")).toBe('"ED, main"');
    expect(csvField('the "fast" track')).toBe('"the ""fast"" track"');
    expect(csvField("two\nlines")).toBe('"two\nlines"');
    expect(csvField("cr\rhere")).toBe('"cr\rhere"');
  });

  it("writes numbers in full precision and missing values as empty fields", () => {
    expect(csvField(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(csvField(20000)).toBe("20000");
    expect(csvField(null)).toBe("");
    expect(csvField(Number.NaN)).toBe("");
  });

  it("ends every record, the last too, with CRLF", () => {
    expect(
      toCsv([
        ["a", 1],
        ["b", null],
      ]),
    ).toBe("a,1\r\nb,\r\n");
  });
});

describe("summaryCsv", () => {
  const rows = table(summaryCsv(sampleSummary()));
  const figure = (name: string, of: { class?: string; metric?: string } = {}): Record<string, string> => {
    const found = rows.find(
      (r) => r.figure === name && r.class === (of.class ?? "") && r.metric === (of.metric ?? ""),
    );
    expect(found, name).toBeDefined();
    return found!;
  };

  it("has the documented header, and no key packs a figure with an id", () => {
    expect(parseCsv(summaryCsv(sampleSummary()))[0]).toEqual([...SUMMARY_COLUMNS]);
    for (const r of rows) expect(r.figure).toMatch(/^[a-z0-9_]+$/);
  });

  it("gives reliability with its interval, overall, exact and per class", () => {
    expect(figure("reliability")).toEqual({
      figure: "reliability",
      class: "",
      metric: "",
      estimate: "0.37125",
      ci_low: "0.36441",
      ci_high: "0.37812",
      unit: "share",
    });
    expect(figure("reliability_exact")).toMatchObject({ estimate: "0.370641", ci_low: "", ci_high: "" });
    expect(figure("reliability", { class: "stemi_ems" })).toMatchObject({
      estimate: "0.3121",
      ci_low: "0.2979",
      ci_high: "0.3266",
    });
    expect(rows.filter((r) => r.figure === "reliability" && r.class !== "").map((r) => r.class)).toEqual([
      "stemi_ems",
      "stemi_self",
      "nstemi",
    ]);
  });

  it("gives outcomes, with their units", () => {
    expect(figure("mortality_per_1000_expected")).toMatchObject({
      estimate: "41.83",
      ci_low: "40.91",
      ci_high: "42.76",
      unit: "per_1000_patients",
    });
    expect(figure("mortality_per_1000_sampled").estimate).toBe("42.1");
    expect(figure("completed")).toMatchObject({ estimate: "12340", unit: "patients" });
    expect(figure("dropped").estimate).toBe("7660");
    expect(figure("near_misses")).toMatchObject({ estimate: "1306", unit: "failures" });
    expect(figure("guard_stopped").estimate).toBe("0");
  });

  it("gives each metric's n, median, p90 and share within target, the metric in its own column", () => {
    const dtb = { metric: "door_to_balloon" };
    expect(figure("metric_n", dtb).estimate).toBe("6812");
    expect(figure("metric_median", dtb)).toMatchObject({ estimate: "71.2", unit: "min" });
    expect(figure("metric_p90", dtb).estimate).toBe("118.5");
    expect(figure("metric_within_target", dtb)).toMatchObject({ estimate: "0.7123", unit: "share" });
    expect(figure("metric_within_target", { metric: "ed_length_of_stay" }).estimate).toBe("");
  });

  it("leaves out mortality when the scenario has none and blanks metrics nobody reached", () => {
    const s = sampleSummary();
    s.outcomes.mortality_per_1000 = null;
    s.metrics.door_to_balloon!.n = 0;
    const other = table(summaryCsv(s));
    expect(other.some((r) => r.figure!.startsWith("mortality"))).toBe(false);
    expect(other.find((r) => r.figure === "metric_median" && r.metric === "door_to_balloon")?.estimate).toBe(
      "",
    );
  });

  it("quotes class ids that need it", () => {
    const s = sampleSummary();
    s.reliability.by_class = { 'odd, "class"': { ...s.reliability.by_class.nstemi! } };
    expect(table(summaryCsv(s)).some((r) => r.class === 'odd, "class"')).toBe(true);
  });
});

describe("elementsCsv", () => {
  const awkward = 'ED, "main"\nsite';
  const s = sampleSummary();
  s.microsystems[1]!.name = awkward;
  const text = elementsCsv(s);
  const rows = table(text);

  it("has the documented columns and one row per element and failure mode", () => {
    expect(parseCsv(text)[0]).toEqual([...ELEMENT_COLUMNS]);
    const expected = [...s.microsystems, ...s.handoffs].reduce((n, e) => n + Math.max(1, e.modes.length), 0);
    expect(rows).toHaveLength(expected);
    // Every element is there, an element without failure modes on one row with its mode empty.
    expect(new Set(rows.map((r) => `${r.kind}:${r.element_id}`)).size).toBe(
      s.microsystems.length + s.handoffs.length,
    );
    expect(rows.filter((r) => r.element_id === "cardiology")).toEqual([
      expect.objectContaining({ mode_id: "", occurrences: "", caught: "", defects: "" }),
    ]);
    // No cell packs several counts.
    for (const r of rows) for (const v of Object.values(r)) expect(v).not.toMatch(/^[a-z_]+=\d/);
  });

  it("quotes names with commas, quotes and newlines so they read back unchanged", () => {
    expect(text).toContain('"ED, ""main""\nsite"');
    const ed = rows.find((r) => r.element_id === "ed")!;
    expect(ed.element).toBe(awkward);
    const handoff = s.handoffs.find((h) => h.from === "ed" && h.to === "cathlab")!;
    handoff.name = `${awkward} → Cath lab`;
    expect(table(elementsCsv(s)).find((r) => r.from === "ed" && r.to === "cathlab")!.element).toBe(
      handoff.name,
    );
  });

  it("writes a microsystem's figures on each of its failure modes' rows, with occurrences, caught and defects apart", () => {
    const ed = rows.filter((r) => r.element_id === "ed");
    expect(ed.map((r) => r.mode_id)).toEqual(["missed_ecg", "triage_delay"]);
    expect(ed[0]).toEqual({
      kind: "microsystem",
      element_id: "ed",
      element: awkward,
      from: "",
      to: "",
      visits_or_transfers: "20000",
      element_defects: "1600",
      element_reliability_share: "0.92",
      wait_mean_min: "12.4",
      wait_p90_min: "41.5",
      utilization_share: "0.782",
      off_hours_visits: "0",
      background_utilization_share: "",
      blocked_mean_min: "",
      blocked_p90_min: "",
      blocked_share: "",
      reneged_patients: "0",
      mode_id: "missed_ecg",
      mode: s.microsystems[1]!.modes[0]!.name,
      mode_p: "0.05",
      mode_detect: "0",
      occurrences: "1200",
      caught: ed[0]!.caught,
      defects: String(1200 - Number(ed[0]!.caught)),
    });
    expect(rows.find((r) => r.element_id === "telemetry")!.utilization_share).toBe("");
    expect(rows.find((r) => r.element_id === "cathlab")!.off_hours_visits).toBe("2921");
    const cathlab = rows.find((r) => r.element_id === "cathlab")!;
    expect([cathlab.occurrences, cathlab.caught, cathlab.defects]).toEqual(["350", "140", "210"]);
  });

  it("writes a handoff's figures", () => {
    const referral = rows.find((r) => r.from === "telemetry" && r.to === "rehab")!;
    expect(referral).toMatchObject({
      element_id: "telemetry->rehab",
      element: "Telemetry → Cardiac rehab",
      visits_or_transfers: "17020",
      element_defects: "7660",
      element_reliability_share: String(1 - 7660 / 17020),
      mode_id: "no_referral",
      occurrences: "7660",
      caught: "0",
      defects: "7660",
      wait_mean_min: "",
      utilization_share: "",
    });
    expect(rows.find((r) => r.from === "rehab")!.mode_id).toBe("");
  });
});

describe("text a spreadsheet would run is neutralised (OWASP CSV injection)", () => {
  it.each([
    ["=1+1", "'=1+1"],
    ["+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"],
    ["-2+3", "'-2+3"],
    ["@SUM(1)", "'@SUM(1)"],
    ["\tTAB", "'\tTAB"],
    ["\rCR", '"\'\rCR"'],
    ['=HYPERLINK("http://x")', '"\'=HYPERLINK(""http://x"")"'],
  ])("%j is written %j", (name, written) => {
    expect(csvField(name)).toBe(written);
  });

  it("leaves numbers (negative ones too) and ordinary text alone", () => {
    expect(csvField(-0.5)).toBe("-0.5");
    expect(csvField("Cath lab → CCU")).toBe("Cath lab → CCU");
    expect(csvField("a=b")).toBe("a=b");
  });

  it("in every CSV: elements.csv with formula names", () => {
    const s = sampleSummary();
    const hostile = { ...s, microsystems: s.microsystems.map((m, i) => ({ ...m, name: `=cmd${i}` })) };
    const rows = parseCsv(elementsCsv(hostile));
    for (const row of rows.slice(1)) expect(row[1]).not.toMatch(/^[=+\-@\t\r]/);
  });
});

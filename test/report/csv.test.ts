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
  const figure = (name: string): Record<string, string> => {
    const found = rows.find((r) => r.figure === name);
    expect(found, name).toBeDefined();
    return found!;
  };

  it("has the documented header", () => {
    expect(parseCsv(summaryCsv(sampleSummary()))[0]).toEqual([...SUMMARY_COLUMNS]);
  });

  it("gives reliability with its interval, overall, analytic and per class", () => {
    expect(figure("reliability")).toEqual({
      figure: "reliability",
      estimate: "0.37125",
      ci_low: "0.36441",
      ci_high: "0.37812",
    });
    expect(figure("reliability_analytic")).toMatchObject({ estimate: "0.370641", ci_low: "", ci_high: "" });
    expect(figure("reliability.stemi_ems")).toMatchObject({
      estimate: "0.3121",
      ci_low: "0.2979",
      ci_high: "0.3266",
    });
    expect(rows.filter((r) => r.figure!.startsWith("reliability.")).map((r) => r.figure)).toEqual([
      "reliability.stemi_ems",
      "reliability.stemi_self",
      "reliability.nstemi",
    ]);
  });

  it("gives outcomes", () => {
    expect(figure("mortality_per_1000.expected")).toMatchObject({
      estimate: "41.83",
      ci_low: "40.91",
      ci_high: "42.76",
    });
    expect(figure("mortality_per_1000.sampled").estimate).toBe("42.1");
    expect(figure("completed").estimate).toBe("12340");
    expect(figure("dropped").estimate).toBe("7660");
    expect(figure("near_misses").estimate).toBe("1306");
    expect(figure("guard_stopped").estimate).toBe("0");
  });

  it("gives each metric's n, median, p90 and share within target", () => {
    expect(figure("metric.door_to_balloon.n").estimate).toBe("6812");
    expect(figure("metric.door_to_balloon.median").estimate).toBe("71.2");
    expect(figure("metric.door_to_balloon.p90").estimate).toBe("118.5");
    expect(figure("metric.door_to_balloon.within_target").estimate).toBe("0.7123");
    expect(figure("metric.ed_length_of_stay.within_target").estimate).toBe("");
  });

  it("leaves out mortality when the scenario has none and blanks metrics nobody reached", () => {
    const s = sampleSummary();
    s.outcomes.mortality_per_1000 = null;
    s.metrics.door_to_balloon!.n = 0;
    const other = table(summaryCsv(s));
    expect(other.some((r) => r.figure!.startsWith("mortality"))).toBe(false);
    expect(other.find((r) => r.figure === "metric.door_to_balloon.median")?.estimate).toBe("");
  });

  it("quotes class ids that need it", () => {
    const s = sampleSummary();
    s.reliability.by_class = { 'odd, "class"': { ...s.reliability.by_class.nstemi! } };
    expect(table(summaryCsv(s)).some((r) => r.figure === 'reliability.odd, "class"')).toBe(true);
  });
});

describe("elementsCsv", () => {
  const awkward = 'ED, "main"\nsite';
  const s = sampleSummary();
  s.microsystems[1]!.name = awkward;
  const text = elementsCsv(s);
  const rows = table(text);

  it("has the documented columns and one row per microsystem and handoff", () => {
    expect(parseCsv(text)[0]).toEqual([...ELEMENT_COLUMNS]);
    expect(rows.map((r) => r.kind)).toEqual([...Array(7).fill("microsystem"), ...Array(9).fill("handoff")]);
  });

  it("quotes names with commas, quotes and newlines so they read back unchanged", () => {
    expect(text).toContain('"ED, ""main""\nsite"');
    const ed = rows.find((r) => r.id === "ed")!;
    expect(ed.element).toBe(awkward);
    expect(rows.find((r) => r.from === "ed" && r.to === "cathlab")!.element).toBe(`${awkward} → Cath lab`);
  });

  it("writes a microsystem's figures", () => {
    expect(rows.find((r) => r.id === "ed")).toEqual({
      kind: "microsystem",
      element: awkward,
      from: "",
      to: "",
      visits_or_transfers: "20000",
      defects: "1600",
      reliability: "0.92",
      near_misses: "400",
      failures: "missed_ecg=1200;triage_delay=800",
      wait_mean: "12.4",
      wait_p90: "41.5",
      utilization: "0.782",
      id: "ed",
      off_hours: "0",
      background_utilization: "",
      blocked_mean: "",
      blocked_p90: "",
      blocked_share: "",
      reneged: "0",
    });
    expect(rows.find((r) => r.id === "telemetry")!.utilization).toBe("");
    expect(rows.find((r) => r.id === "cathlab")!.off_hours).toBe("2921");
  });

  it("writes a handoff's figures", () => {
    const referral = rows.find((r) => r.from === "telemetry" && r.to === "rehab")!;
    expect(referral).toMatchObject({
      element: "Telemetry → Cardiac rehab",
      visits_or_transfers: "17020",
      defects: "7660",
      reliability: String(1 - 7660 / 17020),
      near_misses: "0",
      failures: "no_referral=7660",
      wait_mean: "",
      utilization: "",
      id: "",
    });
    expect(rows.find((r) => r.from === "rehab")!.failures).toBe("");
  });
});

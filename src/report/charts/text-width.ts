// How wide a text is drawn: the charts place labels by it, and vega measures with it (render.ts).
// Without a canvas, vega guesses every glyph at 0.8 em: labels get cut at half their room and
// layouts leave wide gaps. DejaVu Sans's real advance widths instead (the only font here, and the
// one the SVG asks for), as vl-convert does with its own metrics.

// Advance widths (1/1000 em) of DejaVu Sans Book and Bold for U+0020…U+007E, read from the fonts.
const REGULAR =
  "318,401,460,838,636,950,780,275,390,390,500,838,318,361,318,337,636,636,636,636,636,636,636,636,636,636," +
  "337,337,838,838,838,531,1000,684,686,698,770,632,575,775,752,295,295,656,557,863,748,787,603,787,695,635," +
  "611,732,684,989,685,611,685,390,337,390,838,500,500,613,635,550,635,615,352,635,634,278,278,579,278,974," +
  "634,612,635,635,411,521,392,634,592,818,592,592,525,636,337,636,838";
const BOLD =
  "348,456,521,838,696,1002,872,306,457,457,523,838,380,415,380,365,696,696,696,696,696,696,696,696,696,696," +
  "400,400,838,838,838,580,1000,774,762,734,830,683,683,821,837,372,372,775,637,995,837,850,733,850,770,720," +
  "682,812,774,1103,771,724,725,457,365,457,838,500,500,675,716,593,716,678,435,716,712,343,343,665,343,1042," +
  "712,687,716,716,493,595,478,712,652,924,645,652,582,712,365,712,838";
const ADVANCE = { regular: REGULAR.split(",").map(Number), bold: BOLD.split(",").map(Number) };
/** A few non-ASCII characters the charts use; anything else counts as an average glyph. */
const WIDE: Record<string, number> = {
  "→": 838,
  "−": 838,
  "×": 838,
  "—": 1000,
  "…": 1000,
  "–": 500,
  "·": 318,
};

/** Width in px of one line of text in DejaVu Sans. */
export function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? ADVANCE.bold : ADVANCE.regular;
  let units = 0;
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    units += (code >= 32 && code < 127 ? table[code - 32] : WIDE[ch]) ?? (bold ? 680 : 620);
  }
  return (units * fontSize) / 1000;
}

export interface TextItem {
  fontSize?: number;
  fontWeight?: string | number;
  limit?: number;
}

/** vega's text-width hook: the width as drawn, so capped at the item's truncation limit. */
export function measureText(item: TextItem, text: unknown): number {
  const size = item.fontSize ?? 11;
  const weight = item.fontWeight;
  const bold = weight === "bold" || weight === "bolder" || (typeof weight === "number" && weight >= 600);
  const width = textWidth(text == null ? "" : String(text).trim(), size, bold);
  return item.limit !== undefined && item.limit > 0 ? Math.min(width, item.limit) : width;
}

// Escaping for the HTML reports: every text that comes from a scenario passes through the `html`
// template tag, which escapes it; only `raw()` bypasses that, and it is used for markup built in
// the report modules and for the rendered charts.

/** Markup that is already safe to insert. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export type Part = Html | string | number | null | undefined | false | readonly Part[];

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

function part(value: Part): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(part).join("");
  return escapeHtml(String(value));
}

/** Template tag: interpolated strings and numbers are escaped, `Html` values are inserted as they are. */
export function html(strings: TemplateStringsArray, ...values: Part[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += part(v) + strings[i + 1]!;
  });
  return new Html(out);
}

/** Marks trusted markup (built in this file, or an SVG rendered by vega). */
export function raw(markup: string): Html {
  return new Html(markup);
}

// A scenario file as the page holds it (from the studio server or opened by the user).
export interface StudioFile {
  key: string;
  /** Path relative to the first scenario's folder, "/"-separated: what `extends` resolves to. */
  name: string;
  role: "scenario" | "base" | "variant";
  writable: boolean;
  text: string;
}

// The YAML editor: CodeMirror 6 with YAML highlighting, completion and hover from the scenario's
// JSON Schema, and the validator's findings shown inline at their line and column.
import { autocompletion, type CompletionContext, type CompletionResult } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import {
  bracketMatching,
  defaultHighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from "@codemirror/language";
import { type Diagnostic, lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import {
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  hoverTooltip,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import type { Finding } from "../api.js";
import { type SchemaHelp, yamlContext } from "./schema-help.js";

export interface YamlEditor {
  view: EditorView;
  /** Replaces the text, changing only the part that differs (cursor and undo history survive). */
  setText(text: string): void;
  showFindings(findings: Finding[], warnings: Finding[]): void;
}

function contextAt(state: EditorState, pos: number) {
  const line = state.doc.lineAt(pos);
  const lines = state.doc.toString().split("\n");
  return yamlContext(lines, line.number - 1, pos - line.from);
}

function completion(help: SchemaHelp) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const line = ctx.state.doc.lineAt(ctx.pos);
    const before = line.text.slice(0, ctx.pos - line.from);
    const where = contextAt(ctx.state, ctx.pos);
    if (where.key !== null) {
      // After `key:`: offer the fixed values the schema allows there.
      const word = ctx.matchBefore(/[\w-]*/);
      const values = help.values([...where.path, where.key]);
      if (values.length === 0 || word === null) return null;
      return { from: word.from, options: values.map((v) => ({ label: v, type: "enum" })) };
    }
    const word = ctx.matchBefore(/[\w-]*/);
    if (word === null || (!ctx.explicit && word.from === word.to && !/^\s*(-\s+)?$/.test(before)))
      return null;
    if (!/^\s*(-\s+)?[\w-]*$/.test(before)) return null;
    return {
      from: word.from,
      options: help.keys(where.path).map(({ key, description }) => ({
        label: key,
        type: "property",
        info: description || undefined,
        apply: `${key}: `,
      })),
    };
  };
}

function hover(help: SchemaHelp) {
  return hoverTooltip((view, pos) => {
    const line = view.state.doc.lineAt(pos);
    const m = /^(\s*(?:-\s+)?)([A-Za-z_][\w-]*)\s*:/.exec(line.text);
    if (m === null) return null;
    const from = line.from + m[1]!.length;
    const to = from + m[2]!.length;
    if (pos < from || pos > to) return null;
    const where = contextAt(view.state, from);
    const text = help.describeAt([...where.path, m[2]!]);
    if (text === "") return null;
    return {
      pos: from,
      end: to,
      above: true,
      create: () => {
        const dom = document.createElement("div");
        dom.className = "cm-schema-hover";
        dom.textContent = text;
        return { dom };
      },
    };
  });
}

function diagnostics(state: EditorState, list: Finding[], severity: "error" | "warning"): Diagnostic[] {
  return list.map((f) => {
    const line = state.doc.line(Math.min(Math.max(1, f.line), state.doc.lines));
    const from = Math.min(line.from + Math.max(0, f.column - 1), line.to);
    // Underline the word found there (or at least one character).
    const rest = state.doc.sliceString(from, line.to);
    const word = /^[^\s,}\]#]+/.exec(rest)?.[0].length ?? 0;
    const to = Math.min(line.to, from + Math.max(1, word));
    return {
      from,
      to: Math.max(to, from),
      severity,
      message: f.path === "" ? f.message : `${f.path}: ${f.message}`,
    };
  });
}

export function createYamlEditor(
  parent: HTMLElement,
  text: string,
  help: SchemaHelp,
  onChange: (text: string) => void,
  readOnly: boolean,
): YamlEditor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        lineNumbers(),
        highlightActiveLineGutter(),
        history(),
        indentOnInput(),
        bracketMatching(),
        highlightActiveLine(),
        syntaxHighlighting(defaultHighlightStyle),
        yaml(),
        lintGutter(),
        autocompletion({ override: [completion(help)], activateOnTyping: true }),
        hover(help),
        keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
        EditorState.readOnly.of(readOnly),
        // tabindex: the editor's scrolling box must hold something the keyboard reaches (axe's
        // scrollable-region-focusable); the editable content is, but only an explicit tabindex says so.
        EditorView.contentAttributes.of({
          "aria-label": "Scenario YAML",
          "data-testid": "yaml-editor",
          tabindex: "0",
        }),
        EditorView.updateListener.of((update) => {
          if (update.docChanged) onChange(update.state.doc.toString());
        }),
      ],
    }),
  });
  return {
    view,
    setText(next) {
      const current = view.state.doc.toString();
      if (current === next) return;
      let start = 0;
      while (start < current.length && start < next.length && current[start] === next[start]) start++;
      let endA = current.length;
      let endB = next.length;
      while (endA > start && endB > start && current[endA - 1] === next[endB - 1]) {
        endA--;
        endB--;
      }
      view.dispatch({ changes: { from: start, to: endA, insert: next.slice(start, endB) } });
    },
    showFindings(findings, warnings) {
      const state = view.state;
      view.dispatch(
        setDiagnostics(state, [
          ...diagnostics(state, findings, "error"),
          ...diagnostics(state, warnings, "warning"),
        ]),
      );
    },
  };
}

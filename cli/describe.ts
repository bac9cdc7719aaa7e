// Shared wording: how an outcome, a class and a location are named in every output.
import type { Analysis } from "../transforms/lib/api.ts";
import type { Decision, Edit, Outcome } from "../transforms/lib/model.ts";

export const OUTCOMES: readonly Outcome[] = ["set-async-capable-false", "set-async-capable-true", "needs-review", "unchanged"];

export function where(d: Decision): string {
  return `${d.node.file}:${d.node.line}`;
}

/** The line an edit lands on (1-based), from the original text; 1 for a created file. Lines end at LF, CRLF or a lone CR. */
export function editLine(analysis: Analysis, e: Edit): number {
  if (e.create) return 1;
  const text = analysis.sources.get(e.absPath)?.text ?? "";
  // The inserted text starts with its own line break, so the new line is the one after.
  return lineColumn(text, e.offset).line + (/^[\r\n]/.test(e.insert) ? 1 : 0);
}

/** The decision behind each edit (backport edits may have none in the list). */
export function decisionOf(analysis: Analysis, e: Edit): Decision | undefined {
  return analysis.decisions.find((d) => d.node.id === e.classId);
}

/** The added line of an edit, trimmed: `static asyncCapable = false;`. */
export function editText(e: Edit): string {
  return e.insert.trim();
}

export function errorLocation(e: { file: string; line?: number; column?: number }): string {
  return e.line ? `${e.file}:${e.line}:${e.column ?? 1}` : e.file;
}

/** 1-based line and column (UTF-16 units, as SARIF counts by default) of an offset in a text. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const breaks = before.match(/\r\n|\r|\n/g)?.length ?? 0;
  const start = Math.max(before.lastIndexOf("\n"), before.lastIndexOf("\r")) + 1;
  return { line: breaks + 1, column: offset - start + 1 };
}

/** How an edit is shown as the fix of its item: the added text and the line it lands on. */
export interface Fix {
  /** The line the declaration occupies once this run's edits (`all`) are applied. */
  line: number;
  /** `static asyncCapable = false;`, trimmed. */
  text: string;
}

const lineBreaks = (s: string) => s.match(/\r\n|\r|\n/g)?.length ?? 0;

export function fixOf(analysis: Analysis, e: Edit, all: readonly Edit[] = [e]): Fix {
  const text = editText(e);
  const lead = lineBreaks(e.insert.slice(0, e.insert.indexOf(text)));
  if (e.create) return { line: 1 + lead, text };
  const original = analysis.sources.get(e.absPath)?.text ?? "";
  // Edits earlier in the same file move it down by the lines they add.
  let shift = 0;
  for (const x of all)
    if (x !== e && x.absPath === e.absPath && !x.create && x.offset < e.offset) shift += lineBreaks(x.insert) - lineBreaks(original.slice(x.offset, x.offset + (x.deleteCount ?? 0)));
  return { line: lineColumn(original, e.offset).line + shift + lead, text };
}

/** "add `static asyncCapable = false;` at line 4" (or "added …" once written). */
export function fixSentence(analysis: Analysis, e: Edit, applied: boolean, all: readonly Edit[] = [e]): string {
  if (e.create) return `${applied ? "created" : "create"} ${e.file}`;
  const f = fixOf(analysis, e, all);
  return `${applied ? "added" : "add"} \`${f.text.split(/\r\n|\r|\n/)[0]}${/[\r\n]/.test(f.text) ? " …" : ""}\` at line ${f.line}`;
}

/** An operating-system error as a plain sentence, without errno codes or paths. */
export function plainError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "ENOENT":
      return "no such file or folder";
    case "EISDIR":
      return "is a folder";
    case "ENOTDIR":
      return "a part of the path is not a folder";
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "EROFS":
      return "read-only file system";
    case "ENOSPC":
      return "no space left on the device";
    default:
      return err.code ? String(err.message).replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "") : String(err.message ?? e);
  }
}

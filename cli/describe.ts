// Shared wording: how an outcome, a class and a location are named in every output.
import type { Analysis } from "../transforms/lib/api.ts";
import type { Decision, Edit, Outcome } from "../transforms/lib/model.ts";

export const OUTCOMES: readonly Outcome[] = ["set-async-capable-false", "set-async-capable-true", "needs-review", "unchanged"];

export function where(d: Decision): string {
  return `${d.node.file}:${d.node.line}`;
}

/** The line an edit lands on (1-based), from the original text; 1 for a created file. */
export function editLine(analysis: Analysis, e: Edit): number {
  if (e.create) return 1;
  const text = analysis.sources.get(e.absPath)?.text ?? "";
  // The inserted text starts with its own line break, so the new line is the one after.
  const before = text.slice(0, e.offset);
  return before.split("\n").length + (e.insert.startsWith("\n") || e.insert.startsWith("\r\n") ? 1 : 0);
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

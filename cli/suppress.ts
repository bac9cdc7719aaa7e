// Suppression, as `# noqa: CODE`: a comment on a class line, or `--exclude GLOB`, keeps a
// proposed edit or needs-review item of that class out of the edits, annotations and exit
// status. Suppressed items stay listed (marked) and counted; nothing is dropped silently.
//
//   Python:  class A(MiddlewareMixin):  # middleware-codemod: ignore
//            class A(MiddlewareMixin):  # middleware-codemod: ignore[needs-review, MWC101]
//   TS/JS:   class A extends MiddlewareMixin { // middleware-codemod-ignore
//            class A extends MiddlewareMixin { // middleware-codemod-ignore[deliberate-opt-in]
//
// Names in brackets are outcomes, rule names or codes; without brackets every item of the
// class is suppressed. A suppressed declaration is not written, so the classes below it are
// decided again without it (as when it is declined in review).
import path from "node:path";
import picomatch from "picomatch";
import { redecide, type Analysis } from "../transforms/lib/api.ts";
import { frontEndOf } from "../transforms/lib/frontends/index.ts";
import type { Decision } from "../transforms/lib/model.ts";
import { codeOf } from "./rule-docs.ts";

export interface Suppression {
  by: "comment" | "exclude";
  /** The comment as written, or the glob that matched. */
  detail: string;
  /** The decision that was suppressed (a declaration's, before its subclasses were decided again). */
  decision: Decision;
}

/** The suppression comment on a class's line and the names it lists ([] for all); null when none. */
function comment(analysis: Analysis, d: Decision): { text: string; names: string[] } | null {
  const text = analysis.sources.get(d.node.absPath)?.text;
  if (text === undefined) return null;
  let start = 0;
  for (let line = 1; line < d.node.line && start >= 0; line++) {
    const nl = text.indexOf("\n", start);
    start = nl < 0 ? -1 : nl + 1;
  }
  if (start < 0) return null;
  const end = text.indexOf("\n", start);
  const m = frontEndOf(d.node.language).ignoreComment.exec(text.slice(start, end < 0 ? undefined : end));
  if (!m) return null;
  const names = (m[1] ?? "").split(",").map((n) => n.trim().toLowerCase()).filter(Boolean);
  return { text: m[0], names };
}

function matches(d: Decision, names: string[]): boolean {
  if (!names.length) return true;
  const own = [d.outcome, d.rule, codeOf(d).code].map((n) => n.toLowerCase());
  return names.some((n) => own.includes(n));
}

/** Globs are matched against the file's path relative to the current folder, `/` separators. */
export function excludeMatcher(globs: readonly string[]): (file: string) => string | null {
  if (!globs.length) return () => null;
  const tests = globs.map((g) => ({ glob: g, test: picomatch(g.replace(/^\.\//, ""), { dot: true }) }));
  return (file) => tests.find((t) => t.test(file) || t.test(path.posix.normalize(file)))?.glob ?? null;
}

/**
 * The analysis with suppressed declarations declined (their subclasses decided again),
 * and the suppressed items by class id. Only proposed edits and needs-review items can be
 * suppressed; an unchanged class has nothing to suppress.
 */
export function applySuppressions(analysis: Analysis, exclude: readonly string[]): { analysis: Analysis; suppressed: Map<string, Suppression> } {
  const excluded = excludeMatcher(exclude);
  const suppressed = new Map<string, Suppression>();
  let current = analysis;
  for (;;) {
    let added = false;
    for (const d of current.decisions) {
      if (d.outcome === "unchanged" || suppressed.has(d.node.id)) continue;
      const glob = excluded(d.node.file);
      const c = glob ? null : comment(current, d);
      if (glob) suppressed.set(d.node.id, { by: "exclude", detail: glob, decision: d });
      else if (c && matches(d, c.names)) suppressed.set(d.node.id, { by: "comment", detail: c.text, decision: d });
      else continue;
      added = true;
    }
    if (!added) break;
    // Declining a declaration may propose one on a subclass: check that one too.
    const ids = new Set(suppressed.keys());
    current = redecide({ ...analysis, basis: { ...analysis.basis, suppressed: ids } }, new Set());
  }
  return { analysis: restore(current, suppressed), suppressed };
}

/** Suppressed classes show the decision that was suppressed, not "declined". */
export function restore(analysis: Analysis, suppressed: ReadonlyMap<string, Suppression>): Analysis {
  if (!suppressed.size) return analysis;
  const decisions = analysis.decisions.map((d) => {
    const s = suppressed.get(d.node.id);
    return s ? { ...s.decision, asyncCapable: { ...s.decision.asyncCapable, after: d.asyncCapable.after } } : d;
  });
  return { ...analysis, decisions };
}

/** Decisions that count: not suppressed. */
export function active(analysis: Analysis, suppressed: ReadonlyMap<string, Suppression>): Decision[] {
  return analysis.decisions.filter((d) => !suppressed.has(d.node.id));
}

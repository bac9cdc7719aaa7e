// The machine-readable result (docs/result.md). Key names are stable.
import type { Analysis } from "./api.ts";
import type { Decision, Edit, FileError, Outcome } from "./model.ts";
import type { Chain } from "./django/chain-model.ts";

export interface ResultObject {
  schemaVersion: 1;
  summary: {
    filesScanned: number;
    filesChanged: number;
    errors: number;
    setFalse: number;
    setTrue: number;
    needsReview: number;
    unchanged: number;
    /** Items kept out by a suppression comment or --exclude (not in the counts above). */
    suppressed: number;
  };
  middleware: {
    file: string;
    line: number;
    class: string;
    language: string;
    outcome: Outcome;
    reason: string;
    hooks: Record<string, string>;
    asyncCapable: Decision["asyncCapable"];
    required: boolean | null;
    /** Stable rule code (MWC101…). */
    code: string;
    /** The proposed edit: the line it lands on and the text added; null when none. */
    fix: { line: number; text: string } | null;
    suppressed: { by: "comment" | "exclude"; detail: string } | null;
  }[];
  errors: FileError[];
  target?: { version: string; source: string } | null;
  chains?: Chain[];
}

export interface ResultExtras {
  /** The edits of this run (the fix of each item). */
  edits: readonly Edit[];
  fixOf: (e: Edit) => { line: number; text: string };
  codeOf: (d: Decision) => string;
  suppressed: ReadonlyMap<string, { by: "comment" | "exclude"; detail: string }>;
}

export function resultObject(analysis: Analysis, filesChanged: number, x: ResultExtras): ResultObject {
  const count = (o: Outcome) => analysis.decisions.filter((d) => d.outcome === o && !x.suppressed.has(d.node.id)).length;
  const fix = (d: Decision) => {
    const e = x.edits.find((e) => e.classId === d.node.id);
    return e ? x.fixOf(e) : null;
  };
  const out: ResultObject = {
    schemaVersion: 1,
    summary: {
      filesScanned: analysis.filesScanned,
      filesChanged,
      errors: analysis.errors.length,
      setFalse: count("set-async-capable-false"),
      setTrue: count("set-async-capable-true"),
      needsReview: count("needs-review"),
      unchanged: count("unchanged"),
      suppressed: analysis.decisions.filter((d) => x.suppressed.has(d.node.id)).length,
    },
    middleware: analysis.decisions.map((d) => ({
      file: d.node.file,
      line: d.node.line,
      class: d.node.name,
      language: d.node.language,
      outcome: d.outcome,
      reason: d.advice ? `${d.reason}. ${d.advice}` : d.reason,
      hooks: d.hooks,
      asyncCapable: d.asyncCapable,
      required: d.required,
      code: x.codeOf(d),
      fix: fix(d),
      suppressed: x.suppressed.has(d.node.id) ? { by: x.suppressed.get(d.node.id)!.by, detail: x.suppressed.get(d.node.id)!.detail } : null,
    })),
    errors: analysis.errors.map((e) => ({ file: e.file, message: e.message, ...(e.line ? { line: e.line, column: e.column } : {}) })),
  };
  if (analysis.chains) {
    out.target = analysis.target;
    out.chains = analysis.chains;
  }
  return out;
}

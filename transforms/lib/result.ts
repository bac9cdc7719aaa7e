// The machine-readable result (model document, section 6). Key names are stable.
import type { Analysis } from "./api.ts";
import type { Decision, FileError, Outcome } from "./model.ts";
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
  }[];
  errors: FileError[];
  target?: { version: string; source: string } | null;
  chains?: Chain[];
}

export function resultObject(analysis: Analysis, filesChanged: number): ResultObject {
  const count = (o: Outcome) => analysis.decisions.filter((d) => d.outcome === o).length;
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
    })),
    errors: analysis.errors.map((e) => ({ file: e.file, message: e.message, ...(e.line ? { line: e.line, column: e.column } : {}) })),
  };
  if (analysis.chains) {
    out.target = analysis.target;
    out.chains = analysis.chains;
  }
  return out;
}

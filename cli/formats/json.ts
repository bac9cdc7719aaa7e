// --json: the machine-readable result (docs/result.md). Key names are stable.
import type { Chain } from "../../transforms/lib/django/chain-model.ts";
import type { Decision, FileError, Outcome } from "../../transforms/lib/model.ts";
import { fixOf } from "../describe.ts";
import { codeOf } from "../rule-docs.ts";
import type { RunOutput } from "./format.ts";

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

export function resultObject(run: RunOutput): ResultObject {
  const { analysis, edits, suppressed } = run;
  const count = (o: Outcome) => analysis.decisions.filter((d) => d.outcome === o && !suppressed.has(d.node.id)).length;
  const fix = (d: Decision) => {
    const e = edits.find((e) => e.classId === d.node.id);
    return e ? fixOf(analysis, e, edits) : null;
  };
  const out: ResultObject = {
    schemaVersion: 1,
    summary: {
      filesScanned: analysis.filesScanned,
      filesChanged: run.filesChanged,
      errors: run.errors.length,
      setFalse: count("set-async-capable-false"),
      setTrue: count("set-async-capable-true"),
      needsReview: count("needs-review"),
      unchanged: count("unchanged"),
      suppressed: analysis.decisions.filter((d) => suppressed.has(d.node.id)).length,
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
      code: codeOf(d).code,
      fix: fix(d),
      suppressed: suppressed.has(d.node.id) ? { by: suppressed.get(d.node.id)!.by, detail: suppressed.get(d.node.id)!.detail } : null,
    })),
    errors: run.errors.map((e) => ({ file: e.file, message: e.message, ...(e.line ? { line: e.line, column: e.column } : {}) })),
  };
  if (analysis.chains) {
    out.target = analysis.target;
    out.chains = analysis.chains;
  }
  return out;
}

export function json(run: RunOutput): string {
  return JSON.stringify(resultObject(run), null, 2) + "\n";
}

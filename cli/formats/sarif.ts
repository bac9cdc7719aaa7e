// A SARIF 2.1.0 log for code-scanning uploads: one rule per outcome (needs-review split by
// the deciding rule, file errors as their own rule), one result per edit, needs-review item
// and file error, each with a physical location relative to the scanned root.
import { pathToFileURL } from "node:url";
import type { Log, ReportingDescriptor, Result } from "sarif";
import type { Analysis } from "../../transforms/lib/api.ts";
import type { Edit, FileError } from "../../transforms/lib/model.ts";
import { decisionOf, editLine, editText } from "../describe.ts";
import { ruleDoc } from "../rule-docs.ts";

const RULES: Record<string, { short: string; full: string }> = {
  "set-async-capable-false": {
    short: "Sync-only middleware that claims async support",
    full: "All request/response hooks are sync while asyncCapable = true comes from the mixin: each hook pays a context switch per request. Declaring asyncCapable = false lets the chain group the class with its sync neighbours.",
  },
  "set-async-capable-true": {
    short: "Native async middleware without its own declaration",
    full: "The class has native async hooks or dispatch but relies on an inherited asyncCapable = true, which an ancestor flips (required) or could flip later (defensive).",
  },
  "file-error": { short: "File could not be read, parsed or written", full: "The file was not analysed or not written; the other files were." },
};

export function sarifLog(analysis: Analysis, edits: readonly Edit[], errors: readonly FileError[], version: string, applied: boolean): Log {
  const rules: ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  const ruleIndex = (id: string, describe: () => ReportingDescriptor): number => {
    if (!index.has(id)) {
      index.set(id, rules.length);
      rules.push(describe());
    }
    return index.get(id)!;
  };
  const fixed = (id: string) => () => ({ id, shortDescription: { text: RULES[id].short }, fullDescription: { text: RULES[id].full } });
  const location = (file: string, line: number, column?: number) => [
    { physicalLocation: { artifactLocation: { uri: encodeURI(file), uriBaseId: "SRCROOT" }, region: { startLine: line, ...(column ? { startColumn: column } : {}) } } },
  ];

  const results: Result[] = [];
  for (const e of edits) {
    const d = decisionOf(analysis, e);
    const id = d && d.outcome !== "needs-review" ? d.outcome : "set-async-capable-false";
    const what = `${applied ? "Added" : "Add"} \`${editText(e)}\``;
    results.push({
      ruleId: id,
      ruleIndex: ruleIndex(id, fixed(id)),
      level: "note",
      message: { text: d ? `${d.node.name}: ${what}: ${d.reason}.` : `${what}.` },
      locations: location(e.file, editLine(analysis, e)),
    });
  }
  for (const d of analysis.decisions.filter((d) => d.outcome === "needs-review")) {
    const id = `needs-review/${d.rule}`;
    const doc = ruleDoc(d.rule);
    results.push({
      ruleId: id,
      ruleIndex: ruleIndex(id, () => ({ id, shortDescription: { text: doc.title }, fullDescription: { text: doc.why }, help: { text: doc.safety } })),
      level: "warning",
      message: { text: `${d.node.name}: ${d.reason}.${d.advice ? ` ${d.advice}` : ""}` },
      locations: location(d.node.file, d.node.line, d.node.column),
    });
  }
  for (const e of errors)
    results.push({ ruleId: "file-error", ruleIndex: ruleIndex("file-error", fixed("file-error")), level: "error", message: { text: e.message }, locations: location(e.file, e.line ?? 1, e.column) });

  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: { driver: { name: "middleware-codemod", version, rules } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(analysis.cwd + "/").href } },
        results,
      },
    ],
  };
}

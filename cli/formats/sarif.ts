// A SARIF 2.1.0 log for code-scanning uploads: one reporting descriptor per rule code
// (MWC101…, with its docs and helpUri), one result per proposed edit, needs-review item and
// file error. Each result has one location, the class line; a proposed edit carries its
// insertion as a SARIF fix. Suppressed items are listed with a SARIF suppression.
import { pathToFileURL } from "node:url";
import type { Fix, Log, ReportingDescriptor, Result } from "sarif";
import type { Decision, Edit } from "../../transforms/lib/model.ts";
import { decisionOf, editLine, fixSentence, lineColumn } from "../describe.ts";
import { BACKPORT, codeOf, FILE_ERROR, helpUri, type RuleCode } from "../rule-docs.ts";
import type { RunOutput } from "./format.ts";

const LEVEL = { "set-async-capable-false": "note", "set-async-capable-true": "note", backport: "note", "needs-review": "warning", unchanged: "none", "file-error": "error" } as const;

export function sarifLog({ analysis, edits, errors, version, dryRun, suppressed }: RunOutput): Log {
  const applied = !dryRun;
  const rules: ReportingDescriptor[] = [];
  const index = new Map<string, number>();
  const ruleIndex = (c: RuleCode): number => {
    if (!index.has(c.code)) {
      index.set(c.code, rules.length);
      rules.push({
        id: c.code,
        name: c.kind === "needs-review" && c.rule !== "*" ? `needs-review/${c.rule}` : c.kind,
        shortDescription: { text: c.doc.title },
        fullDescription: { text: c.doc.why },
        help: { text: c.doc.safety },
        helpUri: helpUri(c),
        defaultConfiguration: { level: LEVEL[c.kind] },
      });
    }
    return index.get(c.code)!;
  };
  const location = (file: string, line: number, column?: number) => [
    { physicalLocation: { artifactLocation: { uri: encodeURI(file), uriBaseId: "SRCROOT" }, region: { startLine: line, ...(column ? { startColumn: column } : {}) } } },
  ];
  const fixOf = (e: Edit): Fix => {
    const text = analysis.sources.get(e.absPath)?.text ?? "";
    const start = e.create ? { line: 1, column: 1 } : lineColumn(text, e.offset);
    const end = e.deleteCount ? lineColumn(text, e.offset + e.deleteCount) : start;
    return {
      description: { text: fixSentence(analysis, e, false, edits) },
      artifactChanges: [
        {
          artifactLocation: { uri: encodeURI(e.file), uriBaseId: "SRCROOT" },
          replacements: [{ deletedRegion: { startLine: start.line, startColumn: start.column, endLine: end.line, endColumn: end.column }, insertedContent: { text: e.insert } }],
        },
      ],
    };
  };
  const classResult = (d: Decision, message: string, fixes: Fix[]): Result => {
    const c = codeOf(d);
    const s = suppressed.get(d.node.id);
    return {
      ruleId: c.code,
      ruleIndex: ruleIndex(c),
      level: LEVEL[c.kind],
      message: { text: message },
      locations: location(d.node.file, d.node.line, d.node.column),
      ...(fixes.length ? { fixes } : {}),
      // A comment is in the source; --exclude is outside it.
      ...(s ? { suppressions: [{ kind: s.by === "comment" ? ("inSource" as const) : ("external" as const), justification: s.by === "comment" ? s.detail : `--exclude ${s.detail}` }] } : {}),
    };
  };

  const results: Result[] = [];
  const byClass = new Map<string, Edit[]>();
  for (const e of edits) byClass.set(e.classId, [...(byClass.get(e.classId) ?? []), e]);
  for (const [classId, list] of byClass) {
    const d = decisionOf(analysis, list[0]);
    const what = list.map((e) => fixSentence(analysis, e, applied, edits)).join("; ");
    if (d) results.push(classResult(d, `${d.node.name}: ${d.reason}. Fix: ${what}.`, list.map(fixOf)));
    else {
      // --backport modules: no class decision; the edit's own place.
      const c = BACKPORT;
      results.push({ ruleId: c.code, ruleIndex: ruleIndex(c), level: "note", message: { text: `--backport (${classId.replace(/^backport:/, "")}): ${what}.` }, locations: location(list[0].file, editLine(analysis, list[0])), fixes: list.map(fixOf) });
    }
  }
  for (const s of suppressed.values()) if (s.decision.outcome !== "needs-review") results.push(classResult(s.decision, `${s.decision.node.name}: ${s.decision.reason}.`, []));
  for (const d of analysis.decisions.filter((d) => d.outcome === "needs-review"))
    results.push(classResult(d, `${d.node.name}: ${d.reason}.${d.advice ? ` ${d.advice}` : ""}`, []));
  for (const e of errors)
    results.push({ ruleId: FILE_ERROR.code, ruleIndex: ruleIndex(FILE_ERROR), level: "error", message: { text: e.message }, locations: location(e.file, e.line ?? 1, e.column) });

  return {
    version: "2.1.0",
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    runs: [
      {
        tool: { driver: { name: "middleware-codemod", version, informationUri: helpUri(FILE_ERROR).replace(/#.*/, ""), rules } },
        originalUriBaseIds: { SRCROOT: { uri: pathToFileURL(analysis.cwd + "/").href } },
        results,
      },
    ],
  };
}

export function sarif(run: RunOutput): string {
  return JSON.stringify(sarifLog(run), null, 2) + "\n";
}

// GitHub Actions workflow commands: a notice per proposed edit, a warning per needs-review
// item, an error per file that could not be read, parsed or written; each titled with its
// rule code.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import { decisionOf, editLine, fixSentence } from "../describe.ts";
import { BACKPORT, codeOf, FILE_ERROR } from "../rule-docs.ts";
import type { RunOutput } from "./format.ts";

/** Message data: %, CR and LF are escaped. */
const data = (s: string) => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
/** Property values also escape : and , (they separate properties). */
const prop = (s: string) => data(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

function command(kind: "notice" | "warning" | "error", props: Record<string, string | number | undefined>, message: string): string {
  const p = Object.entries(props)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${prop(String(v))}`)
    .join(",");
  return `::${kind} ${p}::${data(message)}\n`;
}

/**
 * One annotation per item, at the class line (the item's one location in every format); a
 * proposed edit names its insertion as the fix. Suppressed items are not annotated.
 */
export function github({ analysis, edits, errors, dryRun, suppressed }: RunOutput): string {
  const applied = !dryRun;
  let out = "";
  for (const e of edits) {
    const d = decisionOf(analysis, e);
    const fix = fixSentence(analysis, e, applied, edits);
    if (!d) {
      out += command("notice", { file: e.file, line: editLine(analysis, e), title: `middleware-codemod ${BACKPORT.code} (--backport)` }, `--backport: ${fix}`);
      continue;
    }
    const c = codeOf(d);
    out += command("notice", { file: d.node.file, line: d.node.line, col: d.node.column, title: `middleware-codemod ${c.code} (${d.outcome})` }, `${d.node.name}: ${d.reason}. Fix: ${fix}.`);
  }
  for (const d of analysis.decisions.filter((d) => d.outcome === "needs-review" && !suppressed.has(d.node.id))) {
    const c = codeOf(d);
    out += command("warning", { file: d.node.file, line: d.node.line, col: d.node.column, title: `middleware-codemod ${c.code} (needs review: ${d.rule})` }, `${d.node.name}: ${d.reason}${d.advice ? `. ${d.advice}` : ""}`);
  }
  for (const e of errors) out += command("error", { file: e.file, line: e.line, col: e.column, title: `middleware-codemod ${FILE_ERROR.code}` }, e.message);
  return out;
}

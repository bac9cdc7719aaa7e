// GitHub Actions workflow commands: a notice per edit, a warning per needs-review item, an
// error per file that could not be read, parsed or written.
// https://docs.github.com/actions/reference/workflow-commands-for-github-actions
import type { Analysis } from "../../transforms/lib/api.ts";
import type { Edit, FileError } from "../../transforms/lib/model.ts";
import { decisionOf, editLine, editText } from "../describe.ts";

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

export function githubAnnotations(analysis: Analysis, edits: readonly Edit[], errors: readonly FileError[], applied: boolean): string {
  let out = "";
  for (const e of edits) {
    const d = decisionOf(analysis, e);
    const what = `${applied ? "added" : "add"} ${editText(e)}`;
    out += command("notice", { file: e.file, line: editLine(analysis, e), title: d ? `middleware-codemod: ${d.outcome}` : "middleware-codemod" }, d ? `${d.node.name}: ${what} (${d.reason})` : what);
  }
  for (const d of analysis.decisions.filter((d) => d.outcome === "needs-review"))
    out += command("warning", { file: d.node.file, line: d.node.line, title: `middleware-codemod: needs review (${d.rule})` }, `${d.node.name}: ${d.reason}${d.advice ? `. ${d.advice}` : ""}`);
  for (const e of errors) out += command("error", { file: e.file, line: e.line, col: e.column, title: "middleware-codemod" }, e.message);
  return out;
}

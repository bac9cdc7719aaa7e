// The closing summary: classes per outcome, files changed, where the report is.
import type { Analysis } from "../transforms/lib/api.ts";
import type { SwitchCount } from "../transforms/lib/django/chain-model.ts";
import { chainText } from "../transforms/lib/django/diagram.ts";
import type { Colors } from "./color.ts";
import { OUTCOMES } from "./describe.ts";

export interface SummaryInput {
  dryRun: boolean;
  filesChanged: number;
  errors: number;
  /** Interactive review: edits and actions declined or left after quitting. */
  skipped?: number;
  report?: string;
  /** Draw each chain (a terminal is reading). */
  drawChains?: boolean;
}

const total = (c: SwitchCount) => c.syncToAsync + c.asyncToSync;

export function summary(analysis: Analysis, s: SummaryInput, c: Colors): string {
  const count = (o: string) => analysis.decisions.filter((d) => d.outcome === o).length;
  const classes = OUTCOMES.map((o) => `${count(o)} ${o}`).join(", ");
  const changed = s.dryRun ? `${s.filesChanged} would change` : `${s.filesChanged} changed`;
  const lines = [
    `${c.bold("Middleware classes:")} ${analysis.decisions.length} (${classes})`,
    `${c.bold("Files:")} ${analysis.filesScanned} scanned, ${changed}${s.skipped ? `, ${s.skipped} review item${s.skipped === 1 ? "" : "s"} skipped` : ""}, ${s.errors ? c.red(`${s.errors} error${s.errors === 1 ? "" : "s"}`) : "0 errors"}`,
    `${c.bold("Report:")} ${s.report ?? "none (--report FILE writes one)"}`,
  ];
  for (const chain of analysis.chains ?? []) {
    const sw = chain.switches;
    const figures = sw
      ? `async view ${total(sw.asyncView.before)} → ${total(sw.asyncView.after)}, sync view ${total(sw.syncView.before)} → ${total(sw.syncView.after)} context switches per request`
      : `not analysed (${chain.unresolved.join(", ")} could not be read)`;
    lines.push(`${c.bold(`${chain.setting} ${chain.file}:${chain.line}:`)} ${figures}`);
    for (const note of chain.notes) lines.push(`  note: ${note}`);
    if (s.drawChains && sw) lines.push(chainText(chain));
  }
  return lines.join("\n") + "\n";
}

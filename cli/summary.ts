// The closing summary: classes per outcome (suppressed and skipped apart), files, what a
// review wrote and skipped, where the report is, and each chain's figures and notes.
import type { Analysis } from "../transforms/lib/api.ts";
import type { SwitchCount } from "../transforms/lib/django/chain-model.ts";
import { chainText } from "../transforms/lib/django/diagram.ts";
import type { Colors } from "./color.ts";
import { OUTCOMES } from "./describe.ts";
import type { SkippedItem } from "./interactive.ts";
import { UNRELEASED } from "./options.ts";
import type { Suppression } from "./suppress.ts";

export interface SummaryInput {
  dryRun: boolean;
  filesChanged: number;
  errors: number;
  /** Interactive review: the classes whose edits were written, and the items not accepted. */
  review?: { written: ReadonlySet<string>; skipped: readonly SkippedItem[]; quit: boolean };
  /** The report file, when it was written. */
  report?: string;
  suppressed: ReadonlyMap<string, Suppression>;
  /** --target as given. */
  target: string;
  /** --backport was given. */
  backport?: boolean;
  /** Draw each chain (a terminal is reading). */
  drawChains?: boolean;
}

const total = (c: SwitchCount) => c.syncToAsync + c.asyncToSync;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function summary(analysis: Analysis, s: SummaryInput, c: Colors): string {
  // A declaration skipped in review is neither written nor "unchanged": it has its own count.
  const skippedDeclarations = new Set((s.review?.skipped ?? []).filter((i) => i.what.startsWith("set-async-capable") || i.what === "--backport").map((i) => i.classId));
  const bucket = (id: string, outcome: string) => (s.suppressed.has(id) ? "suppressed" : skippedDeclarations.has(id) ? "skipped" : outcome);
  const count = (o: string) => analysis.decisions.filter((d) => bucket(d.node.id, d.outcome) === o).length;
  const extra = [count("suppressed") && `${count("suppressed")} suppressed`, count("skipped") && `${count("skipped")} skipped in review`].filter(Boolean);
  const classes = [...OUTCOMES.map((o) => `${count(o)} ${o}`), ...extra].join(", ");
  const changed = s.dryRun ? `${s.filesChanged} would change` : `${s.filesChanged} changed`;
  const lines = [
    `${c.bold("Middleware classes:")} ${analysis.decisions.length} (${classes})`,
    `${c.bold("Files:")} ${analysis.filesScanned} scanned, ${changed}, ${s.errors ? c.red(plural(s.errors, "error")) : "0 errors"}`,
  ];
  if (s.review) {
    const written = analysis.decisions.filter((d) => s.review!.written.has(d.node.id)).map((d) => d.node.name);
    const skipped = s.review.skipped.map((i) => `${i.name}: ${i.what}`);
    lines.push(
      `${c.bold("Review:")} ${written.length ? `written: ${written.join(", ")}` : "nothing written"}; ${skipped.length ? `skipped${s.review.quit ? " (quit)" : ""}: ${skipped.join(", ")}` : "nothing skipped"}`,
    );
  }
  if (s.report) lines.push(`${c.bold("Report:")} ${s.report}`);
  const target = analysis.target?.version ?? (s.target === "auto" ? null : s.target);
  if (target && UNRELEASED.includes(target))
    lines.push(
      `${c.bold("Django target:")} ${target} is not released yet (in development): its upstream flags are expected, not read from a release${analysis.target ? "" : "; no Python file was read, so it was not used"}`,
    );
  if (s.backport && !analysis.edits.some((e) => e.classId.startsWith("backport:"))) lines.push(`${c.bold("Backport:")} nothing backported: ${backportSkipped(analysis)}`);
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

/** Why --backport proposed nothing, in the words a user can act on. */
function backportSkipped(analysis: Analysis): string {
  const chains = analysis.chains;
  if (!chains) return "no Python file was scanned";
  if (!chains.length) return "no MIDDLEWARE setting was found";
  const unread = chains.filter((ch) => !ch.switches).length;
  if (unread === chains.length) return `${unread === 1 ? "the MIDDLEWARE setting" : `all ${unread} MIDDLEWARE settings`} could not be counted (see the notes below)`;
  return `no upstream class in ${chains.length === 1 ? "the counted chain" : "the counted chains"} needs a sync-only subclass for the target version${unread ? ` (${unread} other${unread === 1 ? "" : "s"} could not be counted; see the notes below)` : ""}`;
}

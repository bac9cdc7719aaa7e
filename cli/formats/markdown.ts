// `--report FILE`: a release-note-style Markdown report of one run. Sections, in order:
// chain table (Python projects), what changed and why, one section per outcome, errors.
import { chainDetails, type Chain, type SwitchCount } from "../../transforms/lib/django/chain-model.ts";
import { chainMermaid } from "../../transforms/lib/django/diagram.ts";
import { backportEffect } from "../../transforms/lib/django/measured.ts";
import type { Decision } from "../../transforms/lib/model.ts";
import { errorLocation, fixSentence, where } from "../describe.ts";
import { UNRELEASED } from "../options.ts";
import { codeOf, ruleDoc } from "../rule-docs.ts";
import type { RunOutput } from "./format.ts";

/**
 * The report's first line. A file that starts with it was written by this tool: the check
 * for uncommitted changes before writing does not count it (cli/git.ts).
 */
export const REPORT_MARKER = "<!-- middleware-codemod report -->";

const WHY = `Under an async server, \`MiddlewareMixin\` declares async support and wraps each synchronous request and response hook in its own sync-to-async hop. A middleware class whose hooks are all sync therefore claims an async support it does not have; the chain builder believes the claim, cannot group the class with its sync neighbours, and every request pays one context switch per hook instead of one per block of sync middleware. In Django's default stack of 7 middleware that is 13 thread hops per request to an async view, and 3 once those classes declare \`async_capable = False\`. The fix is one declaration per class: sync-only classes declare that they are sync-only, and classes with native async hooks declare their async support themselves, so that no declaration above them can turn them into a sync block. Nothing else in the files changed.`;

/** What is known about throughput for the target: measured figures, or "not measured". */
function effect(target: string | null, python: boolean): string {
  if (!python) return "**Effect on throughput:** not measured for this framework; the counts above are context switches, not requests per second.";
  return `**Effect on throughput:** ${backportEffect(target)}`;
}

function total(c: SwitchCount): number {
  return c.syncToAsync + c.asyncToSync;
}

function switches(before: SwitchCount, after: SwitchCount): string {
  return `${total(before)} → ${total(after)} (sync_to_async ${before.syncToAsync} → ${after.syncToAsync}, async_to_sync ${before.asyncToSync} → ${after.asyncToSync})`;
}

/**
 * One table row per MIDDLEWARE setting (context switches per request before and after this
 * run), then each analysed chain drawn before and after, with its notes.
 */
export function chainSection(chains: readonly Chain[]): string {
  if (!chains.length) return "No `MIDDLEWARE` setting was found, so no chain was analysed.\n";
  const rows = chains.map((c) => {
    const at = `\`${c.file}:${c.line}\``;
    if (!c.switches) return `| ${c.setting} | ${at} | not analysed: ${c.unresolved.map((u) => `\`${u}\``).join(", ") || "a class"} could not be read | |`;
    return `| ${c.setting} | ${at} | ${switches(c.switches.asyncView.before, c.switches.asyncView.after)} | ${switches(c.switches.syncView.before, c.switches.syncView.after)} |`;
  });
  const out = ["Context switches per request, before → after this run:", "", "| setting | where | to an async view | to a sync view |", "| --- | --- | --- | --- |", ...rows, ""];
  for (const c of chains) {
    const details = chainDetails(c);
    if (!details && !c.notes.length) continue;
    if (details) out.push(chainMermaid(c, details));
    else out.push(`**${c.file}:${c.line} ${c.setting}**`, "");
    for (const n of c.notes) out.push(`> ${n}`, "");
  }
  return out.join("\n");
}

function item(d: Decision, note = "", fix = ""): string {
  return `- **${d.node.name}** (\`${where(d)}\`, ${codeOf(d).code})${note}: ${d.reason}.${fix ? ` Fix: ${fix}.` : ""}`;
}

function fence(code: string, lang: string): string {
  return "```" + lang + "\n" + code + "\n```";
}

function reviewItem(d: Decision, state: RunOutput): string {
  const doc = ruleDoc(d.rule);
  const example = d.node.language === "py" ? doc.example.py && fence(doc.example.py, "python") : doc.example.ts && fence(doc.example.ts, "ts");
  const resolved = state.resolved.get(d.node.id);
  return [
    `### ${d.node.name} (\`${where(d)}\`, ${codeOf(d).code}): ${doc.title}`,
    "",
    ...(resolved ? [`**Resolved in review:** ${resolved}${state.dryRun ? " (proposed)" : ""}.`, ""] : []),
    `**What:** ${d.reason}.`,
    "",
    `**Why:** ${doc.why}`,
    "",
    ...(example ? ["**Example:**", "", example, ""] : []),
    `**What to do:** ${d.advice ?? "Decide which declaration matches the class and add it by hand."}`,
    "",
    `**How safe:** ${doc.safety}`,
    "",
  ].join("\n");
}

export function markdown(state: RunOutput): string {
  const analysis = state.analysis;
  const by = (o: Decision["outcome"]) => analysis.decisions.filter((d) => d.outcome === o && !state.suppressed.has(d.node.id));
  const skipped = new Set(state.skipped.map((i) => i.classId));
  const note = (d: Decision) => (state.written.has(d.node.id) || state.dryRun ? "" : skipped.has(d.node.id) ? " (skipped in review: not written)" : " (not written)");
  const fix = (d: Decision) => {
    const e = analysis.edits.find((e) => e.classId === d.node.id);
    return e ? fixSentence(analysis, e, !state.dryRun && state.written.has(d.node.id), analysis.edits) : "";
  };
  const verb = state.dryRun ? "to be declared" : "now declared";
  const out: string[] = [REPORT_MARKER, "# Middleware async-capability report", ""];
  if (analysis.chains) out.push(chainSection(analysis.chains));
  out.push("## What changed and why", "", WHY, "", effect(analysis.target?.version ?? null, analysis.chains !== null), "");
  if (state.dryRun) out.push("This was a dry run: nothing was written; the sections below list what a real run writes.", "");
  if (analysis.target)
    out.push(
      `Django version used for upstream classes: ${analysis.target.version} (${analysis.target.source})${UNRELEASED.includes(analysis.target.version) ? "; not released yet (in development): its upstream flags are expected, not read from a release" : ""}.`,
      "",
    );

  const setFalse = by("set-async-capable-false");
  out.push(`## Classes ${verb} sync-only (${setFalse.length})`, "");
  out.push(setFalse.length ? setFalse.map((d) => item(d, note(d), fix(d))).join("\n") : "None.", "");

  const setTrue = by("set-async-capable-true");
  out.push(`## Classes ${state.dryRun ? "to declare" : "that now declare"} async support (${setTrue.length})`, "");
  out.push(setTrue.length ? setTrue.map((d) => item(d, `, ${d.required ? "required" : "defensive"}${note(d)}`, fix(d))).join("\n") : "None.", "");

  const review = by("needs-review");
  out.push(`## Needs review (${review.length})`, "");
  out.push(review.length ? review.map((d) => reviewItem(d, state)).join("\n") : "None.\n");

  const unchanged = by("unchanged");
  out.push(`## Unchanged (${unchanged.length})`, "");
  out.push(unchanged.length ? unchanged.map((d) => item(d)).join("\n") : "None.", "");

  const suppressed = analysis.decisions.filter((d) => state.suppressed.has(d.node.id));
  if (suppressed.length) {
    out.push(`## Suppressed (${suppressed.length})`, "");
    out.push(suppressed.map((d) => { const s = state.suppressed.get(d.node.id)!; return item(d, `, ${d.outcome}, suppressed by ${s.by === "comment" ? `\`${s.detail}\`` : `--exclude ${s.detail}`}`); }).join("\n"), "");
  }

  if (state.errors.length) {
    out.push(`## Files that could not be read, parsed or written (${state.errors.length})`, "");
    out.push(state.errors.map((e) => `- \`${errorLocation(e)}\`: ${e.message}`).join("\n"), "");
  }
  return out.join("\n");
}

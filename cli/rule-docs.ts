// The index of every code: the codes of no rule (rules/outcome-codes.ts) and each rule's own
// codes and docs (in its module, beside its check), in code order. `explain`, the report, the
// annotations and SARIF read the docs from here; docs/rules.md is generated from it.

import { INVARIANT, RULES } from "../transforms/lib/decide.ts";
import type { Decision } from "../transforms/lib/model.ts";
import type { RuleDoc } from "../transforms/lib/rules/context.ts";
import * as outcome from "../transforms/lib/rules/outcome-codes.ts";
import type { CodeKind, OutcomeCode } from "../transforms/lib/rules/outcome-codes.ts";

export type { CodeKind, RuleDoc };

/** Where the rule docs are published: the README, one section per code (`#mwc101`). */
export const DOCS_URL = "https://www.npmjs.com/package/middleware-codemod";

export interface RuleCode {
  code: string;
  kind: CodeKind;
  /** The rule module (as decide.ts lists it) whose verdict this is; "*" for any rule. */
  rule: string;
  doc: RuleDoc;
}

export const CODES: readonly RuleCode[] = [
  ...outcome.OUTCOME_CODES.map((c) => ({ ...c, rule: "*" })),
  ...[...RULES, INVARIANT].flatMap((r) => r.codes.map((c) => ({ code: c.code, kind: c.outcome, rule: r.name, doc: c.doc }))),
].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

const entry = (c: OutcomeCode): RuleCode => CODES.find((x) => x.code === c.code)!;
const [UNCHANGED, NO_PLACE, REVIEW] = [entry(outcome.UNCHANGED), entry(outcome.NO_PLACE), entry(outcome.REVIEW)];
export const FILE_ERROR = entry(outcome.FILE_ERROR);
export const BACKPORT = entry(outcome.BACKPORT);

/** decide.ts words a declaration with no place to go this way. */
const NO_INSERTION = "no place in the class body to insert the declaration";

/** The background of a review item: its rule's needs-review docs, or the generic text. */
export function ruleDoc(rule: string): RuleDoc {
  return CODES.find((c) => c.kind === "needs-review" && c.rule === rule)?.doc ?? REVIEW.doc;
}

/** The code of a decision: its outcome and the rule module that decided it. */
export function codeOf(d: Pick<Decision, "outcome" | "rule" | "reason">): RuleCode {
  const find = (kind: CodeKind, rule: string) => CODES.find((c) => c.kind === kind && c.rule === rule);
  if (d.outcome === "needs-review") {
    if (d.reason.includes(NO_INSERTION)) return NO_PLACE;
    return find("needs-review", d.rule) ?? REVIEW;
  }
  if (d.outcome === "unchanged") return find("unchanged", d.rule) ?? UNCHANGED;
  return CODES.find((c) => c.kind === d.outcome)!;
}

/** A code (any case), or a rule name with a single code: the entry; null when unknown. */
export function lookupCode(name: string): RuleCode | null {
  const n = name.trim().toLowerCase();
  const byCode = CODES.find((c) => c.code.toLowerCase() === n);
  if (byCode) return byCode;
  const byRule = CODES.filter((c) => c.rule === n);
  return byRule.length === 1 ? byRule[0] : (byRule.find((c) => c.kind === "needs-review") ?? null);
}

export function helpUri(c: RuleCode): string {
  return `${DOCS_URL}#${c.code.toLowerCase()}`;
}

/** `middleware-codemod explain CODE`: what / why / example / fix safety, as plain text. */
export function explainText(c: RuleCode): string {
  const example = [c.doc.example.ts && `TypeScript/JavaScript:\n${indent(c.doc.example.ts)}`, c.doc.example.py && `Python:\n${indent(c.doc.example.py)}`].filter(Boolean);
  return [
    `${c.code} (${c.kind}${c.rule === "*" ? "" : `, rule ${c.rule}`}): ${c.doc.title}`,
    "",
    `Why: ${c.doc.why}`,
    "",
    ...(example.length ? ["Example:", ...example, ""] : []),
    `Fix safety: ${c.doc.safety}`,
    "",
    `Docs: ${helpUri(c)}`,
    "",
  ].join("\n");
}

export function codeList(): string {
  return CODES.map((c) => `${c.code}  ${c.kind.padEnd(23)}  ${c.doc.title}`).join("\n") + "\n";
}

const indent = (s: string) => s.split("\n").map((l) => (l ? `    ${l}` : l)).join("\n");

const fenced = (code: string, lang: string) => "```" + lang + "\n" + code + "\n```";

/** docs/rules.md: every code with what / why / example / fix safety (`npm run docs` writes it). */
export function rulesMarkdown(): string {
  const ruleText = (c: RuleCode) => (c.rule !== "*" ? `\`${c.rule}\`` : c.kind === "backport" || c.kind === "file-error" ? "none" : "any");
  const out = [
    "<!-- Generated from the rule modules (transforms/lib/rules/) by `npm run docs`; edit those, not this file. -->",
    "# Rule codes",
    "",
    "Every outcome and review rule has a stable code, never renumbered or reused. The JSON (`code`), the annotations, the SARIF rules and the report carry it, suppression comments may name it, and `middleware-codemod explain CODE` prints the same text as below. Each rule's codes and docs are in its module; the codes of no rule are in `transforms/lib/rules/outcome-codes.ts`.",
    "",
    "| code | outcome | rule module | what |",
    "|---|---|---|---|",
    ...CODES.map((c) => `| [${c.code}](#${c.code.toLowerCase()}) | ${c.kind} | ${ruleText(c)} | ${c.doc.title.replace(/\|/g, "\\|")} |`),
    "",
  ];
  for (const c of CODES) {
    out.push(`## ${c.code}`, "", `**${c.doc.title}.** Outcome: \`${c.kind}\`; rule module: ${ruleText(c)}.`, "", `**Why:** ${c.doc.why}`, "");
    if (c.doc.example.ts) out.push("**Example (TypeScript/JavaScript):**", "", fenced(c.doc.example.ts, "ts"), "");
    if (c.doc.example.py) out.push("**Example (Python):**", "", fenced(c.doc.example.py, "python"), "");
    out.push(`**Fix safety:** ${c.doc.safety}`, "");
  }
  return out.join("\n");
}

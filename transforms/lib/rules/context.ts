// The tiny state every decision rule reads.
import type { ClassGraph } from "../graph.ts";
import { frontEndOf } from "../frontends/index.ts";
import type { ClassNode, DjangoTarget, Language, NameSet, Nature, Outcome, ReviewAction } from "../model.ts";

export interface RuleContext {
  graph: ClassGraph;
  /** Declarations this run adds so far (ancestors are decided first). */
  overrides: Map<string, boolean>;
  /** Python: the Django version whose upstream flags apply. */
  djangoTarget: DjangoTarget | null;
  names: NameSet;
}

export type { NameSet };

export interface Verdict {
  outcome: Outcome;
  reason: string;
  advice?: string;
  action?: ReviewAction;
  required?: boolean;
}

/** A rule's decision: a verdict, or null to let the next rule in the list answer. */
export type Check = (ctx: RuleContext, node: ClassNode) => Verdict | null;

/** What a code means: why it matters, an example, and how safe the fix is. */
export interface RuleDoc {
  title: string;
  why: string;
  example: { ts?: string; py?: string };
  safety: string;
}

/** An outcome a rule reports under a code of its own (codes are never renumbered or reused). */
export interface RuleCodeDoc {
  code: string;
  outcome: Outcome;
  doc: RuleDoc;
}

/** One decision rule: a module in rules/, listed in order by decide.ts. */
export interface Rule {
  /** The module's file name; `Decision.rule` of its verdicts. */
  name: string;
  /**
   * The outcomes it reports under a code of its own, with their docs. Any other verdict takes
   * its outcome's code: set-async-capable-false MWC101, set-async-capable-true MWC102,
   * unchanged MWC001, needs-review MWC299, or MWC208 where the class has no place for the
   * declaration (cli/rule-docs.ts, codeOf).
   */
  codes: readonly RuleCodeDoc[];
  check: Check;
}

/** Native async in the class itself: async hop hooks (TS/JS) or an async dispatch (both). */
export function hasOwnNativeAsync(node: ClassNode): boolean {
  if (node.dispatch.acall === "async") return true;
  if (node.language === "py") return node.dispatch.call === "async";
  return node.hooks.request?.nature === "async" || node.hooks.response?.nature === "async";
}

export function literal(language: Language, value: boolean): string {
  return frontEndOf(language).literal(value);
}

export function list(names: string[]): string {
  if (names.length <= 1) return names.join("");
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

export function describeHooks(hooks: { name: string; nature: Nature }[], nature: Nature): string {
  const names = hooks.filter((h) => h.nature === nature).map((h) => h.name);
  return `${list(names)} ${names.length === 1 ? "is" : "are"} ${nature}`;
}

/** "MiddlewareMixin through SessionMiddleware (django 5.2)": where an inherited value comes from, and the nearest class it passes. */
export function inheritedFrom(ctx: RuleContext, node: ClassNode, declaredIn: string | null): string {
  const via = ctx.graph.classesBelowMixin(node)[1];
  if (!via || via.name === declaredIn) return `${declaredIn}${originText(via)}`;
  return `${declaredIn} through ${via.name}${originText(via)}`;
}

function originText(node: ClassNode | undefined): string {
  return node?.origin ? ` (${node.origin.package}${node.origin.version ? ` ${node.origin.version}` : ""})` : "";
}

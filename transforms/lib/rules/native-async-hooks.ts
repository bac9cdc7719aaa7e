// Native async hooks need asyncCapable = true: declared, so that no flip of an
// ancestor (in this run or upstream later) turns them into a sync block.
import { describeHooks, inheritedFrom, literal, type Rule, type RuleContext, type Verdict } from "./context.ts";
import type { ClassNode } from "../model.ts";
import { falseSource } from "./keep-async-capable.ts";

export const nativeAsyncHooks: Rule = (ctx, node) => {
  if (node.language === "py") return null; // Python hop hooks are never native (python-async-hop-hook)
  const hop = ctx.graph.hopHooks(node);
  if (!hop.length || hop.some((h) => h.nature !== "async")) return null;
  const own = node.flags.asyncCapable;
  if (own?.value === false)
    return {
      outcome: "needs-review",
      reason: `${describeHooks(hop, "async")} but it declares ${ctx.names.asyncCapable} = false: the chain runs it sync and gets promises back`,
      advice: `Declare ${ctx.names.asyncCapable} = true, or make the hooks sync.`,
      action: { label: `declare ${ctx.names.asyncCapable} = true`, asyncCapable: true },
    };
  if (own) return { outcome: "unchanged", reason: `${describeHooks(hop, "async")} and it declares ${ctx.names.asyncCapable} = true` };
  // Only the class that defines the async hooks declares for them; subclasses inherit both.
  if (!hop.some((h) => h.owner === node)) {
    const inherited = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
    const owners = [...new Set(hop.map((h) => h.owner.name))].join(" and ");
    return {
      outcome: "unchanged",
      reason: `${describeHooks(hop, "async")}, inherited from ${owners}; inherits ${ctx.names.asyncCapable} = ${inherited.value} from ${inherited.declaredIn}`,
    };
  }
  return nativeAsyncDeclaration(ctx, node, describeHooks(hop, "async"));
};

/**
 * The outcome for a class with native async hooks (`hooks`: async hop hooks, which cannot work
 * sync at all; `dispatch`: an async dispatch, which a false flag merely leaves unused) and no
 * declaration of its own.
 */
export function nativeAsyncDeclaration(ctx: RuleContext, node: ClassNode, what: string, kind: "hooks" | "dispatch" = "hooks"): Verdict {
  const flag = ctx.names.asyncCapable;
  const inherited = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
  const t = literal(node.language, true);
  if (inherited.value === false) {
    const source = inherited.node;
    // A false declared in the scanned code before this run: the dispatch has never run async, so turning it on is the author's call.
    if (kind === "dispatch" && (!source || (source.editable && ctx.overrides.get(source.id) !== false)))
      return {
        outcome: "needs-review",
        reason: `${what} but inherits ${flag} = ${literal(node.language, false)} from ${inherited.declaredIn ?? "the framework default"}: its async path has never run`,
        advice: `Declare ${flag} = ${t} if the async path is meant to run, or remove it.`,
        action: { label: `declare ${flag} = ${t}`, asyncCapable: true, caution: "turns on an async path that has never run" },
      };
    return { outcome: "set-async-capable-true", reason: `${what}; required: ${falseSource(ctx.graph, node, ctx.overrides, flag)}`, required: true };
  }
  const mixin = ctx.graph.mixinOf(node);
  const directMixin = node.bases.length > 0 && node.bases.every((b) => b.kind === "mixin");
  if (directMixin)
    return {
      outcome: "set-async-capable-true",
      reason: `${what}; defensive: inherits ${flag} = ${t} from ${mixin ?? inherited.declaredIn} today, and the mixin's default may change`,
      required: false,
    };
  return {
    outcome: "set-async-capable-true",
    reason: `${what}; defensive: inherits ${flag} = ${t} from ${inheritedFrom(ctx, node, inherited.declaredIn)} today, and ${ctx.graph.classesBelowMixin(node)[1]?.name ?? inherited.declaredIn} could declare itself sync-only later`,
    required: false,
  };
}

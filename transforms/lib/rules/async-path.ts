// What several rules share about a class's async path (not a rule itself): what makes it
// depend on asyncCapable = true, what keeps it when a declaration above flips, and what a class
// with native async declares for it.
import type { ClassGraph, Overrides } from "../graph.ts";
import type { ClassNode } from "../model.ts";
import { inheritedFrom, list, literal, type RuleContext, type Verdict } from "./context.ts";

/** What makes the class depend on asyncCapable = true, and whether its async path is complete. */
export function asyncPath(graph: ClassGraph, node: ClassNode, names: { call: string; acall: string }): { what: string; complete: boolean } | null {
  const dispatch = graph.asyncDispatch(node);
  if (dispatch?.reached) {
    const name = dispatch.which === "acall" ? names.acall : names.call;
    const what = dispatch.owner === node ? `defines an async ${name}` : `inherits an async ${name} from ${dispatch.owner.name}`;
    return { what, complete: node.language !== "py" || graph.marksCoroutine(node) };
  }
  if (node.language === "py" || dispatch || !graph.mixinOf(node)) return null;
  // TS/JS: the mixin awaits an async hop hook natively, but only under an async chain.
  const hop = graph.hopHooks(node).filter((h) => h.nature === "async");
  if (!hop.length) return null;
  const own = hop.filter((h) => h.owner === node);
  const inherited = hop.filter((h) => h.owner !== node);
  const async = (hooks: { name: string }[]) => `${hooks.length > 1 ? "async" : "an async"} ${list(hooks.map((h) => h.name))}`;
  const what = [
    own.length ? `defines ${async(own)}` : "",
    inherited.length ? `inherits ${async(inherited)} from ${list([...new Set(inherited.map((h) => h.owner.name))])}` : "",
  ]
    .filter(Boolean)
    .join(" and ");
  return { what, complete: true };
}

/** Why the value after the run is false: the class (this run's declaration or an upstream one) it comes from. */
export function falseSource(graph: ClassGraph, node: ClassNode, overrides: Overrides, flag: string): string {
  const after = graph.effectiveFlag(node, "asyncCapable", overrides);
  const source = after.node;
  if (!source) return `the framework default is ${literal(node.language, false)}`;
  const flipped = overrides.get(source.id) === false;
  // Python multiple inheritance: name the class whose async dispatch the flipped one now shadows.
  const owner = graph.asyncDispatch(node)?.owner;
  const at = (c: ClassNode) => graph.mro(node).findIndex((e) => e.kind === "class" && e.node === c);
  const mroNote =
    node.language === "py" && owner && owner !== node && at(source) < at(owner) && !graph.mro(source).some((e) => e.kind === "class" && e.node === owner)
      ? ` and comes before ${owner.name} in its method resolution order`
      : "";
  if (flipped) return `${source.name} is declared sync-only in this run${mroNote}`;
  const origin = !source.editable && source.origin ? ` in ${`${source.origin.package} ${source.origin.version ?? ""}`.trimEnd()}` : "";
  return `${source.name} declares ${flag} = ${literal(node.language, false)}${origin}`;
}

/**
 * The verdict that keeps the class's async path, when the state after this run (the
 * declarations in `ctx.overrides` so far) would take away a true it had before; null otherwise.
 */
export function keepAsyncPath(ctx: RuleContext, node: ClassNode): Verdict | null {
  const overrides = ctx.overrides;
  const before = ctx.graph.effectiveFlag(node, "asyncCapable");
  const after = ctx.graph.effectiveFlag(node, "asyncCapable", overrides);
  if (before.value === false || after.value !== false) return null;
  const path = asyncPath(ctx.graph, node, ctx.names);
  if (!path) return null;
  const flag = ctx.names.asyncCapable;
  const t = literal(node.language, true);
  const why = falseSource(ctx.graph, node, overrides, flag);
  if (!path.complete)
    return {
      outcome: "needs-review",
      reason: `${path.what}, and ${why}: it would lose its async path, but without markcoroutinefunction(self) in __init__ that path is incomplete`,
      advice: `In __init__, call \`markcoroutinefunction(self)\` (asgiref.sync) when \`iscoroutinefunction(self.get_response)\`, then declare ${flag} = ${t}.`,
    };
  return { outcome: "set-async-capable-true", reason: `${path.what}; required: ${why}`, required: true };
}

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

// This run's edits never change what a class does: a class whose async path runs today (an
// async hop hook the mixin awaits, or a reached async dispatch) must not end sync-only because
// a declaration above it, in its method resolution order, flips.
import type { ClassGraph, Overrides } from "../graph.ts";
import type { ClassNode } from "../model.ts";
import { list, literal, type RuleContext, type Verdict } from "./context.ts";

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
 * The verdict that keeps the class's async path, when the state after this run (its own
 * verdict included in `overrides`) would take away a true it had before; null otherwise.
 */
export function keepAsyncCapable(ctx: RuleContext, node: ClassNode, overrides: Overrides): Verdict | null {
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

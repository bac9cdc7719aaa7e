// A class with its own call/acall (Python __call__/__acall__) decides its own behaviour;
// the mixin's hop hooks do not apply. Its flags must match what the dispatch does.
import { hasOwnNativeAsync, literal, type Rule } from "./context.ts";
import { nativeAsyncDeclaration } from "./native-async-hooks.ts";

export const ownDispatch: Rule = (ctx, node) => {
  const d = ctx.graph.dispatch(node);
  if (!d) return null;
  const { call, acall } = ctx.names;
  const py = node.language === "py";
  const asyncDispatch = d.acall === "async" || (py && d.call === "async" && d.acall === undefined);
  const effective = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
  const own = node.flags.asyncCapable;
  const flagName = ctx.names.asyncCapable;

  if (d.acall === "unknown" || d.call === "unknown")
    return {
      outcome: "needs-review",
      reason: `its ${d.acall === "unknown" ? acall : call} is assigned or computed: whether it is async cannot be known`,
      advice: `Define ${acall} as an async method and ${call} as a sync one, or declare ${flagName} explicitly.`,
    };

  if (asyncDispatch) {
    if (own && own.value === false)
      return {
        outcome: "needs-review",
        reason: `defines an async ${d.acall === "async" ? acall : call} but declares ${flagName} = ${literal(node.language, false)}: the async path is dead code`,
        advice: `Declare ${flagName} = ${literal(node.language, true)} if the async path is meant to run, or remove it.`,
        action: { label: `declare ${flagName} = ${literal(node.language, true)}`, asyncCapable: true },
      };
    if (py && d.acall === undefined && d.call === "async" && ctx.graph.effectiveFlag(node, "syncCapable").value !== false)
      return {
        outcome: "needs-review",
        reason: `defines async def __call__ (async-only) but is still declared sync-capable: a sync chain would call it and get a coroutine`,
        advice: "Declare sync_capable = False and async_capable = True, or decorate a function middleware with @async_only_middleware.",
      };
    if (py && effective.value !== false && !marksCoroutine(ctx, node))
      return {
        outcome: "needs-review",
        reason: "own async dispatch without markcoroutinefunction(self) in __init__: an outer MiddlewareMixin will call it synchronously",
        advice: "In __init__, call `markcoroutinefunction(self)` (asgiref.sync) when `iscoroutinefunction(self.get_response)`, as Django's MiddlewareMixin does.",
      };
    if (!own && hasOwnNativeAsync(d.owner) && d.owner === node) return nativeAsyncDeclaration(ctx, node, `defines an async ${d.acall === "async" ? acall : call}`);
    return { outcome: "unchanged", reason: `own dispatch (${[d.call && call, d.acall && acall].filter(Boolean).join(", ")}) with consistent flags` };
  }

  // Only a sync dispatch.
  const mixin = ctx.graph.mixinOf(node);
  if (!own && mixin && effective.value === true && effective.declaredIn === mixin)
    return {
      outcome: "needs-review",
      reason: `overrides ${call} with a sync method and no ${acall}, yet inherits ${flagName} = ${literal(node.language, true)} from ${mixin}: under an async server ${py ? "its get_response returns a coroutine" : "the next handler returns a promise"}, which its own code then handles as a response`,
      advice: `Usually: declare ${flagName} = ${literal(node.language, false)}. Only the author can tell whether the ${py ? "coroutine" : "promise"} is merely passed through.`,
      action: { label: `declare ${flagName} = ${literal(node.language, false)}`, asyncCapable: false },
    };
  return { outcome: "unchanged", reason: `own sync dispatch (${call}) with consistent flags` };
};

function marksCoroutine(ctx: Parameters<Rule>[0], node: Parameters<Rule>[1]): boolean {
  for (const c of ctx.graph.classesBelowMixin(node)) if (c.init) return c.init.marksCoroutine;
  // No __init__ of its own: MiddlewareMixin's __init__ marks the instance.
  return ctx.graph.mixinOf(node) !== null;
}

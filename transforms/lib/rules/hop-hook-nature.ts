// Hop hooks that mix sync and async, or whose nature cannot be known, need a person.
import { describeHooks, list, type Rule } from "./context.ts";

export const hopHookNature: Rule = (ctx, node) => {
  const hop = ctx.graph.hopHooks(node);
  const unknown = hop.find((h) => h.nature === "unknown");
  if (unknown) {
    const why = unknown.owner.hooks[unknown.kind]?.why ?? "it is not a method";
    return {
      outcome: "needs-review",
      reason: `${unknown.name} ${unknown.owner === node ? "" : `(from ${unknown.owner.name}) `}cannot be classified: ${why}`,
      advice: `Define ${unknown.name} as a method (async or not) so that its nature is visible, or declare ${ctx.names.asyncCapable} explicitly.`,
    };
  }
  const mixed = hop.some((h) => h.nature === "async") && hop.some((h) => h.nature === "sync");
  // The state a flip above leaves: the class declares true for the async hooks it adds, over an ancestor declared sync-only.
  if (
    mixed &&
    node.flags.asyncCapable?.value === true &&
    hop.every((h) => h.nature === "sync" || h.owner === node) &&
    ctx.graph.inheritedFlag(node, "asyncCapable", ctx.overrides).value === false
  )
    return {
      outcome: "unchanged",
      reason: `defines ${asyncNames(hop.filter((h) => h.owner === node && h.nature === "async"))} and declares ${ctx.names.asyncCapable} = true over ${ctx.graph.inheritedFlag(node, "asyncCapable", ctx.overrides).declaredIn}, which is sync-only; the sync ${list(hop.filter((h) => h.nature === "sync").map((h) => h.name))} still costs a switch`,
    };
  if (mixed)
    return {
      outcome: "needs-review",
      reason: `hop hooks mix sync and async: ${describeHooks(hop, "sync")}, ${describeHooks(hop, "async")}`,
      advice: `Make the hop hooks all async (and keep ${ctx.names.asyncCapable} = true) or all sync (and declare it false); a mixed class pays a switch per sync hook either way.`,
    };
  return null;
};

function asyncNames(hooks: { name: string }[]): string {
  return `${hooks.length > 1 ? "async" : "an async"} ${list(hooks.map((h) => h.name))}`;
}

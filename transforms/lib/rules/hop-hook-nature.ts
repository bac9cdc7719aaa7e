// Hop hooks that mix sync and async, or whose nature cannot be known, need a person.
import { describeHooks, type Rule } from "./context.ts";

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
  if (hop.some((h) => h.nature === "async") && hop.some((h) => h.nature === "sync"))
    return {
      outcome: "needs-review",
      reason: `hop hooks mix sync and async: ${describeHooks(hop, "sync")}, ${describeHooks(hop, "async")}`,
      advice: `Make the hop hooks all async (and keep ${ctx.names.asyncCapable} = true) or all sync (and declare it false); a mixed class pays a switch per sync hook either way.`,
    };
  return null;
};

// Hop hooks that mix sync and async, or whose nature cannot be known, need a person.
import { describeHooks, list, type Check, type Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  const hop = ctx.graph.hopHooks(node);
  // The state a flip above leaves (the run declares true on the class for the async hooks it
  // adds, over an ancestor declared sync-only): the declaration keeps them working, so a second
  // run has nothing to add.
  const ownAsync = hop.filter((h) => h.owner === node && h.nature === "async");
  const others = hop.filter((h) => h.nature !== "async");
  const inherited = ctx.graph.inheritedFlag(node, "asyncCapable", ctx.overrides);
  if (ownAsync.length && others.length && node.flags.asyncCapable?.value === true && inherited.value === false)
    return {
      outcome: "unchanged",
      reason: `defines ${ownAsync.length > 1 ? "async" : "an async"} ${list(ownAsync.map((h) => h.name))} and declares ${ctx.names.asyncCapable} = true over ${inherited.declaredIn}, which is sync-only; the ${list(others.map((h) => `${h.nature} ${h.name}`))} still ${others.length > 1 ? "cost a switch each" : "costs a switch"}`,
    };
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

export const hopHookNature: Rule = {
  name: "hop-hook-nature",
  codes: [
    {
      code: "MWC202",
      outcome: "needs-review",
      doc: {
        title: "Hop hooks that are mixed or cannot be classified",
        why: "Whether a class should be sync-only depends on all of its request/response hooks being sync. Mixed hooks pay a switch per sync hook whatever is declared; a hook assigned from elsewhere or computed cannot be classified at all.",
        example: { ts: "class TimingMiddleware extends MiddlewareMixin {\n  processRequest(request) { start(request); }\n  async processResponse(request, response) { await flush(); return response; }\n}", py: "class TimingMiddleware(MiddlewareMixin):\n    process_request = make_hook()  # sync or async?" },
        safety: "No safe automatic fix: making the hooks uniform is a code change. Once they are all sync, the codemod declares the class sync-only on its next run.",
      },
    },
  ],
  check,
};

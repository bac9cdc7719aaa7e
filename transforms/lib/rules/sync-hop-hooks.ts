// The ticket's case: sync hop hooks under an inherited asyncCapable = true. Declaring the
// class sync-only lets the chain group it with its sync neighbours.
import { describeHooks, hasOwnNativeAsync, inheritedFrom, literal, type Check, type Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  const hop = ctx.graph.hopHooks(node);
  const flag = ctx.names.asyncCapable;
  const f = literal(node.language, false);
  const hooks = describeHooks(hop, "sync");
  const own = node.flags.asyncCapable;
  if (own) return { outcome: "unchanged", reason: `${hooks} and it declares ${flag} = ${f}` };
  const inherited = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
  if (inherited.value === false)
    return {
      outcome: "unchanged",
      reason: `${hooks}; inherits ${flag} = ${f} from ${inherited.declaredIn}${inherited.node && ctx.overrides.get(inherited.node.id) === false ? " (declared in this run)" : ""}`,
    };
  const source = inherited.node;
  // Project code read outside the scanned paths declares like scanned code; it is only never edited.
  const ours = source && (source.editable || source.unscanned);
  const fromUpstream = !ours;
  // A true declared for the ancestor's own native async hooks does not carry over to sync overrides.
  const nativeAncestor = ours && (hasOwnNativeAsync(source) || ctx.overrides.get(source.id) === true);
  if (fromUpstream || nativeAncestor)
    return {
      outcome: "set-async-capable-false",
      reason: `${hooks}; ${flag} = ${literal(node.language, true)} comes from ${
        nativeAncestor ? `${inherited.declaredIn}, which declares it for its own async hooks` : inheritedFrom(ctx, node, inherited.declaredIn)
      }`,
    };
  return { outcome: "unchanged", reason: `${hooks}; inherits the opt-in ${flag} = ${literal(node.language, true)} from ${inherited.declaredIn}` };
};

export const syncHopHooks: Rule = {
  name: "sync-hop-hooks",
  codes: [
    {
      code: "MWC101",
      outcome: "set-async-capable-false",
      doc: {
        title: "Sync-only middleware that claims async support",
        why: "All request/response hooks are sync while asyncCapable = true (Python: async_capable = True) comes from the mixin: each hook pays a context switch per request under an async server. Declaring it false lets the chain group the class with its sync neighbours.",
        example: { ts: "class SessionMiddleware extends MiddlewareMixin {\n  static asyncCapable = false; // inserted\n  processRequest(request) { ... }\n  processResponse(request, response) { return response; }\n}", py: "class SessionMiddleware(MiddlewareMixin):\n    async_capable = False  # inserted\n\n    def process_request(self, request): ..." },
        safety: "Safe: the hooks are sync either way, so the class does the same thing; only where the chain switches between sync and async changes. The declaration goes on the topmost class of each chain; subclasses inherit it.",
      },
    },
  ],
  check,
};

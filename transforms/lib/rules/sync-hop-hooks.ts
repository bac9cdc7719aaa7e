// The ticket's case: sync hop hooks under an inherited asyncCapable = true. Declaring the
// class sync-only lets the chain group it with its sync neighbours.
import { describeHooks, hasOwnNativeAsync, inheritedFrom, literal, type Rule } from "./context.ts";

export const syncHopHooks: Rule = (ctx, node) => {
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

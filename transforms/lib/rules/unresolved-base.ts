// A class whose ancestry leaves the scanned tree cannot be judged: never edit it.
import type { Rule } from "./context.ts";

export const unresolvedBase: Rule = (ctx, node) => {
  const missing = ctx.graph.unresolvedBases(node);
  if (!missing.length) return null;
  const first = missing[0];
  return {
    outcome: "unchanged",
    reason: `base ${first.text} could not be read (${first.reason}); not analysed, not edited`,
  };
};

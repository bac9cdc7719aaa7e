// Without hop hooks the mixin adds no switch; flipping the class would add one.
import type { Check, Rule } from "./context.ts";

const check: Check = (ctx, node) =>
  ctx.graph.hopHooks(node).length
    ? null
    : {
        outcome: "unchanged",
        reason: `no ${node.language === "py" ? "process_request or process_response" : "request or response hook"}: the mixin adds no switch for it, and declaring it sync-only would add one`,
      };

export const noHopHooks: Rule = {
  name: "no-hop-hooks",
  codes: [],
  check,
};

// A class that does not reach a mixin and has no own dispatch: its flags are its own.
import type { Check, Rule } from "./context.ts";

const check: Check = (ctx, node) =>
  ctx.graph.mixinOf(node)
    ? null
    : { outcome: "unchanged", reason: `does not extend ${ctx.names.mixin}; its flags are its own declaration` };

export const plainClass: Rule = {
  name: "plain-class",
  codes: [],
  check,
};

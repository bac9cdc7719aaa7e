// A class that does not reach a mixin and has no own dispatch: its flags are its own.
import type { Rule } from "./context.ts";

export const plainClass: Rule = (ctx, node) =>
  ctx.graph.mixinOf(node)
    ? null
    : { outcome: "unchanged", reason: `does not extend ${ctx.names.mixin}; its flags are its own declaration` };

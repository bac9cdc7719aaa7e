// A flag computed at run time cannot be judged from the source.
import type { Rule } from "./context.ts";

export const computedFlag: Rule = (ctx, node) => {
  for (const flag of ["asyncCapable", "syncCapable"] as const) {
    const own = node.flags[flag];
    const name = flag === "asyncCapable" ? ctx.names.asyncCapable : ctx.names.syncCapable;
    if (own && own.value === null)
      return {
        outcome: "needs-review",
        reason: `${name} is not a literal (line ${own.line}): its value is only known at run time`,
        advice: `Replace it with a literal ${name} when the value does not depend on the deployment, so that tools and readers can see it.`,
      };
  }
  const inherited = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
  if (inherited.value === null)
    return { outcome: "unchanged", reason: `inherits a computed ${ctx.names.asyncCapable} from ${inherited.declaredIn}; see there` };
  return null;
};

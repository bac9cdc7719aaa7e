// A flag computed at run time cannot be judged from the source.
import type { Check, Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  const setter = ctx.graph.flagSetter(node);
  if (setter)
    return {
      outcome: "needs-review",
      reason: `its flags are set at run time by ${setter.by}${setter.owner === node ? "" : ` of ${setter.owner.name}`} (line ${setter.line}): their value is only known at run time`,
      advice: `Declare ${ctx.names.syncCapable} and ${ctx.names.asyncCapable} as literal class attributes where the value does not depend on the subclass, so that tools and readers can see it.`,
    };
  for (const flag of ["asyncCapable", "syncCapable"] as const) {
    const own = node.flags[flag];
    const name = flag === "asyncCapable" ? ctx.names.asyncCapable : ctx.names.syncCapable;
    if (own && own.value === null)
      return {
        outcome: "needs-review",
        reason:
          own.via === "decorator"
            ? `its flags are set at run time by a decorator (line ${own.line}): their value is only known at run time`
            : `${name} is not a literal (line ${own.line}): its value is only known at run time`,
        advice:
          own.via === "decorator"
            ? `Declare ${ctx.names.syncCapable} and ${ctx.names.asyncCapable} as literal class attributes instead of setting them in the decorator, so that tools and readers can see them.`
            : `Replace it with a literal ${name} when the value does not depend on the deployment, so that tools and readers can see it.`,
      };
  }
  const inherited = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
  if (inherited.value === null) {
    // A value a decorator sets is set by a function: the subclasses cannot be judged either.
    if (inherited.node?.flags.asyncCapable?.via === "decorator")
      return {
        outcome: "needs-review",
        reason: `inherits ${ctx.names.asyncCapable} from ${inherited.declaredIn}, where a decorator sets it at run time`,
        advice: `Declare ${ctx.names.asyncCapable} as a literal on this class, or on ${inherited.declaredIn} instead of in the decorator.`,
      };
    return { outcome: "unchanged", reason: `inherits a computed ${ctx.names.asyncCapable} from ${inherited.declaredIn}; see there` };
  }
  return null;
};

export const computedFlag: Rule = {
  name: "computed-flag",
  codes: [
    {
      code: "MWC205",
      outcome: "needs-review",
      doc: {
        title: "Flag that is not a literal",
        why: "A flag computed at run time cannot be read by this tool, nor at a glance by a reader; the chain's grouping then depends on the deployment.",
        example: { ts: "class FeatureMiddleware extends MiddlewareMixin {\n  static asyncCapable = process.env.ASYNC === \"1\";\n}", py: "class FeatureMiddleware(MiddlewareMixin):\n    async_capable = settings.ASYNC_MIDDLEWARE" },
        safety: "Replacing it with a literal is safe when the value does not depend on the deployment.",
      },
    },
  ],
  check,
};

// Native async hooks need asyncCapable = true: declared, so that no flip of an
// ancestor (in this run or upstream later) turns them into a sync block.
import { nativeAsyncDeclaration } from "./async-path.ts";
import { describeHooks, type Check, type Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  if (node.language === "py") return null; // Python hop hooks are never native (python-async-hop-hook)
  const hop = ctx.graph.hopHooks(node);
  if (!hop.length || hop.some((h) => h.nature !== "async")) return null;
  const own = node.flags.asyncCapable;
  if (own?.value === false)
    return {
      outcome: "needs-review",
      reason: `${describeHooks(hop, "async")} but it declares ${ctx.names.asyncCapable} = false: the chain runs it sync and gets promises back`,
      advice: `Declare ${ctx.names.asyncCapable} = true, or make the hooks sync.`,
      action: { label: `declare ${ctx.names.asyncCapable} = true`, asyncCapable: true },
    };
  if (own) return { outcome: "unchanged", reason: `${describeHooks(hop, "async")} and it declares ${ctx.names.asyncCapable} = true` };
  // Only the class that defines the async hooks declares for them; subclasses inherit both.
  if (!hop.some((h) => h.owner === node)) {
    const inherited = ctx.graph.effectiveFlag(node, "asyncCapable", ctx.overrides);
    const owners = [...new Set(hop.map((h) => h.owner.name))].join(" and ");
    return {
      outcome: "unchanged",
      reason: `${describeHooks(hop, "async")}, inherited from ${owners}; inherits ${ctx.names.asyncCapable} = ${inherited.value} from ${inherited.declaredIn}`,
    };
  }
  return nativeAsyncDeclaration(ctx, node, describeHooks(hop, "async"));
};

export const nativeAsyncHooks: Rule = {
  name: "native-async-hooks",
  codes: [
    {
      code: "MWC102",
      outcome: "set-async-capable-true",
      doc: {
        title: "Native async middleware without its own declaration",
        why: "The class has native async hooks or dispatch but relies on an inherited asyncCapable = true, which an ancestor flips in this run (required) or could flip later (defensive). Without its own declaration the chain would run it sync and get promises back.",
        example: { ts: "class StreamingMiddleware extends SessionMiddleware {\n  static asyncCapable = true; // inserted\n  async processRequest(request) { ... }\n}" },
        safety: "Safe: it declares the value the class has today, so nothing it does changes.",
      },
    },
    {
      code: "MWC203",
      outcome: "needs-review",
      doc: {
        title: "Async hooks on a class declared sync-only",
        why: "The chain reads the declaration, not the methods: a class declared sync-only is called synchronously, and its async hooks return promises that nobody awaits.",
        example: { ts: "class CacheMiddleware extends MiddlewareMixin {\n  static asyncCapable = false;\n  async processRequest(request) { return await cache.get(request.url); }\n}" },
        safety: "Declaring async support is safe when the hooks really are async; making the hooks sync instead is a code change.",
      },
    },
  ],
  check,
};

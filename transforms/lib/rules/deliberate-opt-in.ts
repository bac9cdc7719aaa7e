// An explicit asyncCapable = true on sync hooks may be on purpose: Django's release note
// for the fix tells deployments with much in-process concurrency over non-ORM I/O to opt in.
import { describeHooks, literal, type Check, type Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  const own = node.flags.asyncCapable;
  if (own?.value !== true) return null;
  const hop = ctx.graph.hopHooks(node);
  const flag = ctx.names.asyncCapable;
  return {
    outcome: "needs-review",
    reason: `declares ${flag} = ${literal(node.language, true)} (line ${own.line}) while ${describeHooks(hop, "sync")}: each request pays a context switch per hook`,
    advice: `Keep it if it is a deliberate opt-in (high in-process concurrency over non-ORM I/O); otherwise replace it with ${flag} = ${literal(node.language, false)} so that the chain groups it with its sync neighbours.`,
    action: { label: `replace with ${flag} = ${literal(node.language, false)}`, asyncCapable: false },
  };
};

export const deliberateOptIn: Rule = {
  name: "deliberate-opt-in",
  codes: [
    {
      code: "MWC201",
      outcome: "needs-review",
      doc: {
        title: "Explicit async opt-in on sync hooks",
        why: "The class declares async support while its request/response hooks are sync, so the mixin wraps each hook in its own sync-to-async hop on every request. Django's release note for the fix tells deployments with high in-process concurrency over non-ORM I/O to opt in exactly like this, so the codemod keeps it.",
        example: { ts: "class AuditMiddleware extends MiddlewareMixin {\n  static asyncCapable = true; // deliberate, or a leftover?\n  processRequest(request) { audit(request); }\n}", py: "class AuditMiddleware(MiddlewareMixin):\n    async_capable = True  # deliberate, or a leftover?\n\n    def process_request(self, request):\n        audit(request)" },
        safety: "Flipping it to false is safe for correctness (the hooks are sync either way) and removes a switch per hook; it only loses the concurrency that the opt-in may have been bought for.",
      },
    },
  ],
  check,
};

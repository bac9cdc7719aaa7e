// Django's MiddlewareMixin wraps process_request/process_response in sync_to_async,
// which refuses coroutine functions: an async def hop hook raises TypeError under ASGI.
import type { Check, Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  if (node.language !== "py") return null;
  const hooks = ctx.graph.hopHooks(node).filter((h) => h.nature === "async");
  if (!hooks.length) return null;
  const names = hooks.map((h) => `${h.name}${h.owner === node ? "" : ` (from ${h.owner.name})`}`).join(" and ");
  return {
    outcome: "needs-review",
    reason: `async def ${names} on a MiddlewareMixin subclass without its own __acall__: MiddlewareMixin's sync_to_async raises TypeError under ASGI, and WSGI never awaits it`,
    advice: "Make the hook a plain def, or give the class its own async def __acall__ (with __call__ dispatching to it) and declare async_capable = True.",
  };
};

export const pythonAsyncHopHook: Rule = {
  name: "python-async-hop-hook",
  codes: [
    {
      code: "MWC206",
      outcome: "needs-review",
      doc: {
        title: "async def hook on a plain MiddlewareMixin subclass",
        why: "MiddlewareMixin wraps process_request and process_response in sync_to_async, which raises TypeError for a coroutine function under ASGI; under WSGI the coroutine is never awaited.",
        example: { py: "class TokenMiddleware(MiddlewareMixin):\n    async def process_request(self, request):\n        request.token = await fetch_token(request)" },
        safety: "Unsafe to automate: the fix is either a plain def or an own async __acall__, and which one depends on what the hook awaits.",
      },
    },
  ],
  check,
};

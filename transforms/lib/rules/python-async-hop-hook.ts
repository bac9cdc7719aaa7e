// Django's MiddlewareMixin wraps process_request/process_response in sync_to_async,
// which refuses coroutine functions: an async def hop hook raises TypeError under ASGI.
import type { Rule } from "./context.ts";

export const pythonAsyncHopHook: Rule = (ctx, node) => {
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

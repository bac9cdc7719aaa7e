// Django 5.2 gave RemoteUserMiddleware its own async dispatch, which calls
// aprocess_request under ASGI; Django 6.1 stops falling back to a sync override.
import { versionAtLeast } from "../version.ts";
import type { Check, Rule } from "./context.ts";

const REMOTE_USER = "django.contrib.auth.middleware.RemoteUserMiddleware";

const check: Check = (ctx, node) => {
  if (node.language !== "py" || !ctx.djangoTarget || !versionAtLeast(ctx.djangoTarget.version, "5.2")) return null;
  const mro = ctx.graph.classesBelowMixin(node);
  const upstreamIndex = mro.findIndex((c) => c.qualifiedName === REMOTE_USER && !c.editable);
  if (upstreamIndex <= 0) return null;
  // An own sync __call__ that never hands over to __acall__ never reaches aprocess_request either.
  if (!ctx.graph.asyncDispatch(node)?.reached) return null;
  const overriders = mro.slice(0, upstreamIndex);
  const overrides = overriders.find((c) => c.hooks.request);
  if (!overrides || overriders.some((c) => c.methods.includes("aprocess_request"))) return null;
  return {
    outcome: "needs-review",
    reason: `overrides RemoteUserMiddleware.process_request without aprocess_request: under ASGI, Django ${versionAtLeast(ctx.djangoTarget.version, "6.1") ? "6.1+ no longer calls" : "5.2 and 6.0 call it only through a deprecated fallback to"} the sync override`,
    advice: "Add an `async def aprocess_request(self, request)` with the same logic (see Django 5.2's RemoteUserMiddleware), so that ASGI deployments keep the override.",
  };
};

export const remoteUserOverride: Rule = {
  name: "remote-user-override",
  codes: [
    {
      code: "MWC207",
      outcome: "needs-review",
      doc: {
        title: "RemoteUserMiddleware override without aprocess_request",
        why: "Since Django 5.2 RemoteUserMiddleware has its own async path that calls aprocess_request; Django 6.1 stops calling a sync process_request override under ASGI (6.1 release notes, features removed).",
        example: { py: "class SSOMiddleware(RemoteUserMiddleware):\n    def process_request(self, request):\n        ...  # not called under ASGI from Django 6.1" },
        safety: "Adding an async aprocess_request with the same logic is safe; it runs only under ASGI.",
      },
    },
  ],
  check,
};

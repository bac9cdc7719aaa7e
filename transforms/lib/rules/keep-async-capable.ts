// This run's edits never change what a class does: a class whose async path runs today (an
// async hop hook the mixin awaits, or a reached async dispatch) must not end sync-only because
// a declaration above it, in its method resolution order, flips. Not one of the ordered rules:
// decide.ts applies it to every verdict that declares nothing.
import { keepAsyncPath } from "./async-path.ts";
import type { Check, Rule } from "./context.ts";

const check: Check = (ctx, node) => keepAsyncPath(ctx, node);

export const keepAsyncCapable: Rule = {
  name: "keep-async-capable",
  codes: [
    {
      code: "MWC209",
      outcome: "needs-review",
      doc: {
        title: "A declaration of this run would take an incomplete async path away",
        why: "A class above it (in Python: earlier in its method resolution order) is declared sync-only in this run, and this class's async dispatch would stop running. Where its async path is complete the run declares asyncCapable = true on it; here it is not (no markcoroutinefunction(self) in __init__), so only a person can say which mode it should run in.",
        example: { py: "class TenantLegacyMiddleware(TenantMiddleware, LegacyAsyncMiddleware):\n    pass  # TenantMiddleware gets async_capable = False in this run" },
        safety: "Unsafe to automate: complete the async path (markcoroutinefunction(self) in __init__) and declare async_capable = True, or accept that the class runs sync.",
      },
    },
  ],
  check,
};

// A class whose ancestry leaves the scanned tree cannot be judged: never edit it.
import type { Check, Rule } from "./context.ts";

const check: Check = (ctx, node) => {
  const missing = ctx.graph.unresolvedBases(node);
  if (!missing.length) return null;
  const first = missing[0];
  return {
    outcome: "unchanged",
    reason: `base ${first.text} could not be read (${first.reason}); not analysed, not edited`,
  };
};

export const unresolvedBase: Rule = {
  name: "unresolved-base",
  codes: [
    {
      code: "MWC002",
      outcome: "unchanged",
      doc: {
        title: "Not analysed: a base class could not be read",
        why: "The class's ancestry leaves the scanned tree (an installed package that is not there, a module that could not be found), so its flags and hooks cannot be known. It is never edited.",
        example: { py: "from acme.middleware import BaseAuditMiddleware  # not installed here\n\nclass AuditMiddleware(BaseAuditMiddleware):\n    def process_request(self, request): ..." },
        safety: "Nothing was changed. Install the package (or pass --site-packages DIR for the virtualenv that has it) and run again to have the class decided.",
      },
    },
  ],
  check,
};

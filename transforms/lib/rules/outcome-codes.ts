// The codes that belong to no rule: outcomes any rule may reach, --backport edits and file
// errors. Every rule's own codes are in its module. Codes are never renumbered or reused; a new
// code takes the next free number of its hundred (0xx unchanged, 1xx edits, 2xx review, 9xx file errors).
import type { Outcome } from "../model.ts";
import type { RuleDoc } from "./context.ts";

export type CodeKind = Outcome | "backport" | "file-error";

export interface OutcomeCode {
  code: string;
  kind: CodeKind;
  doc: RuleDoc;
}

export const UNCHANGED: OutcomeCode = {
  code: "MWC001",
  kind: "unchanged",
  doc: {
    title: "Unchanged: already right",
    why: "The class already declares the right value, inherits it, has no request/response hook that the mixin wraps, or runs its own dispatch with consistent flags. Listed so that no class is dropped silently.",
    example: { ts: "class LoginRequiredMiddleware extends MiddlewareMixin {\n  processView(request, view) { /* no hop hook: flipping would add a switch */ }\n}", py: "class LoginRequiredMiddleware(MiddlewareMixin):\n    def process_view(self, request, view_func, view_args, view_kwargs):\n        ..." },
    safety: "Nothing to fix.",
  },
};

export const BACKPORT: OutcomeCode = {
  code: "MWC103",
  kind: "backport",
  doc: {
    title: "--backport: sync-only project-local subclass of an upstream class",
    why: "The target Django version still declares some built-in sync middleware async-capable (ticket #37177's fix is not released). With --backport, a project-local subclass declares it sync-only and the MIDDLEWARE entry points at it, where that lowers the chain's context switches.",
    example: { py: "class SessionMiddleware(django.contrib.sessions.middleware.SessionMiddleware):\n    async_capable = False" },
    safety: "Safe for behaviour (the subclass adds only the declaration); the settings entry changes, so review the diff. Drop the subclasses once the project runs a Django release with the fix.",
  },
};

/** decide.ts: a verdict that declares, on a class with no place for the declaration. */
export const NO_PLACE: OutcomeCode = {
  code: "MWC208",
  kind: "needs-review",
  doc: {
    title: "A declaration is needed but there is no place to insert it",
    why: "The class should declare its flag, but its body has no place where one line can be inserted without touching other bytes (a one-line class body, say).",
    example: {},
    safety: "Safe by hand: add the declaration that the reason names as the first member of the class.",
  },
};

/** A needs-review verdict of a rule without a needs-review code of its own. */
export const REVIEW: OutcomeCode = {
  code: "MWC299",
  kind: "needs-review",
  doc: {
    title: "Needs a person's judgement",
    why: "The codemod could not tell which declaration is right for this class, so it wrote nothing.",
    example: {},
    safety: "Nothing was changed. Any declaration you add changes how the chain runs this class under an async server; run your async tests after.",
  },
};

export const FILE_ERROR: OutcomeCode = {
  code: "MWC901",
  kind: "file-error",
  doc: {
    title: "File could not be read, parsed or written",
    why: "The file was not analysed (binary, not UTF-8, a syntax error, unreadable) or its edit was not written; the other files were processed.",
    example: {},
    safety: "Nothing was written to the file. Fix the cause the message names and run again.",
  },
};

export const OUTCOME_CODES: readonly OutcomeCode[] = [UNCHANGED, BACKPORT, NO_PLACE, REVIEW, FILE_ERROR];

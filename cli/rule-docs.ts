// What each needs-review rule means, in the form of ruff's rule docs: why it matters, an
// example, and how safe the fix is. The decision itself says *what* (reason) and what to do
// (advice); these texts are the background that is the same for every class.
// Keyed by the rule module's name (Decision.rule); a rule without an entry gets GENERIC.
// CODES gives every outcome and review rule a stable code (MWC101…), as ruff's rule codes:
// codes are never renumbered or reused; a new rule gets the next free number.

import type { Decision, Outcome } from "../transforms/lib/model.ts";

export interface RuleDoc {
  title: string;
  why: string;
  example: { ts?: string; py?: string };
  safety: string;
}

const GENERIC: RuleDoc = {
  title: "Needs a person's judgement",
  why: "The codemod could not tell which declaration is right for this class, so it wrote nothing.",
  example: {},
  safety: "Nothing was changed. Any declaration you add changes how the chain runs this class under an async server; run your async tests after.",
};

export const RULE_DOCS: Record<string, RuleDoc> = {
  "deliberate-opt-in": {
    title: "Explicit async opt-in on sync hooks",
    why: "The class declares async support while its request/response hooks are sync, so the mixin wraps each hook in its own sync-to-async hop on every request. Django's release note for the fix tells deployments with high in-process concurrency over non-ORM I/O to opt in exactly like this, so the codemod keeps it.",
    example: {
      ts: "class AuditMiddleware extends MiddlewareMixin {\n  static asyncCapable = true; // deliberate, or a leftover?\n  processRequest(request) { audit(request); }\n}",
      py: "class AuditMiddleware(MiddlewareMixin):\n    async_capable = True  # deliberate, or a leftover?\n\n    def process_request(self, request):\n        audit(request)",
    },
    safety: "Flipping it to false is safe for correctness (the hooks are sync either way) and removes a switch per hook; it only loses the concurrency that the opt-in may have been bought for.",
  },
  "hop-hook-nature": {
    title: "Hop hooks that are mixed or cannot be classified",
    why: "Whether a class should be sync-only depends on all of its request/response hooks being sync. Mixed hooks pay a switch per sync hook whatever is declared; a hook assigned from elsewhere or computed cannot be classified at all.",
    example: {
      ts: "class TimingMiddleware extends MiddlewareMixin {\n  processRequest(request) { start(request); }\n  async processResponse(request, response) { await flush(); return response; }\n}",
      py: "class TimingMiddleware(MiddlewareMixin):\n    process_request = make_hook()  # sync or async?",
    },
    safety: "No safe automatic fix: making the hooks uniform is a code change. Once they are all sync, the codemod declares the class sync-only on its next run.",
  },
  "native-async-hooks": {
    title: "Async hooks on a class declared sync-only",
    why: "The chain reads the declaration, not the methods: a class declared sync-only is called synchronously, and its async hooks return promises that nobody awaits.",
    example: { ts: "class CacheMiddleware extends MiddlewareMixin {\n  static asyncCapable = false;\n  async processRequest(request) { return await cache.get(request.url); }\n}" },
    safety: "Declaring async support is safe when the hooks really are async; making the hooks sync instead is a code change.",
  },
  "own-dispatch": {
    title: "Own dispatch whose declaration does not match",
    why: "A class with its own call/acall (Python __call__/__acall__) decides how it runs; the mixin's hop hooks do not apply. Its declared flags must say what the dispatch does, or the chain calls it in the wrong mode.",
    example: {
      ts: "class StreamMiddleware extends MiddlewareMixin {\n  call(request) { return this.getResponse(request); } // a promise under an async server\n}",
      py: "class StreamMiddleware(MiddlewareMixin):\n    def __call__(self, request):\n        response = self.get_response(request)  # a coroutine under ASGI\n        response['X-Stream'] = '1'\n        return response",
    },
    safety: "Declaring a sync call/__call__ sync-only is safe: it then gets a sync next handler, whether it passed the result through or used it. Declaring async support is unsafe to automate: an async __acall__/acall runs only when call hands over to it (Python: MiddlewareMixin's __call__, or one that returns self.__acall__(request)), and turning on an async path that has never run changes what the class does (interactive review says so when it offers it). Check the dispatch, then declare the flag that matches it.",
  },
  "computed-flag": {
    title: "Flag that is not a literal",
    why: "A flag computed at run time cannot be read by this tool, nor at a glance by a reader; the chain's grouping then depends on the deployment.",
    example: { ts: "class FeatureMiddleware extends MiddlewareMixin {\n  static asyncCapable = process.env.ASYNC === \"1\";\n}", py: "class FeatureMiddleware(MiddlewareMixin):\n    async_capable = settings.ASYNC_MIDDLEWARE" },
    safety: "Replacing it with a literal is safe when the value does not depend on the deployment.",
  },
  "keep-async-capable": {
    title: "A declaration of this run would take an incomplete async path away",
    why: "A class above it (in Python: earlier in its method resolution order) is declared sync-only in this run, and this class's async dispatch would stop running. Where its async path is complete the run declares asyncCapable = true on it; here it is not (no markcoroutinefunction(self) in __init__), so only a person can say which mode it should run in.",
    example: {
      py: "class TenantLegacyMiddleware(TenantMiddleware, LegacyAsyncMiddleware):\n    pass  # TenantMiddleware gets async_capable = False in this run",
    },
    safety: "Unsafe to automate: complete the async path (markcoroutinefunction(self) in __init__) and declare async_capable = True, or accept that the class runs sync.",
  },
  "python-async-hop-hook": {
    title: "async def hook on a plain MiddlewareMixin subclass",
    why: "MiddlewareMixin wraps process_request and process_response in sync_to_async, which raises TypeError for a coroutine function under ASGI; under WSGI the coroutine is never awaited.",
    example: { py: "class TokenMiddleware(MiddlewareMixin):\n    async def process_request(self, request):\n        request.token = await fetch_token(request)" },
    safety: "Unsafe to automate: the fix is either a plain def or an own async __acall__, and which one depends on what the hook awaits.",
  },
  "remote-user-override": {
    title: "RemoteUserMiddleware override without aprocess_request",
    why: "Since Django 5.2 RemoteUserMiddleware has its own async path that calls aprocess_request; Django 6.1 stops calling a sync process_request override under ASGI (6.1 release notes, features removed).",
    example: { py: "class SSOMiddleware(RemoteUserMiddleware):\n    def process_request(self, request):\n        ...  # not called under ASGI from Django 6.1" },
    safety: "Adding an async aprocess_request with the same logic is safe; it runs only under ASGI.",
  },
};

export function ruleDoc(rule: string): RuleDoc {
  return RULE_DOCS[rule] ?? GENERIC;
}

/** Where the rule docs are published: the README, one section per code (`#mwc101`). */
export const DOCS_URL = "https://www.npmjs.com/package/middleware-codemod";

export type CodeKind = Outcome | "backport" | "file-error";

export interface RuleCode {
  code: string;
  kind: CodeKind;
  /** The rule module (as decide.ts lists it) whose verdict this is; "*" for any rule. */
  rule: string;
  doc: RuleDoc;
}

const NO_INSERTION = "no place in the class body to insert the declaration";

export const CODES: readonly RuleCode[] = [
  {
    code: "MWC001",
    kind: "unchanged",
    rule: "*",
    doc: {
      title: "Unchanged: already right",
      why: "The class already declares the right value, inherits it, has no request/response hook that the mixin wraps, or runs its own dispatch with consistent flags. Listed so that no class is dropped silently.",
      example: { ts: "class LoginRequiredMiddleware extends MiddlewareMixin {\n  processView(request, view) { /* no hop hook: flipping would add a switch */ }\n}", py: "class LoginRequiredMiddleware(MiddlewareMixin):\n    def process_view(self, request, view_func, view_args, view_kwargs):\n        ..." },
      safety: "Nothing to fix.",
    },
  },
  {
    code: "MWC002",
    kind: "unchanged",
    rule: "unresolved-base",
    doc: {
      title: "Not analysed: a base class could not be read",
      why: "The class's ancestry leaves the scanned tree (an installed package that is not there, a module that could not be found), so its flags and hooks cannot be known. It is never edited.",
      example: { py: "from acme.middleware import BaseAuditMiddleware  # not installed here\n\nclass AuditMiddleware(BaseAuditMiddleware):\n    def process_request(self, request): ..." },
      safety: "Nothing was changed. Install the package (or pass --site-packages DIR for the virtualenv that has it) and run again to have the class decided.",
    },
  },
  {
    code: "MWC101",
    kind: "set-async-capable-false",
    rule: "sync-hop-hooks",
    doc: {
      title: "Sync-only middleware that claims async support",
      why: "All request/response hooks are sync while asyncCapable = true (Python: async_capable = True) comes from the mixin: each hook pays a context switch per request under an async server. Declaring it false lets the chain group the class with its sync neighbours.",
      example: {
        ts: "class SessionMiddleware extends MiddlewareMixin {\n  static asyncCapable = false; // inserted\n  processRequest(request) { ... }\n  processResponse(request, response) { return response; }\n}",
        py: "class SessionMiddleware(MiddlewareMixin):\n    async_capable = False  # inserted\n\n    def process_request(self, request): ...",
      },
      safety: "Safe: the hooks are sync either way, so the class does the same thing; only where the chain switches between sync and async changes. The declaration goes on the topmost class of each chain; subclasses inherit it.",
    },
  },
  {
    code: "MWC102",
    kind: "set-async-capable-true",
    rule: "native-async-hooks",
    doc: {
      title: "Native async middleware without its own declaration",
      why: "The class has native async hooks or dispatch but relies on an inherited asyncCapable = true, which an ancestor flips in this run (required) or could flip later (defensive). Without its own declaration the chain would run it sync and get promises back.",
      example: { ts: "class StreamingMiddleware extends SessionMiddleware {\n  static asyncCapable = true; // inserted\n  async processRequest(request) { ... }\n}" },
      safety: "Safe: it declares the value the class has today, so nothing it does changes.",
    },
  },
  {
    code: "MWC103",
    kind: "backport",
    rule: "*",
    doc: {
      title: "--backport: sync-only project-local subclass of an upstream class",
      why: "The target Django version still declares some built-in sync middleware async-capable (ticket #37177's fix is not released). With --backport, a project-local subclass declares it sync-only and the MIDDLEWARE entry points at it, where that lowers the chain's context switches.",
      example: { py: "class SessionMiddleware(django.contrib.sessions.middleware.SessionMiddleware):\n    async_capable = False" },
      safety: "Safe for behaviour (the subclass adds only the declaration); the settings entry changes, so review the diff. Drop the subclasses once the project runs a Django release with the fix.",
    },
  },
  { code: "MWC201", kind: "needs-review", rule: "deliberate-opt-in", doc: RULE_DOCS["deliberate-opt-in"] },
  { code: "MWC202", kind: "needs-review", rule: "hop-hook-nature", doc: RULE_DOCS["hop-hook-nature"] },
  { code: "MWC203", kind: "needs-review", rule: "native-async-hooks", doc: RULE_DOCS["native-async-hooks"] },
  { code: "MWC204", kind: "needs-review", rule: "own-dispatch", doc: RULE_DOCS["own-dispatch"] },
  { code: "MWC205", kind: "needs-review", rule: "computed-flag", doc: RULE_DOCS["computed-flag"] },
  { code: "MWC206", kind: "needs-review", rule: "python-async-hop-hook", doc: RULE_DOCS["python-async-hop-hook"] },
  { code: "MWC207", kind: "needs-review", rule: "remote-user-override", doc: RULE_DOCS["remote-user-override"] },
  {
    code: "MWC208",
    kind: "needs-review",
    rule: "*",
    doc: {
      title: "A declaration is needed but there is no place to insert it",
      why: "The class should declare its flag, but its body has no place where one line can be inserted without touching other bytes (a one-line class body, say).",
      example: {},
      safety: "Safe by hand: add the declaration that the reason names as the first member of the class.",
    },
  },
  { code: "MWC209", kind: "needs-review", rule: "keep-async-capable", doc: RULE_DOCS["keep-async-capable"] },
  { code: "MWC299", kind: "needs-review", rule: "*", doc: GENERIC },
  {
    code: "MWC901",
    kind: "file-error",
    rule: "*",
    doc: {
      title: "File could not be read, parsed or written",
      why: "The file was not analysed (binary, not UTF-8, a syntax error, unreadable) or its edit was not written; the other files were processed.",
      example: {},
      safety: "Nothing was written to the file. Fix the cause the message names and run again.",
    },
  },
];

/** The code of a decision: its outcome and the rule module that decided it. */
export function codeOf(d: Pick<Decision, "outcome" | "rule" | "reason">): RuleCode {
  const find = (kind: CodeKind, rule: string) => CODES.find((c) => c.kind === kind && c.rule === rule);
  if (d.outcome === "needs-review") {
    if (d.reason.includes(NO_INSERTION)) return find("needs-review", "*")!;
    return find("needs-review", d.rule) ?? CODES.find((c) => c.code === "MWC299")!;
  }
  if (d.outcome === "unchanged") return find("unchanged", d.rule) ?? find("unchanged", "*")!;
  return CODES.find((c) => c.kind === d.outcome)!;
}

export const FILE_ERROR = CODES.find((c) => c.kind === "file-error")!;
export const BACKPORT = CODES.find((c) => c.kind === "backport")!;

/** A code (any case), or a rule name with a single code: the entry; null when unknown. */
export function lookupCode(name: string): RuleCode | null {
  const n = name.trim().toLowerCase();
  const byCode = CODES.find((c) => c.code.toLowerCase() === n);
  if (byCode) return byCode;
  const byRule = CODES.filter((c) => c.rule === n);
  return byRule.length === 1 ? byRule[0] : (byRule.find((c) => c.kind === "needs-review") ?? null);
}

export function helpUri(c: RuleCode): string {
  return `${DOCS_URL}#${c.code.toLowerCase()}`;
}

/** `middleware-codemod explain CODE`: what / why / example / fix safety, as plain text. */
export function explainText(c: RuleCode): string {
  const example = [c.doc.example.ts && `TypeScript/JavaScript:\n${indent(c.doc.example.ts)}`, c.doc.example.py && `Python:\n${indent(c.doc.example.py)}`].filter(Boolean);
  return [
    `${c.code} (${c.kind}${c.rule === "*" ? "" : `, rule ${c.rule}`}): ${c.doc.title}`,
    "",
    `Why: ${c.doc.why}`,
    "",
    ...(example.length ? ["Example:", ...example, ""] : []),
    `Fix safety: ${c.doc.safety}`,
    "",
    `Docs: ${helpUri(c)}`,
    "",
  ].join("\n");
}

export function codeList(): string {
  return CODES.map((c) => `${c.code}  ${c.kind.padEnd(23)}  ${c.doc.title}`).join("\n") + "\n";
}

const indent = (s: string) => s.split("\n").map((l) => (l ? `    ${l}` : l)).join("\n");

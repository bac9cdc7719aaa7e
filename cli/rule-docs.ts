// What each needs-review rule means, in the form of ruff's rule docs: why it matters, an
// example, and how safe the fix is. The decision itself says *what* (reason) and what to do
// (advice); these texts are the background that is the same for every class.
// Keyed by the rule module's name (Decision.rule); a rule without an entry gets GENERIC.

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

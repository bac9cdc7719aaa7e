// keep-async-capable (MWC209, and the required MWC102): the invariant. A class whose async path
// runs today must not end sync-only because a declaration of this run above it flips; decide.ts
// applies it over every verdict that declares nothing. Python classes with an async dispatch
// meet it through own-dispatch, which keeps the path itself.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { full, state, type Spec } from "./graph.ts";

describe("keep-async-capable, on source", () => {
  it("TS: an async hook added under a class declared sync-only in this run gets the required true", async () => {
    const locale = `import { MiddlewareMixin, type Request, type Response } from "@acme/http";

export class LocaleMiddleware extends MiddlewareMixin {
  processRequest(req: Request): void {
    req.locale = "en";
  }
}

export class TranslatingLocaleMiddleware extends LocaleMiddleware {
  async processResponse(req: Request, res: Response): Promise<Response> {
    await Promise.resolve(req);
    return res;
  }
}
`;
    expect(await transformed({ "src/locale.ts": locale })).toEqual({
      after: {
        "src/locale.ts": locale
          .replace("export class LocaleMiddleware extends MiddlewareMixin {\n", "export class LocaleMiddleware extends MiddlewareMixin {\n  static asyncCapable = false;\n")
          .replace("export class TranslatingLocaleMiddleware extends LocaleMiddleware {\n", "export class TranslatingLocaleMiddleware extends LocaleMiddleware {\n  static asyncCapable = true;\n"),
      },
      decisions: [
        ["LocaleMiddleware", "set-async-capable-false", "sync-hop-hooks"],
        ["TranslatingLocaleMiddleware", "set-async-capable-true", "keep-async-capable"],
      ],
      again: {},
    });
  });

  it("Python (through own-dispatch): a class flipped in this run first in the MRO of an async dispatch gets the required True", async () => {
    const tenants = `from django.utils.deprecation import MiddlewareMixin


class TenantMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.tenant = "default"


class StreamingMiddleware(MiddlewareMixin):
    async_capable = True

    async def __acall__(self, request):
        return await self.get_response(request)


class TenantStreamingMiddleware(TenantMiddleware, StreamingMiddleware):
    pass
`;
    expect(await transformed({ "tenants/middleware.py": tenants })).toEqual({
      after: {
        "tenants/middleware.py": tenants
          .replace("class TenantMiddleware(MiddlewareMixin):\n", "class TenantMiddleware(MiddlewareMixin):\n    async_capable = False\n\n")
          .replace("(TenantMiddleware, StreamingMiddleware):\n", "(TenantMiddleware, StreamingMiddleware):\n    async_capable = True\n"),
      },
      decisions: [
        ["TenantMiddleware", "set-async-capable-false", "sync-hop-hooks"],
        ["StreamingMiddleware", "unchanged", "own-dispatch"],
        ["TenantStreamingMiddleware", "set-async-capable-true", "own-dispatch"],
      ],
      again: {},
    });
  });
});

describe("keep-async-capable, on class graphs", () => {
  it("Python: a class flipped in this run comes first in the MRO of a class with a complete async dispatch", () => {
    // Listed subclass first: the decision order, not the input order, must see the flip.
    const specs: Spec[] = [
      { name: "TenantStreaming", lang: "py", base: ["Tenant", "Streaming"] },
      { name: "TenantLegacy", lang: "py", base: ["Tenant", "Legacy"] },
      { name: "Tenant", lang: "py", base: "MiddlewareMixin", hooks: { request: "sync" } },
      { name: "Streaming", lang: "py", base: "MiddlewareMixin", asyncCapable: true, acall: "async" },
      { name: "Legacy", lang: "py", base: "MiddlewareMixin", asyncCapable: true, call: "sync", acall: "async", callsAcall: true, init: false },
    ];
    expect(full(specs)).toEqual([
      {
        class: "TenantStreaming",
        outcome: "set-async-capable-true",
        rule: "own-dispatch",
        reason: "inherits an async __acall__ from Streaming; required: Tenant is declared sync-only in this run and comes before Streaming in its method resolution order",
        required: true,
        asyncCapable: state(true, true, "Streaming"),
        action: null,
      },
      {
        class: "TenantLegacy",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason:
          "inherits an async __acall__ from Legacy, and Tenant is declared sync-only in this run and comes before Legacy in its method resolution order: it would lose its async path, but without markcoroutinefunction(self) in __init__ that path is incomplete",
        required: null,
        asyncCapable: state(true, false, "Legacy"),
        action: null,
      },
      {
        class: "Tenant",
        outcome: "set-async-capable-false",
        rule: "sync-hop-hooks",
        reason: "process_request is sync; async_capable = True comes from MiddlewareMixin",
        required: null,
        asyncCapable: state(true, false, "MiddlewareMixin"),
        action: null,
      },
      {
        class: "Streaming",
        outcome: "unchanged",
        rule: "own-dispatch",
        reason: "own dispatch (__acall__) with consistent flags",
        required: null,
        asyncCapable: state(true, true, "Streaming"),
        action: null,
      },
      {
        class: "Legacy",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason: "defines an async __acall__ without markcoroutinefunction(self) in __init__: an outer MiddlewareMixin will call it synchronously",
        required: null,
        asyncCapable: state(true, true, "Legacy"),
        action: null,
      },
    ]);
  });

  it("TS/JS: an async hop hook added under a class flipped in this run gets the required true, mixed or not; a direct mixin subclass the defensive one", () => {
    expect(
      full([
        { name: "Locale", base: "MiddlewareMixin", hooks: { request: "sync" } },
        { name: "Translating", base: "Locale", hooks: { response: "async" } },
        { name: "Metrics", base: "MiddlewareMixin", hooks: { request: "async", response: "async" } },
      ]),
    ).toEqual([
      {
        class: "Locale",
        outcome: "set-async-capable-false",
        rule: "sync-hop-hooks",
        reason: "processRequest is sync; asyncCapable = true comes from MiddlewareMixin",
        required: null,
        asyncCapable: state(true, false, "MiddlewareMixin"),
        action: null,
      },
      {
        class: "Translating",
        outcome: "set-async-capable-true",
        rule: "keep-async-capable",
        reason: "defines an async processResponse; required: Locale is declared sync-only in this run",
        required: true,
        asyncCapable: state(true, true, "MiddlewareMixin"),
        action: null,
      },
      {
        class: "Metrics",
        outcome: "set-async-capable-true",
        rule: "native-async-hooks",
        reason: "processRequest and processResponse are async; defensive: inherits asyncCapable = true from MiddlewareMixin today, and the mixin's default may change",
        required: false,
        asyncCapable: state(true, true, "MiddlewareMixin"),
        action: null,
      },
    ]);
  });

  it("the state a run leaves is stable: the declared subclass of a flipped class is unchanged on a second run", () => {
    expect(
      full([
        { name: "Locale", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: false },
        { name: "Translating", base: "Locale", hooks: { response: "async" }, asyncCapable: true },
      ]).map((d) => [d.class, d.outcome, d.rule, d.reason]),
    ).toEqual([
      ["Locale", "unchanged", "sync-hop-hooks", "processRequest is sync and it declares asyncCapable = false"],
      ["Translating", "unchanged", "hop-hook-nature", "defines an async processResponse and declares asyncCapable = true over Locale, which is sync-only; the sync processRequest still costs a switch"],
    ]);
  });

  it("an async hook beside one of unknown nature under a flip: required true, and unchanged once declared", () => {
    const specs = (declared: boolean): Spec[] => [
      { name: "Locale", base: "MiddlewareMixin", hooks: { request: "sync" }, ...(declared ? { asyncCapable: false } : {}) },
      { name: "Translating", base: "Locale", hooks: { request: "unknown", response: "async" }, ...(declared ? { asyncCapable: true } : {}) },
    ];
    expect(full(specs(false)).map((d) => [d.class, d.outcome, d.rule, d.reason])).toEqual([
      ["Locale", "set-async-capable-false", "sync-hop-hooks", "processRequest is sync; asyncCapable = true comes from MiddlewareMixin"],
      ["Translating", "set-async-capable-true", "keep-async-capable", "defines an async processResponse; required: Locale is declared sync-only in this run"],
    ]);
    expect(full(specs(true)).map((d) => [d.class, d.outcome, d.rule, d.reason])).toEqual([
      ["Locale", "unchanged", "sync-hop-hooks", "processRequest is sync and it declares asyncCapable = false"],
      ["Translating", "unchanged", "hop-hook-nature", "defines an async processResponse and declares asyncCapable = true over Locale, which is sync-only; the unknown processRequest still costs a switch"],
    ]);
  });
});

// own-dispatch (MWC204, and the declarations MWC102 for an async dispatch): a class with its own
// call/acall (Python __call__/__acall__) decides its own behaviour; its flags must match what
// the dispatch does, and an async dispatch counts only where its call reaches it.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { full, outcomes, state, type Spec } from "./graph.ts";

describe("own-dispatch, on source", () => {
  it("TS: an async acall the mixin reaches declares its true; a sync call under the mixin's true is listed for review", async () => {
    const stream = `import { MiddlewareMixin, type Request, type Response } from "@acme/http";

export class StreamMiddleware extends MiddlewareMixin {
  async acall(req: Request): Promise<Response> {
    return await this.getResponse(req);
  }
}

export class HeaderMiddleware extends MiddlewareMixin {
  call(req: Request): Response {
    const res = this.getResponse(req) as Response;
    res.headers.set("x-header", "1");
    return res;
  }
}
`;
    expect(await transformed({ "src/stream.ts": stream })).toEqual({
      after: {
        "src/stream.ts": stream.replace(
          "export class StreamMiddleware extends MiddlewareMixin {\n",
          "export class StreamMiddleware extends MiddlewareMixin {\n  static asyncCapable = true;\n",
        ),
      },
      decisions: [
        ["StreamMiddleware", "set-async-capable-true", "own-dispatch"],
        ["HeaderMiddleware", "needs-review", "own-dispatch"],
      ],
      again: {},
    });
  });

  it("Python: an async __acall__ the mixin reaches declares its True; a sync __call__, and a plain class's async path that never ran, are listed for review", async () => {
    const web = `from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.utils.deprecation import MiddlewareMixin


class StreamMiddleware(MiddlewareMixin):
    async def __acall__(self, request):
        response = await self.get_response(request)
        response["X-Stream"] = "1"
        return response


class HeaderMiddleware(MiddlewareMixin):
    def __call__(self, request):
        response = self.get_response(request)
        response["X-Header"] = "1"
        return response


class PageTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        if iscoroutinefunction(get_response):
            markcoroutinefunction(self)

    def __call__(self, request):
        if iscoroutinefunction(self):
            return self.__acall__(request)
        return self.get_response(request)

    async def __acall__(self, request):
        return await self.get_response(request)
`;
    expect(await transformed({ "web/middleware.py": web })).toEqual({
      after: {
        "web/middleware.py": web.replace(
          "class StreamMiddleware(MiddlewareMixin):\n",
          "class StreamMiddleware(MiddlewareMixin):\n    async_capable = True\n\n",
        ),
      },
      decisions: [
        ["StreamMiddleware", "set-async-capable-true", "own-dispatch"],
        ["HeaderMiddleware", "needs-review", "own-dispatch"],
        ["PageTimingMiddleware", "needs-review", "own-dispatch"],
      ],
      again: {},
    });
  });
});

describe("own-dispatch, on class graphs", () => {
  it("own dispatch: sync call under the mixin's true, dead async dispatch, consistent flags", () => {
    expect(
      outcomes([
        { name: "SyncCall", base: "MiddlewareMixin", call: "sync", hooks: { request: "sync" } },
        { name: "DeadAsync", base: "MiddlewareMixin", call: "sync", acall: "async", asyncCapable: false },
        { name: "Both", base: "MiddlewareMixin", call: "sync", acall: "async" },
        { name: "PlainAsync", acall: "async", call: "sync", callsAcall: true },
        { name: "Declared", call: "sync", acall: "async", asyncCapable: true, syncCapable: true },
      ]).map((d) => [d.class, d.outcome, d.rule, d.required]),
    ).toEqual([
      ["SyncCall", "needs-review", "own-dispatch", null],
      ["DeadAsync", "needs-review", "own-dispatch", null],
      // A direct mixin subclass with native async: the defensive declaration.
      ["Both", "set-async-capable-true", "own-dispatch", false],
      // A plain class's async path has never run: never a required true.
      ["PlainAsync", "needs-review", "own-dispatch", null],
      ["Declared", "unchanged", "own-dispatch", null],
    ]);
  });

  it("Python: async hop hooks, markcoroutinefunction, upstream classes by target version", () => {
    const upstream = (asyncCapable: boolean | undefined): Spec[] => [
      { name: "SessionMiddleware", lang: "py", base: "MiddlewareMixin", hooks: { request: "sync", response: "sync" }, editable: false, asyncCapable },
      { name: "MySession", lang: "py", base: "SessionMiddleware", hooks: { request: "sync" } },
      { name: "AsyncSession", lang: "py", base: "SessionMiddleware", call: "sync", acall: "async", callsAcall: true, init: true },
    ];
    expect(outcomes(upstream(undefined), "5.2").map((d) => [d.class, d.outcome, d.required])).toEqual([
      ["MySession", "set-async-capable-false", null],
      ["AsyncSession", "set-async-capable-true", false],
    ]);
    expect(outcomes(upstream(false), "6.1").map((d) => [d.class, d.outcome, d.required])).toEqual([
      ["MySession", "unchanged", null],
      ["AsyncSession", "set-async-capable-true", true],
    ]);
    expect(
      outcomes([
        { name: "AsyncHook", lang: "py", base: "MiddlewareMixin", hooks: { request: "async" } },
        { name: "NoMark", lang: "py", base: "MiddlewareMixin", call: "sync", acall: "async", callsAcall: true, init: false },
        { name: "Mark", lang: "py", base: "MiddlewareMixin", call: "sync", acall: "async", callsAcall: true, init: true },
        { name: "AsyncOnly", lang: "py", call: "async" },
      ]).map((d) => [d.class, d.outcome, d.rule]),
    ).toEqual([
      ["AsyncHook", "needs-review", "python-async-hop-hook"],
      ["NoMark", "needs-review", "own-dispatch"],
      ["Mark", "set-async-capable-true", "own-dispatch"],
      ["AsyncOnly", "needs-review", "own-dispatch"],
    ]);
  });

  it("an async __acall__ that __call__ never reaches is dead: needs-review, never a true", () => {
    expect(
      full([
        { name: "LanguageCookie", lang: "py", call: "sync", acall: "async", init: false },
        { name: "Toolbar", lang: "py", base: "MiddlewareMixin", call: "sync", acall: "async" },
        { name: "PageTiming", lang: "py", call: "sync", acall: "async", callsAcall: true, init: true },
      ]),
    ).toEqual([
      {
        class: "LanguageCookie",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason: "defines an async __acall__, but its own __call__ never calls it: the async path never runs",
        required: null,
        asyncCapable: state(false, false, null),
        action: null,
      },
      {
        class: "Toolbar",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason:
          "defines an async __acall__, but its own __call__ never calls it: the async path never runs; meanwhile it inherits async_capable = True from MiddlewareMixin, so under an async server its get_response returns a coroutine, which its __call__ then handles as a response",
        required: null,
        asyncCapable: state(true, true, "MiddlewareMixin"),
        action: { label: "declare async_capable = False", asyncCapable: false },
      },
      {
        class: "PageTiming",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason:
          "defines an async __acall__ but declares no flags: a plain class defaults to async_capable = False, so its async path has never run, and turning it on changes what it does",
        required: null,
        asyncCapable: state(false, false, null),
        action: { label: "declare async_capable = True", asyncCapable: true, caution: "turns on an async path that has never run" },
      },
    ]);
  });

  it("a plain class declaring both flags with its own call and acall is the author's, whatever call's static type", () => {
    expect(
      full([
        { name: "UpstreamProxy", asyncCapable: true, syncCapable: true, call: "unknown", acall: "async" },
        { name: "PlainCall", asyncCapable: false, syncCapable: true, call: "unknown" },
      ]).map((d) => [d.class, d.outcome, d.rule, d.reason]),
    ).toEqual([
      ["UpstreamProxy", "unchanged", "own-dispatch", "defines its own call and acall and declares both flags: its dispatch is the author's"],
      ["PlainCall", "unchanged", "own-dispatch", "defines its own call and declares both flags: its dispatch is the author's"],
    ]);
  });
});

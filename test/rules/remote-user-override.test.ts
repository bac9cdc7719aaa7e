// remote-user-override (MWC207): Django 5.2 gave RemoteUserMiddleware an async path that calls
// aprocess_request; a subclass overriding only process_request loses its override under ASGI.
// Python only.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { full, outcomes, state, type Spec } from "./graph.ts";

const sso = `from django.contrib.auth.middleware import RemoteUserMiddleware


class SSOMiddleware(RemoteUserMiddleware):
    header = "HTTP_X_SSO_USER"

    def process_request(self, request):
        request.sso = True
        super().process_request(request)
`;

describe("remote-user-override, on source", () => {
  it("Python, Django 5.2: an override of process_request without aprocess_request is listed for review", async () => {
    expect(await transformed({ "sso/middleware.py": sso }, { target: "5.2" })).toEqual({
      after: { "sso/middleware.py": sso },
      decisions: [["SSOMiddleware", "needs-review", "remote-user-override"]],
      again: {},
    });
  });

  it("Python, Django 5.2: with aprocess_request beside it, the override keeps the upstream async dispatch", async () => {
    const both = sso + `
    async def aprocess_request(self, request):
        request.sso = True
        await super().aprocess_request(request)
`;
    expect(await transformed({ "sso/middleware.py": both }, { target: "5.2" })).toEqual({
      after: { "sso/middleware.py": both },
      decisions: [["SSOMiddleware", "unchanged", "own-dispatch"]],
      again: {},
    });
  });

  it("Python, Django 5.1: RemoteUserMiddleware has no async path; the sync override is declared sync-only", async () => {
    expect(await transformed({ "sso/middleware.py": sso }, { target: "5.1" })).toEqual({
      after: { "sso/middleware.py": sso.replace('    header = "HTTP_X_SSO_USER"\n', '    async_capable = False\n    header = "HTTP_X_SSO_USER"\n') },
      decisions: [["SSOMiddleware", "set-async-capable-false", "sync-hop-hooks"]],
      again: {},
    });
  });
});

describe("remote-user-override, on class graphs", () => {
  it("Django 5.2+: a RemoteUserMiddleware subclass overriding process_request without aprocess_request", () => {
    const specs = (methods: string[]): Spec[] => [
      { name: "RemoteUserMiddleware", lang: "py", base: "MiddlewareMixin", hooks: { request: "sync" }, call: "sync", acall: "async", callsAcall: true, editable: false, qualifiedName: "django.contrib.auth.middleware.RemoteUserMiddleware", methods: ["process_request", "aprocess_request"] },
      { name: "HeaderUser", lang: "py", base: "RemoteUserMiddleware", hooks: { request: "sync" }, methods },
    ];
    expect(outcomes(specs(["process_request"]), "5.2").map((d) => [d.class, d.outcome, d.rule])).toEqual([["HeaderUser", "needs-review", "remote-user-override"]]);
    expect(outcomes(specs(["process_request", "aprocess_request"]), "5.2").map((d) => [d.class, d.rule])).toEqual([["HeaderUser", "own-dispatch"]]);
    expect(outcomes(specs(["process_request"]), "5.1").map((d) => [d.class, d.rule])).toEqual([["HeaderUser", "own-dispatch"]]);
  });

  it("a sync-only subclass of Django 5.2's RemoteUserMiddleware: unchanged, no offer of True", () => {
    const upstream: Spec = {
      name: "RemoteUserMiddleware",
      lang: "py",
      asyncCapable: true,
      syncCapable: true,
      hooks: { request: "sync" },
      call: "sync",
      acall: "async",
      callsAcall: true,
      init: true,
      editable: false,
      qualifiedName: "django.contrib.auth.middleware.RemoteUserMiddleware",
      methods: ["__init__", "__call__", "process_request", "__acall__", "aprocess_request"],
    };
    expect(
      full(
        [
          upstream,
          { name: "HeaderRemoteUser", lang: "py", base: "RemoteUserMiddleware", asyncCapable: false, call: "sync", hooks: { request: "sync" }, methods: ["__call__", "process_request"] },
          { name: "PlainOverride", lang: "py", base: "RemoteUserMiddleware", hooks: { request: "sync" }, methods: ["process_request"] },
        ],
        "5.2",
      ),
    ).toEqual([
      {
        class: "HeaderRemoteUser",
        outcome: "unchanged",
        rule: "own-dispatch",
        reason:
          "its own __call__ never calls the async __acall__ it inherits from RemoteUserMiddleware; declares async_capable = False: own sync dispatch with consistent flags",
        required: null,
        asyncCapable: state(false, false, "HeaderRemoteUser"),
        action: null,
      },
      {
        class: "PlainOverride",
        outcome: "needs-review",
        rule: "remote-user-override",
        reason: "overrides RemoteUserMiddleware.process_request without aprocess_request: under ASGI, Django 5.2 and 6.0 call it only through a deprecated fallback to the sync override",
        required: null,
        asyncCapable: state(true, true, "RemoteUserMiddleware"),
        action: null,
      },
    ]);
  });
});

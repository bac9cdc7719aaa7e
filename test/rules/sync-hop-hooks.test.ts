// sync-hop-hooks (MWC101): sync hop hooks under an inherited asyncCapable = true; the topmost
// class of the chain is declared sync-only and its subclasses inherit the declaration.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("sync-hop-hooks, on source", () => {
  it("TS: the topmost class is declared sync-only; the subclass inherits it", async () => {
    const session = `import { MiddlewareMixin, type Request, type Response } from "@acme/http";

export class SessionMiddleware extends MiddlewareMixin {
  processRequest(req: Request): void {
    req.session = {};
  }
}

export class AdminSessionMiddleware extends SessionMiddleware {
  processResponse(req: Request, res: Response): Response {
    return res;
  }
}
`;
    expect(await transformed({ "src/session.ts": session })).toEqual({
      after: {
        "src/session.ts": session.replace(
          "export class SessionMiddleware extends MiddlewareMixin {\n",
          "export class SessionMiddleware extends MiddlewareMixin {\n  static asyncCapable = false;\n",
        ),
      },
      decisions: [
        ["SessionMiddleware", "set-async-capable-false", "sync-hop-hooks"],
        ["AdminSessionMiddleware", "unchanged", "sync-hop-hooks"],
      ],
      again: {},
    });
  });

  it("Python: the class is declared sync-only before its first method; a class that declares False is left alone", async () => {
    const before = `from django.utils.deprecation import MiddlewareMixin


class LocaleMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.LANGUAGE_CODE = "en"


class DeclaredMiddleware(MiddlewareMixin):
    async_capable = False

    def process_response(self, request, response):
        return response
`;
    expect(await transformed({ "shop/middleware.py": before })).toEqual({
      after: {
        "shop/middleware.py": before.replace(
          "class LocaleMiddleware(MiddlewareMixin):\n",
          "class LocaleMiddleware(MiddlewareMixin):\n    async_capable = False\n\n",
        ),
      },
      decisions: [
        ["LocaleMiddleware", "set-async-capable-false", "sync-hop-hooks"],
        ["DeclaredMiddleware", "unchanged", "sync-hop-hooks"],
      ],
      again: {},
    });
  });
});

describe("sync-hop-hooks, on class graphs", () => {
  it("sync hop hooks under the mixin: set false on the topmost class only; siblings and subclasses inherit", () => {
    expect(
      outcomes([
        { name: "Base", base: "MiddlewareMixin", hooks: { request: "sync" } },
        { name: "Child", base: "Base", hooks: { response: "sync" } },
        { name: "Sibling", base: "Base" },
        { name: "AsyncChild", base: "Base", hooks: { request: "async", response: "async" } },
      ]),
    ).toEqual([
      { class: "Base", outcome: "set-async-capable-false", rule: "sync-hop-hooks", required: null, asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" } },
      { class: "Child", outcome: "unchanged", rule: "sync-hop-hooks", required: null, asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" } },
      { class: "Sibling", outcome: "unchanged", rule: "sync-hop-hooks", required: null, asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" } },
      { class: "AsyncChild", outcome: "set-async-capable-true", rule: "native-async-hooks", required: true, asyncCapable: { before: true, after: true, declaredIn: "MiddlewareMixin" } },
    ]);
  });

  it("a true declared for native async hooks does not carry over to sync overrides; an opt-in does", () => {
    expect(
      outcomes([
        { name: "AsyncBase", base: "MiddlewareMixin", hooks: { request: "async" }, asyncCapable: true },
        { name: "SyncOverride", base: "AsyncBase", hooks: { request: "sync" } },
        { name: "OptIn", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: true },
        { name: "UnderOptIn", base: "OptIn", hooks: { request: "sync" } },
      ]).map((d) => [d.class, d.outcome, d.rule]),
    ).toEqual([
      ["AsyncBase", "unchanged", "native-async-hooks"],
      ["SyncOverride", "set-async-capable-false", "sync-hop-hooks"],
      ["OptIn", "needs-review", "deliberate-opt-in"],
      ["UnderOptIn", "unchanged", "sync-hop-hooks"],
    ]);
  });
});

// python-async-hop-hook (MWC206): Django's MiddlewareMixin wraps process_request and
// process_response in sync_to_async, which refuses a coroutine function. TS/JS hop hooks may be
// async (native-async-hooks).
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("python-async-hop-hook, on source", () => {
  it("Python: an async def process_request on a MiddlewareMixin subclass is listed for review", async () => {
    const token = `from django.utils.deprecation import MiddlewareMixin

from .tokens import fetch_token


class TokenMiddleware(MiddlewareMixin):
    async def process_request(self, request):
        request.token = await fetch_token(request)
`;
    expect(await transformed({ "auth/middleware.py": token })).toEqual({
      after: { "auth/middleware.py": token },
      decisions: [["TokenMiddleware", "needs-review", "python-async-hop-hook"]],
      again: {},
    });
  });
});

describe("python-async-hop-hook, on class graphs", () => {
  it("an async hop hook without an own __acall__", () => {
    expect(outcomes([{ name: "AsyncHook", lang: "py", base: "MiddlewareMixin", hooks: { request: "async" } }]).map((d) => [d.class, d.outcome, d.rule])).toEqual([
      ["AsyncHook", "needs-review", "python-async-hop-hook"],
    ]);
  });
});

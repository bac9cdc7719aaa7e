// A class with an async __acall__ that its __call__ never reaches, under real Django 3.2
// (Debian's): the codemod lists it for review and writes nothing, so the project keeps
// serving async and sync requests; the `async_capable = True` a "required" reading would
// write breaks the async request, which shows the check can fail.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { expect, test, vi } from "vitest";
import { codemod, commitAll, DEFAULT_STACK, djangoProject, git, measure } from "./django/project.ts";

vi.setConfig({ testTimeout: 120_000 });

const COOKIE = `from django.utils.translation import get_language


class LanguageCookieMiddleware:
    """Marks every response with the active language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response["Content-Language"] = get_language()
        return response

    async def __acall__(self, request):
        response = await self.get_response(request)
        response["Content-Language"] = get_language()
        return response
`;

test("an unreached async __acall__: listed for review, nothing written, the project keeps serving requests", () => {
  const dir = djangoProject([...DEFAULT_STACK, "mysite.cookie.LanguageCookieMiddleware"], { "mysite/cookie.py": COOKIE });
  const run = codemod(dir);
  expect(run.json.middleware.filter((m) => m.file === "mysite/cookie.py")).toEqual([
    expect.objectContaining({
      class: "LanguageCookieMiddleware",
      outcome: "needs-review",
      reason:
        "defines an async __acall__, but its own __call__ never calls it: the async path never runs. Make __call__ return self.__acall__(request) when get_response is a coroutine function (marking the instance with markcoroutinefunction in __init__), or remove __acall__.",
    }),
  ]);
  expect(readFileSync(path.join(dir, "mysite/cookie.py"), "utf8")).toBe(COOKIE);
  commitAll(dir, "codemod");
  // verify.py fails on any response but 200, for the async and the sync view.
  expect(measure(dir).django).toMatch(/^3\.2/);

  // The edit the codemod must not make: the async request then fails inside Django.
  const file = path.join(dir, "mysite/cookie.py");
  writeFileSync(file, COOKIE.replace('"""Marks every response with the active language."""\n', '"""Marks every response with the active language."""\n\n    async_capable = True\n'));
  expect(git(dir, "diff", "--stat")).toContain("mysite/cookie.py");
  expect(() => measure(dir)).toThrow(/verify\.py \(Django 3\.2\).*TypeError: object HttpResponse can.t be used in .await. expression/);
});

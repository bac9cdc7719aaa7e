// no-hop-hooks: without a request or response hook the mixin adds no switch, and declaring the
// class sync-only would add one; it is left unchanged.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("no-hop-hooks, on source", () => {
  it("TS: a class with only view and exception hooks is unchanged", async () => {
    const login = `import { MiddlewareMixin, type Request } from "@acme/http";

export class LoginRequiredMiddleware extends MiddlewareMixin {
  processView(req: Request): null {
    return null;
  }

  processException(req: Request, err: Error): null {
    console.error(err);
    return null;
  }
}
`;
    expect(await transformed({ "src/login.ts": login })).toEqual({
      after: { "src/login.ts": login },
      decisions: [["LoginRequiredMiddleware", "unchanged", "no-hop-hooks"]],
      again: {},
    });
  });

  it("Python: a class with only process_view is unchanged", async () => {
    const login = `from django.utils.deprecation import MiddlewareMixin


class LoginRequiredMiddleware(MiddlewareMixin):
    def process_view(self, request, view_func, view_args, view_kwargs):
        return None
`;
    expect(await transformed({ "accounts/middleware.py": login })).toEqual({
      after: { "accounts/middleware.py": login },
      decisions: [["LoginRequiredMiddleware", "unchanged", "no-hop-hooks"]],
      again: {},
    });
  });
});

describe("no-hop-hooks, on class graphs", () => {
  it("a view-only class", () => {
    expect(outcomes([{ name: "ViewOnly", base: "MiddlewareMixin", hooks: { view: "sync" } }]).map((d) => [d.class, d.outcome, d.rule])).toEqual([["ViewOnly", "unchanged", "no-hop-hooks"]]);
  });
});

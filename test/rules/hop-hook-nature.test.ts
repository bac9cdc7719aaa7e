// hop-hook-nature (MWC202): hop hooks that mix sync and async, or whose nature cannot be
// known, need a person; nothing is written.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("hop-hook-nature, on source", () => {
  it("TS: mixed hooks, and a hook assigned from a factory, are listed for review", async () => {
    const timing = `import { MiddlewareMixin, type Request, type Response } from "@acme/http";
import { makeHook } from "./hooks";

export class TimingMiddleware extends MiddlewareMixin {
  processRequest(req: Request): void {
    req.start = Date.now();
  }

  async processResponse(req: Request, res: Response): Promise<Response> {
    await Promise.resolve();
    return res;
  }
}

export class HookedMiddleware extends MiddlewareMixin {
  processRequest = makeHook();
}
`;
    const hooks = `export function makeHook(): any {
  return () => undefined;
}
`;
    expect(await transformed({ "src/timing.ts": timing, "src/hooks.ts": hooks })).toEqual({
      after: { "src/timing.ts": timing, "src/hooks.ts": hooks },
      decisions: [
        ["TimingMiddleware", "needs-review", "hop-hook-nature"],
        ["HookedMiddleware", "needs-review", "hop-hook-nature"],
      ],
      again: {},
    });
  });

  it("Python: a hook assigned from a function call is listed for review", async () => {
    const timing = `from django.utils.deprecation import MiddlewareMixin

from .hooks import make_hook


class TimingMiddleware(MiddlewareMixin):
    process_request = make_hook()
`;
    const hooks = `def make_hook():
    return lambda self, request: None
`;
    expect(await transformed({ "timing/middleware.py": timing, "timing/hooks.py": hooks, "timing/__init__.py": "" })).toEqual({
      after: { "timing/middleware.py": timing, "timing/hooks.py": hooks, "timing/__init__.py": "" },
      decisions: [["TimingMiddleware", "needs-review", "hop-hook-nature"]],
      again: {},
    });
  });
});

describe("hop-hook-nature, on class graphs", () => {
  it("mixed and unknown hop hooks", () => {
    expect(
      outcomes([
        { name: "Mixed", base: "MiddlewareMixin", hooks: { request: "sync", response: "async" } },
        { name: "Unknown", base: "MiddlewareMixin", hooks: { request: "unknown" } },
      ]).map((d) => [d.class, d.outcome, d.rule]),
    ).toEqual([
      ["Mixed", "needs-review", "hop-hook-nature"],
      ["Unknown", "needs-review", "hop-hook-nature"],
    ]);
  });
});

// plain-class: a class that does not reach a mixin and has no own dispatch declares its own
// flags; they are left as they are.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("plain-class, on source", () => {
  it("TS: a class without the mixin that declares its flag is unchanged", async () => {
    const plain = `import type { Request } from "@acme/http";

export class HeaderMiddleware {
  static asyncCapable = false;

  processRequest(req: Request): void {
    req.headers.set("x-seen", "1");
  }
}
`;
    expect(await transformed({ "src/header.ts": plain })).toEqual({
      after: { "src/header.ts": plain },
      decisions: [["HeaderMiddleware", "unchanged", "plain-class"]],
      again: {},
    });
  });

  it("Python: a class without MiddlewareMixin that declares its flags is unchanged", async () => {
    const plain = `class HeaderMiddleware:
    sync_capable = True
    async_capable = False

    def process_request(self, request):
        request.seen = True
`;
    expect(await transformed({ "web/middleware.py": plain })).toEqual({
      after: { "web/middleware.py": plain },
      decisions: [["HeaderMiddleware", "unchanged", "plain-class"]],
      again: {},
    });
  });
});

describe("plain-class, on class graphs", () => {
  it("a plain class with a flag of its own", () => {
    expect(outcomes([{ name: "Plain", asyncCapable: false, hooks: { request: "sync" } }]).map((d) => [d.class, d.outcome, d.rule])).toEqual([["Plain", "unchanged", "plain-class"]]);
  });
});

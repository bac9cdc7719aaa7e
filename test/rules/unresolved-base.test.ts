// unresolved-base (MWC002): a class whose ancestry leaves the scanned tree cannot be judged and
// is never edited.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("unresolved-base, on source", () => {
  it("TS: a middleware class whose base comes from a package that is not there is not edited", async () => {
    // Beside a class on the mixin: a file that mentions no mixin or flag is never parsed.
    const audit = `import { BaseAuditMiddleware } from "@acme/audit-middleware";
import { MiddlewareMixin, type Request } from "@acme/http";

export class AuditMiddleware extends BaseAuditMiddleware {
  processRequest(req: Request): void {
    this.audit(req);
  }
}

export class TraceMiddleware extends MiddlewareMixin {
  processRequest(req: Request): void {
    req.trace = true;
  }
}
`;
    expect(await transformed({ "src/audit.ts": audit })).toEqual({
      after: {
        "src/audit.ts": audit.replace(
          "export class TraceMiddleware extends MiddlewareMixin {\n",
          "export class TraceMiddleware extends MiddlewareMixin {\n  static asyncCapable = false;\n",
        ),
      },
      decisions: [
        ["AuditMiddleware", "unchanged", "unresolved-base"],
        ["TraceMiddleware", "set-async-capable-false", "sync-hop-hooks"],
      ],
      again: {},
    });
  });

  it("Python: a middleware class whose base comes from a package that is not installed is not edited", async () => {
    const audit = `from acme.middleware import BaseAuditMiddleware


class AuditMiddleware(BaseAuditMiddleware):
    def process_request(self, request):
        self.audit(request)
`;
    expect(await transformed({ "audit/middleware.py": audit })).toEqual({
      after: { "audit/middleware.py": audit },
      decisions: [["AuditMiddleware", "unchanged", "unresolved-base"]],
      again: {},
    });
  });
});

describe("unresolved-base, on class graphs", () => {
  it("a base outside the scanned tree", () => {
    expect(outcomes([{ name: "Outside", base: "?express-mw", hooks: { request: "sync" } }]).map((d) => [d.class, d.outcome, d.rule])).toEqual([["Outside", "unchanged", "unresolved-base"]]);
  });
});

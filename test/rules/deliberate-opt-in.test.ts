// deliberate-opt-in (MWC201): an explicit asyncCapable = true on sync hop hooks may be on
// purpose; it is listed for review and nothing is written.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("deliberate-opt-in, on source", () => {
  it("TS: an explicit true on a sync hook is kept and listed for review", async () => {
    const audit = `import { MiddlewareMixin, type Request } from "@acme/http";

export class AuditMiddleware extends MiddlewareMixin {
  static asyncCapable = true;

  processRequest(req: Request): void {
    console.log(req.url);
  }
}
`;
    expect(await transformed({ "src/audit.ts": audit })).toEqual({
      after: { "src/audit.ts": audit },
      decisions: [["AuditMiddleware", "needs-review", "deliberate-opt-in"]],
      again: {},
    });
  });

  it("Python: an explicit True on a sync hook is kept and listed for review", async () => {
    const audit = `from django.utils.deprecation import MiddlewareMixin


class AuditMiddleware(MiddlewareMixin):
    async_capable = True

    def process_response(self, request, response):
        response["X-Audited"] = "1"
        return response
`;
    expect(await transformed({ "audit/middleware.py": audit })).toEqual({
      after: { "audit/middleware.py": audit },
      decisions: [["AuditMiddleware", "needs-review", "deliberate-opt-in"]],
      again: {},
    });
  });
});

describe("deliberate-opt-in, on class graphs", () => {
  it("an opt-in on sync hooks", () => {
    expect(outcomes([{ name: "OptIn", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: true }]).map((d) => [d.class, d.outcome, d.rule])).toEqual([
      ["OptIn", "needs-review", "deliberate-opt-in"],
    ]);
  });
});

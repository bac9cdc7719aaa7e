// computed-flag (MWC205): a flag whose value is only known at run time cannot be judged.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("computed-flag, on source", () => {
  it("TS: a flag read from the environment is listed for review; its subclass inherits it unchanged", async () => {
    const feature = `import { MiddlewareMixin, type Request } from "@acme/http";

export class FeatureMiddleware extends MiddlewareMixin {
  static asyncCapable = process.env.ASYNC_MIDDLEWARE === "1";

  processRequest(req: Request): void {
    req.features = [];
  }
}

export class BetaFeatureMiddleware extends FeatureMiddleware {
  processRequest(req: Request): void {
    req.features = ["beta"];
  }
}
`;
    expect(await transformed({ "src/feature.ts": feature })).toEqual({
      after: { "src/feature.ts": feature },
      decisions: [
        ["FeatureMiddleware", "needs-review", "computed-flag"],
        ["BetaFeatureMiddleware", "unchanged", "computed-flag"],
      ],
      again: {},
    });
  });

  it("Python: a flag read from the settings is listed for review", async () => {
    const feature = `from django.conf import settings
from django.utils.deprecation import MiddlewareMixin


class FeatureMiddleware(MiddlewareMixin):
    async_capable = settings.ASYNC_MIDDLEWARE

    def process_request(self, request):
        request.features = []
`;
    expect(await transformed({ "features/middleware.py": feature })).toEqual({
      after: { "features/middleware.py": feature },
      decisions: [["FeatureMiddleware", "needs-review", "computed-flag"]],
      again: {},
    });
  });
});

describe("computed-flag, on class graphs", () => {
  it("a computed flag on sync hooks", () => {
    expect(outcomes([{ name: "Computed", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: null }]).map((d) => [d.class, d.outcome, d.rule])).toEqual([
      ["Computed", "needs-review", "computed-flag"],
    ]);
  });
});

// native-async-hooks (MWC102, MWC203): async hop hooks need asyncCapable = true, declared on the
// class that defines them. Python hop hooks are never native (python-async-hop-hook).
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";
import { outcomes } from "./graph.ts";

describe("native-async-hooks, on source", () => {
  it("TS: async hooks declare their true; a subclass inherits it; a class declared false is listed for review", async () => {
    const metrics = `import { MiddlewareMixin, type Request, type Response } from "@acme/http";

export class MetricsMiddleware extends MiddlewareMixin {
  async processRequest(req: Request): Promise<void> {
    await Promise.resolve(req);
  }

  async processResponse(req: Request, res: Response): Promise<Response> {
    return res;
  }
}

export class TaggedMetricsMiddleware extends MetricsMiddleware {}

export class CacheMiddleware extends MiddlewareMixin {
  static asyncCapable = false;

  async processRequest(req: Request): Promise<void> {
    await Promise.resolve(req);
  }
}
`;
    expect(await transformed({ "src/metrics.ts": metrics })).toEqual({
      after: {
        "src/metrics.ts": metrics.replace(
          "export class MetricsMiddleware extends MiddlewareMixin {\n",
          "export class MetricsMiddleware extends MiddlewareMixin {\n  static asyncCapable = true;\n",
        ),
      },
      decisions: [
        ["MetricsMiddleware", "set-async-capable-true", "native-async-hooks"],
        ["TaggedMetricsMiddleware", "unchanged", "native-async-hooks"],
        ["CacheMiddleware", "needs-review", "native-async-hooks"],
      ],
      again: {},
    });
  });
});

describe("native-async-hooks, on class graphs", () => {
  it("a subclass that only inherits async hooks stays unchanged; a direct mixin subclass declares them defensively", () => {
    expect(
      outcomes([
        { name: "Sync", base: "MiddlewareMixin", hooks: { request: "sync" } },
        { name: "Async", base: "Sync", hooks: { request: "async" } },
        { name: "AsyncChild", base: "Async" },
        { name: "DirectAsync", base: "MiddlewareMixin", hooks: { request: "async" } },
        { name: "DirectAsyncChild", base: "DirectAsync" },
      ]).map((d) => [d.class, d.outcome, d.required, d.asyncCapable.after]),
    ).toEqual([
      ["Sync", "set-async-capable-false", null, false],
      ["Async", "set-async-capable-true", true, true],
      ["AsyncChild", "unchanged", null, true],
      ["DirectAsync", "set-async-capable-true", false, true],
      ["DirectAsyncChild", "unchanged", null, true],
    ]);
  });
});

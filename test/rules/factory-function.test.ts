// factory-function: function middleware carries its flags in its decorator; nothing is written.
// TS/JS has no function middleware of this kind.
import { describe, expect, it } from "vitest";
import { transformed } from "../helpers/transformed.ts";

describe("factory-function, on source", () => {
  it("Python: a decorated function middleware is unchanged", async () => {
    const timing = `import time

from django.utils.decorators import sync_only_middleware


@sync_only_middleware
def timing_middleware(get_response):
    def middleware(request):
        start = time.monotonic()
        response = get_response(request)
        response["X-Elapsed"] = str(time.monotonic() - start)
        return response

    return middleware
`;
    expect(await transformed({ "timing/middleware.py": timing })).toEqual({
      after: { "timing/middleware.py": timing },
      decisions: [["timing_middleware", "unchanged", "factory-function"]],
      again: {},
    });
  });
});

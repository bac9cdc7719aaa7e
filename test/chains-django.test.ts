// The chain analysis against real Django: Debian's Django 3.2 (/usr/bin/python3) counts
// the switches of one request through BaseHandler.get_response_async (the package's transforms/lib/django/verify.py);
// the built CLI's predictions must be equal — before, after its edits, and after --backport.
// A missing Django or Python is a failure, not a skip.
import { existsSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { after, before, CLI, codemod, commitAll, counts, DEFAULT_STACK, djangoProject, git, measure, THIRD_PARTY, type Counts } from "./django/project.ts";

const c = (s2a: number, a2s: number, s2aSync = s2a + 1) => ({ asyncView: { syncToAsync: s2a, asyncToSync: a2s }, syncView: { syncToAsync: s2aSync, asyncToSync: a2s } });

beforeAll(() => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first`);
});

/**
 * Run the codemod (apply), then --backport (apply), then --backport again; at each step
 * the predicted counts must equal the counts real Django measures. Returns the figures.
 */
function roundTrip(middleware: string[] | null, extra: Record<string, string> = {}) {
  const dir = djangoProject(middleware, extra);
  const m0 = counts(measure(dir));
  const run1 = codemod(dir);
  expect(run1.json.errors).toEqual([]);
  expect(run1.json.chains).toHaveLength(1);
  const ch1 = run1.json.chains[0];
  expect(ch1.unresolved).toEqual([]);
  expect(before(ch1.switches!)).toEqual(m0);
  const m1 = counts(measure(dir));
  expect(after(ch1.switches!)).toEqual(m1);
  commitAll(dir, "codemod");

  const run2 = codemod(dir, ["--backport"]);
  expect(run2.json.errors).toEqual([]);
  const ch2 = run2.json.chains[0];
  expect(before(ch2.switches!)).toEqual(m1);
  const m2 = counts(measure(dir));
  expect(after(ch2.switches!)).toEqual(m2);
  commitAll(dir, "backport");

  const run3 = codemod(dir, ["--backport"]);
  expect(run3.json.summary.filesChanged).toBe(0);
  expect(git_status(dir)).toBe("");
  expect(before(run3.json.chains[0].switches!)).toEqual(m2);
  expect(after(run3.json.chains[0].switches!)).toEqual(m2);
  return { dir, measured: [m0, m1, m2] as Counts[], chains: [ch1, ch2], runs: [run1, run2] };
}

function git_status(dir: string): string {
  return git(dir, "status", "--porcelain");
}

describe("predicted switch counts equal real Django 3.2's", { timeout: 120_000 }, () => {
  it("default startproject stack: 13 before, 2 + 1 after --backport", () => {
    const r = roundTrip(null);
    expect(r.measured).toEqual([c(13, 0), c(13, 0), c(2, 1)]);
    expect(r.chains[0].middleware).toEqual(DEFAULT_STACK);
    // The whole ASGIHandler call adds Django 3.2's own two (request_started, response.close),
    // which the chain's counts (get_response_async, model section 6) leave out.
    expect(counts(measure(r.dir, "asgi"))).toEqual(c(4, 1));
  });

  it("custom sync middleware last: 14 → 2 + 1 (the issue's figures)", () => {
    const r = roundTrip([...DEFAULT_STACK, "mysite.middleware.TimingMiddleware"]);
    expect(r.measured).toEqual([c(14, 0), c(2, 1), c(2, 1)]);
    expect(r.runs[0].json.middleware.find((m) => m.class === "TimingMiddleware")!.outcome).toBe("set-async-capable-false");
  });

  it("custom sync middleware first: 14 + 0 → 14 + 1, and --backport repairs it", () => {
    const r = roundTrip(["mysite.middleware.TimingMiddleware", ...DEFAULT_STACK]);
    expect(r.measured).toEqual([c(14, 0), c(14, 1), c(2, 1)]);
    expect(r.chains[0].notes[0]).toMatch(/^This run's edits make this chain worse: .* What would help: --backport would make it 2 sync_to_async \+ 1 async_to_sync/);
  });

  it("custom sync middleware in the middle", () => {
    const mw = [...DEFAULT_STACK];
    mw.splice(3, 0, "mysite.middleware.TimingMiddleware");
    const r = roundTrip(mw);
    expect(r.measured).toEqual([c(14, 0), c(8, 1), c(2, 1)]);
  });

  it("a process_view-only class and an own-dispatch async class", () => {
    const r = roundTrip([
      "mysite.middleware.AsyncOwnMiddleware",
      ...DEFAULT_STACK.slice(0, 3),
      "mysite.middleware.ViewOnlyMiddleware",
      ...DEFAULT_STACK.slice(3, 6),
      "mysite.middleware.AsyncOwnMiddleware",
      DEFAULT_STACK[6],
    ]);
    expect(r.measured).toEqual([c(14, 0), c(14, 0), c(4, 1)]);
  });

  it("a third-party package in the project's virtualenv", () => {
    const r = roundTrip([...DEFAULT_STACK, "thirdparty_mw.middleware.HeaderMiddleware"], THIRD_PARTY);
    expect(r.measured).toEqual([c(15, 0), c(15, 0), c(2, 1)]);
    expect(r.chains[1].middleware).toContain("thirdparty_mw.middleware.HeaderMiddleware");
  });
});

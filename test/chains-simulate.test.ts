// The load_middleware(is_async=True) simulator, on specs built by hand.
import { describe, expect, it } from "vitest";
import { simulate, type MiddlewareSpec } from "../transforms/lib/django/simulate.ts";
import { chooseBackport } from "../transforms/lib/django/backport.ts";

const mixin = (name: string, hopHooks: string[], o: Partial<MiddlewareSpec> = {}): MiddlewareSpec => ({
  path: `x.${name}`,
  name,
  syncCapable: true,
  asyncCapable: true,
  body: "mixin",
  hopHooks,
  processView: null,
  ...o,
});
const RR = ["process_request", "process_response"];
const defaults = (flipped = false): MiddlewareSpec[] =>
  [
    mixin("SecurityMiddleware", RR),
    mixin("SessionMiddleware", RR),
    mixin("CommonMiddleware", RR),
    mixin("CsrfViewMiddleware", RR, { processView: "sync" }),
    mixin("AuthenticationMiddleware", ["process_request"]),
    mixin("MessageMiddleware", RR),
    mixin("XFrameOptionsMiddleware", ["process_response"]),
  ].map((s) => (flipped ? { ...s, asyncCapable: false } : s));
const custom = (flipped: boolean) => mixin("Custom", ["process_request"], { asyncCapable: !flipped });

const counts = (specs: MiddlewareSpec[]) => simulate(specs).counts;

describe("simulate", () => {
  it("default stack: 13 hops to an async view, 3 with all seven built-ins flipped (docs/chain-model.md)", () => {
    expect(counts(defaults())).toEqual({ asyncView: { syncToAsync: 13, asyncToSync: 0 }, syncView: { syncToAsync: 14, asyncToSync: 0 } });
    expect(counts(defaults(true))).toEqual({ asyncView: { syncToAsync: 2, asyncToSync: 1 }, syncView: { syncToAsync: 3, asyncToSync: 1 } });
  });

  it("custom sync middleware last: 14 before, 2 + 1 after (Django ticket #37177's measurement)", () => {
    expect(counts([...defaults(), custom(false)]).asyncView).toEqual({ syncToAsync: 14, asyncToSync: 0 });
    expect(counts([...defaults(), custom(true)]).asyncView).toEqual({ syncToAsync: 2, asyncToSync: 1 });
  });

  it("custom sync middleware first: 14 + 0 before, 14 + 1 after", () => {
    expect(counts([custom(false), ...defaults()]).asyncView).toEqual({ syncToAsync: 14, asyncToSync: 0 });
    expect(counts([custom(true), ...defaults()]).asyncView).toEqual({ syncToAsync: 14, asyncToSync: 1 });
  });

  it("records each layer's mode and adapters", () => {
    const own = mixin("Own", [], { body: "own", syncCapable: false, asyncCapable: true });
    const st = simulate([mixin("A", RR, { asyncCapable: false }), own, mixin("B", ["process_request"], { asyncCapable: false, processView: "async" })]);
    expect(st).toEqual({
      adaptTop: "syncToAsync",
      counts: { asyncView: { syncToAsync: 2, asyncToSync: 2 }, syncView: { syncToAsync: 3, asyncToSync: 2 } },
      steps: [
        { path: "x.A", name: "A", mode: "sync", body: "mixin", hookHops: 0, hopHooks: RR, adaptInner: "asyncToSync", processView: null },
        { path: "x.Own", name: "Own", mode: "async", body: "own", hookHops: 0, hopHooks: [], adaptInner: "syncToAsync", processView: null },
        { path: "x.B", name: "B", mode: "sync", body: "mixin", hookHops: 0, hopHooks: ["process_request"], adaptInner: "asyncToSync", processView: "async" },
      ],
    });
  });

  it("refuses a middleware that can run neither way, as Django does", () => {
    expect(() => simulate([mixin("N", [], { syncCapable: false, asyncCapable: false })])).toThrow(/at least one of sync_capable\/async_capable/);
  });
});

describe("chooseBackport", () => {
  it("takes every candidate of the default stack (largest of the cheapest sets)", () => {
    const { chosen, state } = chooseBackport(defaults(), [0, 1, 2, 3, 4, 5, 6]);
    expect(chosen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(state.counts.asyncView).toEqual({ syncToAsync: 2, asyncToSync: 1 });
  });

  it("leaves out a candidate whose flip would add switches", () => {
    // An async-only own-dispatch class in the middle splits the list; flipping the single
    // one-hook class above it would cost an adapter pair instead of one hop.
    const own = mixin("Own", [], { body: "own", syncCapable: false, asyncCapable: true });
    const specs = [mixin("Top", ["process_request"]), own, mixin("Inner1", RR), mixin("Inner2", RR)];
    expect(counts(specs).asyncView).toEqual({ syncToAsync: 5, asyncToSync: 0 });
    const { chosen, state } = chooseBackport(specs, [0, 2, 3]);
    expect(chosen).toEqual([2, 3]);
    expect(state.counts.asyncView).toEqual({ syncToAsync: 2, asyncToSync: 1 });
  });

  it("chooses nothing when nothing gets cheaper", () => {
    const own = mixin("Own", [], { body: "own", syncCapable: false, asyncCapable: true });
    expect(chooseBackport([own, mixin("Inner", RR)], [1]).chosen).toEqual([]); // 2 hops vs 2 adapters
    const specs = [mixin("Only", ["process_request"])];
    expect(chooseBackport(specs, [0]).chosen).toEqual([]);
  });
});

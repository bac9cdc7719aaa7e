// decide itself, on small class graphs built by hand: declarations declined in review, and the
// final check of the invariant. Each rule's own cases are in test/rules/.
import { describe, expect, it } from "vitest";
import { RULES } from "../transforms/lib/decide.ts";
import { full, type Spec } from "./rules/graph.ts";

describe("declarations declined in interactive review", () => {
  const specs: Spec[] = [
    { name: "Base", base: "MiddlewareMixin", hooks: { request: "sync" } },
    { name: "Child", base: "Base", hooks: { response: "sync" } },
    { name: "GrandChild", base: "Child" },
    { name: "AsyncChild", base: "Base", hooks: { request: "async", response: "async" } },
    { name: "Other", base: "MiddlewareMixin", hooks: { response: "sync" } },
  ];
  const id = (name: string) => `m.ts:${specs.findIndex((s) => s.name === name) + 1}:${name}`;
  // Every decision but the review action (none of these classes is listed for review).
  const decided = (declined?: string[]) => full(specs, null, declined && new Set(declined.map(id))).map(({ action: _action, ...d }) => d);
  const fromMixin = (after: boolean) => ({ before: true, after, declaredIn: "MiddlewareMixin" });

  it("without declines: the topmost class is declared, its subclasses inherit", () => {
    expect(decided()).toEqual([
      { class: "Base", outcome: "set-async-capable-false", rule: "sync-hop-hooks", reason: "processRequest is sync; asyncCapable = true comes from MiddlewareMixin", required: null, asyncCapable: fromMixin(false) },
      { class: "Child", outcome: "unchanged", rule: "sync-hop-hooks", reason: "processRequest and processResponse are sync; inherits asyncCapable = false from Base (declared in this run)", required: null, asyncCapable: fromMixin(false) },
      { class: "GrandChild", outcome: "unchanged", rule: "sync-hop-hooks", reason: "processRequest and processResponse are sync; inherits asyncCapable = false from Base (declared in this run)", required: null, asyncCapable: fromMixin(false) },
      { class: "AsyncChild", outcome: "set-async-capable-true", rule: "native-async-hooks", reason: "processRequest and processResponse are async; required: Base is declared sync-only in this run", required: true, asyncCapable: fromMixin(true) },
      { class: "Other", outcome: "set-async-capable-false", rule: "sync-hop-hooks", reason: "processResponse is sync; asyncCapable = true comes from MiddlewareMixin", required: null, asyncCapable: fromMixin(false) },
    ]);
  });

  it("a declined class stays unchanged and adds nothing: the classes below are decided as if it had not been flipped", () => {
    expect(decided(["Base"])).toEqual([
      { class: "Base", outcome: "unchanged", rule: "sync-hop-hooks", reason: "its declaration was declined in review", required: null, asyncCapable: fromMixin(true) },
      { class: "Child", outcome: "set-async-capable-false", rule: "sync-hop-hooks", reason: "processRequest and processResponse are sync; asyncCapable = true comes from MiddlewareMixin through Base", required: null, asyncCapable: fromMixin(false) },
      { class: "GrandChild", outcome: "unchanged", rule: "sync-hop-hooks", reason: "processRequest and processResponse are sync; inherits asyncCapable = false from Child (declared in this run)", required: null, asyncCapable: fromMixin(false) },
      { class: "AsyncChild", outcome: "set-async-capable-true", rule: "native-async-hooks", reason: "processRequest and processResponse are async; defensive: inherits asyncCapable = true from MiddlewareMixin through Base today, and Base could declare itself sync-only later", required: false, asyncCapable: fromMixin(true) },
      { class: "Other", outcome: "set-async-capable-false", rule: "sync-hop-hooks", reason: "processResponse is sync; asyncCapable = true comes from MiddlewareMixin", required: null, asyncCapable: fromMixin(false) },
    ]);
  });

  it("declines accumulate down a chain; a declined id whose class proposes nothing changes nothing", () => {
    const [, , , asyncChild, other] = decided(["Base"]);
    expect(decided(["Base", "Child", "GrandChild"])).toEqual([
      { class: "Base", outcome: "unchanged", rule: "sync-hop-hooks", reason: "its declaration was declined in review", required: null, asyncCapable: fromMixin(true) },
      { class: "Child", outcome: "unchanged", rule: "sync-hop-hooks", reason: "its declaration was declined in review", required: null, asyncCapable: fromMixin(true) },
      { class: "GrandChild", outcome: "unchanged", rule: "sync-hop-hooks", reason: "its declaration was declined in review", required: null, asyncCapable: fromMixin(true) },
      asyncChild,
      other,
    ]);
    expect(decided(["Child"])).toEqual(decided());
  });
});

describe("the final check", () => {
  it("the final check fails a run whose rules would take a class's async path away", () => {
    RULES.unshift({ name: "rogue", codes: [], check: (_ctx, node) => (node.name === "Metrics" ? { outcome: "set-async-capable-false", reason: "rogue" } : null) });
    try {
      expect(() => full([{ name: "Metrics", base: "MiddlewareMixin", hooks: { request: "async" } }])).toThrow("internal error: this run would take the async path of m.ts:1:Metrics away (rogue)");
    } finally {
      RULES.shift();
    }
  });
});

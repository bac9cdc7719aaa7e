// Each decision rule on a small class graph built by hand: the whole decision list is compared.
import { describe, expect, it } from "vitest";
import { decide, RULES } from "../transforms/lib/decide.ts";
import { PYTHON_NAMES, type BaseRef, type ClassNode, type Flag, type Hook, type HookKind, type Nature } from "../transforms/lib/model.ts";

interface Spec {
  name: string;
  base?: string | string[];
  lang?: "ts" | "py";
  hooks?: Partial<Record<HookKind, Nature>>;
  asyncCapable?: boolean | null;
  syncCapable?: boolean;
  call?: Nature;
  acall?: Nature;
  /** The own call refers to acall. */
  callsAcall?: boolean;
  init?: boolean;
  methods?: string[];
  editable?: boolean;
  qualifiedName?: string;
}

const HOOK_NAMES: Record<"ts" | "py", Record<HookKind, string>> = {
  ts: { request: "processRequest", view: "processView", exception: "processException", templateResponse: "processTemplateResponse", response: "processResponse" },
  py: PYTHON_NAMES.hooks,
};

function graph(specs: Spec[]): ClassNode[] {
  return specs.map((s, i) => {
    const lang = s.lang ?? "ts";
    const bases: BaseRef[] = ([] as string[]).concat(s.base ?? []).map((b) =>
      b === "MiddlewareMixin"
        ? { kind: "mixin", name: b, text: b }
        : b.startsWith("?")
          ? { kind: "unresolved", text: b.slice(1), reason: `package '${b.slice(1)}' is not in the scanned tree` }
          : { kind: "class", id: `m.${lang}:${specs.findIndex((o) => o.name === b) + 1}:${b}`, text: b },
    );
    const hooks: Partial<Record<HookKind, Hook>> = {};
    for (const [k, nature] of Object.entries(s.hooks ?? {})) hooks[k as HookKind] = { nature: nature!, name: HOOK_NAMES[lang][k as HookKind], line: i + 2 };
    const flag = (v: boolean | null | undefined): Flag | undefined => (v === undefined ? undefined : { value: v, line: i + 1, via: lang === "py" ? "attribute" : "static" });
    return {
      id: `m.${lang}:${i + 1}:${s.name}`,
      name: s.name,
      file: `m.${lang}`,
      absPath: `/p/m.${lang}`,
      line: i + 1,
      column: 1,
      language: lang,
      kind: "class",
      editable: s.editable ?? true,
      qualifiedName: s.qualifiedName,
      origin: s.editable === false ? { package: "django", version: "5.2", source: "table" } : undefined,
      bases,
      hooks,
      dispatch: { ...(s.call ? { call: s.call } : {}), ...(s.acall ? { acall: s.acall } : {}), ...(s.callsAcall ? { callsAcall: true } : {}) },
      flags: { asyncCapable: flag(s.asyncCapable), syncCapable: flag(s.syncCapable) },
      init: s.init === undefined ? undefined : { marksCoroutine: s.init },
      methods: s.methods ?? [],
      insertion: s.editable === false ? null : { offset: 0, lead: "  ", trail: "\n", semicolon: true, fieldStyle: lang === "py" ? "attribute" : "static" },
    } satisfies ClassNode;
  });
}

const names = {
  ts: { asyncCapable: "asyncCapable", syncCapable: "syncCapable", mixin: "MiddlewareMixin", call: "call", acall: "acall" },
  py: { asyncCapable: "async_capable", syncCapable: "sync_capable", mixin: "MiddlewareMixin", call: "__call__", acall: "__acall__" },
};

function outcomes(specs: Spec[], djangoTarget: string | null = null) {
  return decide(graph(specs), { djangoTarget, names }).decisions.map((d) => ({
    class: d.node.name,
    outcome: d.outcome,
    rule: d.rule,
    required: d.required,
    asyncCapable: d.asyncCapable,
  }));
}

describe("decision rules", () => {
  it("sync hop hooks under the mixin: set false on the topmost class only; siblings and subclasses inherit", () => {
    expect(
      outcomes([
        { name: "Base", base: "MiddlewareMixin", hooks: { request: "sync" } },
        { name: "Child", base: "Base", hooks: { response: "sync" } },
        { name: "Sibling", base: "Base" },
        { name: "AsyncChild", base: "Base", hooks: { request: "async", response: "async" } },
      ]),
    ).toEqual([
      { class: "Base", outcome: "set-async-capable-false", rule: "sync-hop-hooks", required: null, asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" } },
      { class: "Child", outcome: "unchanged", rule: "sync-hop-hooks", required: null, asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" } },
      { class: "Sibling", outcome: "unchanged", rule: "sync-hop-hooks", required: null, asyncCapable: { before: true, after: false, declaredIn: "MiddlewareMixin" } },
      { class: "AsyncChild", outcome: "set-async-capable-true", rule: "native-async-hooks", required: true, asyncCapable: { before: true, after: true, declaredIn: "MiddlewareMixin" } },
    ]);
  });

  it("view-only, mixed, unknown, opt-in, plain classes and unresolved bases", () => {
    expect(
      outcomes([
        { name: "ViewOnly", base: "MiddlewareMixin", hooks: { view: "sync" } },
        { name: "Mixed", base: "MiddlewareMixin", hooks: { request: "sync", response: "async" } },
        { name: "Unknown", base: "MiddlewareMixin", hooks: { request: "unknown" } },
        { name: "OptIn", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: true },
        { name: "Computed", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: null },
        { name: "Plain", asyncCapable: false, hooks: { request: "sync" } },
        { name: "Outside", base: "?express-mw", hooks: { request: "sync" } },
      ]).map((d) => [d.class, d.outcome, d.rule]),
    ).toEqual([
      ["ViewOnly", "unchanged", "no-hop-hooks"],
      ["Mixed", "needs-review", "hop-hook-nature"],
      ["Unknown", "needs-review", "hop-hook-nature"],
      ["OptIn", "needs-review", "deliberate-opt-in"],
      ["Computed", "needs-review", "computed-flag"],
      ["Plain", "unchanged", "plain-class"],
      ["Outside", "unchanged", "unresolved-base"],
    ]);
  });

  it("a true declared for native async hooks does not carry over to sync overrides; an opt-in does", () => {
    expect(
      outcomes([
        { name: "AsyncBase", base: "MiddlewareMixin", hooks: { request: "async" }, asyncCapable: true },
        { name: "SyncOverride", base: "AsyncBase", hooks: { request: "sync" } },
        { name: "OptIn", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: true },
        { name: "UnderOptIn", base: "OptIn", hooks: { request: "sync" } },
      ]).map((d) => [d.class, d.outcome, d.rule]),
    ).toEqual([
      ["AsyncBase", "unchanged", "native-async-hooks"],
      ["SyncOverride", "set-async-capable-false", "sync-hop-hooks"],
      ["OptIn", "needs-review", "deliberate-opt-in"],
      ["UnderOptIn", "unchanged", "sync-hop-hooks"],
    ]);
  });

  it("own dispatch: sync call under the mixin's true, dead async dispatch, consistent flags", () => {
    expect(
      outcomes([
        { name: "SyncCall", base: "MiddlewareMixin", call: "sync", hooks: { request: "sync" } },
        { name: "DeadAsync", base: "MiddlewareMixin", call: "sync", acall: "async", asyncCapable: false },
        { name: "Both", base: "MiddlewareMixin", call: "sync", acall: "async" },
        { name: "PlainAsync", acall: "async", call: "sync", callsAcall: true },
        { name: "Declared", call: "sync", acall: "async", asyncCapable: true, syncCapable: true },
      ]).map((d) => [d.class, d.outcome, d.rule, d.required]),
    ).toEqual([
      ["SyncCall", "needs-review", "own-dispatch", null],
      ["DeadAsync", "needs-review", "own-dispatch", null],
      // A direct mixin subclass with native async: the defensive declaration.
      ["Both", "set-async-capable-true", "own-dispatch", false],
      // A plain class's async path has never run: never a required true.
      ["PlainAsync", "needs-review", "own-dispatch", null],
      ["Declared", "unchanged", "own-dispatch", null],
    ]);
  });

  it("Python: async hop hooks, markcoroutinefunction, upstream classes by target version", () => {
    const upstream = (asyncCapable: boolean | undefined): Spec[] => [
      { name: "SessionMiddleware", lang: "py", base: "MiddlewareMixin", hooks: { request: "sync", response: "sync" }, editable: false, asyncCapable },
      { name: "MySession", lang: "py", base: "SessionMiddleware", hooks: { request: "sync" } },
      { name: "AsyncSession", lang: "py", base: "SessionMiddleware", call: "sync", acall: "async", callsAcall: true, init: true },
    ];
    expect(outcomes(upstream(undefined), "5.2").map((d) => [d.class, d.outcome, d.required])).toEqual([
      ["MySession", "set-async-capable-false", null],
      ["AsyncSession", "set-async-capable-true", false],
    ]);
    expect(outcomes(upstream(false), "6.1").map((d) => [d.class, d.outcome, d.required])).toEqual([
      ["MySession", "unchanged", null],
      ["AsyncSession", "set-async-capable-true", true],
    ]);
    expect(
      outcomes([
        { name: "AsyncHook", lang: "py", base: "MiddlewareMixin", hooks: { request: "async" } },
        { name: "NoMark", lang: "py", base: "MiddlewareMixin", call: "sync", acall: "async", callsAcall: true, init: false },
        { name: "Mark", lang: "py", base: "MiddlewareMixin", call: "sync", acall: "async", callsAcall: true, init: true },
        { name: "AsyncOnly", lang: "py", call: "async" },
      ]).map((d) => [d.class, d.outcome, d.rule]),
    ).toEqual([
      ["AsyncHook", "needs-review", "python-async-hop-hook"],
      ["NoMark", "needs-review", "own-dispatch"],
      ["Mark", "set-async-capable-true", "own-dispatch"],
      ["AsyncOnly", "needs-review", "own-dispatch"],
    ]);
  });

  it("Django 5.2+: a RemoteUserMiddleware subclass overriding process_request without aprocess_request", () => {
    const specs = (methods: string[]): Spec[] => [
      { name: "RemoteUserMiddleware", lang: "py", base: "MiddlewareMixin", hooks: { request: "sync" }, call: "sync", acall: "async", callsAcall: true, editable: false, qualifiedName: "django.contrib.auth.middleware.RemoteUserMiddleware", methods: ["process_request", "aprocess_request"] },
      { name: "HeaderUser", lang: "py", base: "RemoteUserMiddleware", hooks: { request: "sync" }, methods },
    ];
    expect(outcomes(specs(["process_request"]), "5.2").map((d) => [d.class, d.outcome, d.rule])).toEqual([["HeaderUser", "needs-review", "remote-user-override"]]);
    expect(outcomes(specs(["process_request", "aprocess_request"]), "5.2").map((d) => [d.class, d.rule])).toEqual([["HeaderUser", "own-dispatch"]]);
    expect(outcomes(specs(["process_request"]), "5.1").map((d) => [d.class, d.rule])).toEqual([["HeaderUser", "own-dispatch"]]);
  });
});

describe("native async hooks are declared where they are defined", () => {
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

describe("declarations declined in interactive review", () => {
  const specs: Spec[] = [
    { name: "Base", base: "MiddlewareMixin", hooks: { request: "sync" } },
    { name: "Child", base: "Base", hooks: { response: "sync" } },
    { name: "GrandChild", base: "Child" },
    { name: "AsyncChild", base: "Base", hooks: { request: "async", response: "async" } },
    { name: "Other", base: "MiddlewareMixin", hooks: { response: "sync" } },
  ];
  const id = (name: string) => `m.ts:${specs.findIndex((s) => s.name === name) + 1}:${name}`;
  const decided = (declined?: string[]) =>
    decide(graph(specs), { djangoTarget: null, names, declined: declined && new Set(declined.map(id)) }).decisions.map((d) => ({
      class: d.node.name,
      outcome: d.outcome,
      rule: d.rule,
      reason: d.reason,
      required: d.required,
      asyncCapable: d.asyncCapable,
    }));
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

describe("this run's edits never change what a class does", () => {
  const full = (specs: Spec[], djangoTarget: string | null = null) =>
    decide(graph(specs), { djangoTarget, names }).decisions.map((d) => ({
      class: d.node.name,
      outcome: d.outcome,
      rule: d.rule,
      reason: d.reason,
      required: d.required,
      asyncCapable: d.asyncCapable,
      action: d.action ?? null,
    }));
  const state = (before: boolean, after: boolean, declaredIn: string | null) => ({ before, after, declaredIn });

  it("an async __acall__ that __call__ never reaches is dead: needs-review, never a true", () => {
    expect(
      full([
        { name: "LanguageCookie", lang: "py", call: "sync", acall: "async", init: false },
        { name: "Toolbar", lang: "py", base: "MiddlewareMixin", call: "sync", acall: "async" },
        { name: "PageTiming", lang: "py", call: "sync", acall: "async", callsAcall: true, init: true },
      ]),
    ).toEqual([
      {
        class: "LanguageCookie",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason: "defines an async __acall__, but its own __call__ never calls it: the async path never runs",
        required: null,
        asyncCapable: state(false, false, null),
        action: null,
      },
      {
        class: "Toolbar",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason:
          "defines an async __acall__, but its own __call__ never calls it: the async path never runs; meanwhile it inherits async_capable = True from MiddlewareMixin, so under an async server its get_response returns a coroutine, which its __call__ then handles as a response",
        required: null,
        asyncCapable: state(true, true, "MiddlewareMixin"),
        action: { label: "declare async_capable = False", asyncCapable: false },
      },
      {
        class: "PageTiming",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason:
          "defines an async __acall__ but declares no flags: a plain class defaults to async_capable = False, so its async path has never run, and turning it on changes what it does",
        required: null,
        asyncCapable: state(false, false, null),
        action: { label: "declare async_capable = True", asyncCapable: true, caution: "turns on an async path that has never run" },
      },
    ]);
  });

  it("a sync-only subclass of Django 5.2's RemoteUserMiddleware: unchanged, no offer of True", () => {
    const upstream: Spec = {
      name: "RemoteUserMiddleware",
      lang: "py",
      asyncCapable: true,
      syncCapable: true,
      hooks: { request: "sync" },
      call: "sync",
      acall: "async",
      callsAcall: true,
      init: true,
      editable: false,
      qualifiedName: "django.contrib.auth.middleware.RemoteUserMiddleware",
      methods: ["__init__", "__call__", "process_request", "__acall__", "aprocess_request"],
    };
    expect(
      full(
        [
          upstream,
          { name: "HeaderRemoteUser", lang: "py", base: "RemoteUserMiddleware", asyncCapable: false, call: "sync", hooks: { request: "sync" }, methods: ["__call__", "process_request"] },
          { name: "PlainOverride", lang: "py", base: "RemoteUserMiddleware", hooks: { request: "sync" }, methods: ["process_request"] },
        ],
        "5.2",
      ),
    ).toEqual([
      {
        class: "HeaderRemoteUser",
        outcome: "unchanged",
        rule: "own-dispatch",
        reason:
          "its own __call__ never calls the async __acall__ it inherits from RemoteUserMiddleware; declares async_capable = False: own sync dispatch with consistent flags",
        required: null,
        asyncCapable: state(false, false, "HeaderRemoteUser"),
        action: null,
      },
      {
        class: "PlainOverride",
        outcome: "needs-review",
        rule: "remote-user-override",
        reason: "overrides RemoteUserMiddleware.process_request without aprocess_request: under ASGI, Django 5.2 and 6.0 call it only through a deprecated fallback to the sync override",
        required: null,
        asyncCapable: state(true, true, "RemoteUserMiddleware"),
        action: null,
      },
    ]);
  });

  it("Python: a class flipped in this run comes first in the MRO of a class with a complete async dispatch", () => {
    // Listed subclass first: the decision order, not the input order, must see the flip.
    const specs: Spec[] = [
      { name: "TenantStreaming", lang: "py", base: ["Tenant", "Streaming"] },
      { name: "TenantLegacy", lang: "py", base: ["Tenant", "Legacy"] },
      { name: "Tenant", lang: "py", base: "MiddlewareMixin", hooks: { request: "sync" } },
      { name: "Streaming", lang: "py", base: "MiddlewareMixin", asyncCapable: true, acall: "async" },
      { name: "Legacy", lang: "py", base: "MiddlewareMixin", asyncCapable: true, call: "sync", acall: "async", callsAcall: true, init: false },
    ];
    expect(full(specs)).toEqual([
      {
        class: "TenantStreaming",
        outcome: "set-async-capable-true",
        rule: "own-dispatch",
        reason: "inherits an async __acall__ from Streaming; required: Tenant is declared sync-only in this run and comes before Streaming in its method resolution order",
        required: true,
        asyncCapable: state(true, true, "Streaming"),
        action: null,
      },
      {
        class: "TenantLegacy",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason:
          "inherits an async __acall__ from Legacy, and Tenant is declared sync-only in this run and comes before Legacy in its method resolution order: it would lose its async path, but without markcoroutinefunction(self) in __init__ that path is incomplete",
        required: null,
        asyncCapable: state(true, false, "Legacy"),
        action: null,
      },
      {
        class: "Tenant",
        outcome: "set-async-capable-false",
        rule: "sync-hop-hooks",
        reason: "process_request is sync; async_capable = True comes from MiddlewareMixin",
        required: null,
        asyncCapable: state(true, false, "MiddlewareMixin"),
        action: null,
      },
      {
        class: "Streaming",
        outcome: "unchanged",
        rule: "own-dispatch",
        reason: "own dispatch (__acall__) with consistent flags",
        required: null,
        asyncCapable: state(true, true, "Streaming"),
        action: null,
      },
      {
        class: "Legacy",
        outcome: "needs-review",
        rule: "own-dispatch",
        reason: "defines an async __acall__ without markcoroutinefunction(self) in __init__: an outer MiddlewareMixin will call it synchronously",
        required: null,
        asyncCapable: state(true, true, "Legacy"),
        action: null,
      },
    ]);
  });

  it("TS/JS: an async hop hook added under a class flipped in this run gets the required true, mixed or not; a direct mixin subclass the defensive one", () => {
    expect(
      full([
        { name: "Locale", base: "MiddlewareMixin", hooks: { request: "sync" } },
        { name: "Translating", base: "Locale", hooks: { response: "async" } },
        { name: "Metrics", base: "MiddlewareMixin", hooks: { request: "async", response: "async" } },
      ]),
    ).toEqual([
      {
        class: "Locale",
        outcome: "set-async-capable-false",
        rule: "sync-hop-hooks",
        reason: "processRequest is sync; asyncCapable = true comes from MiddlewareMixin",
        required: null,
        asyncCapable: state(true, false, "MiddlewareMixin"),
        action: null,
      },
      {
        class: "Translating",
        outcome: "set-async-capable-true",
        rule: "keep-async-capable",
        reason: "defines an async processResponse; required: Locale is declared sync-only in this run",
        required: true,
        asyncCapable: state(true, true, "MiddlewareMixin"),
        action: null,
      },
      {
        class: "Metrics",
        outcome: "set-async-capable-true",
        rule: "native-async-hooks",
        reason: "processRequest and processResponse are async; defensive: inherits asyncCapable = true from MiddlewareMixin today, and the mixin's default may change",
        required: false,
        asyncCapable: state(true, true, "MiddlewareMixin"),
        action: null,
      },
    ]);
  });

  it("the state a run leaves is stable: the declared subclass of a flipped class is unchanged on a second run", () => {
    expect(
      full([
        { name: "Locale", base: "MiddlewareMixin", hooks: { request: "sync" }, asyncCapable: false },
        { name: "Translating", base: "Locale", hooks: { response: "async" }, asyncCapable: true },
      ]).map((d) => [d.class, d.outcome, d.rule, d.reason]),
    ).toEqual([
      ["Locale", "unchanged", "sync-hop-hooks", "processRequest is sync and it declares asyncCapable = false"],
      ["Translating", "unchanged", "hop-hook-nature", "defines an async processResponse and declares asyncCapable = true over Locale, which is sync-only; the sync processRequest still costs a switch"],
    ]);
  });

  it("an async hook beside one of unknown nature under a flip: required true, and unchanged once declared", () => {
    const specs = (declared: boolean): Spec[] => [
      { name: "Locale", base: "MiddlewareMixin", hooks: { request: "sync" }, ...(declared ? { asyncCapable: false } : {}) },
      { name: "Translating", base: "Locale", hooks: { request: "unknown", response: "async" }, ...(declared ? { asyncCapable: true } : {}) },
    ];
    expect(full(specs(false)).map((d) => [d.class, d.outcome, d.rule, d.reason])).toEqual([
      ["Locale", "set-async-capable-false", "sync-hop-hooks", "processRequest is sync; asyncCapable = true comes from MiddlewareMixin"],
      ["Translating", "set-async-capable-true", "keep-async-capable", "defines an async processResponse; required: Locale is declared sync-only in this run"],
    ]);
    expect(full(specs(true)).map((d) => [d.class, d.outcome, d.rule, d.reason])).toEqual([
      ["Locale", "unchanged", "sync-hop-hooks", "processRequest is sync and it declares asyncCapable = false"],
      ["Translating", "unchanged", "hop-hook-nature", "defines an async processResponse and declares asyncCapable = true over Locale, which is sync-only; the unknown processRequest still costs a switch"],
    ]);
  });

  it("a plain class declaring both flags with its own call and acall is the author's, whatever call's static type", () => {
    expect(
      full([
        { name: "UpstreamProxy", asyncCapable: true, syncCapable: true, call: "unknown", acall: "async" },
        { name: "PlainCall", asyncCapable: false, syncCapable: true, call: "unknown" },
      ]).map((d) => [d.class, d.outcome, d.rule, d.reason]),
    ).toEqual([
      ["UpstreamProxy", "unchanged", "own-dispatch", "defines its own call and acall and declares both flags: its dispatch is the author's"],
      ["PlainCall", "unchanged", "own-dispatch", "defines its own call and declares both flags: its dispatch is the author's"],
    ]);
  });

  it("the final check fails a run whose rules would take a class's async path away", () => {
    RULES.unshift({ name: "rogue", codes: [], check: (_ctx, node) => (node.name === "Metrics" ? { outcome: "set-async-capable-false", reason: "rogue" } : null) });
    try {
      expect(() => full([{ name: "Metrics", base: "MiddlewareMixin", hooks: { request: "async" } }])).toThrow("internal error: this run would take the async path of m.ts:1:Metrics away (rogue)");
    } finally {
      RULES.shift();
    }
  });
});

// The Python front end on small in-memory projects: whole nodes compared, per resolution form,
// per Python case of the rules (README, What it decides), per insertion style; and `--target auto`.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { decide, isMiddleware } from "../transforms/lib/decide.ts";
import { detectDjangoTarget, fromSpecifier } from "../transforms/lib/django/target.ts";
import { djangoMiddleware, djangoRelease } from "../transforms/lib/django/versions.ts";
import { upstreamClasses } from "../transforms/lib/django/upstream.ts";
import { codecFor } from "../transforms/lib/encoding.ts";
import { readAll, readProjectFile } from "../transforms/lib/files.ts";
import { ClassGraph } from "../transforms/lib/graph.ts";
import { readPython } from "../transforms/lib/frontends/python/index.ts";
import { pythonParser } from "../transforms/lib/frontends/python/parser.ts";
import { PYTHON_NAMES, type ClassNode, type SourceFile } from "../transforms/lib/model.ts";
import { makeTree, ROOT as REPO, runCliSync } from "./helpers/cli.ts";

function tree(files: Record<string, string>): { cwd: string; files: SourceFile[] } {
  const cwd = mkdtempSync(path.join(tmpdir(), "mwc-py-"));
  const out: SourceFile[] = [];
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(cwd, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
    if (rel.endsWith(".py") && !rel.includes("site-packages")) out.push({ absPath: abs, file: rel, text });
  }
  return { cwd, files: out };
}

function context(cwd: string, target: string, sitePackages?: string) {
  return { cwd, upstream: upstreamClasses({ version: target, source: "--target" }), sitePackages, readFile: (abs: string) => readProjectFile(cwd, abs) };
}

/** What `decide` reads of the front end's classes: the factories, and each middleware class of the scan with its ancestors. */
function middlewareOf(all: ClassNode[]): ClassNode[] {
  const graph = new ClassGraph(all);
  const kept = new Set<ClassNode>();
  for (const n of all)
    if (n.kind === "factory") kept.add(n);
    else if (n.editable && isMiddleware(graph, n)) for (const e of graph.mro(n)) if (e.kind === "class") kept.add(e.node);
  return all.filter((n) => kept.has(n));
}

/** `classes`: the middleware and their ancestors; `all`: every class the front end built. */
async function scan(files: Record<string, string>, target = "5.2", sitePackages?: string) {
  const t = tree(files);
  const r = await readPython(t.files, context(t.cwd, target, sitePackages));
  const classes = middlewareOf(r.classes);
  const byName = (name: string) => classes.find((c) => c.name === name)!;
  return { ...r, all: r.classes, classes, cwd: t.cwd, byName };
}

/** A project node with every field; the test names what differs from the empty class. */
function node(cwd: string, file: string, line: number, name: string, rest: Partial<ClassNode>): ClassNode {
  return {
    id: `${file}:${line}:${name}`,
    name,
    file,
    absPath: path.join(cwd, file),
    line,
    column: 1,
    language: "py",
    kind: "class",
    editable: true,
    qualifiedName: `${file.replace(/\.py$/, "").replace(/\/__init__$/, "").replace(/\//g, ".")}.${name}`,
    bases: [],
    hooks: {},
    dispatch: {},
    flags: {},
    methods: [],
    insertion: null,
    ...rest,
  };
}

const MIXIN = (text = "MiddlewareMixin") => ({ kind: "mixin" as const, name: "MiddlewareMixin", text });
const req = (line: number, nature: "sync" | "async" | "unknown" = "sync") => ({ nature, name: "process_request", line });
const resp = (line: number, nature: "sync" | "async" | "unknown" = "sync") => ({ nature, name: "process_response", line });
const ins = (offset: number, lead = "    ", trail = "\n") => ({ offset, lead, trail, semicolon: false, fieldStyle: "attribute" as const });
const IMPORT = "from django.utils.deprecation import MiddlewareMixin\n";
const after = (text: string, marker: string) => text.indexOf(marker) + marker.length;

const pyNames = { ...PYTHON_NAMES.flags, mixin: "MiddlewareMixin", call: "__call__", acall: "__acall__" };
function outcomes(classes: ClassNode[], target: string) {
  const { decisions } = decide(classes, { djangoTarget: { version: target, source: "--target" }, names: { ts: pyNames, js: pyNames, py: pyNames } });
  return Object.fromEntries(decisions.map((d) => [d.node.name, d.required === null ? d.outcome : `${d.outcome} (${d.required ? "required" : "defensive"})`]));
}

describe("resolution forms", () => {
  it("direct import, alias, variable, module.Attr, package re-export, try/except fallbacks", async () => {
    const mw = [
      "import app.compat as compat",
      "from django.utils.deprecation import MiddlewareMixin as MM",
      "from app import Mixin",
      "Alias = MM",
      "",
      "class A(MM):",
      "    def process_request(self, request): pass",
      "class B(Alias):",
      "    def process_request(self, request): pass",
      "class C(compat.Base):",
      "    def process_request(self, request): pass",
      "class D(Mixin):",
      "    def process_request(self, request): pass",
      "",
    ].join("\n");
    const compat = [
      "try:",
      "    from django.utils.deprecation import MiddlewareMixin as Base",
      "except ImportError:",
      "    Base = object",
      "",
    ].join("\n");
    const stub = ["try:", "    " + IMPORT + "except ImportError:", "    class MiddlewareMixin:", "        pass", ""].join("\n");
    const r = await scan({ "app/__init__.py": "from .stub import MiddlewareMixin as Mixin\n", "app/compat.py": compat, "app/stub.py": stub, "app/mw.py": mw });
    expect(r.errors).toEqual([]);
    const opts = (line: number, text: string, hookLine: number) => ({
      bases: [MIXIN(text)],
      hooks: { request: req(hookLine) },
      methods: ["process_request"],
      insertion: ins(after(mw, `class ${String.fromCharCode(64 + (line - 4) / 2)}(${text}):\n`), "    ", "\n\n"),
    });
    expect(r.classes).toEqual([
      node(r.cwd, "app/mw.py", 6, "A", opts(6, "MM", 7)),
      node(r.cwd, "app/mw.py", 8, "B", opts(8, "Alias", 9)),
      node(r.cwd, "app/mw.py", 10, "C", opts(10, "compat.Base", 11)),
      node(r.cwd, "app/mw.py", 12, "D", opts(12, "Mixin", 13)),
    ]);
  });

  it("a local class named MiddlewareMixin outside a fallback is a class, not the mixin", async () => {
    const text = ["class MiddlewareMixin:", "    pass", "", "class A(MiddlewareMixin):", "    def process_request(self, request): pass", ""].join("\n");
    const r = await scan({ "mw.py": text });
    expect(r.classes).toEqual([]); // neither reaches the mixin nor declares anything
    expect(r.all.map((c) => c.id)).toEqual(["mw.py:1:MiddlewareMixin", "mw.py:4:A"]); // built, and left to decide
  });

  it("classes under if/try, nested in functions; multiple inheritance in order", async () => {
    const text = [
      IMPORT.trimEnd(),
      "class Plain:",
      "    def helper(self): pass",
      "if True:",
      "    class A(Plain, MiddlewareMixin):",
      "        def process_response(self, request, response): return response",
      "def make():",
      "    class Inner(MiddlewareMixin):",
      "        def process_request(self, request): pass",
      "    return Inner",
      "",
    ].join("\n");
    const r = await scan({ "mw.py": text });
    expect(r.classes).toEqual([
      node(r.cwd, "mw.py", 2, "Plain", { methods: ["helper"], insertion: ins(after(text, "class Plain:\n"), "    ", "\n\n") }),
      node(r.cwd, "mw.py", 5, "A", {
        column: 5,
        bases: [{ kind: "class", id: "mw.py:2:Plain", text: "Plain" }, MIXIN()],
        hooks: { response: resp(6) },
        methods: ["process_response"],
        insertion: ins(after(text, "MiddlewareMixin):\n"), "        ", "\n\n"),
      }),
      node(r.cwd, "mw.py", 8, "Inner", {
        column: 5,
        qualifiedName: "mw.make.<locals>.Inner",
        bases: [MIXIN()],
        hooks: { request: req(9) },
        methods: ["process_request"],
        insertion: ins(after(text, "class Inner(MiddlewareMixin):\n"), "        ", "\n\n"),
      }),
    ]);
  });

  it("a Django built-in base becomes a read-only node of the target version", async () => {
    const text = "from django.contrib.sessions.middleware import SessionMiddleware\n\nclass S(SessionMiddleware):\n    def process_request(self, request):\n        super().process_request(request)\n";
    for (const [target, flags] of [
      ["5.2", {}],
      ["6.1", {}],
      ["6.2", { asyncCapable: { value: false, line: 1, via: "attribute" } }],
    ] as const) {
      const r = await scan({ "mw.py": text }, target);
      expect(r.classes[1]).toEqual({
        id: "django/contrib/sessions/middleware.py:1:SessionMiddleware",
        name: "SessionMiddleware",
        file: "django/contrib/sessions/middleware.py",
        absPath: "",
        line: 1,
        column: 1,
        language: "py",
        kind: "class",
        editable: false,
        origin: { package: "django", version: target, source: djangoMiddleware(target).get("django.contrib.sessions.middleware.SessionMiddleware")!.source },
        qualifiedName: "django.contrib.sessions.middleware.SessionMiddleware",
        bases: [MIXIN()],
        hooks: { request: req(1), response: resp(1) },
        dispatch: {},
        flags,
        init: { marksCoroutine: true },
        methods: ["__init__", "process_request", "process_response"],
        insertion: null,
      });
      expect(r.classes[0].bases).toEqual([{ kind: "class", id: "django/contrib/sessions/middleware.py:1:SessionMiddleware", text: "SessionMiddleware" }]);
      expect(outcomes(r.classes, target)).toEqual({ S: target === "6.2" ? "unchanged" : "set-async-capable-false" });
    }
  });

  it("scanned Django modules win over the version table; the scanned mixin's own definition is the mixin", async () => {
    // Django's own tree (or a vendored copy) in the scan: its modules are read like project code;
    // the table stands in only for Django modules outside the scan (here the sessions app).
    const deprecation =
      "class MiddlewareMixin:\n    sync_capable = True\n    async_capable = True\n\n    def __init__(self, get_response=None):\n        self.get_response = get_response\n\n" +
      "    def __call__(self, request):\n        return self.get_response(request)\n\n    async def __acall__(self, request):\n        return await self.get_response(request)\n";
    const csrf = IMPORT + "\nclass CsrfViewMiddleware(MiddlewareMixin):\n    def process_request(self, request): pass\n    def process_response(self, request, response): return response\n";
    const decorators = "from django.middleware.csrf import CsrfViewMiddleware\n\n\nclass _EnsureCsrfToken(CsrfViewMiddleware):\n    def _reject(self, request, reason):\n        return None\n";
    const mw = "from django.contrib.sessions.middleware import SessionMiddleware\nfrom django.middleware import csrf\n\nclass S(SessionMiddleware):\n    def process_request(self, request): pass\nclass C(csrf.CsrfViewMiddleware):\n    def process_view(self, request, view, args, kwargs): pass\n";
    const files = {
      "django/__init__.py": "",
      "django/utils/__init__.py": "",
      "django/utils/deprecation.py": deprecation,
      "django/middleware/__init__.py": "",
      "django/middleware/csrf.py": csrf,
      "django/views/__init__.py": "",
      "django/views/decorators/__init__.py": "",
      "django/views/decorators/csrf.py": decorators,
      "mw.py": mw,
    };
    for (const target of ["3.2", "6.2"]) {
      const r = await scan(files, target);
      const CSRF = { kind: "class" as const, id: "django/middleware/csrf.py:3:CsrfViewMiddleware" };
      const SESSION = "django/contrib/sessions/middleware.py:1:SessionMiddleware";
      expect(r.errors).toEqual([]);
      expect(r.classes).toEqual([
        node(r.cwd, "django/middleware/csrf.py", 3, "CsrfViewMiddleware", {
          bases: [MIXIN()],
          hooks: { request: req(4), response: resp(5) },
          methods: ["process_request", "process_response"],
          insertion: ins(after(csrf, "(MiddlewareMixin):\n"), "    ", "\n\n"),
        }),
        node(r.cwd, "django/views/decorators/csrf.py", 4, "_EnsureCsrfToken", {
          bases: [{ ...CSRF, text: "CsrfViewMiddleware" }],
          methods: ["_reject"],
          insertion: ins(after(decorators, "(CsrfViewMiddleware):\n"), "    ", "\n\n"),
        }),
        node(r.cwd, "mw.py", 4, "S", {
          bases: [{ kind: "class", id: SESSION, text: "SessionMiddleware" }],
          hooks: { request: req(5) },
          methods: ["process_request"],
          insertion: ins(after(mw, "(SessionMiddleware):\n"), "    ", "\n\n"),
        }),
        node(r.cwd, "mw.py", 6, "C", {
          bases: [{ ...CSRF, text: "csrf.CsrfViewMiddleware" }],
          hooks: { view: { nature: "sync", name: "process_view", line: 7 } },
          methods: ["process_view"],
          insertion: ins(after(mw, "(csrf.CsrfViewMiddleware):\n"), "    ", "\n\n"),
        }),
        {
          id: SESSION,
          name: "SessionMiddleware",
          file: "django/contrib/sessions/middleware.py",
          absPath: "",
          line: 1,
          column: 1,
          language: "py",
          kind: "class",
          editable: false,
          origin: { package: "django", version: target, source: djangoMiddleware(target).get("django.contrib.sessions.middleware.SessionMiddleware")!.source },
          qualifiedName: "django.contrib.sessions.middleware.SessionMiddleware",
          bases: [MIXIN()],
          hooks: { request: req(1), response: resp(1) },
          dispatch: {},
          flags: target === "6.2" ? { asyncCapable: { value: false, line: 1, via: "attribute" } } : {},
          init: { marksCoroutine: true },
          methods: ["__init__", "process_request", "process_response"],
          insertion: null,
        },
      ]);
      // Only the topmost class of the scanned chain gets the declaration, whatever the table says of the target.
      expect(outcomes(r.classes, target)).toEqual({
        CsrfViewMiddleware: "set-async-capable-false",
        _EnsureCsrfToken: "unchanged",
        S: target === "6.2" ? "unchanged" : "set-async-capable-false",
        C: "unchanged",
      });
      // Settings paths resolve the same way: the scanned class, and the scanned mixin is no class.
      expect(r.project.resolve("django.middleware.csrf.CsrfViewMiddleware")).toEqual({ node: r.classes[0], added: [] });
      expect(r.project.resolve("django.utils.deprecation.MiddlewareMixin")).toBeNull();
    }
  });

  it("an installed package is read from site-packages with its version; without it the base is unresolved", async () => {
    const files = {
      "mw.py": "from thirdparty.middleware import TPMiddleware\n\nclass Mine(TPMiddleware):\n    def process_request(self, request): pass\n",
      ".venv/lib/python3.12/site-packages/thirdparty/__init__.py": "",
      ".venv/lib/python3.12/site-packages/thirdparty/middleware.py": IMPORT + "\nclass TPMiddleware(MiddlewareMixin):\n    def process_response(self, request, response): return response\n",
      ".venv/lib/python3.12/site-packages/third_party-2.1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: third-party\nVersion: 2.1.0\n",
      ".venv/lib/python3.12/site-packages/third_party-2.1.0.dist-info/top_level.txt": "thirdparty\n",
    };
    const r = await scan(files);
    const file = ".venv/lib/python3.12/site-packages/thirdparty/middleware.py";
    expect(r.classes[1]).toEqual(
      node(r.cwd, file, 3, "TPMiddleware", {
        editable: false,
        origin: { package: "third-party", version: "2.1.0", source: file },
        qualifiedName: "thirdparty.middleware.TPMiddleware",
        bases: [MIXIN()],
        hooks: { response: resp(4) },
        methods: ["process_response"],
      }),
    );
    const bare = await scan({ "mw.py": files["mw.py"] });
    expect(bare.classes).toEqual([
      node(bare.cwd, "mw.py", 3, "Mine", {
        bases: [{ kind: "unresolved", text: "TPMiddleware", reason: "package 'thirdparty' is not in the scanned tree" }],
        hooks: { request: req(4) },
        methods: ["process_request"],
        insertion: ins(after(files["mw.py"], "(TPMiddleware):\n"), "    ", "\n\n"),
      }),
    ]);
  });

  it("resolve() reaches project classes, plain classes and Django built-ins, reporting what it added", async () => {
    const text = "class Plain:\n    def __init__(self, get_response):\n        self.get_response = get_response\n    def __call__(self, request):\n        return self.get_response(request)\n";
    const r = await scan({ "proj/__init__.py": "", "proj/mw.py": text, "proj/settings.py": "MIDDLEWARE = ['proj.mw.Plain']\n" });
    const plain = r.project.resolve("proj.mw.Plain")!;
    expect(plain.node).toEqual(
      node(r.cwd, "proj/mw.py", 1, "Plain", { dispatch: { call: "sync" }, init: { marksCoroutine: false, getResponse: true }, methods: ["__init__", "__call__"], insertion: ins(after(text, "class Plain:\n"), "    ", "\n\n") }),
    );
    // A plain class of the scan is in the front end's result already (decide finds it is no middleware).
    expect(plain.added).toEqual([]);
    expect(r.all).toContain(plain.node);
    const cache = r.project.resolve("django.middleware.cache.CacheMiddleware")!;
    expect(cache.added.map((n) => n.qualifiedName)).toEqual([
      "django.middleware.cache.CacheMiddleware",
      "django.middleware.cache.FetchFromCacheMiddleware",
      "django.middleware.cache.UpdateCacheMiddleware",
    ]);
    expect(r.project.resolve("proj.mw.Missing")).toBeNull();
  });
});

describe("the rules' Python cases", () => {
  it("hooks, dispatch, init, flags and the outcome of each case", async () => {
    const text = [
      IMPORT + "from django.contrib.auth.middleware import RemoteUserMiddleware",
      "from asgiref.sync import markcoroutinefunction",
      "class AsyncHook(MiddlewareMixin):", // 4: async def hop hook on a mixin subclass
      "    async def process_request(self, request): pass",
      "",
      "class DeadAcall(MiddlewareMixin):", // 7: async __acall__ under async_capable = False
      "    async_capable = False",
      "    async def __acall__(self, request): return await self.get_response(request)",
      "",
      "class NoMark:", // 11: own async dispatch without markcoroutinefunction
      "    async_capable = True",
      "    def __init__(self, get_response): self.get_response = get_response",
      "    def __call__(self, request): return self.__acall__(request)",
      "    async def __acall__(self, request): return await self.get_response(request)",
      "",
      "class OptIn(MiddlewareMixin):", // 17: deliberate opt-in
      "    async_capable = True",
      "    def process_request(self, request): pass",
      "",
      "class SyncCall(MiddlewareMixin):", // 21: sync __call__ override
      "    def __call__(self, request): return self.get_response(request)",
      "",
      "class Remote(RemoteUserMiddleware):", // 24: RemoteUserMiddleware override
      "    def process_request(self, request): pass",
      "",
      "class Computed(MiddlewareMixin):", // 27: computed flag
      "    async_capable = settings.ASYNC",
      "    process_request = staticmethod(lambda request: None)",
      "",
    ].join("\n");
    const r = await scan({ "mw.py": text });
    const n = r.byName;
    expect(n("AsyncHook").hooks).toEqual({ request: req(5, "async") });
    expect([n("DeadAcall").dispatch, n("DeadAcall").flags]).toEqual([
      { acall: "async" },
      { asyncCapable: { value: false, line: 8, via: "attribute", valueRange: { start: after(text, "    async_capable = ") , end: after(text, "    async_capable = False") } } },
    ]);
    expect(n("NoMark")).toEqual(
      node(r.cwd, "mw.py", 11, "NoMark", {
        dispatch: { call: "sync", acall: "async", callsAcall: true },
        flags: { asyncCapable: { value: true, line: 12, via: "attribute", valueRange: { start: after(text, "class NoMark:\n    async_capable = "), end: after(text, "class NoMark:\n    async_capable = True") } } },
        init: { marksCoroutine: false, getResponse: true },
        methods: ["__init__", "__call__", "__acall__"],
        insertion: ins(after(text, "class NoMark:\n")),
      }),
    );
    expect(n("Computed").flags.asyncCapable).toEqual({ value: null, line: 28, via: "attribute" });
    expect(n("Computed").hooks.request).toEqual({ nature: "unknown", name: "process_request", line: 29, why: "it is assigned (`process_request = staticmethod(lambda request: None)`), not defined with def" });
    expect(outcomes(r.classes, "5.2")).toEqual({
      AsyncHook: "needs-review",
      DeadAcall: "needs-review",
      NoMark: "needs-review",
      OptIn: "needs-review",
      SyncCall: "needs-review",
      Remote: "needs-review",
      Computed: "needs-review",
    });
  });

  it("markcoroutinefunction, and super().__init__ reaching MiddlewareMixin's, both mark the instance", async () => {
    const text = [
      IMPORT + "from asgiref.sync import iscoroutinefunction, markcoroutinefunction",
      "class Marks(MiddlewareMixin):",
      "    def __init__(self, get_response):",
      "        super().__init__(get_response)",
      "        if iscoroutinefunction(get_response): markcoroutinefunction(self)",
      "    async def __acall__(self, request): return await self.get_response(request)",
      "class ViaSuper(MiddlewareMixin):",
      "    def __init__(self, get_response):",
      "        super().__init__(get_response)",
      "    async def __acall__(self, request): return await self.get_response(request)",
      "",
    ].join("\n");
    const r = await scan({ "mw.py": text });
    expect([r.byName("Marks").init, r.byName("ViaSuper").init]).toEqual([{ marksCoroutine: true, getResponse: true }, { marksCoroutine: true, getResponse: true }]);
  });

  it("factory functions and decorated classes carry the decorator's flags", async () => {
    const text = [
      "from django.utils.decorators import async_only_middleware, sync_and_async_middleware, sync_only_middleware",
      "@sync_only_middleware",
      "def sync_mw(get_response): return get_response",
      "@async_only_middleware",
      "def async_mw(get_response): return get_response",
      "@sync_and_async_middleware",
      "class Both:",
      "    def __init__(self, get_response): self.get_response = get_response",
      "",
    ].join("\n");
    const r = await scan({ "mw.py": text });
    const dec = (line: number, s: boolean, a: boolean) => ({ syncCapable: { value: s, line, via: "decorator" as const }, asyncCapable: { value: a, line, via: "decorator" as const } });
    expect(r.classes).toEqual([
      node(r.cwd, "mw.py", 3, "sync_mw", { kind: "factory", flags: dec(2, true, false) }),
      node(r.cwd, "mw.py", 5, "async_mw", { kind: "factory", flags: dec(4, false, true) }),
      node(r.cwd, "mw.py", 7, "Both", { flags: dec(6, true, true), init: { marksCoroutine: false, getResponse: true }, methods: ["__init__"], insertion: ins(after(text, "class Both:\n"), "    ", "\n\n") }),
    ]);
    expect(outcomes(r.classes, "5.2")).toEqual({ sync_mw: "unchanged", async_mw: "unchanged", Both: "unchanged" });
  });

  it("Django ticket #37177's example: a sync SessionMiddleware subclass and an async __acall__ subclass, per target", async () => {
    const text = [
      "from asgiref.sync import iscoroutinefunction, markcoroutinefunction",
      "from django.contrib.sessions.middleware import SessionMiddleware",
      "class SyncSession(SessionMiddleware):",
      "    def process_request(self, request): super().process_request(request)",
      "class AsyncSession(SessionMiddleware):",
      "    def __init__(self, get_response):",
      "        super().__init__(get_response)",
      "        if iscoroutinefunction(get_response): markcoroutinefunction(self)",
      "    def __call__(self, request): return self.__acall__(request)",
      "    async def __acall__(self, request): return await self.get_response(request)",
      "",
    ].join("\n");
    const r52 = await scan({ "mw.py": text }, "5.2");
    expect(outcomes(r52.classes, "5.2")).toEqual({ SyncSession: "set-async-capable-false", AsyncSession: "set-async-capable-true (defensive)" });
    // Django 6.1.1 does not ship ticket #37177's fix: 6.1 behaves as 5.2; the fix is filed under 6.2.
    const r61 = await scan({ "mw.py": text }, "6.1");
    expect(outcomes(r61.classes, "6.1")).toEqual({ SyncSession: "set-async-capable-false", AsyncSession: "set-async-capable-true (defensive)" });
    const r62 = await scan({ "mw.py": text }, "6.2");
    expect(outcomes(r62.classes, "6.2")).toEqual({ SyncSession: "unchanged", AsyncSession: "set-async-capable-true (required)" });
  });
});

const cr = (text: string) => text.replace(/\n/g, "\r");

/** CPython's own verdict on each text (Debian's python3, 3.11): where compile() stops and why, or null. */
function cpython(texts: Record<string, string>): Record<string, { line: number; column: number; message: string } | null> {
  const script = [
    "import json, sys, warnings",
    "warnings.simplefilter('ignore')",
    "out = {}",
    "for name, text in json.load(sys.stdin).items():",
    "    try:",
    "        compile(text, name, 'exec')",
    "        out[name] = None",
    "    except SyntaxError as e:",
    "        out[name] = {'line': e.lineno, 'column': e.offset, 'message': e.msg}",
    "print(json.dumps(out))",
  ].join("\n");
  return JSON.parse(execFileSync("/usr/bin/python3", ["-c", script], { input: JSON.stringify(texts), encoding: "utf8" }));
}

describe("insertion points", () => {
  it("after the docstring, with tabs, with CRLF or CR-only line endings, inline for a one-line body, above attached comments; with black's blank lines", async () => {
    const doc = IMPORT + 'class A(MiddlewareMixin):\n    """Doc.\n\n    More."""\n\n    def process_request(self, request): pass\n';
    const tabs = IMPORT + "class A(MiddlewareMixin):\n\t# about the hook\n\tdef process_request(self, request): pass\n";
    const crlf = IMPORT.replace("\n", "\r\n") + "class A(MiddlewareMixin):\r\n    '''Doc.'''\r\n    def process_request(self, request): pass\r\n";
    const inline = IMPORT + "class A(MiddlewareMixin): pass\n";
    const attribute = IMPORT + "class A(MiddlewareMixin):\n    name = 'a'\n\n    def process_request(self, request): pass\n";
    const docOnly = IMPORT + 'class A(MiddlewareMixin):\n    """Doc."""\n\n\nclass B(A):\n    def process_request(self, request): pass\n';
    const cases: [string, object][] = [
      // A blank line between the docstring and the declaration; the def already has one above it.
      [doc, ins(after(doc, 'More."""\n'), "\n    ")],
      // Above the comment attached to the def, with a blank line between.
      [tabs, ins(after(tabs, "MiddlewareMixin):\n"), "\t", "\n\n")],
      [crlf, ins(after(crlf, "'''Doc.'''\r\n"), "\r\n    ", "\r\n\r\n")],
      [inline, ins(after(inline, "MiddlewareMixin): "), "", "; ")],
      // An attribute needs no blank line after the declaration.
      [attribute, ins(after(attribute, "MiddlewareMixin):\n"))],
      [docOnly, ins(after(docOnly, '"""Doc."""\n'), "\n    ")],
      // CR-only line endings (CPython reads a lone CR as a line end): the inserted line ends with CR too.
      [cr(doc), ins(after(cr(doc), 'More."""\r'), "\r    ", "\r")],
      [cr(tabs), ins(after(cr(tabs), "MiddlewareMixin):\r"), "\t", "\r\r")],
    ];
    for (const [text, expected] of cases) {
      const r = await scan({ "mw.py": text });
      expect(r.classes[0].insertion).toEqual(expected);
    }
  });
});

describe("files", () => {
  it("PEP 263: a text read in its declared encoding is analysed; a non-ASCII text that was not is an error; irrelevant files are not parsed", async () => {
    const body = IMPORT + "class A(MiddlewareMixin):\n    def process_request(self, r): pass  # Café\n";
    const t = tree({});
    const bytes: Record<string, Buffer> = {
      "decoded.py": Buffer.from("# -*- coding: latin-1 -*-\n" + body, "latin1"),
      // CPython refuses a byte-order mark before another encoding's declaration.
      "undecoded.py": Buffer.from("\uFEFF# -*- coding: latin-1 -*-\n" + body.replace("class A", "class B"), "utf8"),
      "ascii.py": Buffer.from("#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\n" + IMPORT + "class C(MiddlewareMixin):\n    def process_request(self, r): pass\n"),
      "other.py": Buffer.from("def helper():\n    return 1\n"),
    };
    for (const [name, b] of Object.entries(bytes)) writeFileSync(path.join(t.cwd, name), b);
    const read = await readAll(t.cwd, Object.keys(bytes).map((n) => path.join(t.cwd, n)));
    expect(read.errors).toEqual([
      {
        file: "undecoded.py",
        line: 1,
        column: 15,
        message: "its coding declaration (PEP 263) names the encoding 'latin-1', which is not read byte-exactly here (only UTF-8 and single-byte encodings): not edited",
      },
    ]);
    expect(read.files.map((f) => [f.file, f.encoding ?? null])).toEqual([["ascii.py", null], ["decoded.py", "latin1"], ["other.py", null]]);
    const r = await readPython(read.files, context(t.cwd, "5.2"));
    expect(r.errors).toEqual([]);
    expect(r.classes.map((c) => c.name).sort()).toEqual(["A", "C"]);
    expect(r.parsedFiles).toBe(2);
  });

  it("a subclass that names nothing of middleware is still read, through a package's re-export; a file that cannot lead to the mixin is not parsed", async () => {
    const r = await scan({
      "shop/__init__.py": "from .base import AuditBase\n",
      "shop/base.py": IMPORT + "\n\nclass AuditBase(MiddlewareMixin):\n    def process_request(self, request):\n        pass\n",
      "shop/quiet.py": "from shop import AuditBase\n\n\nclass QuietAudit(AuditBase):\n    verbose = False\n",
      "shop/models.py": "import os\n\n\nclass Helper:\n    root = os.sep\n",
    });
    expect(r.classes.map((c) => `${c.file}:${c.name}`)).toEqual(["shop/base.py:AuditBase", "shop/quiet.py:QuietAudit"]);
    expect(outcomes(r.classes, "5.2")).toEqual({ AuditBase: "set-async-capable-false", QuietAudit: "unchanged" });
    // base.py and quiet.py, and the package's __init__ for the import: never models.py.
    expect(r.parsedFiles).toBe(3);
  });

  it("a settings file is parsed once: the tree the front end kept, else one parse on first request", async () => {
    const t = tree({
      "proj/__init__.py": "",
      // Parsed by the front end (it names middleware) and kept: it names the setting.
      "proj/settings.py": IMPORT + "from .local import *\n\n\nclass Local(MiddlewareMixin):\n    pass\n\n\nMIDDLEWARE = ['proj.settings.Local']\n",
      // Nothing of middleware: the front end never parses it; the settings reader follows the star import to it.
      "proj/local.py": "DEBUG = True\n",
    });
    const byName = (name: string) => t.files.find((f) => f.file === name)!;
    const kept = (f: SourceFile) => f.text.includes("MIDDLEWARE");
    const r = await readPython(t.files, { ...context(t.cwd, "5.2"), keepSyntax: kept });
    expect(r.parsedFiles).toBe(1);
    const parse = vi.spyOn(pythonParser, "parse");
    try {
      const settings = await r.project.syntax(byName("proj/settings.py"));
      expect(parse).not.toHaveBeenCalled();
      expect(settings.text).toBe(byName("proj/settings.py").text);
      const local = await r.project.syntax(byName("proj/local.py"));
      expect(local.text).toBe("DEBUG = True\n");
      expect(await r.project.syntax(byName("proj/local.py"))).toStrictEqual(local);
      expect(parse).toHaveBeenCalledTimes(1);
    } finally {
      parse.mockRestore();
    }
  });

  it("PEP 263 codecs decode as Python's own codecs do, byte for byte, and encode back", () => {
    const names = ["latin-1", "iso-8859-1", "l1", "cp1250", "cp1251", "windows-1252", "cp1253", "cp1254", "cp1255", "cp1256", "cp1257", "cp1258", "iso-8859-2", "iso8859_3", "latin4", "cyrillic", "arabic", "greek", "hebrew", "latin5", "latin6", "iso-8859-13", "latin8", "latin9", "koi8-r"];
    const python = JSON.parse(
      execFileSync(
        "/usr/bin/python3",
        ["-c", "import json, sys\nout = {}\nfor n in json.load(sys.stdin):\n    out[n] = [bytes([b]).decode(n) if True else None for b in []] or [None] * 256\n    for b in range(256):\n        try:\n            out[n][b] = bytes([b]).decode(n)\n        except UnicodeDecodeError:\n            pass\nprint(json.dumps(out))"],
        { input: JSON.stringify(names), encoding: "utf8" },
      ),
    ) as Record<string, (string | null)[]>;
    for (const n of names) {
      const codec = codecFor(n)!;
      expect(codec, n).not.toBeNull();
      const ours = [...Array(256).keys()].map((b) => {
        const r = codec.decode(Uint8Array.of(b));
        return "text" in r ? r.text : null;
      });
      expect(ours, n).toEqual(python[n]);
      const defined = [...Array(256).keys()].filter((b) => python[n][b] !== null);
      const text = defined.map((b) => python[n][b]).join("");
      expect([...codec.encode(text)], n).toEqual(defined);
    }
    expect(codecFor("shift_jis")).toBeNull();
    expect(codecFor("utf-16")).toBeNull();
    expect(codecFor("cp866")).toBeNull(); // WHATWG's ibm866 moves three control characters
  });

  it("CR-only line endings: parsed as CPython reads them, lines counted at each CR, syntax errors placed as CPython places them", async () => {
    const text = cr(IMPORT + "\nclass A(MiddlewareMixin):\n    # first\n    def process_request(self, request):\n        pass\n");
    const broken = cr(IMPORT) + "x = 1\r\nclass B(MiddlewareMixin):\r    def process_request(self, r:\r        pass\r";
    const r = await scan({ "mw.py": text, "broken.py": broken });
    expect(r.classes).toEqual([
      node(r.cwd, "mw.py", 3, "A", { bases: [MIXIN()], hooks: { request: req(5) }, methods: ["process_request"], insertion: ins(after(text, "(MiddlewareMixin):\r"), "    ", "\r\r") }),
    ]);
    expect(r.errors).toEqual([{ file: "broken.py", ...cpython({ broken })["broken"] }]);
  });

  it("deep nesting (2,000 blocks, 20,000-deep expressions) does not overflow the walkers", async () => {
    let text = IMPORT + "Base = " + Array(20000).fill("m").join(".") + "\n" + "x = " + "(".repeat(20000) + "1" + ")".repeat(20000) + "\n";
    for (let i = 0; i < 2000; i++) text += " ".repeat(i) + "if x:\n";
    text += " ".repeat(2000) + "class Deep(MiddlewareMixin, Base):\n" + " ".repeat(2001) + "y = " + "[".repeat(20000) + "]".repeat(20000) + "\n" + " ".repeat(2001) + "def process_request(self, r): pass\n";
    const r = await scan({ "deep.py": text });
    expect(r.errors.length + r.classes.length).toBeGreaterThan(0);
  });
});

describe("files CPython refuses", () => {
  // Each file starts with a middleware class that would get a declaration: an error must keep it out.
  const CLASS = IMPORT + "\n\nclass Kept(MiddlewareMixin):\n    def process_request(self, request):\n        pass\n\n\n";
  const broken: Record<string, string> = {
    "missing_colon.py": "class A(MiddlewareMixin)\n    def process_request(self, request):\n        pass\n",
    "missing_colon_def.py": "class A(MiddlewareMixin):\n    def process_request(self, request)  # no colon\n        pass\n",
    "missing_colon_else.py": "if DEBUG:\n    X = 1\nelse\n    X = 2\n",
    "unexpected_indent.py": "x = 1\n      y = 2\n",
    "unindent_mismatch.py": "class A(MiddlewareMixin):\n    def f(self):\n        pass\n  def g(self):\n        pass\n",
    "unindented_body.py": "class A(MiddlewareMixin):\n    def process_request(self, request):\n    pass\n",
    "unindented_body_eof.py": "def helper():\n# nothing yet\n",
    "unindented_class_body.py": "class A(MiddlewareMixin):\nx = 1\n",
    "unclosed_bracket.py": "ITEMS = [1, 2,\nY = 3\n\nclass A(MiddlewareMixin):\n    pass\n",
    "unclosed_paren_eof.py": "result = compute(1,\n",
    "stray_else.py": "x = 1\nelse:\n    pass\n",
    "tabs_spaces.py": "class A(MiddlewareMixin):\n    def f(self):\n\tpass\n        return 1\n",
    "tabs_spaces_dedent.py": "if x:\n\tif y:\n\t\ta = 1\n        b = 2\n",
    "fstring_empty.py": "x = f'{}'\n",
    "fstring_single_brace.py": "x = f'total: {n}}'\n",
    "fstring_unclosed.py": "x = f'{name'\n",
    "fstring_conversion.py": "x = f'{name!z}'\n",
    "fstring_backslash.py": "x = f'{\"\\n\".join(lines)}'\n",
    "fstring_hash.py": "x = f'{a#}'\n",
    "fstring_inner.py": "x = 1\ny = f'{a +}'\n",
    "fstring_comma.py": "y = f\"abc {a b} d\" + suffix\n",
    "fstring_triple.py": "y = f'''\n{a b}\n'''\n",
    "unterminated.py": "x = 'abc\n",
    "unterminated_triple.py": "x = 1\ny = '''abc\n\nz = 2\n",
    "unmatched.py": "x = [1]]\n",
    "mismatched.py": "x = (1,\n 2]\n",
    "continuation.py": "x = 1 \\ y\n",
    "invalid_character.py": "x = a \u2192 b\n",
    "print_statement.py": "print 'hello'\n",
    "keyword_name.py": "def class(): pass\n",
    "double_equals.py": "x = = 1\n",
    "lambda_body.py": "f = lambda x: \n",
    "forgot_comma.py": "foo(x.y z)\n",
    "decimal.py": "x = 1abc\n",
  };
  const valid: Record<string, string> = {
    "fstrings.py": "x = f'{a!r:>{width}} {b=} {c:{d}.{e}f} {{literal}} {\"q\"}'\n",
    "tabs.py": "class A(MiddlewareMixin):\n\tdef process_request(self, request):\n\t\tif request:\n\t\t\tpass\n",
    "match.py": "match command:\n    case [x, y]:\n        pass\n    case _:\n        pass\n",
    "brackets.py": "x = (1,\n  2)\nif x:\n    y = [\n        3,\n    ]\n    z = 4\n",
    "continued.py": "if a and \\\n        b:\n    pass\n",
    "comments.py": "def f():\n    # a comment\n        # deeper comment\n    return 1\n",
  };

  it("each is an error at CPython's own line and column, with its message, and no class of it is analysed", async () => {
    const texts = Object.fromEntries(Object.entries({ ...broken, ...valid }).map(([n, t]) => [n, CLASS + t]));
    const verdicts = cpython(texts);
    for (const n of Object.keys(broken)) expect(verdicts[n], n).not.toBeNull();
    for (const n of Object.keys(valid)) expect(verdicts[n], n).toBeNull();
    const r = await scan(texts);
    const byFile = (a: { file: string }, b: { file: string }) => (a.file < b.file ? -1 : 1);
    const expected = Object.entries(verdicts).flatMap(([file, v]) => (v ? [{ file, ...v }] : []));
    expect([...r.errors].sort(byFile)).toEqual(expected.sort(byFile));
    expect([...new Set(r.classes.map((c) => c.file))].sort()).toEqual(Object.keys(valid).sort());
  });

  it("a file whose def body is not indented is not written (the CLI's run)", () => {
    const text = CLASS + broken["unindented_body.py"];
    const dir = makeTree({ "mw.py": text, "ok.py": CLASS });
    const run = runCliSync(["--json", "--write"], { cwd: dir });
    const v = cpython({ "mw.py": text })["mw.py"]!;
    expect(JSON.parse(run.stdout).errors).toEqual([{ file: "mw.py", ...v }]);
    expect(run.stderr).toContain(`mw.py:${v.line}:${v.column}: ${v.message}`);
    expect(run.code).toBe(2);
    expect(readFileSync(path.join(dir, "mw.py"), "utf8")).toBe(text);
    expect(readFileSync(path.join(dir, "ok.py"), "utf8")).not.toBe(CLASS);
  });
});

describe("working directory", () => {
  it("the same whole result from the top, from a subfolder with ../ paths, and with absolute paths", () => {
    const repo = makeTree({}, { from: path.join(REPO, "fixtures/py-import-roots/input") });
    mkdirSync(path.join(repo, "scripts"));
    const paths = ["tenant-kit", "proj", "site/app"];
    const run = (cwd: string, args: string[], prefix: string) => {
      const r = runCliSync(["--dry-run", "--json", ...args], { cwd });
      expect(r.code, r.stderr).toBe(1);
      return JSON.parse(r.stdout.split(`"${prefix}`).join('"'));
    };
    const top = run(repo, paths, "");
    expect(top.middleware.length).toBe(9);
    expect(run(path.join(repo, "scripts"), paths.map((p) => `../${p}`), "../")).toEqual(top);
    expect(run(path.join(repo, "scripts"), paths.map((p) => path.join(repo, p)), "../")).toEqual(top);
  });
});

describe("django target", () => {
  const detect = (files: Record<string, string>) => detectDjangoTarget(tree(files).cwd);

  it("reads each pin format; locks win over ranges; ranges count as their lower release", () => {
    expect(detect({ "requirements.txt": "requests==2.0\nDjango==4.2.11  # pinned\n" })).toEqual({ version: "4.2.11", source: "requirements.txt:2" });
    expect(detect({ "requirements/base.txt": "django>=4.2,<5.0\n" })).toEqual({ version: "4.2", source: "requirements/base.txt:1" });
    expect(detect({ "requirements.txt": "-r requirements/prod.txt\n", "requirements/prod.txt": "Django~=5.1.2\n" })).toEqual({ version: "5.1", source: "requirements/prod.txt:1" });
    expect(detect({ "pyproject.toml": '[project]\nname = "x"\ndependencies = [\n  "django-extensions>=3",\n  "Django>=5.0,<6",\n]\n' })).toEqual({ version: "5.0", source: "pyproject.toml:5" });
    expect(detect({ "pyproject.toml": '[tool.poetry.dependencies]\npython = "^3.12"\nDjango = "^5.2"\n' })).toEqual({ version: "5.2", source: "pyproject.toml:3" });
    expect(detect({ "pyproject.toml": '[tool.poetry.dependencies]\ndjango = { version = "4.2.3", extras = ["argon2"] }\n' })).toEqual({ version: "4.2.3", source: "pyproject.toml:2" });
    expect(detect({ "setup.cfg": "[options]\ninstall_requires =\n    Django>=3.2\n" })).toEqual({ version: "3.2", source: "setup.cfg:3" });
    expect(detect({ Pipfile: '[packages]\ndjango = "==5.0.4"\n' })).toEqual({ version: "5.0.4", source: "Pipfile:2" });
    expect(detect({ "poetry.lock": '[[package]]\nname = "asgiref"\nversion = "3.8.1"\n\n[[package]]\nname = "django"\nversion = "5.1.4"\n', "pyproject.toml": '[project]\ndependencies = ["Django>=5.0"]\n' })).toEqual({ version: "5.1.4", source: "poetry.lock:7" });
    expect(detect({ "uv.lock": 'version = 1\n\n[[package]]\nname = "django"\nversion = "6.0.1"\nsource = { registry = "https://pypi.org/simple" }\n' })).toEqual({ version: "6.0.1", source: "uv.lock:5" });
    expect(detect({ "README.md": "Django 4.2\n" })).toEqual({ version: "6.1", source: "default (no pin found)" });
  });

  it("specifiers and releases", () => {
    expect(fromSpecifier("==4.2.*")).toEqual({ version: "4.2", exact: false });
    expect(fromSpecifier("<5")).toBeNull();
    expect([djangoRelease("5.2.3"), djangoRelease("2.2"), djangoRelease("7.0"), djangoRelease("4.1")]).toEqual(["5.2", "3.1", "6.2", "4.1"]);
    expect(djangoMiddleware("6.2").get("django.middleware.cache.CacheMiddleware")!.flags).toEqual({});
    expect([...djangoMiddleware("6.1").values()].filter((e) => e.flags.asyncCapable === false)).toHaveLength(0);
    expect([...djangoMiddleware("6.2").values()].filter((e) => e.flags.asyncCapable === false)).toHaveLength(17);
    expect(djangoMiddleware("5.2").get("django.contrib.auth.middleware.RemoteUserMiddleware")!.dispatch).toEqual({ call: "sync", acall: "async", callsAcall: true });
  });
});

describe("ASGI applications", () => {
  it("an async __call__(scope, receive, send) is not a middleware dispatch; __call__(request) is", async () => {
    const text = [
      "class App:",
      "    async def __call__(self, scope, receive, send):",
      "        pass",
      "",
      "class AsyncOnlyMiddleware:",
      "    async def __call__(self, request):",
      "        return await self.get_response(request)",
      "",
    ].join("\n");
    const r = await scan({ "asgi.py": text });
    expect(r.classes.map((c) => [c.name, c.dispatch])).toEqual([["AsyncOnlyMiddleware", { call: "async" }]]);
    expect(outcomes(r.classes, "5.2")).toEqual({ AsyncOnlyMiddleware: "needs-review" });
  });
});

describe("flags in other forms, dispatch that reaches __acall__ (docs/chain-model.md)", () => {
  it("tuple assignment, setattr and Cls.attr after the class, truthy literals; computed by __init_subclass__, a metaclass, a decorator", async () => {
    const text = [
      IMPORT.trimEnd(),
      "class Tuple(MiddlewareMixin):", // 2
      "    sync_capable, async_capable = True, 0",
      "class Later(MiddlewareMixin):", // 4
      "    pass",
      'setattr(Later, "async_capable", None)',
      "Later.sync_capable = 1",
      "class Texts(MiddlewareMixin):", // 8
      '    sync_capable = "yes"',
      "    async_capable = ''",
      "class Floats(MiddlewareMixin):", // 11
      "    async_capable = 0.0",
      "    sync_capable = 0x1",
      "class Base(MiddlewareMixin):", // 14
      "    def __init_subclass__(cls, **kwargs):",
      "        cls.async_capable = False",
      "class Meta(type):", // 17
      "    def __new__(mcs, name, bases, attrs):",
      '        attrs["async_capable"] = False',
      "        return super().__new__(mcs, name, bases, attrs)",
      "class WithMeta(MiddlewareMixin, metaclass=Meta):", // 21
      "    pass",
      "def sync_only(cls):", // 23
      "    cls.async_capable = False",
      "    return cls",
      "@sync_only",
      "class Decorated(MiddlewareMixin):", // 27
      "    pass",
      "",
    ].join("\n");
    const r = await scan({ "flags.py": text });
    const n = r.byName;
    const range = (marker: string, value: string) => ({ start: after(text, marker), end: after(text, marker) + value.length });
    expect(n("Tuple").flags).toEqual({
      syncCapable: { value: true, line: 3, via: "attribute", valueRange: range("sync_capable, async_capable = ", "True") },
      asyncCapable: { value: false, line: 3, via: "attribute", valueRange: range("sync_capable, async_capable = True, ", "0") },
    });
    expect(n("Later").flags).toEqual({
      asyncCapable: { value: false, line: 6, via: "assignment", valueRange: range('setattr(Later, "async_capable", ', "None") },
      syncCapable: { value: true, line: 7, via: "assignment", valueRange: range("Later.sync_capable = ", "1") },
    });
    expect([n("Texts").flags.syncCapable?.value, n("Texts").flags.asyncCapable?.value]).toEqual([true, false]);
    expect([n("Floats").flags.syncCapable?.value, n("Floats").flags.asyncCapable?.value]).toEqual([true, false]);
    expect([n("Base").flagsSetBy, n("WithMeta").flagsSetBy, n("Decorated").flagsSetBy]).toEqual([
      { by: "__init_subclass__", line: 15, self: false },
      { by: "metaclass Meta", line: 21, self: true },
      undefined,
    ]);
    expect(n("Decorated").flags).toEqual({
      syncCapable: { value: null, line: 26, via: "decorator" },
      asyncCapable: { value: null, line: 26, via: "decorator" },
    });
  });

  it("__call__ that refers to self.__acall__ reaches it; an async __call__ whose constructor takes no get_response is not middleware", async () => {
    const text = [
      "from django.core.handlers.base import BaseHandler",
      "class Reaching:",
      "    def __init__(self, get_response): self.get_response = get_response",
      "    def __call__(self, request): return self.__acall__(request) if self.is_async else self.get_response(request)",
      "    async def __acall__(self, request): return await self.get_response(request)",
      "class NotReaching:",
      "    def __init__(self, get_response): self.get_response = get_response",
      "    def __call__(self, request): return self.get_response(request)",
      "    async def __acall__(self, request): return await self.get_response(request)",
      "class AsyncClientHandler(BaseHandler):",
      "    def __init__(self, enforce_csrf_checks=True, *args, **kwargs): super().__init__(*args, **kwargs)",
      "    async def __call__(self, scope): return await self.get_response_async(scope)",
      "    def load(self): self.load_middleware(is_async=True)",
      "",
    ].join("\n");
    const r = await scan({ "handlers.py": text });
    expect(r.classes.map((c) => [c.name, c.dispatch])).toEqual([
      ["Reaching", { call: "sync", acall: "async", callsAcall: true }],
      ["NotReaching", { call: "sync", acall: "async" }],
    ]);
  });
});

// The codemod run on real Django: a copy of Debian's Django 3.2, 4.2 and 5.2 packages (as
// provisioned by test/setup/provision.mjs) in a temporary git repository, migrated by the
// built CLI with `--target <release>`. It must flip exactly the classes its rules (README,
// What it decides) select (Django's own fix as far as it exists in the release, plus the
// classes of that release the same rules select), insert lines only, be idempotent, and leave a copy that
// still imports and serves requests; real Django's async handler then counts the context
// switches of one request through the default `startproject` stack, before (the provisioned
// package) and after (the migrated copy first on PYTHONPATH). A missing Django is a failure,
// not a skip.
import { rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_STACK, djangoProject, git, measureAll, python, type Measured } from "./django/project.ts";
import { makeTree, requireBuild, runCliSync, type CliResult } from "./helpers/cli.ts";
import { djangoPath, DJANGO_VERSIONS, type DjangoVersion } from "./setup/parts.ts";

type Row = [file: string, cls: string, outcome: string];

/**
 * Django's own fix (ticket #37177's pull request: 17 classes) as far as it exists in 3.2, 4.2 and 5.2: every
 * class but ContentSecurityPolicyMiddleware (new in Django 6.0). Each one is a direct
 * MiddlewareMixin subclass without own dispatch whose hop hooks (process_request /
 * process_response) are all `def` in these releases (read in the 3.2.25, 4.2.30 and 5.2.18
 * sources), so rule 1 selects it.
 */
const FIX: Row[] = [
  ["django/contrib/auth/middleware.py", "AuthenticationMiddleware", "set-async-capable-false"], // process_request
  ["django/contrib/flatpages/middleware.py", "FlatpageFallbackMiddleware", "set-async-capable-false"], // process_response
  ["django/contrib/messages/middleware.py", "MessageMiddleware", "set-async-capable-false"], // request + response
  ["django/contrib/redirects/middleware.py", "RedirectFallbackMiddleware", "set-async-capable-false"], // process_response (__init__ is not dispatch)
  ["django/contrib/sessions/middleware.py", "SessionMiddleware", "set-async-capable-false"], // request + response
  ["django/contrib/sites/middleware.py", "CurrentSiteMiddleware", "set-async-capable-false"], // process_request
  ["django/middleware/cache.py", "UpdateCacheMiddleware", "set-async-capable-false"], // process_response
  ["django/middleware/cache.py", "FetchFromCacheMiddleware", "set-async-capable-false"], // process_request
  ["django/middleware/clickjacking.py", "XFrameOptionsMiddleware", "set-async-capable-false"], // process_response
  ["django/middleware/common.py", "CommonMiddleware", "set-async-capable-false"], // request + response
  ["django/middleware/common.py", "BrokenLinkEmailsMiddleware", "set-async-capable-false"], // process_response
  ["django/middleware/csrf.py", "CsrfViewMiddleware", "set-async-capable-false"], // request + response (+ process_view)
  ["django/middleware/gzip.py", "GZipMiddleware", "set-async-capable-false"], // process_response
  ["django/middleware/http.py", "ConditionalGetMiddleware", "set-async-capable-false"], // process_response
  ["django/middleware/locale.py", "LocaleMiddleware", "set-async-capable-false"], // request + response
  ["django/middleware/security.py", "SecurityMiddleware", "set-async-capable-false"], // request + response
];

const REMOTE_USER = "django/contrib/auth/middleware.py";

/** Per release: the other classes the rules select, and the middleware that must stay as it is. */
const EXPECTED: Record<DjangoVersion, { extra: Row[]; unchanged: Row[]; ownFalse: string[] }> = {
  "3.2": { extra: [], unchanged: [], ownFalse: [] },
  "4.2": { extra: [], unchanged: [], ownFalse: [] },
  "5.2": { extra: [], unchanged: [], ownFalse: [] },
};
for (const v of DJANGO_VERSIONS) {
  const before52 = v !== "5.2";
  EXPECTED[v].extra = [
    // A test helper shipped in the package (appended to MIDDLEWARE by AdminSeleniumTestCase): a
    // MiddlewareMixin subclass with a sync process_response, so rule 1 selects it like any other.
    ["django/contrib/admin/tests.py", "CSPMiddleware", "set-async-capable-false"],
    // Own async dispatch (__acall__, aprocess_request) only since Django 5.2; before, a plain
    // MiddlewareMixin subclass with a sync process_request.
    ...(before52 ? [[REMOTE_USER, "RemoteUserMiddleware", "set-async-capable-false"] as Row] : []),
  ];
  EXPECTED[v].unchanged = [
    // No hop hooks (process_view only): flipping it would add a switch.
    ["django/contrib/admindocs/middleware.py", "XViewMiddleware", "unchanged"],
    // Before 5.2 it inherits async_capable = False from RemoteUserMiddleware, flipped in this
    // run; in 5.2 it inherits RemoteUserMiddleware's own async dispatch.
    [REMOTE_USER, "PersistentRemoteUserMiddleware", "unchanged"],
    // (UpdateCacheMiddleware, FetchFromCacheMiddleware): inherits False through its MRO.
    ["django/middleware/cache.py", "CacheMiddleware", "unchanged"],
    // Subclasses of CsrfViewMiddleware (flipped in this run, in the scanned tree) that only
    // override _reject / process_view: they inherit the declaration ("subclasses inherit it and
    // stay unchanged", rule 1).
    ["django/views/decorators/csrf.py", "_EnsureCsrfToken", "unchanged"],
    ["django/views/decorators/csrf.py", "_EnsureCsrfCookie", "unchanged"],
    ...(before52
      ? []
      : ([
          // New in 5.1: process_view only, no hop hooks.
          [REMOTE_USER, "LoginRequiredMiddleware", "unchanged"],
          // 5.2: its own sync and async dispatch (sync_capable = async_capable = True).
          [REMOTE_USER, "RemoteUserMiddleware", "unchanged"],
        ] as Row[])),
  ];
  // Unchanged classes whose effective async_capable is False at run time (inherited).
  EXPECTED[v].ownFalse = ["CacheMiddleware", "_EnsureCsrfToken", "_EnsureCsrfCookie", ...(before52 ? ["PersistentRemoteUserMiddleware"] : [])];
}

/**
 * needs-review: none. ASGI applications (`async def __call__(self, scope, receive, send)`)
 * are not middleware dispatches, a unittest.TestCase with a bare __call__ does not look like
 * middleware, the scanned `MiddlewareMixin` is the mixin itself, and the test client's
 * AsyncClientHandler (`async def __call__(self, scope)`) has a constructor that takes no
 * get_response: not middleware either (docs/chain-model.md: a middleware's constructor takes get_response).
 */
const NEEDS_REVIEW: Row[] = [];

const sortRows = (rows: Row[]) => [...rows].sort((a, b) => (a.join("\0") < b.join("\0") ? -1 : 1));
const dotted = ([file, cls]: Row) => `${file.replace(/\.py$/, "").split("/").join(".")}.${cls}`;

interface Json {
  summary: Record<string, number>;
  middleware: { file: string; class: string; outcome: string; reason: string }[];
  errors: unknown[];
  chains: { file: string; middleware: string[]; unresolved: string[] }[];
}

/**
 * Import every edited module with all contrib apps installed (flatpages, redirects and sites
 * import their models) and read each class's own and effective async_capable.
 */
const PROBE = `
import importlib, json, sys
import django
from django.conf import settings
settings.configure(
    INSTALLED_APPS=["django.contrib.admin", "django.contrib.admindocs", "django.contrib.auth",
                    "django.contrib.contenttypes", "django.contrib.sessions", "django.contrib.messages",
                    "django.contrib.staticfiles", "django.contrib.sites", "django.contrib.flatpages",
                    "django.contrib.redirects"],
    DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
    SECRET_KEY="migration-test", SITE_ID=1,
)
django.setup()
from django.utils.deprecation import MiddlewareMixin
out = {"file": django.__file__, "version": django.get_version(), "mixin": MiddlewareMixin.async_capable, "classes": {}}
for name in json.loads(sys.argv[1]):
    mod, _, attr = name.rpartition(".")
    cls = getattr(importlib.import_module(mod), attr)
    out["classes"][name] = {"own": cls.__dict__.get("async_capable"), "effective": cls.async_capable}
print(json.dumps(out))
`;

describe.each(DJANGO_VERSIONS)("the codemod on Debian's Django %s package (--target %s)", (version) => {
  const { extra, unchanged: UNCHANGED, ownFalse } = EXPECTED[version];
  const SET_FALSE = [...FIX, ...extra];
  const INSTALLED = () => path.join(djangoPath(version), "django");
  let repo: string; // the temporary git repository holding django/
  let project: string; // a startproject project (mysite) with an async and a sync view
  let run: CliResult;
  let json: Json;
  let numstat: string;

  function probe(pythonPath: string[], classes: string[]) {
    const r = python(version, ["-c", PROBE, JSON.stringify(classes)], { pythonPath, cwd: tmpdir() });
    if (r.status !== 0) throw new Error(`importing Django ${version} (PYTHONPATH=${pythonPath}) failed (${r.status}): ${r.stderr}${r.stdout}`);
    return JSON.parse(r.stdout) as { file: string; version: string; mixin: boolean; classes: Record<string, { own: boolean | null; effective: boolean }> };
  }

  beforeAll(() => {
    requireBuild();
    // The package root is django/ (compiled caches left out; two vendored jQuery symlinks are kept).
    repo = makeTree({}, { from: { django: INSTALLED() }, prefix: "mwc-django-pkg-" });

    run = runCliSync(["--json", "--write", "--target", version], { cwd: repo });
    try {
      json = JSON.parse(run.stdout);
    } catch {
      throw new Error(`the CLI printed no JSON (status ${run.code}): ${run.stdout}\n${run.stderr}`);
    }
    numstat = git(repo, "diff", "--numstat");
    project = djangoProject(null, {}, version);
  }, 120_000);

  afterAll(() => {
    for (const dir of [repo, project]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("exits 0 with no errors; the only MIDDLEWARE setting is global_settings' empty default", () => {
    expect(run.code, run.stderr).toBe(0);
    expect(json.errors).toEqual([]);
    expect(json.summary.errors).toBe(0);
    expect(json.chains.map((c) => ({ file: c.file, middleware: c.middleware, unresolved: c.unresolved }))).toEqual([
      { file: "django/conf/global_settings.py", middleware: [], unresolved: [] },
    ]);
  });

  it("flips exactly the classes the rules select and leaves the other middleware unchanged", () => {
    // The expected set is Django's fix minus ContentSecurityPolicyMiddleware (absent before 6.0).
    expect(FIX.map((r) => r[1]).sort()).toEqual(
      [
        "SecurityMiddleware", "SessionMiddleware", "CommonMiddleware", "BrokenLinkEmailsMiddleware", "CsrfViewMiddleware",
        "AuthenticationMiddleware", "MessageMiddleware", "XFrameOptionsMiddleware", "FlatpageFallbackMiddleware",
        "RedirectFallbackMiddleware", "CurrentSiteMiddleware", "UpdateCacheMiddleware", "FetchFromCacheMiddleware",
        "ContentSecurityPolicyMiddleware", "GZipMiddleware", "ConditionalGetMiddleware", "LocaleMiddleware",
      ].filter((c) => c !== "ContentSecurityPolicyMiddleware").sort(),
    );
    const rows = (outcome: string): Row[] => sortRows(json.middleware.filter((m) => m.outcome === outcome).map((m) => [m.file, m.class, m.outcome]));
    expect({ setFalse: rows("set-async-capable-false"), unchanged: rows("unchanged") }).toEqual({ setFalse: sortRows(SET_FALSE), unchanged: sortRows(UNCHANGED) });
    expect(json.summary.setFalse).toBe(SET_FALSE.length);
  });

  it("needs review for nothing, lists no test-client handler, and sets nothing to true", () => {
    const reviewed = json.middleware.filter((m) => m.outcome === "needs-review");
    expect(sortRows(reviewed.map((m) => [m.file, m.class, m.outcome]))).toEqual(NEEDS_REVIEW);
    expect(json.middleware.filter((m) => m.class === "AsyncClientHandler")).toEqual([]);
    expect(json.middleware.filter((m) => m.outcome === "set-async-capable-true")).toEqual([]);
    expect(json.middleware).toHaveLength(json.summary.setFalse + json.summary.setTrue + json.summary.needsReview + json.summary.unchanged);
  });

  it("only inserts lines: one `async_capable = False` per flipped class (and the blank lines black wants), nothing removed", () => {
    const removedPerFile: Record<string, string> = {};
    for (const line of numstat.trim().split("\n")) {
      const [, removed, file] = line.split("\t");
      removedPerFile[file] = `${removed} removed`;
    }
    const reported: Record<string, number> = {};
    for (const m of json.middleware) if (m.outcome === "set-async-capable-false") reported[m.file] = (reported[m.file] ?? 0) + 1;
    expect(removedPerFile).toEqual(Object.fromEntries(Object.keys(reported).map((f) => [f, "0 removed"])));
    expect(json.summary.filesChanged).toBe(Object.keys(reported).length);
    const added = git(repo, "diff", "-U0").split("\n").filter((l) => l.startsWith("+") && !l.startsWith("+++"));
    const declarations = added.filter((l) => l !== "+");
    expect(declarations.length).toBe(json.summary.setFalse);
    for (const l of declarations) expect(l).toMatch(/^\+ {4}async_capable = False$/);
    // Django's source is black-formatted: a class docstring gets its blank line before the declaration.
    expect(added.length - declarations.length).toBeLessThanOrEqual(2 * json.summary.setFalse);
  });

  it("is idempotent: a second --dry-run exits 0 with empty stdout", () => {
    const again = runCliSync(["--dry-run", "--target", version], { cwd: repo });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe("");
  });

  it("the migrated copy imports (every edited module) and declares the flags at run time", () => {
    const names = [...SET_FALSE, ...UNCHANGED].map(dotted);
    const migrated = probe([repo], names);
    expect(migrated.file).toBe(path.join(repo, "django/__init__.py"));
    expect(migrated.version.startsWith(`${version}.`)).toBe(true);
    expect(migrated.mixin).toBe(true); // MiddlewareMixin keeps async_capable = True
    // Flipped classes declare False themselves; the unchanged ones get their value by
    // inheritance or from their own dispatch (their declarations are checked by the
    // class-list test above).
    const seen: Record<string, unknown> = {};
    const expected: Record<string, unknown> = {};
    for (const r of SET_FALSE) {
      seen[dotted(r)] = migrated.classes[dotted(r)];
      expected[dotted(r)] = { own: false, effective: false };
    }
    for (const r of UNCHANGED) {
      seen[dotted(r)] = migrated.classes[dotted(r)].effective;
      expected[dotted(r)] = !ownFalse.includes(r[1]);
    }
    expect(seen).toEqual(expected);

    // The provisioned package is untouched: no class declares False.
    const installed = probe([], names);
    expect(installed.file).toBe(path.join(INSTALLED(), "__init__.py"));
    expect(Object.entries(installed.classes).filter(([, c]) => c.own === false || c.effective !== true)).toEqual([]);
  });

  it("serves the default startproject stack and cuts the switches of one async request from 13 to 2 + 1", () => {
    // The project is real startproject output: its MIDDLEWARE is the 7 default classes.
    const settings = python(version, ["-c", "import mysite.settings as s, json; print(json.dumps(s.MIDDLEWARE))"], { cwd: project, pythonPath: [project] });
    expect(JSON.parse(settings.stdout)).toEqual(DEFAULT_STACK);

    // BaseHandler.get_response_async (the switch count of docs/chain-model.md), then the whole
    // ASGIHandler call; the provisioned package, then the migrated copy. verify.py fails unless the
    // request reaches the view.
    const [stock, migrated, stockAsgi, migratedAsgi] = measureAll(version, [
      { project },
      { project, path: [repo] },
      { project, through: "asgi" },
      { project, through: "asgi", path: [repo] },
    ]).map((m: Measured) => ({ asyncView: m.asyncView, syncView: m.syncView }));
    expect({ stock, migrated }).toEqual({
      stock: { asyncView: { syncToAsync: 13, asyncToSync: 0 }, syncView: { syncToAsync: 14, asyncToSync: 0 } },
      migrated: { asyncView: { syncToAsync: 2, asyncToSync: 1 }, syncView: { syncToAsync: 3, asyncToSync: 1 } },
    });
    // The whole ASGIHandler call adds Django's own two sync_to_async calls (request_started
    // signal, response.close), the same before and after.
    expect({ stockAsgi, migratedAsgi }).toEqual({
      stockAsgi: { asyncView: { syncToAsync: 15, asyncToSync: 0 }, syncView: { syncToAsync: 16, asyncToSync: 0 } },
      migratedAsgi: { asyncView: { syncToAsync: 4, asyncToSync: 1 }, syncView: { syncToAsync: 5, asyncToSync: 1 } },
    });
  });
});

// Django's built-in middleware classes, per release: what the codemod needs to know about an
// upstream base class (its bases, flags, hooks and own dispatch) without Django installed.
//
// What was read (every file listed below, per read release: django/middleware/{security,common,
// csrf,clickjacking,gzip,http,locale,cache,csp}.py, django/contrib/{sessions,auth,messages,sites,
// flatpages,redirects,admindocs}/middleware.py, django/utils/deprecation.py; parsed with Python's
// ast for class bases, sync_capable/async_capable assignments, def/async def methods and __init__):
// - 3.2: Django 3.2.25, Debian bookworm python3-django 3:3.2.25-0+deb12u7
//   (/usr/lib/python3/dist-packages/django).
// - 4.2: Django 4.2.28, Debian trixie python3-django 3:4.2.28-0+deb13u2. Same classes, bases,
//   hooks and __init__s as 3.2; only the `get_response=None` default is gone from the __init__s.
// - 5.2: Django 5.2.18, Debian sid python3-django 3:5.2.18-2; identical results from the PyPI
//   wheel django-5.2.17-py3-none-any.whl. Adds LoginRequiredMiddleware (process_view only);
//   RemoteUserMiddleware is a plain class with sync_capable = True, async_capable = True, own
//   __call__ / async __acall__, async aprocess_request, and an __init__ that calls
//   markcoroutinefunction(self) (5.2 release notes deprecate process_request-only overrides;
//   5.2.2 fixed a 5.2 regression for such subclasses, #36390; 5.2.0/5.2.1 not read).
// - 6.1: Django 6.1.1, Debian experimental python3-django 3:6.1.1-1. Adds
//   ContentSecurityPolicyMiddleware (MiddlewareMixin; process_request, process_response);
//   RemoteUserMiddleware as in 5.2 plus get_username() and async aclean_username().
//   NO built-in declares async_capable (only MiddlewareMixin's True and RemoteUserMiddleware's
//   True): the fix of ticket #37177 / PR #21523 (async_capable = False on 17 classes) is NOT in
//   Django 6.1 and no release read has it; the PR was not found in the reference store either.
//   MiddlewareMixin in every release read: sync_capable = True, async_capable = True.
// - django/middleware/__init__.py is empty in 3.2.25, 4.2.28, 5.2.18 and 6.1.1: no release read
//   has a `django.middleware.MiddlewareMixin` (MIXIN_PATHS keeps it for compatibility only).
//
// Not read (no copy attributable to the release found: the django/django file index stores
// unlabelled commits, and docs.djangoproject.com "Source code for ..." pages in the store carry
// release labels that do not match their content, e.g. /en/4.2/ shows 5.2+ code), so ASSUMED:
// - 3.1 as 3.2.25; 4.0 and 4.1 as 4.2.28 (= 3.2.25 for every hook and base); 5.0 as 4.2.28.
// - 5.1 as 5.2.18, except RemoteUserMiddleware as 4.2.28 (mixin-based): the 5.2 release notes
//   deprecate overrides without aprocess_request() and the 6.1 notes call the async lookup
//   change "the behavior prior to Django 5.2"; LoginRequiredMiddleware is new in 5.1 (5.1 notes).
// - 6.0 as 6.1.1 (ContentSecurityPolicyMiddleware is new in 6.0 per the 6.0 notes), except
//   RemoteUserMiddleware as 5.2.18 (which of 6.0/6.1 added get_username/aclean_username unchecked).
// - 6.2 (in development, unreleased): DERIVED, not read: 6.1.1 + the fix of ticket #37177
//   (django/django PR #21523), which declares async_capable = False on the 17 built-ins listed
//   in FIXED_BY_37177 (CacheMiddleware inherits it). The first release to ship it is not known;
//   the table files it under the next feature release, 6.2, and the newest released release
//   (6.1) stays the default target.
// Checked: test/django-versions.test.ts reads the built-in middleware modules of the Django
// 3.2, 4.2 and 5.2 packages the tests provision from Debian (3.2.25, 4.2.30 and 5.2.18 when
// last run) and requires the table's entries for those releases to equal them (classes, bases,
// literal flags, hook natures, own dispatch, __init__). 6.1 is read but not checked by a test.
// The release notes consulted are those shipped in Debian's python-django-doc 3:6.1.1-1
// (releases/3.1 ... 6.1.html); none of 3.1-6.1 adds or removes a hook on a built-in.
import { PYTHON_NAMES, type HookKind, type Nature, type UpstreamMiddleware } from "../model.ts";
import { compareVersions } from "../version.ts";

export type DjangoMiddlewareEntry = UpstreamMiddleware;

export const DJANGO_RELEASES = ["3.1", "3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1", "6.2"] as const;
/** The newest released release: the default target when the project pins none. */
export const NEWEST_DJANGO_RELEASE = "6.1";
/** The first table release with ticket #37177's fix (in development). */
export const FIRST_RELEASE_WITH_FIX = "6.2";
export const MIXIN_PATHS = ["django.utils.deprecation.MiddlewareMixin", "django.middleware.MiddlewareMixin"];

type Spec = Omit<DjangoMiddlewareEntry, "qualifiedName" | "module" | "name" | "source" | "methods" | "flags" | "dispatch"> &
  Partial<Pick<DjangoMiddlewareEntry, "flags" | "dispatch" | "methods">>;

const MIXIN = ["MiddlewareMixin"];
const S: Nature = "sync";
const A: Nature = "async";
const INIT = { marksCoroutine: true }; // calls super().__init__(get_response): MiddlewareMixin marks it

/** As read from 3.2.25, 4.2.28, 5.2.18 and 6.1.1 (identical there unless overridden below); the file each class lives in is its module path. */
const BASE_3_2: Record<string, Spec> = {
  "django.middleware.security.SecurityMiddleware": { bases: MIXIN, hooks: { request: S, response: S }, init: INIT },
  "django.middleware.common.CommonMiddleware": { bases: MIXIN, hooks: { request: S, response: S } },
  "django.middleware.common.BrokenLinkEmailsMiddleware": { bases: MIXIN, hooks: { response: S } },
  "django.middleware.csrf.CsrfViewMiddleware": { bases: MIXIN, hooks: { request: S, view: S, response: S } },
  "django.middleware.clickjacking.XFrameOptionsMiddleware": { bases: MIXIN, hooks: { response: S } },
  "django.middleware.gzip.GZipMiddleware": { bases: MIXIN, hooks: { response: S } },
  "django.middleware.http.ConditionalGetMiddleware": { bases: MIXIN, hooks: { response: S } },
  "django.middleware.locale.LocaleMiddleware": { bases: MIXIN, hooks: { request: S, response: S } },
  "django.middleware.cache.UpdateCacheMiddleware": { bases: MIXIN, hooks: { response: S }, init: INIT },
  "django.middleware.cache.FetchFromCacheMiddleware": { bases: MIXIN, hooks: { request: S }, init: INIT },
  "django.middleware.cache.CacheMiddleware": {
    bases: ["django.middleware.cache.UpdateCacheMiddleware", "django.middleware.cache.FetchFromCacheMiddleware"],
    hooks: {},
    init: INIT,
  },
  "django.contrib.sessions.middleware.SessionMiddleware": { bases: MIXIN, hooks: { request: S, response: S }, init: INIT },
  "django.contrib.auth.middleware.AuthenticationMiddleware": { bases: MIXIN, hooks: { request: S } },
  "django.contrib.auth.middleware.RemoteUserMiddleware": { bases: MIXIN, hooks: { request: S }, methods: ["process_request", "clean_username", "_remove_invalid_user"] },
  "django.contrib.auth.middleware.PersistentRemoteUserMiddleware": { bases: ["django.contrib.auth.middleware.RemoteUserMiddleware"], hooks: {} },
  "django.contrib.messages.middleware.MessageMiddleware": { bases: MIXIN, hooks: { request: S, response: S } },
  "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware": { bases: MIXIN, hooks: { response: S } },
  "django.contrib.redirects.middleware.RedirectFallbackMiddleware": { bases: MIXIN, hooks: { response: S }, init: INIT },
  "django.contrib.sites.middleware.CurrentSiteMiddleware": { bases: MIXIN, hooks: { request: S } },
  "django.contrib.admindocs.middleware.XViewMiddleware": { bases: MIXIN, hooks: { view: S } },
};

const LOGIN_REQUIRED: Record<string, Spec> = {
  "django.contrib.auth.middleware.LoginRequiredMiddleware": {
    bases: MIXIN,
    hooks: { view: S },
    methods: ["process_view", "get_login_url", "get_redirect_field_name", "handle_no_permission"],
  },
};

const REMOTE_USER_5_2: Record<string, Spec> = {
  "django.contrib.auth.middleware.RemoteUserMiddleware": {
    bases: [],
    flags: { syncCapable: true, asyncCapable: true },
    hooks: { request: S },
    dispatch: { call: S, acall: A, callsAcall: true },
    init: { marksCoroutine: true },
    methods: ["__init__", "__call__", "process_request", "__acall__", "aprocess_request", "clean_username", "_remove_invalid_user", "_aremove_invalid_user"],
  },
};

const REMOTE_USER_6_1: Record<string, Spec> = {
  "django.contrib.auth.middleware.RemoteUserMiddleware": {
    ...REMOTE_USER_5_2["django.contrib.auth.middleware.RemoteUserMiddleware"],
    methods: [
      "__init__", "__call__", "process_request", "__acall__", "aprocess_request", "clean_username", "aclean_username",
      "get_username", "_remove_invalid_user", "_aremove_invalid_user",
    ],
  },
};

const CSP: Record<string, Spec> = {
  "django.middleware.csp.ContentSecurityPolicyMiddleware": { bases: MIXIN, hooks: { request: S, response: S } },
};

/** The 17 classes that django/django PR #21523 (ticket #37177) declares async_capable = False. */
const FIXED_BY_37177 = [
  "django.middleware.security.SecurityMiddleware",
  "django.contrib.sessions.middleware.SessionMiddleware",
  "django.middleware.common.CommonMiddleware",
  "django.middleware.common.BrokenLinkEmailsMiddleware",
  "django.middleware.csrf.CsrfViewMiddleware",
  "django.contrib.auth.middleware.AuthenticationMiddleware",
  "django.contrib.messages.middleware.MessageMiddleware",
  "django.middleware.clickjacking.XFrameOptionsMiddleware",
  "django.contrib.flatpages.middleware.FlatpageFallbackMiddleware",
  "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
  "django.contrib.sites.middleware.CurrentSiteMiddleware",
  "django.middleware.cache.UpdateCacheMiddleware",
  "django.middleware.cache.FetchFromCacheMiddleware",
  "django.middleware.csp.ContentSecurityPolicyMiddleware",
  "django.middleware.gzip.GZipMiddleware",
  "django.middleware.http.ConditionalGetMiddleware",
  "django.middleware.locale.LocaleMiddleware",
];

/** Releases whose sources were read, with the exact version and package they came from. */
const READ: Record<string, { version: string; from: string }> = {
  "3.2": { version: "3.2.25", from: "Debian bookworm python3-django 3:3.2.25-0+deb12u7" },
  "4.2": { version: "4.2.28", from: "Debian trixie python3-django 3:4.2.28-0+deb13u2" },
  "5.2": { version: "5.2.18", from: "Debian sid python3-django 3:5.2.18-2; same in the 5.2.17 wheel" },
  "6.1": { version: "6.1.1", from: "Debian experimental python3-django 3:6.1.1-1" },
};

/** The read release an unread release's entry is assumed equal to. */
function assumedAs(release: string, qualifiedName: string): string {
  const remoteUser = qualifiedName.endsWith(".RemoteUserMiddleware") || qualifiedName.endsWith(".PersistentRemoteUserMiddleware");
  switch (release) {
    case "3.1":
      return "3.2";
    case "4.0":
    case "4.1":
    case "5.0":
      return "4.2";
    case "5.1":
      return remoteUser ? "4.2" : "5.2";
    case "6.0":
      return remoteUser ? "5.2" : "6.1";
    case "6.2":
      return "6.1";
    default:
      return release;
  }
}

function sourceFor(release: string, qualifiedName: string): string {
  const file = qualifiedName.split(".").slice(0, -1).join("/") + ".py";
  const read = READ[release];
  if (read) return `Django ${read.version} ${file} (read: ${read.from})`;
  if (release === FIRST_RELEASE_WITH_FIX)
    return `Django ${release} (in development) ${file} (derived: 6.1.1 + django/django PR #21523${FIXED_BY_37177.includes(qualifiedName) ? ", async_capable = False" : ""})`;
  const as = READ[assumedAs(release, qualifiedName)];
  return `Django ${release} ${file} (not read: no stored copy of ${file} for ${release}; assumed as ${as.version})`;
}

function specsFor(release: string): Record<string, Spec> {
  const at = (v: string) => compareVersions(release, v) >= 0;
  const specs: Record<string, Spec> = { ...BASE_3_2 };
  if (at("5.1")) Object.assign(specs, LOGIN_REQUIRED);
  if (at("5.2")) Object.assign(specs, REMOTE_USER_5_2);
  if (at("6.0")) Object.assign(specs, CSP);
  if (at("6.1")) Object.assign(specs, REMOTE_USER_6_1);
  // No release up to 6.1.1 declares async_capable on a MiddlewareMixin-based built-in: the
  // async_capable = False of ticket #37177 / PR #21523 is not in any release read.
  if (at(FIRST_RELEASE_WITH_FIX)) for (const q of FIXED_BY_37177) specs[q] = { ...specs[q], flags: { asyncCapable: false } };
  return specs;
}

const cache = new Map<string, Map<string, DjangoMiddlewareEntry>>();

/** The table release that applies to a version: the nearest lower release (the oldest one below 3.1). */
export function djangoRelease(version: string): string {
  let best: string = DJANGO_RELEASES[0];
  for (const r of DJANGO_RELEASES) if (compareVersions(version, r) >= 0) best = r;
  return best;
}

/** Every built-in middleware class of the release that applies to `version`, by qualified name. */
export function djangoMiddleware(version: string): Map<string, DjangoMiddlewareEntry> {
  const release = djangoRelease(version);
  let table = cache.get(release);
  if (table) return table;
  table = new Map();
  for (const [qualifiedName, spec] of Object.entries(specsFor(release))) {
    const parts = qualifiedName.split(".");
    const hookMethods = Object.keys(spec.hooks).map((k) => PYTHON_NAMES.hooks[k as HookKind]);
    table.set(qualifiedName, {
      qualifiedName,
      module: parts.slice(0, -1).join("."),
      name: parts[parts.length - 1],
      bases: spec.bases,
      flags: spec.flags ?? {},
      hooks: spec.hooks,
      dispatch: spec.dispatch ?? {},
      init: spec.init,
      methods: spec.methods ?? [...(spec.init ? ["__init__"] : []), ...hookMethods],
      source: sourceFor(release, qualifiedName),
    });
  }
  cache.set(release, table);
  return table;
}


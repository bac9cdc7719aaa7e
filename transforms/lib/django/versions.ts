// Django's built-in middleware classes, per release: what the codemod needs to know about an
// upstream base class (its bases, flags, hooks and own dispatch) without Django installed.
//
// Sources, per entry (see `source`):
// - 3.2: read from Debian's python3-django 3.2.25 (/usr/lib/python3/dist-packages/django/...),
//   by introspection (hooks, coroutine-ness, own attributes) and by reading each __init__.
// - 3.1, 4.0, 4.1, 4.2, 5.0: same classes, hooks and bases as 3.2. 3.1 introduced the async
//   MiddlewareMixin these flags belong to; 4.0 only dropped the `get_response=None`
//   deprecation in the __init__ signatures (no hook or base changes).
// - 5.1: adds django.contrib.auth.middleware.LoginRequiredMiddleware (process_view only);
//   read from a stored copy of 5.x django/contrib/auth/middleware.py.
// - 5.2: RemoteUserMiddleware is rewritten as a plain class (no MiddlewareMixin) with
//   `sync_capable = True`, `async_capable = True`, own __call__ (sync) / __acall__ (async),
//   `async def aprocess_request` and an __init__ that calls markcoroutinefunction(self); read
//   from a stored copy of django/contrib/auth/middleware.py that carries RemovedInDjango61Warning
//   (the 5.2/6.0 deprecation of sync-only process_request overrides).
// - 6.0: adds django.middleware.csp.ContentSecurityPolicyMiddleware (process_request,
//   process_response); read from django/django django/middleware/csp.py (stored version).
// - 6.1: DERIVED, not read: the 6.1 sources with the fix of ticket #37177 (PR #21523) are not in
//   the reference store. 6.1 = 6.0 + `async_capable = False` on the 17 classes listed in the
//   model document (CacheMiddleware inherits it), RemoteUserMiddleware as in 5.2+.
import type { HookKind, Nature } from "../model.ts";
import { compareVersions } from "../version.ts";

export interface DjangoMiddlewareEntry {
  qualifiedName: string;
  module: string;
  name: string;
  /** Qualified names of the bases, or "MiddlewareMixin"; [] for a plain class. */
  bases: string[];
  flags: { syncCapable?: boolean; asyncCapable?: boolean };
  hooks: Partial<Record<HookKind, Nature>>;
  dispatch: { call?: Nature; acall?: Nature };
  /** The class defines __init__; all built-in ones end in MiddlewareMixin's or mark the instance themselves. */
  init?: { marksCoroutine: boolean };
  methods: string[];
  /** Release and file the entry was read from (or derived for). */
  source: string;
}

export const DJANGO_RELEASES = ["3.1", "3.2", "4.0", "4.1", "4.2", "5.0", "5.1", "5.2", "6.0", "6.1"] as const;
export const NEWEST_DJANGO_RELEASE = DJANGO_RELEASES[DJANGO_RELEASES.length - 1];
export const MIXIN_PATHS = ["django.utils.deprecation.MiddlewareMixin", "django.middleware.MiddlewareMixin"];

type Spec = Omit<DjangoMiddlewareEntry, "qualifiedName" | "module" | "name" | "source" | "methods" | "flags" | "dispatch"> &
  Partial<Pick<DjangoMiddlewareEntry, "flags" | "dispatch" | "methods">>;

const MIXIN = ["MiddlewareMixin"];
const S: Nature = "sync";
const A: Nature = "async";
const INIT = { marksCoroutine: true }; // calls super().__init__(get_response): MiddlewareMixin marks it

/** 3.2 as read from the installed sources; the file each class lives in is its module path. */
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
    dispatch: { call: S, acall: A },
    init: { marksCoroutine: true },
    methods: ["__init__", "__call__", "process_request", "__acall__", "aprocess_request", "clean_username", "_remove_invalid_user", "_aremove_invalid_user"],
  },
};

const CSP: Record<string, Spec> = {
  "django.middleware.csp.ContentSecurityPolicyMiddleware": { bases: MIXIN, hooks: { request: S, response: S } },
};

/** The 17 classes of PR #21523 (ticket #37177). */
const FIXED_IN_6_1 = [
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

function sourceFor(release: string, qualifiedName: string): string {
  const file = qualifiedName.split(".").slice(0, -1).join("/") + ".py";
  if (release === "3.2") return `Django 3.2.25 ${file} (Debian python3-django)`;
  if (release === "6.1") return `Django 6.1 ${file} (derived: 6.0 + PR #21523)`;
  if (qualifiedName.endsWith(".RemoteUserMiddleware") && compareVersions(release, "5.2") >= 0) return `Django ${release} ${file} (5.2 rewrite, read)`;
  if (qualifiedName.endsWith(".LoginRequiredMiddleware")) return `Django ${release} ${file} (added in 5.1, read)`;
  if (qualifiedName.endsWith(".ContentSecurityPolicyMiddleware")) return `Django ${release} ${file} (added in 6.0, read)`;
  return `Django ${release} ${file} (unchanged since 3.2)`;
}

function specsFor(release: string): Record<string, Spec> {
  const at = (v: string) => compareVersions(release, v) >= 0;
  const specs: Record<string, Spec> = { ...BASE_3_2 };
  if (at("5.1")) Object.assign(specs, LOGIN_REQUIRED);
  if (at("5.2")) Object.assign(specs, REMOTE_USER_5_2);
  if (at("6.0")) Object.assign(specs, CSP);
  if (at("6.1")) for (const q of FIXED_IN_6_1) specs[q] = { ...specs[q], flags: { asyncCapable: false } };
  return specs;
}

const HOOK_NAMES: Record<HookKind, string> = {
  request: "process_request",
  view: "process_view",
  exception: "process_exception",
  templateResponse: "process_template_response",
  response: "process_response",
};

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
    const hookMethods = Object.keys(spec.hooks).map((k) => HOOK_NAMES[k as HookKind]);
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

export { HOOK_NAMES as DJANGO_HOOK_NAMES };

// Small Django projects on disk for the end-to-end chain tests: a real `startproject`
// (Debian's Django 3.2, 4.2 or 5.2 as provisioned by test/setup/provision.mjs), one async and
// one sync view, custom middleware, optionally a third-party package in
// `.venv/lib/python3.11/site-packages`, in a git repository. The built CLI runs on it;
// the package's own verify.py (what --verify runs) counts what real Django does.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { verifyScript } from "../../transforms/lib/django/verify.ts";
import { commitAll, git, makeTree, runCliSync } from "../helpers/cli.ts";
import { djangoPath, PYTHON, pythonEnv, type DjangoVersion } from "../setup/parts.ts";
import { DEFAULT_STACK } from "./default-stack.mjs";

export { commitAll, DEFAULT_STACK, git, PYTHON };

export const MEASURE = verifyScript();

export const VIEWS = `from django.http import HttpResponse


async def async_view(request):
    return HttpResponse("async")


def sync_view(request):
    return HttpResponse("sync")
`;

export const URLS = `from django.urls import path

from . import views

urlpatterns = [
    path("async/", views.async_view),
    path("sync/", views.sync_view),
]
`;

/** Custom middleware of the test projects (project code, edited by the codemod). */
export const CUSTOM = `import asyncio

from asgiref.sync import markcoroutinefunction
from django.utils.deprecation import MiddlewareMixin


class TimingMiddleware(MiddlewareMixin):
    """A custom sync middleware: one hop hook."""

    def process_request(self, request):
        request.timing = True


class ViewOnlyMiddleware(MiddlewareMixin):
    """process_view only: no hop hooks."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        return None


class AsyncOwnMiddleware:
    """Its own async dispatch: no switches inside."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request):
        return await self.get_response(request)
`;

/** A third-party package installed in the project's virtualenv (read-only for the codemod). */
export const THIRD_PARTY: Record<string, string> = {
  ".venv/lib/python3.11/site-packages/thirdparty_mw/__init__.py": "",
  ".venv/lib/python3.11/site-packages/thirdparty_mw/middleware.py": `from django.utils.deprecation import MiddlewareMixin


class HeaderMiddleware(MiddlewareMixin):
    def process_request(self, request):
        request.thirdparty = True

    def process_response(self, request, response):
        response["X-Third-Party"] = "1"
        return response
`,
  ".venv/lib/python3.11/site-packages/thirdparty_mw-1.0.dist-info/METADATA": "Metadata-Version: 2.1\nName: thirdparty-mw\nVersion: 1.0\n",
  ".venv/lib/python3.11/site-packages/thirdparty_mw-1.0.dist-info/top_level.txt": "thirdparty_mw\n",
  ".venv/pyvenv.cfg": "home = /usr/bin\n",
};

/** `python3 -S` with only `pythonPath` and Django `version` importable. */
export function python(version: DjangoVersion, args: string[], opts: { cwd?: string; pythonPath?: string[] } = {}) {
  return spawnSync(PYTHON, ["-S", ...args], { encoding: "utf8", cwd: opts.cwd, env: pythonEnv([...(opts.pythonPath ?? []), djangoPath(version)]), maxBuffer: 64 << 20 });
}

/**
 * One `startproject` per Django release for the whole run: in the folder the global setup
 * names (MWC_STARTPROJECTS), shared by the test files; each project is a copy.
 */
function startproject(version: DjangoVersion): string {
  const shared = process.env.MWC_STARTPROJECTS ?? mkdtempSync(path.join(tmpdir(), "mwc-startprojects-"));
  process.env.MWC_STARTPROJECTS = shared;
  const dir = path.join(shared, version);
  if (existsSync(dir)) return dir;
  const made = mkdtempSync(path.join(shared, `.${version}-`));
  const r = python(version, ["-m", "django", "startproject", "mysite", made]);
  if (r.status !== 0) throw new Error(`django ${version} startproject failed (${r.status}): ${r.stderr}`);
  try {
    renameSync(made, dir); // whole or not at all: another test file may be making the same one
  } catch (e) {
    if (!existsSync(dir)) throw e;
    rmSync(made, { recursive: true, force: true });
  }
  return dir;
}

/**
 * A `django-admin startproject mysite` project of Django `version` whose MIDDLEWARE is
 * `middleware` (null: as generated), committed in a fresh git repository.
 */
export function djangoProject(middleware: string[] | null, extra: Record<string, string> = {}, version: DjangoVersion = "3.2"): string {
  const from = startproject(version);
  let settings = readFileSync(path.join(from, "mysite/settings.py"), "utf8").replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['*']");
  if (middleware) {
    const list = `MIDDLEWARE = [\n${middleware.map((m) => `    '${m}',\n`).join("")}]`;
    settings = settings.replace(/MIDDLEWARE = \[[^\]]*\]/, list);
  }
  return makeTree({ "mysite/settings.py": settings, "mysite/views.py": VIEWS, "mysite/urls.py": URLS, "mysite/middleware.py": CUSTOM, ...extra }, { from, prefix: "mwc-django-" });
}

export interface Counts {
  asyncView: { syncToAsync: number; asyncToSync: number };
  syncView: { syncToAsync: number; asyncToSync: number };
}

export type Measured = Counts & { django: string; djangoFile: string; asgiref: string };
export interface MeasureJob {
  project: string;
  settings?: string;
  through?: "get_response_async" | "asgi";
  /** Folders before the project on sys.path (e.g. a migrated copy of Django). */
  path?: string[];
}

/**
 * What real Django `version` does, for every job in one Python process (verify.py --batch):
 * verify.py's JSON per job, in order. A Django imported from anywhere but `expectFrom`
 * (default: the provisioned part) fails here.
 */
export function measureAll(version: DjangoVersion, jobs: MeasureJob[], expectFrom = djangoPath(version)): Measured[] {
  const spec = jobs.map((j) => ({
    settings: "mysite.settings",
    root: j.project,
    through: j.through,
    path: j.path,
    sitePackages: [path.join(j.project, ".venv/lib/python3.11/site-packages")].filter((d) => existsSync(d)),
    ...(j.settings ? { settings: j.settings } : {}),
  }));
  const r = python(version, [MEASURE, "--batch", JSON.stringify(spec)]);
  if (r.status !== 0) throw new Error(`verify.py (Django ${version}) failed (${r.status}): ${r.stderr}${r.stdout}`);
  const out: (Measured & { error?: string })[] = JSON.parse(r.stdout);
  out.forEach((m, i) => {
    if (m.error !== undefined) throw new Error(`verify.py (Django ${version}), ${jobs[i].project}: ${m.error}`);
    const from = spec[i].path?.[0] ?? expectFrom;
    if (!m.djangoFile.startsWith(from + path.sep) || !m.django.startsWith(`${version}.`))
      throw new Error(`verify.py imported Django ${m.django} from ${m.djangoFile}, expected ${version}.x from ${from}`);
  });
  return out;
}

/** measureAll for one project. */
export function measure(dir: string, through: "get_response_async" | "asgi" = "get_response_async", version: DjangoVersion = "3.2"): Measured {
  return measureAll(version, [{ project: dir, through }])[0];
}

export interface CliJson {
  summary: Record<string, number>;
  middleware: { file: string; class: string; outcome: string }[];
  errors: unknown[];
  chains: {
    file: string;
    line: number;
    middleware: string[];
    switches: { asyncView: { before: Counts["asyncView"]; after: Counts["asyncView"] }; syncView: { before: Counts["syncView"]; after: Counts["syncView"] } } | null;
    unresolved: string[];
    notes: string[];
  }[];
}

/** The built CLI with `--json --write --target <target>` (and `args`), applying its edits. */
export function codemod(dir: string, args: string[] = [], target: DjangoVersion = "3.2"): { code: number | null; json: CliJson; stderr: string } {
  const r = runCliSync(["--json", "--write", "--target", target, ...args], { cwd: dir });
  let json: CliJson;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    throw new Error(`the CLI printed no JSON (status ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

export const before = (c: NonNullable<CliJson["chains"][0]["switches"]>): Counts => ({ asyncView: c.asyncView.before, syncView: c.syncView.before });
export const after = (c: NonNullable<CliJson["chains"][0]["switches"]>): Counts => ({ asyncView: c.asyncView.after, syncView: c.syncView.after });
export const counts = (m: Counts): Counts => ({ asyncView: m.asyncView, syncView: m.syncView });

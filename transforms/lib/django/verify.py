"""Count the context switches that Django's BaseHandler.get_response_async makes.

Usage: python verify.py --root DIR --settings MODULE [--site-packages DIR]...
       [--through get_response_async|asgi]
       python verify.py --batch JOBS_JSON

Run with the project's own interpreter: it imports the project's settings and builds the
middleware chain with the project's own Django (ASGIHandler, load_middleware(is_async=True)).
It patches asgiref's SyncToAsync.__call__ and AsyncToSync.__call__ to count calls, sends one
GET to an async and one to a sync test view of its own (its URLconf replaces ROOT_URLCONF,
so the project's URLs, views and database are not needed; ALLOWED_HOSTS is widened and the
request is https, so that host checks and SSL redirects let it through), and prints JSON:
{"django", "djangoFile", "asgiref", "python", "asyncView": {"syncToAsync": n, "asyncToSync": n},
"syncView": {...}}.

Each request is sent twice and the second is reported (the first warms caches); both must
agree. A request that does not reach the test view (a middleware answered, or raised) prints
{"error": "..."} and exits with status 1: its counts are not the chain's.

--batch measures many settings modules in one process: JOBS_JSON is a list of {"root",
"settings", "through"?, "path"?, "sitePackages"?} ("path": folders put first on sys.path, e.g.
another copy of Django); each job runs in a forked child, and the output is the list of
results (or {"error"}) in the same order. When no job brings its own path, the parent imports
Django's handler once before forking, so that the children share that work.
"""
import argparse
import asyncio
import io
import json
import os
import sys
import types

URLCONF = "_middleware_codemod_verify_urls"
PATHS = {"asyncView": "/__middleware_codemod__/async/", "syncView": "/__middleware_codemod__/sync/"}


def install_urlconf(reached):
    from django.http import HttpResponse
    from django.urls import path

    try:  # Django 5.1+: LoginRequiredMiddleware would redirect the test views
        from django.contrib.auth.decorators import login_not_required
    except ImportError:

        def login_not_required(view):
            return view

    @login_not_required
    async def async_view(request):
        reached.append("asyncView")
        return HttpResponse("async")

    @login_not_required
    def sync_view(request):
        reached.append("syncView")
        return HttpResponse("sync")

    module = types.ModuleType(URLCONF)
    module.urlpatterns = [
        path(PATHS["asyncView"].lstrip("/"), async_view),
        path(PATHS["syncView"].lstrip("/"), sync_view),
    ]
    sys.modules[URLCONF] = module


def scope(path, host):
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "https",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", host.encode())],
        "client": ("127.0.0.1", 50000),
        "server": (host, 443),
    }


class Failure(Exception):
    """The chain could not be measured; the message says why."""


def measure(root, settings_module, through="get_response_async", path=(), site_packages=()):
    """The counts of one settings module: {"django", "djangoFile", "asgiref", "python", "asyncView", "syncView"}."""
    sys.path[0:0] = list(path) + [os.path.abspath(root)] + [os.path.abspath(s) for s in site_packages]
    os.environ["DJANGO_SETTINGS_MODULE"] = settings_module

    try:
        import asgiref
        import django
        from asgiref import sync
    except ImportError as e:
        raise Failure("%s cannot import Django: %s" % (sys.executable, e))

    try:
        django.setup()
    except Exception as e:  # the project's own settings or apps failed to load
        raise Failure("importing %s: %s: %s" % (settings_module, type(e).__name__, e))

    from django.conf import settings
    from django.core.handlers.asgi import ASGIHandler, ASGIRequest

    reached = []
    install_urlconf(reached)
    settings.ROOT_URLCONF = URLCONF
    settings.ALLOWED_HOSTS = ["*"]
    host = "localhost"

    counts = {"syncToAsync": 0, "asyncToSync": 0}
    original_s2a = sync.SyncToAsync.__call__
    original_a2s = sync.AsyncToSync.__call__

    async def counting_s2a(self, *a, **kw):
        counts["syncToAsync"] += 1
        return await original_s2a(self, *a, **kw)

    def counting_a2s(self, *a, **kw):
        counts["asyncToSync"] += 1
        return original_a2s(self, *a, **kw)

    sync.SyncToAsync.__call__ = counting_s2a
    sync.AsyncToSync.__call__ = counting_a2s

    try:
        handler = ASGIHandler()
    except Exception as e:  # load_middleware: an import error, a class that is neither sync nor async capable
        raise Failure("building the middleware chain: %s: %s" % (type(e).__name__, e))

    async def one(key):
        path = PATHS[key]
        counts["syncToAsync"] = 0
        counts["asyncToSync"] = 0
        del reached[:]
        if through == "asgi":
            sent = []
            messages = [{"type": "http.request", "body": b"", "more_body": False}]

            async def receive():
                if messages:
                    return messages.pop(0)
                await asyncio.sleep(3600)  # no disconnect while the request runs

            async def send(message):
                sent.append(message)

            await handler(scope(path, host), receive, send)
            seen = dict(counts)
            status = sent[0]["status"] if sent else None
            body = b"".join(m.get("body", b"") for m in sent[1:])
        else:
            request = ASGIRequest(scope(path, host), io.BytesIO(b""))
            response = await handler.get_response_async(request)
            seen = dict(counts)
            status, body = response.status_code, getattr(response, "content", b"")
        if reached != [key] or status != 200:
            raise Failure(
                "GET %s did not pass every middleware to the test view (status %s: %r); "
                "the counts would not be the chain's" % (path, status, body[:200])
            )
        return seen

    async def run():
        out = {}
        for key in ("asyncView", "syncView"):
            first = await one(key)
            second = await one(key)
            if first != second:
                raise Failure("GET %s: counts differ between two requests: %r, %r" % (PATHS[key], first, second))
            out[key] = second
        return out

    try:
        result = asyncio.run(run())
    except Failure:
        raise
    except Exception as e:
        raise Failure("sending the test requests: %s: %s" % (type(e).__name__, e))
    return {
        "django": django.get_version(),
        "djangoFile": django.__file__,
        "asgiref": asgiref.__version__,
        "python": sys.executable,
        **result,
    }


def batch(jobs):
    """Each job in a forked child (settings are global to a process); the results in order."""
    if not any(job.get("path") for job in jobs):
        import django.core.handlers.asgi  # noqa: F401 (imported once, shared by the forked children)
    results = []
    for job in jobs:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            status = 0
            try:
                out = measure(
                    job["root"],
                    job["settings"],
                    job.get("through", "get_response_async"),
                    job.get("path", ()),
                    job.get("sitePackages", ()),
                )
            except Failure as e:
                out, status = {"error": str(e)}, 1
            except BaseException as e:
                out, status = {"error": "%s: %s" % (type(e).__name__, e)}, 1
            with os.fdopen(write, "w") as f:
                f.write(json.dumps(out, sort_keys=True))
            os._exit(status)
        os.close(write)
        with os.fdopen(read) as f:
            text = f.read()
        os.waitpid(pid, 0)
        results.append(json.loads(text) if text else {"error": "%s: no output" % job["root"]})
    return results


def main():
    if sys.argv[1:2] == ["--batch"]:
        print(json.dumps(batch(json.loads(sys.argv[2])), sort_keys=True))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True, help="the folder the settings module is imported from")
    parser.add_argument("--settings", required=True, help="the settings module, e.g. mysite.settings")
    parser.add_argument("--site-packages", action="append", default=[], help="an extra folder of installed packages")
    parser.add_argument(
        "--through",
        choices=["get_response_async", "asgi"],
        default="get_response_async",
        help="count inside BaseHandler.get_response_async (the chain's count), or the whole ASGIHandler call "
        "(adds the handler's own switches, e.g. request_started and response.close in Django 3.2)",
    )
    args = parser.parse_args()
    try:
        out = measure(args.root, args.settings, args.through, (), args.site_packages)
    except Failure as e:
        print(json.dumps({"error": str(e)}))
        sys.exit(1)
    print(json.dumps(out, sort_keys=True))


if __name__ == "__main__":
    main()

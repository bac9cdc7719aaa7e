"""Count the context switches that Django's BaseHandler.get_response_async makes.

Usage: python3 measure.py PROJECT_DIR SETTINGS_MODULE [--async-path /async/] [--sync-path /sync/]
       [--through get_response_async|asgi]
       python3 measure.py --batch JOBS_JSON

Sets up the project's settings, builds Django's ASGIHandler (load_middleware(is_async=True)),
patches asgiref's SyncToAsync.__call__ and AsyncToSync.__call__ to count calls, runs one
request to an async view and one to a sync view through get_response_async, and prints
JSON: {"django": ..., "djangoFile": ..., "asgiref": ..., "asyncView": {"syncToAsync": n,
"asyncToSync": n}, "syncView": {...}}. Each request is run twice; the second run is reported
(the first warms caches) and both must agree. A response other than 200 is an error (exit
status 1).

--batch measures many projects in one process: JOBS_JSON is a list of {"project",
"settings", "through"?, "path"?} ("path": folders put first on sys.path, e.g. another copy of
Django); each job runs in a forked child (settings are global to a process), and the output
is the list of results in the same order. When no job brings its own path, the parent
imports Django's handler once before forking, so that the children share that work.

A `.venv/lib/python*/site-packages` folder inside the project is put on sys.path, so that
third-party middleware installed there is importable.
"""
import argparse
import asyncio
import glob
import io
import json
import os
import sys


def measure(project, settings, through="get_response_async", async_path="/async/", sync_path="/sync/", path=()):
    project = os.path.abspath(project)
    sys.path[0:0] = list(path) + [project]
    for site in sorted(glob.glob(os.path.join(project, ".venv", "lib", "python*", "site-packages"))):
        sys.path.insert(len(path) + 1, site)
    os.environ["DJANGO_SETTINGS_MODULE"] = settings

    import asgiref
    import django
    from asgiref import sync

    django.setup()

    from django.core.handlers.asgi import ASGIHandler, ASGIRequest

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

    handler = ASGIHandler()

    def scope(path):
        return {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": "GET",
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(b"host", b"localhost")],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }

    async def one(path):
        counts["syncToAsync"] = 0
        counts["asyncToSync"] = 0
        if through == "asgi":
            sent = []
            messages = [{"type": "http.request", "body": b"", "more_body": False}]

            async def receive():
                if messages:
                    return messages.pop(0)
                await asyncio.sleep(3600)  # no disconnect while the request runs

            async def send(message):
                sent.append(message)

            await handler(scope(path), receive, send)
            seen = dict(counts)
            status = sent[0]["status"] if sent else None
            body = b"".join(m.get("body", b"") for m in sent[1:])
        else:
            request = ASGIRequest(scope(path), io.BytesIO(b""))
            response = await handler.get_response_async(request)
            seen = dict(counts)
            status, body = response.status_code, response.content
        if status != 200:
            raise SystemExit("GET %s: status %s: %s" % (path, status, body[:300]))
        return seen

    async def run():
        out = {}
        for key, path in (("asyncView", async_path), ("syncView", sync_path)):
            first = await one(path)
            second = await one(path)
            if first != second:
                raise SystemExit("GET %s: counts differ between runs: %r, %r" % (path, first, second))
            out[key] = second
        return out

    result = asyncio.run(run())
    return {"django": django.get_version(), "djangoFile": django.__file__, "asgiref": asgiref.__version__, **result}


def batch(jobs):
    if not any(job.get("path") for job in jobs):
        import django.core.handlers.asgi  # noqa: F401 (shared by the forked children)
    results = []
    for job in jobs:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(read)
            status = 0
            try:
                out = measure(job["project"], job["settings"], job.get("through", "get_response_async"), path=job.get("path", ()))
            except BaseException as e:  # a failed job is reported with its project
                out, status = {"error": "%s: %s" % (type(e).__name__, e)}, 1
            with os.fdopen(write, "w") as f:
                f.write(json.dumps(out, sort_keys=True))
            os._exit(status)
        os.close(write)
        with os.fdopen(read) as f:
            text = f.read()
        os.waitpid(pid, 0)
        out = json.loads(text) if text else {"error": "no output"}
        if "error" in out:
            raise SystemExit("%s: %s" % (job["project"], out["error"]))
        results.append(out)
    return results


def main():
    if sys.argv[1:2] == ["--batch"]:
        print(json.dumps(batch(json.loads(sys.argv[2])), sort_keys=True))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("project")
    parser.add_argument("settings")
    parser.add_argument("--async-path", default="/async/")
    parser.add_argument("--sync-path", default="/sync/")
    parser.add_argument(
        "--through",
        choices=["get_response_async", "asgi"],
        default="get_response_async",
        help="count inside BaseHandler.get_response_async (the model's count), or the whole ASGIHandler call "
        "(adds the handler's own switches, e.g. request_started and response.close in Django 3.2)",
    )
    args = parser.parse_args()
    print(json.dumps(measure(args.project, args.settings, args.through, args.async_path, args.sync_path), sort_keys=True))


if __name__ == "__main__":
    main()

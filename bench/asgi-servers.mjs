#!/usr/bin/env node
// What --backport does to a real server's throughput, per Django release (prints figures; not
// a test). For each of Django 3.2, 4.2 and 5.2 (Debian's packages, provisioned by
// test/setup/provision.mjs with the servers and `ab`): a `startproject` project (its default
// middleware, DEBUG off, one async and one sync view), stock and after
// `middleware-codemod --backport --target <release>`, served on 127.0.0.1 by uvicorn
// (`--loop asyncio --http h11`, one process), daphne (one process) and, as a WSGI reference
// that the backport cannot change, gunicorn (one sync worker). `ab` loads the async and the
// sync view at each concurrency. Every repetition starts fresh servers and alternates which
// variant goes first; every `ab` run is bounded in requests and seconds. Prints, per release,
// the switch counts the package's verify.py measures and one Markdown table: median
// requests/s stock → --backport, the ratio of the medians, and the lowest and highest ratio
// of the paired repetitions (the spread).
//
// Usage: npm run build && node bench/asgi-servers.mjs [--releases 3.2,4.2,5.2]
//          [--servers uvicorn,daphne,gunicorn] [--views async,sync] [--concurrency 1,10,50]
//          [--runs 3] [--requests 2000] [--seconds 2] [--json FILE]
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { closeSync, cpSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { partsEnv, provision, PYTHON } from "../test/setup/provision.mjs";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist/cli/main.js");
const VERIFY = path.join(ROOT, "transforms/lib/django/verify.py");

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const list = (name, fallback) => arg(name, fallback).split(",").filter(Boolean);
const RELEASES = list("releases", "3.2,4.2,5.2");
const SERVER_NAMES = list("servers", "uvicorn,daphne,gunicorn");
const VIEWS = list("views", "async,sync");
const LEVELS = list("concurrency", "1,10,50").map(Number);
const RUNS = Math.min(9, Math.max(1, Number(arg("runs", "3"))));
const REQUESTS = Math.min(20000, Math.max(50, Number(arg("requests", "2000"))));
const SECONDS = Math.min(20, Math.max(1, Number(arg("seconds", "2"))));
const JSON_OUT = arg("json", "");

const parts = provision({ parts: [...RELEASES.map((r) => `django-${r}`), "servers", "servers-trixie"] });
const env = partsEnv(parts);
const serverPath = [env.MWC_SERVERS_TRIXIE_PYTHONPATH, env.MWC_SERVERS_PYTHONPATH];
const AB = path.join(env.MWC_SERVERS_BIN, "ab");
const AB_ENV = { ...process.env, LD_LIBRARY_PATH: env.MWC_SERVERS_LIBS };

/** `python3 -S` with only the project, the release's Django and the servers on the path. */
function pythonEnv(release, project) {
  const e = { ...process.env, PYTHONPATH: [project, env[`MWC_DJANGO_${release.replace(".", "_")}`], ...serverPath].join(path.delimiter), PYTHONDONTWRITEBYTECODE: "1" };
  delete e.DJANGO_SETTINGS_MODULE;
  delete e.PYTHONHOME;
  return e;
}

const VIEWS_PY = 'from django.http import HttpResponse\n\n\nasync def async_view(request):\n    return HttpResponse("async")\n\n\ndef sync_view(request):\n    return HttpResponse("sync")\n';
const URLS_PY = 'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path("async/", views.async_view),\n    path("sync/", views.sync_view),\n]\n';

function project(release, root) {
  const stock = path.join(root, `stock-${release}`);
  mkdirSync(stock);
  execFileSync(PYTHON, ["-S", "-m", "django", "startproject", "mysite", stock], { stdio: "pipe", env: pythonEnv(release, stock) });
  const settingsPath = path.join(stock, "mysite/settings.py");
  const settings = readFileSync(settingsPath, "utf8").replace("DEBUG = True", "DEBUG = False").replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['*']");
  writeFileSync(settingsPath, settings);
  writeFileSync(path.join(stock, "mysite/views.py"), VIEWS_PY);
  writeFileSync(path.join(stock, "mysite/urls.py"), URLS_PY);
  const backport = path.join(root, `backport-${release}`);
  cpSync(stock, backport, { recursive: true });
  execFileSync(process.execPath, [CLI, "--backport", "--target", release], { cwd: backport, stdio: "pipe" });
  return { stock, backport };
}

function switches(release, dir) {
  const out = execFileSync(PYTHON, ["-S", VERIFY, "--root", dir, "--settings", "mysite.settings"], { encoding: "utf8", env: pythonEnv(release, dir) });
  return JSON.parse(out);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
    s.on("error", reject);
  });
}

/** Until GET /async/ and /sync/ answer 200 (the port opens before a gunicorn worker has booted). */
async function waitFor(port, child, log, ms = 60000) {
  const end = Date.now() + ms;
  const get = (p) =>
    new Promise((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: p, agent: false, timeout: 2000 }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(false));
    });
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${readFileSync(log, "utf8").slice(-2000)}`);
    if ((await get("/async/")) && (await get("/sync/"))) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server on ${port} did not answer:\n${readFileSync(log, "utf8").slice(-2000)}`);
}

const SERVERS = {
  uvicorn: (port) => ["-m", "uvicorn", "mysite.asgi:application", "--host", "127.0.0.1", "--port", String(port), "--loop", "asyncio", "--http", "h11", "--workers", "1", "--log-level", "warning", "--no-access-log"],
  daphne: (port) => ["-m", "daphne", "-b", "127.0.0.1", "-p", String(port), "-v", "0", "mysite.asgi:application"],
  gunicorn: (port) => ["-m", "gunicorn", "mysite.wsgi:application", "-b", `127.0.0.1:${port}`, "-w", "1", "--log-level", "warning"],
};

async function start(kind, release, dir) {
  const port = await freePort();
  const log = path.join(path.dirname(dir), `${kind}-${path.basename(dir)}.log`);
  const fd = openSync(log, "a");
  const child = spawn(PYTHON, ["-S", ...SERVERS[kind](port)], { cwd: dir, stdio: ["ignore", fd, fd], env: pythonEnv(release, dir) });
  closeSync(fd);
  try {
    await waitFor(port, child, log);
  } catch (e) {
    stop({ child });
    throw e;
  }
  return { port, child, log };
}

/** SIGTERM, and SIGKILL after 3 s: daphne can wait on connections that ab left open. */
function stop(server) {
  const { child } = server;
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

function ab(server, view, concurrency, requests = REQUESTS, seconds = SECONDS) {
  const url = `http://127.0.0.1:${server.port}/${view}/`;
  // -t first, then -n: ab stops at whichever limit comes first.
  const r = spawnSync(AB, ["-q", "-r", "-t", String(seconds), "-n", String(requests), "-c", String(concurrency), url], { encoding: "utf8", env: AB_ENV, timeout: (seconds + 30) * 1000 });
  const out = r.stdout ?? "";
  const rps = Number(/Requests per second:\s+([\d.]+)/.exec(out)?.[1]);
  const failed = Number(/Failed requests:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  if (r.status !== 0 || !Number.isFinite(rps) || failed || non2xx)
    throw new Error(`ab ${url}: status ${r.status}, ${failed} failed, ${non2xx} non-2xx\n${r.stderr}${out}\nserver log ${server.log}:\n${readFileSync(server.log, "utf8").slice(-2000)}`);
  return rps;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function serverVersions() {
  const code = "import importlib.metadata as m, json; print(json.dumps({n: m.version(n) for n in ('uvicorn', 'daphne', 'gunicorn', 'h11', 'twisted')}))";
  const e = { ...process.env, PYTHONPATH: serverPath.join(path.delimiter) };
  const versions = JSON.parse(execFileSync(PYTHON, ["-S", "-c", code], { encoding: "utf8", env: e }));
  versions.ab = /Version ([\d.]+)/.exec(execFileSync(AB, ["-V"], { encoding: "utf8", env: AB_ENV }))?.[1];
  return versions;
}

const fmtCount = (c) => `${c.syncToAsync} + ${c.asyncToSync}`;
const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));

async function main() {
  const root = mkdtempSync(path.join(os.tmpdir(), "mwc-bench-"));
  const machine = `${os.cpus().length} × ${os.cpus()[0]?.model.trim()}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average at start ${os.loadavg()[0].toFixed(2)}`;
  const versions = serverVersions();
  const started = new Date();
  const results = [];
  console.log(`${started.toISOString()}; ${machine}`);
  console.log(`servers: uvicorn ${versions.uvicorn} (--loop asyncio --http h11), daphne ${versions.daphne} (Twisted ${versions.twisted}), gunicorn ${versions.gunicorn}; ab ${versions.ab}`);
  console.log(`${RUNS} repetitions (fresh servers each, alternating order) × ab -n ${REQUESTS} -t ${SECONDS} per cell\n`);
  try {
    for (const release of RELEASES) {
      const p = project(release, root);
      const before = switches(release, p.stock);
      const after = switches(release, p.backport);
      const run = { release, django: before.django, asgiref: before.asgiref, switches: { stock: before, backport: after }, cells: [] };
      results.push(run);
      const rps = {}; // `${server} ${view} ${c}` → { stock: [], backport: [] }
      for (const kind of SERVER_NAMES) {
        for (let r = 0; r < RUNS; r++) {
          const order = r % 2 ? ["backport", "stock"] : ["stock", "backport"];
          for (const variant of order) {
            console.error(`${new Date().toISOString().slice(11, 19)} Django ${release} ${kind} repetition ${r + 1}/${RUNS} ${variant}`);
            const server = await start(kind, release, p[variant]);
            try {
              for (const view of VIEWS) ab(server, view, 10, 200, 2); // warm up
              for (const view of VIEWS)
                for (const c of LEVELS) {
                  const key = `${kind} ${view} ${c}`;
                  rps[key] ??= { stock: [], backport: [] };
                  rps[key][variant].push(ab(server, view, c));
                }
            } finally {
              await stop(server);
            }
          }
        }
        for (const view of VIEWS)
          for (const c of LEVELS) {
            const { stock, backport } = rps[`${kind} ${view} ${c}`];
            const paired = stock.map((s, i) => backport[i] / s);
            run.cells.push({ server: kind === "gunicorn" ? "gunicorn (WSGI)" : kind, view, concurrency: c, stock: median(stock), backport: median(backport), range: [Math.min(...paired), Math.max(...paired)], runs: { stock, backport } });
          }
      }
      print(run, versions);
      if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify({ date: started.toISOString(), machine, versions, runs: RUNS, requests: REQUESTS, seconds: SECONDS, results }, null, 2) + "\n");
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  console.error(`done in ${((Date.now() - started.getTime()) / 60000).toFixed(1)} min`);
}

function print(run, versions) {
  const s = run.switches;
  console.log(`### Django ${run.django} (asgiref ${run.asgiref})\n`);
  console.log(`Switches per request (sync_to_async + async_to_sync), stock → --backport: async view ${fmtCount(s.stock.asyncView)} → ${fmtCount(s.backport.asyncView)}, sync view ${fmtCount(s.stock.syncView)} → ${fmtCount(s.backport.syncView)}.\n`);
  console.log(`| server | view | ${LEVELS.map((c) => `c=${c}`).join(" | ")} |`);
  console.log(`|---|---|${LEVELS.map(() => "---").join("|")}|`);
  const label = { uvicorn: `uvicorn ${versions.uvicorn}`, daphne: `daphne ${versions.daphne}`, "gunicorn (WSGI)": `gunicorn ${versions.gunicorn} (WSGI reference)` };
  for (const server of [...new Set(run.cells.map((c) => c.server))])
    for (const view of VIEWS) {
      const cells = LEVELS.map((c) => run.cells.find((x) => x.server === server && x.view === view && x.concurrency === c));
      console.log(
        `| ${label[server]} | ${view} | ${cells.map((c) => `${fmt(c.stock)} → ${fmt(c.backport)} (**${(c.backport / c.stock).toFixed(2)}x**, ${c.range[0].toFixed(2)}–${c.range[1].toFixed(2)})`).join(" | ")} |`,
      );
    }
  console.log("");
}

await main();

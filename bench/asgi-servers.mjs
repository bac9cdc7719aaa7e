#!/usr/bin/env node
// The effect of --backport on a real server (prints figures; not a test).
//
// One small Django project (Debian's Django 3.2: `startproject` defaults, DEBUG off, one
// async view) is served before and after `middleware-codemod --backport --target 3.2`
// by Debian's daphne and uvicorn (one process each) and, as a WSGI reference, gunicorn
// (one sync worker). `ab` loads GET /async/ on 127.0.0.1 at concurrency 1, 10 and 50;
// before and after alternate, several runs each, every run bounded in time. Prints the
// median requests/s and the after/before ratio, and the switch counts measure.py sees.
//
// Usage: npm run build && node bench/asgi-servers.mjs [--runs 3] [--seconds 3] [--concurrency 1,10,50]
// Needs: apt-get install python3-django daphne uvicorn gunicorn apache2-utils
import { execFileSync, spawn } from "node:child_process";
import { closeSync, cpSync, mkdirSync, openSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CLI = path.join(ROOT, "dist/cli/main.js");
const PYTHON = "/usr/bin/python3";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const RUNS = Math.min(9, Math.max(1, Number(arg("runs", "3"))));
const SECONDS = Math.min(20, Math.max(1, Number(arg("seconds", "3"))));
const LEVELS = arg("concurrency", "1,10,50").split(",").map(Number);
const ONLY = arg("only", "");
const MAX_REQUESTS = 200000; // ab -n: the run ends at -t seconds or this many requests

function project() {
  const root = mkdtempSync(path.join(tmpdir(), "mwc-bench-"));
  const before = path.join(root, "before");
  mkdirSync(before);
  execFileSync(PYTHON, ["-m", "django", "startproject", "mysite", before], { stdio: "pipe" });
  const settingsPath = path.join(before, "mysite/settings.py");
  const settings = readFileSync(settingsPath, "utf8").replace("DEBUG = True", "DEBUG = False").replace("ALLOWED_HOSTS = []", "ALLOWED_HOSTS = ['*']");
  writeFileSync(settingsPath, settings);
  writeFileSync(
    path.join(before, "mysite/views.py"),
    'from django.http import HttpResponse\n\n\nasync def async_view(request):\n    return HttpResponse("async")\n\n\ndef sync_view(request):\n    return HttpResponse("sync")\n',
  );
  writeFileSync(
    path.join(before, "mysite/urls.py"),
    'from django.urls import path\n\nfrom . import views\n\nurlpatterns = [\n    path("async/", views.async_view),\n    path("sync/", views.sync_view),\n]\n',
  );
  const after = path.join(root, "after");
  cpSync(before, after, { recursive: true });
  execFileSync(process.execPath, [CLI, "--backport", "--target", "3.2"], { cwd: after, stdio: "pipe" });
  return { root, before, after };
}

function measure(dir) {
  return JSON.parse(execFileSync(PYTHON, [path.join(ROOT, "test/django/measure.py"), dir, "mysite.settings"], { encoding: "utf8" }));
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

/** Until GET /async/ answers 200 (the port opens before a gunicorn worker has booted). */
async function waitFor(port, child, ms = 30000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    const ok = await new Promise((resolve) => {
      const req = http.get({ host: "127.0.0.1", port, path: "/async/", agent: false, timeout: 2000 }, (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode === 200));
      });
      req.on("timeout", () => req.destroy());
      req.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server on ${port} did not answer`);
}

const SERVERS = {
  daphne: (port) => ["/usr/bin/daphne", ["-b", "127.0.0.1", "-p", String(port), "mysite.asgi:application"]],
  uvicorn: (port) => [PYTHON, ["-m", "uvicorn", "mysite.asgi:application", "--host", "127.0.0.1", "--port", String(port), "--workers", "1", "--log-level", "warning", "--no-access-log"]],
  "gunicorn (WSGI)": (port) => [PYTHON, ["-m", "gunicorn", "mysite.wsgi:application", "-b", `127.0.0.1:${port}`, "-w", "1", "--log-level", "warning"]],
};

async function start(kind, dir) {
  const port = await freePort();
  const [cmd, args] = SERVERS[kind](port);
  const log = path.join(path.dirname(dir), `${kind.split(" ")[0]}-${path.basename(dir)}.log`);
  const fd = openSync(log, "a");
  const child = spawn(cmd, args, { cwd: dir, stdio: ["ignore", fd, fd], env: { ...process.env, PYTHONPATH: dir, DJANGO_SETTINGS_MODULE: "mysite.settings" } });
  closeSync(fd);
  await waitFor(port, child);
  return { port, child, log };
}

function stop(server) {
  if (server.child.exitCode === null) server.child.kill("SIGTERM");
}

function ab(server, concurrency, seconds) {
  const port = server.port;
  let out;
  try {
    out = execFileSync("ab", ["-q", "-t", String(seconds), "-n", String(MAX_REQUESTS), "-c", String(concurrency), `http://127.0.0.1:${port}/async/`], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    timeout: (seconds + 30) * 1000,
  });
  } catch (e) {
    throw new Error(`ab on port ${port} failed: ${e.stderr ?? e.message}\nserver log ${server.log}:\n${readFileSync(server.log, "utf8").slice(-2000)}`);
  }
  const rps = Number(/Requests per second:\s+([\d.]+)/.exec(out)?.[1]);
  const failed = Number(/Failed requests:\s+(\d+)/.exec(out)?.[1] ?? 0);
  const non2xx = Number(/Non-2xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  if (!Number.isFinite(rps) || failed || non2xx) throw new Error(`ab on ${port}: ${failed} failed, ${non2xx} non-2xx\n${out}`);
  return rps;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const p = project();
  const versions = measure(p.before);
  const mb = measure(p.before);
  const ma = measure(p.after);
  const fmt = (m) => `${m.asyncView.syncToAsync} sync_to_async + ${m.asyncView.asyncToSync} async_to_sync`;
  console.log(`Django ${versions.django}, asgiref ${versions.asgiref}; default startproject stack, GET /async/ (async view)`);
  console.log(`switches per request: before ${fmt(mb)}, after --backport ${fmt(ma)}`);
  console.log(`${RUNS} alternating runs of ${SECONDS}s per cell; median requests/s\n`);
  const rows = [];
  try {
    for (const kind of Object.keys(SERVERS).filter((k) => !ONLY || k.startsWith(ONLY))) {
      const servers = { before: await start(kind, p.before), after: await start(kind, p.after) };
      try {
        for (const s of Object.values(servers)) ab(s, 1, 1); // warm up
        for (const c of LEVELS) {
          const rps = { before: [], after: [] };
          for (let r = 0; r < RUNS; r++) {
            const order = r % 2 ? ["after", "before"] : ["before", "after"];
            for (const v of order) rps[v].push(ab(servers[v], c, SECONDS));
          }
          const b = median(rps.before);
          const a = median(rps.after);
          rows.push({ server: kind, c, before: b, after: a, ratio: a / b });
          console.log(`${kind.padEnd(16)} c=${String(c).padEnd(3)} before ${b.toFixed(1).padStart(8)}  after ${a.toFixed(1).padStart(8)}  after/before ${(a / b).toFixed(2)}x`);
        }
      } finally {
        for (const s of Object.values(servers)) stop(s);
      }
    }
  } finally {
    if (!process.argv.includes("--keep")) rmSync(p.root, { recursive: true, force: true });
    else console.log(`kept ${p.root}`);
  }
  return rows;
}

await main();

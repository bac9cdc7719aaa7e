#!/usr/bin/env node
// Provisions the real parts that the tests and bench/ run: Debian's Django 3.2 (bookworm),
// 4.2 (trixie) and 5.2 (sid), each with its own asgiref and sqlparse, and bookworm's
// pre-commit and black with their Python dependencies; for bench/asgi-servers.mjs only (not
// provisioned unless named), uvicorn, daphne, gunicorn and `ab`. Each part is fetched with
// `apt-get download` under a private apt configuration (its own sources list, lists, cache
// and an empty dpkg status), built from this machine's own Debian source entry (its URIs
// and keyring, other suites), and unpacked with `dpkg-deb -x` into a cache folder outside
// the repository. Nothing needs root and nothing on the machine changes; signatures are
// checked by apt as for the machine's own sources. A part is unpacked once: later runs read
// its stamp and cost milliseconds.
//
//   node test/setup/provision.mjs          provision, print what is where
//   node test/setup/provision.mjs --env    the same, then print `export` lines for a shell
//   node test/setup/provision.mjs --servers   also the parts of bench/asgi-servers.mjs
//
// Cache: $MIDDLEWARE_CODEMOD_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/middleware-codemod/debian.
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const PYTHON = "/usr/bin/python3";
const SITE = "usr/lib/python3/dist-packages";

/** The suites each apt state reads: a state holds one Debian release (and its updates). */
const STATES = {
  bookworm: [["archive", "bookworm"], ["archive", "bookworm-updates"], ["security", "bookworm-security"]],
  trixie: [["archive", "trixie"], ["archive", "trixie-updates"], ["security", "trixie-security"]],
  sid: [["archive", "sid"]],
};

/**
 * The parts. `packages` are the roots; their Python dependencies (python3-* packages, not the
 * interpreter) come along. `check` runs with `python3 -S` and only the part on PYTHONPATH, so
 * that nothing installed system-wide can stand in for it.
 */
export const PARTS = {
  "django-3.2": { state: "bookworm", packages: ["python3-django"], version: "3.2." },
  "django-4.2": { state: "trixie", packages: ["python3-django"], version: "4.2." },
  "django-5.2": { state: "sid", packages: ["python3-django"], version: "5.2." },
  tools: { state: "bookworm", packages: ["pre-commit", "black"] },
  // bench/asgi-servers.mjs: gunicorn, `ab` (apache2-utils and the two libraries it links that
  // the machine lacks) and the Twisted/Autobahn that daphne 4.1 runs on, from bookworm;
  // trixie's uvicorn 0.32 and daphne 4.1 on top (their C accelerators are built for Python
  // 3.13: uvicorn runs with --loop asyncio --http h11). asgiref comes with each Django.
  servers: { state: "bookworm", servers: true, packages: ["python3-twisted", "python3-autobahn", "python3-gunicorn", "apache2-utils", "libapr1", "libaprutil1"] },
  "servers-trixie": { state: "trixie", servers: true, packages: ["python3-uvicorn", "python3-daphne"], exclude: ["python3-twisted", "python3-autobahn", "python3-asgiref"] },
};

const DJANGO_CHECK = `
import json, django
from django.conf import settings
settings.configure(INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth"],
                   DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}})
django.setup()
import asgiref, sqlparse
print(json.dumps({"version": django.get_version(), "file": django.__file__, "asgiref": asgiref.__version__, "sqlparse": sqlparse.__version__}))
`;

const INTERPRETER = /^(python3(\.\d+)?(-minimal)?|libpython3.*)$/;
/** Parts of Debian's Python that the tools only need for features the tests do not use. */
const NOT_FETCHED = /^python3(\.\d+)?-(distutils|lib2to3|venv|dev)$/;

export function defaultCache(env = process.env) {
  if (env.MIDDLEWARE_CODEMOD_CACHE) return path.resolve(env.MIDDLEWARE_CODEMOD_CACHE);
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache");
  return path.join(base, "middleware-codemod", "debian");
}

class ProvisionError extends Error {}

function fail(message) {
  throw new ProvisionError(message);
}

function has(cmd) {
  return spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
}

/** The machine's Debian entries: the archive's and the security archive's URI, and the keyring. */
export function debianSources(etc = "/etc/apt") {
  const entries = [];
  const partsDir = path.join(etc, "sources.list.d");
  const files = [path.join(etc, "sources.list"), ...(existsSync(partsDir) ? readdirSync(partsDir).sort().map((f) => path.join(partsDir, f)) : [])];
  for (const file of files) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, "utf8");
    if (file.endsWith(".sources")) {
      for (const stanza of text.split(/\n\s*\n/)) {
        const field = (name) => stanza.match(new RegExp(`^${name}:[ \\t]*(.*)$`, "mi"))?.[1].trim();
        if (!(field("Types") ?? "").split(/\s+/).includes("deb") || /^no$/i.test(field("Enabled") ?? "yes")) continue;
        for (const uri of (field("URIs") ?? "").split(/\s+/).filter(Boolean))
          entries.push({ uri, suites: (field("Suites") ?? "").split(/\s+/), keyring: field("Signed-By") });
      }
    } else if (file.endsWith(".list")) {
      for (const line of text.split("\n")) {
        const m = line.match(/^\s*deb\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)/);
        if (m) entries.push({ uri: m[2], suites: [m[3]], keyring: m[1]?.match(/signed-by=(\S+)/)?.[1] });
      }
    }
  }
  const isDebian = (e) => e.suites.some((s) => /^(bookworm|trixie|forky|sid|bullseye)/.test(s));
  const archive = entries.find((e) => isDebian(e) && /\/debian\/?$/.test(e.uri));
  const security = entries.find((e) => isDebian(e) && /\/debian-security\/?$/.test(e.uri));
  if (!archive)
    fail(`no Debian archive entry (a URI ending in /debian) in ${etc}/sources.list or ${etc}/sources.list.d: the real parts are fetched from Debian's archive; on another system install Django 3.2, 4.2 and 5.2, pre-commit and black yourself and set MWC_DJANGO_3_2, MWC_DJANGO_4_2, MWC_DJANGO_5_2, MWC_TOOLS_PYTHONPATH and MWC_TOOLS_BIN`);
  const strip = (u) => u.replace(/\/+$/, "");
  return {
    archive: strip(archive.uri),
    security: security ? strip(security.uri) : strip(archive.uri).replace(/\/debian$/, "/debian-security"),
    keyring: archive.keyring && existsSync(archive.keyring) ? archive.keyring : undefined,
  };
}

function sleep(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return e.code === "EPERM";
  }
}

/** One provisioning at a time per cache (parallel test runs share it). */
function withLock(cache, fn) {
  const lock = path.join(cache, ".lock");
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, "pid"), String(process.pid));
      break;
    } catch (e) {
      if (e.code !== "EEXIST") throw e;
      let pid = NaN;
      try {
        pid = Number(readFileSync(path.join(lock, "pid"), "utf8"));
      } catch {}
      if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(lock, { recursive: true, force: true });
      else if (waited > 15 * 60_000) fail(`${lock} is held by process ${pid} for 15 minutes`);
      else sleep(500);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

const arch = () => execFileSync("dpkg", ["--print-architecture"], { encoding: "utf8" }).trim();

/** apt-get/apt-cache options of a private state: nothing of the machine's apt state is read or written. */
function aptOptions(dir, sources, suites) {
  mkdirSync(path.join(dir, "lists", "partial"), { recursive: true });
  mkdirSync(path.join(dir, "archives", "partial"), { recursive: true });
  mkdirSync(path.join(dir, "sources.list.d"), { recursive: true });
  mkdirSync(path.join(dir, "preferences.d"), { recursive: true });
  const signed = sources.keyring ? ` [signed-by=${sources.keyring}]` : "";
  const list = suites.map(([where, suite]) => `deb${signed} ${sources[where]} ${suite} main\n`).join("");
  writeFileSync(path.join(dir, "sources.list"), list);
  if (!existsSync(path.join(dir, "status"))) writeFileSync(path.join(dir, "status"), "");
  const a = arch();
  const options = {
    "Dir::Etc::SourceList": path.join(dir, "sources.list"),
    "Dir::Etc::SourceParts": path.join(dir, "sources.list.d"),
    "Dir::Etc::Preferences": path.join(dir, "preferences"),
    "Dir::Etc::PreferencesParts": path.join(dir, "preferences.d"),
    "Dir::State": dir,
    "Dir::State::Lists": path.join(dir, "lists"),
    "Dir::State::status": path.join(dir, "status"),
    "Dir::State::extended_states": path.join(dir, "extended_states"),
    "Dir::Cache": dir,
    "Dir::Cache::archives": path.join(dir, "archives"),
    // Kept between the apt-cache and apt-get calls of one provisioning: each would parse the lists again.
    "Dir::Cache::pkgcache": path.join(dir, "pkgcache.bin"),
    "Dir::Cache::srcpkgcache": path.join(dir, "srcpkgcache.bin"),
    "APT::Architecture": a,
    "APT::Architectures": a,
    "Acquire::Languages": "none",
    "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled": "false",
    "Acquire::IndexTargets::deb::DEP-11-icons::DefaultEnabled": "false",
    "Acquire::IndexTargets::deb::DEP-11-icons-small::DefaultEnabled": "false",
    // As root, apt hands downloads to the `_apt` user, who cannot enter a home-directory cache.
    ...(process.getuid?.() === 0 ? { "APT::Sandbox::User": "root" } : {}),
  };
  return Object.entries(options).flatMap(([k, v]) => ["-o", `${k}=${v}`]);
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", env: { ...process.env, LC_ALL: "C" }, maxBuffer: 64 << 20 });
  if (r.error) fail(`${cmd}: ${r.error.message}`);
  if (r.status !== 0) fail(`${cmd} ${args.filter((a) => !a.startsWith("Dir::") && a !== "-o").join(" ")} failed (${r.status}):\n${r.stderr}${r.stdout}`.trim());
  return r.stdout;
}

/**
 * The Python dependencies named in `apt-cache depends` output: Depends and Pre-Depends on
 * python3-* packages. In a group of alternatives the first one counts, and none where the
 * interpreter itself is one of them (`python3-importlib-metadata | python3 (>= 3.10)`).
 */
export function pythonDepends(output) {
  const names = [];
  let group = [];
  for (const line of output.split("\n")) {
    const m = line.match(/^\s+(\|)?(?:Pre)?Depends: (\S+)/);
    if (!m) continue;
    group.push(m[2].replace(/:any$/, ""));
    if (m[1]) continue; // more alternatives follow
    const bare = group.map((n) => n.replace(/^<(.*)>$/, "$1").replace(/:any$/, ""));
    // A virtual package (<name>) is provided by another one and cannot be downloaded itself.
    const [first] = group;
    if (!bare.some((n) => INTERPRETER.test(n)) && first.startsWith("python3-") && !NOT_FETCHED.test(first) && !names.includes(first)) names.push(first);
    group = [];
  }
  return names;
}

/** The roots and their Python dependencies, recursively; `exclude` and what only they need stay out. */
function pythonClosure(options, roots, exclude = []) {
  const seen = new Set([...roots, ...exclude]);
  let next = [...roots];
  while (next.length) {
    const out = run("apt-cache", [...options, "depends", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks", "--no-replaces", "--no-enhances", ...next]);
    next = pythonDepends(out).filter((n) => !seen.has(n));
    for (const n of next) seen.add(n);
  }
  return [...seen].filter((n) => !exclude.includes(n)).sort();
}

function recipe(name) {
  return createHash("sha256").update(JSON.stringify({ name, ...PARTS[name], suites: STATES[PARTS[name].state], format: 2 })).digest("hex").slice(0, 16);
}

function readStamp(root) {
  try {
    return JSON.parse(readFileSync(path.join(root, ".provisioned.json"), "utf8"));
  } catch {
    return null;
  }
}

/** Runs the part's own check with nothing but the part on the Python path. */
function check(name, root) {
  const env = { ...process.env, PYTHONPATH: path.join(root, SITE), PYTHONDONTWRITEBYTECODE: "1" };
  delete env.DJANGO_SETTINGS_MODULE;
  const part = PARTS[name];
  if (part.version) {
    const r = spawnSync(PYTHON, ["-S", "-c", DJANGO_CHECK], { encoding: "utf8", env, cwd: root });
    if (r.status !== 0) fail(`${name}: Django does not set up with ${PYTHON} (${r.status}): ${r.stderr}`);
    const info = JSON.parse(r.stdout);
    if (!info.version.startsWith(part.version))
      fail(`${name}: Debian's ${part.state} now carries Django ${info.version}, not ${part.version}x; update PARTS in test/setup/provision.mjs`);
    if (!info.file.startsWith(root + path.sep)) fail(`${name}: Django was imported from ${info.file}, outside ${root}`);
    return { ...info, file: path.relative(root, info.file) };
  }
  const info = {};
  if (part.servers) return checkServers(name, root, env);
  for (const tool of ["pre-commit", "black"]) {
    const r = spawnSync(PYTHON, ["-S", path.join(root, "usr/bin", tool), "--version"], { encoding: "utf8", env });
    if (r.status !== 0) fail(`${name}: ${tool} --version failed (${r.status}): ${r.stderr}`);
    info[tool] = r.stdout.trim().split("\n")[0];
  }
  return info;
}

/** The folder of the shared libraries a part carries (usr/lib/<multiarch>), or null. */
export function libraryDir(root) {
  const lib = path.join(root, "usr/lib");
  const multiarch = existsSync(lib) ? readdirSync(lib).find((d) => /-linux-gnu/.test(d)) : undefined;
  return multiarch ? path.join(lib, multiarch) : null;
}

/** The servers import and `ab` runs, with nothing but the part on the paths. */
function checkServers(name, root, env) {
  if (name === "servers") {
    const ab = spawnSync(path.join(root, "usr/bin/ab"), ["-V"], { encoding: "utf8", env: { ...env, LD_LIBRARY_PATH: libraryDir(root) ?? "" } });
    if (ab.status !== 0) fail(`${name}: ab -V failed (${ab.status}): ${ab.stderr}`);
  }
  const modules = name === "servers" ? ["twisted", "autobahn", "gunicorn"] : ["uvicorn", "daphne"];
  const code = `import importlib.metadata as m, json; print(json.dumps({n: m.version(n) for n in ${JSON.stringify(modules)}}))`;
  const r = spawnSync(PYTHON, ["-S", "-c", code], { encoding: "utf8", env });
  if (r.status !== 0) fail(`${name}: reading the server versions failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const quote = (a) => `'${String(a).replaceAll("'", `'\\''`)}'`;

/** Runs the commands at the same time (downloads wait on the network, not on the CPU). */
function runParallel(jobs, scratch) {
  mkdirSync(scratch, { recursive: true });
  const script = jobs.map(([cmd, args, cwd], i) => `(cd ${quote(cwd)} && ${[cmd, ...args].map(quote).join(" ")} >${quote(path.join(scratch, `${i}.out`))} 2>&1; echo $? >${quote(path.join(scratch, `${i}.rc`))}) &`).join("\n");
  spawnSync("sh", ["-c", `${script}\nwait`], { stdio: "ignore", env: { ...process.env, LC_ALL: "C" } });
  jobs.forEach(([cmd, args], i) => {
    const rc = readFileSync(path.join(scratch, `${i}.rc`), "utf8").trim();
    if (rc !== "0") fail(`${cmd} ${args.filter((a) => !a.startsWith("Dir::") && a !== "-o").join(" ")} failed (${rc}):\n${readFileSync(path.join(scratch, `${i}.out`), "utf8").trim()}`);
  });
}

/** Provisions the parts named: fetch the lists and the packages of all at once, then unpack each. */
function provisionParts(names, cache, sources, log) {
  const t = Date.now();
  const states = [...new Set(names.map((n) => PARTS[n].state))];
  const options = Object.fromEntries(states.map((s) => [s, aptOptions(path.join(cache, "apt", s), sources, STATES[s])]));
  log(`apt-get update (${states.flatMap((s) => STATES[s].map((x) => x[1])).join(", ")})`);
  runParallel(states.map((s) => ["apt-get", [...options[s], "-q", "update"], cache]), path.join(cache, "apt", ".update"));
  log(`lists in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  const work = Object.fromEntries(names.map((n) => [n, path.join(cache, "parts", `.${n}.${process.pid}`)]));
  const downloads = names.map((n) => {
    const packages = pythonClosure(options[PARTS[n].state], PARTS[n].packages, PARTS[n].exclude);
    rmSync(work[n], { recursive: true, force: true });
    mkdirSync(path.join(work[n], "debs"), { recursive: true });
    log(`${n}: apt-get download ${packages.join(" ")}`);
    return ["apt-get", [...options[PARTS[n].state], "-q", "download", ...packages], path.join(work[n], "debs")];
  });
  log(`dependencies in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  runParallel(downloads, path.join(cache, "apt", ".download"));
  log(`downloaded in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  for (const name of names) {
    const debsDir = path.join(work[name], "debs");
    const debs = readdirSync(debsDir).filter((f) => f.endsWith(".deb")).sort();
    const tree = path.join(work[name], "tree");
    for (const deb of debs) run("dpkg-deb", ["-x", path.join(debsDir, deb), tree]);
    rmSync(debsDir, { recursive: true, force: true });
    // Debian compiles the modules when it installs a package; without the compiled files every
    // Python process would compile Django again.
    run(PYTHON, ["-m", "compileall", "-q", "-j0", path.join(tree, SITE)]);
    const info = check(name, tree);
    writeFileSync(path.join(tree, ".provisioned.json"), JSON.stringify({ recipe: recipe(name), debs, ...info }, null, 2) + "\n");
    const root = path.join(cache, "parts", name);
    rmSync(root, { recursive: true, force: true });
    renameSync(tree, root);
    rmSync(work[name], { recursive: true, force: true });
    const { recipe: _r, debs: _d, ...shown } = info;
    log(`${name}: ${Object.values(shown).filter((v) => !String(v).includes("/")).join(", ")}`);
  }
  log(`provisioned in ${((Date.now() - t) / 1000).toFixed(1)} s: ${cache}`);
}

/**
 * Provisions every part (or the ones named) and returns where they are. Throws a
 * ProvisionError with a message that says what is missing.
 */
export function provision({ cache = defaultCache(), parts = Object.keys(PARTS).filter((n) => !PARTS[n].servers), log = (m) => process.stderr.write(`provision: ${m}\n`) } = {}) {
  const result = { cache, python: PYTHON, parts: {} };
  const missing = () => parts.filter((n) => readStamp(path.join(cache, "parts", n))?.recipe !== recipe(n));
  if (missing().length) {
    for (const cmd of ["apt-get", "apt-cache", "dpkg-deb", "dpkg"])
      if (!has(cmd))
        fail(`${cmd} is missing: the tests fetch Debian's Django 3.2/4.2/5.2, pre-commit and black with apt-get download and dpkg-deb (Debian or a derivative). Elsewhere install them yourself and set MWC_DJANGO_3_2, MWC_DJANGO_4_2, MWC_DJANGO_5_2 (PYTHONPATH roots), MWC_TOOLS_PYTHONPATH and MWC_TOOLS_BIN`);
    if (!existsSync(PYTHON)) fail(`${PYTHON} is missing: apt-get install python3 (3.11, the Python of Debian bookworm)`);
    const sources = debianSources();
    mkdirSync(cache, { recursive: true });
    withLock(cache, () => {
      // Work folders of an interrupted provisioning (.<part>.<pid>): the lock is ours, so none is in use.
      const partsDir = path.join(cache, "parts");
      if (existsSync(partsDir)) for (const f of readdirSync(partsDir)) if (/^\..+\.\d+$/.test(f)) rmSync(path.join(partsDir, f), { recursive: true, force: true });
      const names = missing();
      if (names.length) provisionParts(names, cache, sources, log);
      // The package lists are fetched afresh whenever a part is provisioned: no need to keep them.
      rmSync(path.join(cache, "apt"), { recursive: true, force: true });
    });
  }
  for (const name of parts) {
    const root = path.join(cache, "parts", name);
    result.parts[name] = { root, pythonPath: path.join(root, SITE), bin: path.join(root, "usr/bin"), stamp: readStamp(root) };
  }
  return result;
}

/** The environment variables that name the parts (see test/setup/parts.ts). */
export function partsEnv(result) {
  const p = result.parts;
  const env = {};
  for (const v of ["3.2", "4.2", "5.2"]) if (p[`django-${v}`]) env[`MWC_DJANGO_${v.replace(".", "_")}`] = p[`django-${v}`].pythonPath;
  if (p.servers) {
    env.MWC_SERVERS_PYTHONPATH = p.servers.pythonPath;
    env.MWC_SERVERS_BIN = p.servers.bin;
    env.MWC_SERVERS_LIBS = libraryDir(p.servers.root) ?? "";
  }
  if (p["servers-trixie"]) env.MWC_SERVERS_TRIXIE_PYTHONPATH = p["servers-trixie"].pythonPath;
  if (p.tools) {
    env.MWC_TOOLS_PYTHONPATH = p.tools.pythonPath;
    env.MWC_TOOLS_BIN = p.tools.bin;
  }
  return env;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const t = Date.now();
    const result = provision(process.argv.includes("--servers") ? { parts: Object.keys(PARTS) } : {});
    const env = partsEnv(result);
    if (process.argv.includes("--env")) {
      for (const [k, v] of Object.entries(env)) process.stdout.write(`export ${k}=${JSON.stringify(v)}\n`);
    } else {
      for (const [name, p] of Object.entries(result.parts)) {
        const { recipe: _r, debs: _d, ...info } = p.stamp;
        console.log(`${name.padEnd(11)} ${p.root}  ${JSON.stringify(info)}`);
      }
      console.log(`(${((Date.now() - t) / 1000).toFixed(1)} s)`);
    }
  } catch (e) {
    if (!(e instanceof ProvisionError)) throw e;
    process.stderr.write(`provision: ${e.message}\n`);
    process.exit(1);
  }
}

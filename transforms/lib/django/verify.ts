// --verify: what the project's own Django does, measured, next to what the chain analysis
// predicts. verify.py (next to this module in the package) runs under the project's
// interpreter, imports its settings, builds the middleware chain with its Django and counts
// the adapters of one request to an async and a sync view. The project is measured on a
// temporary copy: once with the files as they were before this run, once with this run's
// edits, so the project itself is never written to and its imports leave no bytecode there.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findSitePackagesDir } from "../frontends/python/site-packages.ts";
import type { Chain, SwitchCount } from "./chain-model.ts";

export interface Measured {
  django: string;
  djangoFile: string;
  asgiref: string;
  python: string;
  asyncView: SwitchCount;
  syncView: SwitchCount;
}

/** verify.py: beside this module in the sources, under transforms/ of the package when running from dist/. */
export function verifyScript(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (let dir = here; ; dir = path.dirname(dir)) {
    const candidate = dir === here ? path.join(dir, "verify.py") : path.join(dir, "transforms/lib/django/verify.py");
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`verify.py not found near ${here}`);
  }
}

function binPython(venv: string): string | null {
  for (const p of [path.join(venv, "bin", "python"), path.join(venv, "Scripts", "python.exe")]) if (existsSync(p)) return p;
  return null;
}

/** The project's virtualenv interpreter ($VIRTUAL_ENV, .venv, venv), else /usr/bin/python3. */
export function defaultPython(cwd: string): string {
  for (const venv of [process.env.VIRTUAL_ENV, path.join(cwd, ".venv"), path.join(cwd, "venv")]) {
    const p = venv && binPython(venv);
    if (p) return p;
  }
  return "/usr/bin/python3";
}

/** The installed packages the analysis read: --site-packages, else the project's virtualenv. */
export function sitePackagesFor(cwd: string, explicit?: string): string[] {
  const dir = findSitePackagesDir(cwd, explicit);
  return dir ? [dir] : [];
}

/** The folder a settings file is imported from and its dotted module name (packages by `__init__.py`). */
export function settingsModule(absFile: string): { root: string; module: string } {
  const parts = [path.basename(absFile, ".py")];
  let dir = path.dirname(absFile);
  while (existsSync(path.join(dir, "__init__.py")) && path.dirname(dir) !== dir) {
    parts.unshift(path.basename(dir));
    dir = path.dirname(dir);
  }
  return { root: dir, module: parts.join(".") };
}

export interface MeasureJob {
  /** The folder the settings module is imported from. */
  root: string;
  settings: string;
  through?: "get_response_async" | "asgi";
  /** Folders put first on sys.path (another copy of Django, say). */
  path?: string[];
  sitePackages?: string[];
}

/**
 * Run verify.py once for every job (one process; each job in a forked child): per job its
 * counts, or an Error that says why it could not be measured.
 */
export function measureBatch(python: string, jobs: MeasureJob[], env: NodeJS.ProcessEnv = process.env, pythonArgs: string[] = []): (Measured | Error)[] {
  if (!jobs.length) return [];
  const r = spawnSync(python, [...pythonArgs, verifyScript(), "--batch", JSON.stringify(jobs)], {
    encoding: "utf8",
    timeout: 60_000 + 30_000 * jobs.length,
    maxBuffer: 64 << 20,
    env: { ...env, PYTHONDONTWRITEBYTECODE: "1" },
  });
  if (r.error) throw new Error(`${python}: ${r.error.message}`);
  let out: ((Measured & { error?: undefined }) | { error: string })[] | null = null;
  try {
    out = JSON.parse(r.stdout.trim().split("\n").pop() ?? "");
  } catch {
    // reported below with the interpreter's own output
  }
  if (!Array.isArray(out) || out.length !== jobs.length)
    throw new Error(`${python} ${verifyScript()}: exit ${r.status}: ${(r.stderr || r.stdout).trim().split("\n").slice(-3).join(" ")}`);
  return out.map((m) => (m.error !== undefined ? new Error(m.error) : (m as Measured)));
}

export interface ChainVerification {
  chain: Chain;
  module: string;
  before: Measured | null;
  after: Measured | null;
  /** Why it could not be measured. */
  error: string | null;
  /** Measured and predicted differ somewhere (null when either is missing). */
  mismatch: boolean | null;
}

const skip = new Set([".git", "node_modules", "__pycache__", ".venv", "venv", ".tox", ".mypy_cache"]);

function commonAncestor(paths: string[]): string {
  let base = paths[0];
  for (const p of paths.slice(1)) while (!(p === base || p.startsWith(base.endsWith(path.sep) ? base : base + path.sep))) base = path.dirname(base);
  return base;
}

function same(a: SwitchCount, b: SwitchCount): boolean {
  return a.syncToAsync === b.syncToAsync && a.asyncToSync === b.asyncToSync;
}

/**
 * Measure every chain of the run before and after `changed` (absolute path → the text before
 * this run, null for a new file, and after it), on one temporary copy of the project.
 */
export function verifyChains(o: {
  cwd: string;
  chains: readonly Chain[];
  changed: ReadonlyMap<string, { before: string | null; after: string }>;
  python: string;
  sitePackages: string[];
}): ChainVerification[] {
  const settings = o.chains.map((c) => settingsModule(path.resolve(o.cwd, c.file)));
  if (!settings.length) return [];
  const base = commonAncestor([...settings.map((s) => s.root), ...[...o.changed.keys()].map((f) => path.dirname(f))]);
  const tmp = mkdtempSync(path.join(tmpdir(), "middleware-codemod-verify-"));
  const copy = path.join(tmp, "project");
  const inCopy = (abs: string) => path.join(copy, path.relative(base, abs));
  const overlay = (state: "before" | "after") => {
    for (const [abs, t] of o.changed) {
      const text = state === "before" ? t.before : t.after;
      if (text === null) rmSync(inCopy(abs), { force: true });
      else {
        mkdirSync(path.dirname(inCopy(abs)), { recursive: true });
        writeFileSync(inCopy(abs), text);
      }
    }
  };
  try {
    cpSync(base, copy, {
      recursive: true,
      filter: (src) => !skip.has(path.basename(src)) && !existsSync(path.join(src, "pyvenv.cfg")),
    });
    const results: ChainVerification[] = o.chains.map((chain, i) => ({ chain, module: settings[i].module, before: null, after: null, error: null, mismatch: null }));
    for (const state of ["before", "after"] as const) {
      overlay(state);
      const pending = results.map((r, i) => ({ r, i })).filter(({ r }) => !r.error);
      let measured: (Measured | Error)[];
      try {
        measured = measureBatch(o.python, pending.map(({ i }) => ({ root: inCopy(settings[i].root), settings: settings[i].module, sitePackages: o.sitePackages })));
      } catch (e) {
        measured = pending.map(() => e as Error);
      }
      pending.forEach(({ r }, k) => {
        const m = measured[k];
        if (m instanceof Error) r.error = `${state} this run's edits: ${m.message}`;
        else r[state] = m;
      });
    }
    for (const r of results) {
      const sw = r.chain.switches;
      if (!sw || !r.before || !r.after) continue;
      r.mismatch = !(
        same(sw.asyncView.before, r.before.asyncView) &&
        same(sw.syncView.before, r.before.syncView) &&
        same(sw.asyncView.after, r.after.asyncView) &&
        same(sw.syncView.after, r.after.syncView)
      );
    }
    return results;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

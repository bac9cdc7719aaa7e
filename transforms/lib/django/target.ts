// `--target auto`: the Django version a project runs, from its pins. Lock files say what is
// installed and win; then exact pins (`==`); then ranges, which count as their lower bound's
// release (`>=4.2,<5.0` → 4.2). Without any pin: the newest release the table knows.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { DjangoTarget } from "../model.ts";
import { NEWEST_DJANGO_RELEASE } from "./versions.ts";

export type { DjangoTarget };

interface Pin {
  version: string;
  /** 0: lock file, 1: exact pin, 2: range. */
  strength: 0 | 1 | 2;
  source: string;
}

const NAME = String.raw`["']?\s*django(?![\w.-])\s*(?:\[[^\]]*\])?`;

/** A PEP 440 specifier set ("==4.2.1", ">=4.2,<5.0", "~=5.0") → the version it pins or starts at. */
export function fromSpecifier(spec: string): { version: string; exact: boolean } | null {
  let lower: string | null = null;
  for (const part of spec.split(",")) {
    const m = /^\s*(===|==|~=|>=|>|\^|~|<=|<|!=)?\s*v?(\d+(?:\.\d+)*)(\.\*)?/.exec(part.trim());
    if (!m) continue;
    const [, op = "", version, wildcard] = m;
    if ((op === "==" || op === "===" || op === "") && !wildcard) return { version, exact: true };
    if (op === "==" || op === ">=" || op === ">" || op === "~=" || op === "^" || op === "~") lower ??= version;
  }
  return lower ? { version: release(lower), exact: false } : null;
}

/** "4.2.3" → "4.2": the release a range starts in. */
function release(version: string): string {
  const [major, minor = "0"] = version.split(".");
  return `${major}.${minor}`;
}

function lines(file: string): string[] | null {
  try {
    return readFileSync(file, "utf8").split(/\r?\n/);
  } catch {
    return null;
  }
}

function pin(spec: string, source: string, strengthIfExact: 0 | 1 = 1): Pin | null {
  const r = fromSpecifier(spec);
  return r ? { version: r.version, strength: r.exact ? strengthIfExact : 2, source } : null;
}

/** requirements files, following `-r`/`-c` includes once each. */
function requirements(cwd: string, file: string, out: Pin[], seen: Set<string>): void {
  if (seen.has(file)) return;
  seen.add(file);
  const text = lines(file);
  if (!text) return;
  const rel = path.relative(cwd, file).split(path.sep).join("/");
  text.forEach((line, i) => {
    const include = /^\s*(?:-r|-c|--requirement|--constraint)\s*=?\s*(\S+)/.exec(line);
    if (include) return requirements(cwd, path.resolve(path.dirname(file), include[1]), out, seen);
    const m = new RegExp(`^\\s*${NAME}\\s*([^;#]*)`, "i").exec(line);
    const p = m && pin(m[1], `${rel}:${i + 1}`);
    if (p) out.push(p);
  });
}

/** pyproject.toml: PEP 508 strings anywhere (PEP 621 dependencies, optional groups), Poetry tables. */
function pyproject(rel: string, text: string[], out: Pin[]): void {
  let table = "";
  text.forEach((line, i) => {
    const header = /^\s*\[+([^\]]+)\]+/.exec(line);
    if (header) table = header[1].trim();
    const source = `${rel}:${i + 1}`;
    if (/^tool\.poetry\.(?:.*\.)?dependencies$/.test(table)) {
      const m = /^\s*["']?django["']?\s*=\s*(?:"([^"]*)"|'([^']*)'|\{[^}]*version\s*=\s*["']([^"']*)["'])/i.exec(line);
      const p = m && pin(m[1] ?? m[2] ?? m[3], source);
      if (p) out.push(p);
      return;
    }
    for (const m of line.matchAll(/["']\s*django(?![\w.-])\s*(?:\[[^\]]*\])?\s*([^"';]*)/gi)) {
      const p = pin(m[1], source);
      if (p) out.push(p);
    }
  });
}

/** setup.cfg `install_requires` lines and Pipfile `django = "..."` entries. */
function setupCfg(rel: string, text: string[], out: Pin[]): void {
  text.forEach((line, i) => {
    const m = /^\s*django(?![\w.-])\s*(?:\[[^\]]*\])?\s*([<>=~!][^;#]*)/i.exec(line);
    const p = m && pin(m[1], `${rel}:${i + 1}`);
    if (p) out.push(p);
  });
}

function pipfile(rel: string, text: string[], out: Pin[]): void {
  text.forEach((line, i) => {
    const m = /^\s*["']?django["']?\s*=\s*(?:"([^"]*)"|'([^']*)'|\{[^}]*version\s*=\s*["']([^"']*)["'])/i.exec(line);
    const p = m && pin(m[1] ?? m[2] ?? m[3], `${rel}:${i + 1}`);
    if (p) out.push(p);
  });
}

/** poetry.lock and uv.lock: `[[package]]` tables with `name = "django"` and `version = "…"`. */
function tomlLock(rel: string, text: string[], out: Pin[]): void {
  let isDjango = false;
  text.forEach((line, i) => {
    if (/^\s*\[\[package\]\]/.test(line)) isDjango = false;
    else if (/^\s*name\s*=\s*["']django["']/i.test(line)) isDjango = true;
    else {
      const m = isDjango && /^\s*version\s*=\s*["']([^"']+)["']/.exec(line);
      if (m) {
        out.push({ version: m[1], strength: 0, source: `${rel}:${i + 1}` });
        isDjango = false;
      }
    }
  });
}

function pipfileLock(rel: string, text: string[], out: Pin[]): void {
  let isDjango = false;
  text.forEach((line, i) => {
    if (/^\s*"django"\s*:\s*\{/i.test(line)) isDjango = true;
    const m = isDjango && /"version"\s*:\s*"==([^"]+)"/.exec(line);
    if (m) {
      out.push({ version: m[1], strength: 0, source: `${rel}:${i + 1}` });
      isDjango = false;
    }
  });
}

/** Every Django pin found in the project folder, in file order. */
export function findDjangoPins(cwd: string): Pin[] {
  const out: Pin[] = [];
  const read = (name: string, parse: (rel: string, text: string[], out: Pin[]) => void) => {
    const text = lines(path.join(cwd, name));
    if (text) parse(name, text, out);
  };
  read("poetry.lock", tomlLock);
  read("uv.lock", tomlLock);
  read("Pipfile.lock", pipfileLock);
  const seen = new Set<string>();
  const reqFiles: string[] = [];
  const list = (dir: string) => {
    try {
      return readdirSync(dir).sort();
    } catch {
      return [];
    }
  };
  for (const n of list(cwd)) if (/^requirements.*\.(txt|in)$/i.test(n)) reqFiles.push(path.join(cwd, n));
  for (const n of list(path.join(cwd, "requirements"))) if (/\.(txt|in)$/i.test(n)) reqFiles.push(path.join(cwd, "requirements", n));
  for (const f of reqFiles) requirements(cwd, f, out, seen);
  read("pyproject.toml", pyproject);
  read("setup.cfg", setupCfg);
  read("Pipfile", pipfile);
  return out;
}

export function detectDjangoTarget(cwd: string): DjangoTarget {
  const pins = findDjangoPins(cwd);
  for (const strength of [0, 1, 2] as const) {
    const p = pins.find((x) => x.strength === strength);
    if (p) return { version: p.version, source: p.source };
  }
  return { version: NEWEST_DJANGO_RELEASE, source: "default (no pin found)" };
}

/** `--target VERSION` or `--target auto`. */
export function resolveDjangoTarget(cwd: string, target: string): DjangoTarget {
  return target === "auto" ? detectDjangoTarget(cwd) : { version: target, source: "--target" };
}

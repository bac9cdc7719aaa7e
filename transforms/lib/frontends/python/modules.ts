// Python module names, found the way Python's import system finds them: from the folders that
// would be on `sys.path` (import roots), not by climbing every `__init__.py` upwards. Import
// roots: the scanned folders and the current directory, every folder named `src`, every folder
// holding `manage.py`, `pyproject.toml`, `setup.py` or `setup.cfg`, and the repository's top,
// from a file's folder up to the repository (or, outside git, the file system's root). A file
// gets a name from each root above it whose path down to the file is made of identifiers; so a
// root folder with an `__init__.py` or a name such as `django-tenants` loses nothing. Modules
// of the project outside the scanned files are found under the same roots, to be read only.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import type { SourceFile } from "../../model.ts";

export interface ModuleIndex {
  /** Scanned files by every name they can be imported under. */
  byName: Map<string, SourceFile>;
  /** Each scanned file's main name (what its relative imports resolve against). */
  nameOf: Map<string, string>;
  /** `__init__.py` files: relative imports resolve against the module itself. */
  isPackage(file: SourceFile): boolean;
  /** A module of this name exists (a file, or a package folder), scanned or under an import root. */
  has(name: string): boolean;
  /** A project module outside the scanned files: its path under an import root, or null. */
  onDisk(name: string): string | null;
}

const IDENTIFIER = /^[A-Za-z_]\w*$/;

/**
 * `scanRoots`: the folders given on the command line (a file given stands for its folder).
 * A root inside a package (with an `__init__.py`) and without a project file names the file
 * last, after the roots outside packages and the name its `__init__.py` files give:
 * `proj/pkg/mw.py` under a scanned `proj/` that is itself a package is `proj.pkg.mw` first, and
 * `pkg.mw` too.
 */
export function buildModuleIndex(files: SourceFile[], cwd: string, scanRoots: string[] = [cwd]): ModuleIndex {
  const known = new Set(files.map((f) => f.absPath));
  const exists = memo((p: string) => known.has(p) || existsSync(p));
  const isDir = memo((p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
  const given = new Set([cwd, ...scanRoots].map((r) => path.resolve(cwd, r)).map((r) => (isDir(r) ? r : path.dirname(r))));
  // Inside the scanned folders the scanned files answer for `.py` names (no system call).
  const scanned = new Set(scanRoots.map((r) => path.resolve(cwd, r)).filter(isDir));
  const scannedDir = memo((dir: string): boolean => scanned.has(dir) || (path.dirname(dir) !== dir && scannedDir(path.dirname(dir))));
  const hasPy = (dir: string, name: string) => known.has(path.join(dir, name)) || (!scannedDir(dir) && existsSync(path.join(dir, name)));
  const hasInit = memo((dir: string) => hasPy(dir, "__init__.py"));
  const hasMarker = memo((dir: string) => hasPy(dir, "manage.py") || hasPy(dir, "setup.py") || exists(path.join(dir, "pyproject.toml")) || exists(path.join(dir, "setup.cfg")));
  const hasGit = memo((dir: string) => exists(path.join(dir, ".git")));
  const isTop = (dir: string) => hasGit(dir) || path.dirname(dir) === dir;
  const isRoot = memo((dir: string) => given.has(dir) || path.basename(dir) === "src" || hasGit(dir) || hasMarker(dir));
  /** The import roots above a folder, nearest first. */
  const rootsCache = new Map<string, string[]>();
  const rootsOf = (dir: string): string[] => {
    const chain: string[] = [];
    let d = dir;
    let tail: string[] = [];
    for (;;) {
      const cached = rootsCache.get(d);
      if (cached) {
        tail = cached;
        break;
      }
      chain.push(d);
      if (isTop(d)) break;
      d = path.dirname(d);
    }
    for (let i = chain.length - 1; i >= 0; i--) {
      tail = isRoot(chain[i]) ? [chain[i], ...tail] : tail;
      rootsCache.set(chain[i], tail);
    }
    return tail;
  };
  const strong = (root: string) => !hasInit(root) || hasMarker(root);

  const allRoots = new Set<string>();
  const names = new Map<SourceFile, string[]>();
  for (const f of files) {
    if (!f.absPath.endsWith(".py")) continue;
    const dir = path.dirname(f.absPath);
    const base = path.basename(f.absPath, ".py");
    const own = base === "__init__" ? [] : [base];
    const roots = rootsOf(dir);
    for (const r of roots) allRoots.add(r);
    const list: string[] = [];
    const add = (parts: string[]) => {
      if (!parts.length || !parts.every((p) => IDENTIFIER.test(p))) return;
      const n = parts.join(".");
      if (!list.includes(n)) list.push(n);
    };
    const fromRoot = (r: string) => {
      const rel = dir.slice(r.length + (r.endsWith(path.sep) ? 0 : 1));
      add([...(rel ? rel.split(path.sep) : []), ...own]);
    };
    for (const r of roots) if (strong(r)) fromRoot(r);
    // The package a file belongs to by its `__init__.py` files, wherever its top is.
    const climbed = [...own];
    let d = dir;
    while (hasInit(d) && path.dirname(d) !== d && IDENTIFIER.test(path.basename(d))) {
      climbed.unshift(path.basename(d));
      d = path.dirname(d);
    }
    add(climbed);
    for (const r of roots) if (!strong(r)) fromRoot(r);
    names.set(f, list);
  }
  // Every file's first name before any file's second: a name another file owns first stays its.
  const byName = new Map<string, SourceFile>();
  const nameOf = new Map<string, string>();
  for (let tier = 0, more = true; more; tier++) {
    more = false;
    for (const [f, list] of names) {
      if (tier >= list.length) continue;
      more = true;
      if (tier === 0) nameOf.set(f.absPath, list[0]);
      if (!byName.has(list[tier])) byName.set(list[tier], f);
    }
  }
  const prefixes = new Set<string>();
  for (const n of byName.keys()) {
    const p = n.split(".");
    for (let i = 1; i < p.length; i++) prefixes.add(p.slice(0, i).join("."));
  }
  const rootList = [...allRoots];
  const onDisk = memo((name: string): string | null => {
    const parts = name.split(".");
    if (!parts.every((p) => IDENTIFIER.test(p))) return null;
    for (const r of rootList) {
      const p = path.join(r, ...parts);
      if (exists(p + ".py")) return p + ".py";
      if (exists(path.join(p, "__init__.py"))) return path.join(p, "__init__.py");
    }
    return null;
  });
  const packageDir = memo((name: string) => rootList.some((r) => isDir(path.join(r, ...name.split(".")))));
  return {
    byName,
    nameOf,
    isPackage: (f) => path.basename(f.absPath) === "__init__.py",
    has: (n) => byName.has(n) || prefixes.has(n) || onDisk(n) !== null || packageDir(n),
    onDisk,
  };
}

function memo<T>(fn: (key: string) => T): (key: string) => T {
  const cache = new Map<string, T>();
  return (key) => {
    let v = cache.get(key);
    if (v === undefined && !cache.has(key)) {
      v = fn(key);
      cache.set(key, v);
    }
    return v as T;
  };
}

/** `from ..a import b` inside module `current`: the absolute module name, or null above the top. */
export function resolveRelative(current: string, isPackage: boolean, level: number, name: string): string | null {
  const parts = current.split(".");
  const pkg = isPackage ? parts : parts.slice(0, -1);
  if (level - 1 > pkg.length) return null;
  const base = pkg.slice(0, pkg.length - (level - 1));
  const full = [...base, ...(name ? name.split(".") : [])];
  return full.length ? full.join(".") : null;
}

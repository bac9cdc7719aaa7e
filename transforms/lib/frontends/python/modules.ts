// Python module names for the scanned files. A file's package root is the first folder upwards
// without an `__init__.py` (so `src/` layouts need nothing special); its dotted path from there
// is its name. Folders without `__init__.py` (namespace packages, loose app folders) also get
// the names relative to each folder up to the current directory, as a fallback.
import { existsSync } from "node:fs";
import path from "node:path";
import type { SourceFile } from "../../model.ts";

export interface ModuleIndex {
  byName: Map<string, SourceFile>;
  nameOf: Map<string, string>;
  /** `__init__.py` files: relative imports resolve against the module itself. */
  isPackage(file: SourceFile): boolean;
  /** A module of this name exists (a file, or a package folder with `__init__.py`). */
  has(name: string): boolean;
}

export function buildModuleIndex(files: SourceFile[], cwd: string): ModuleIndex {
  const known = new Set(files.map((f) => f.absPath));
  const initCache = new Map<string, boolean>();
  const hasInit = (dir: string) => {
    let r = initCache.get(dir);
    if (r === undefined) {
      const p = path.join(dir, "__init__.py");
      r = known.has(p) || existsSync(p);
      initCache.set(dir, r);
    }
    return r;
  };
  const primary = new Map<string, SourceFile>();
  const fallback = new Map<string, SourceFile>();
  const nameOf = new Map<string, string>();
  const root = path.resolve(cwd);
  for (const f of files) {
    if (!f.absPath.endsWith(".py")) continue;
    const base = path.basename(f.absPath, ".py");
    const parts = base === "__init__" ? [] : [base];
    let dir = path.dirname(f.absPath);
    while (hasInit(dir) && path.dirname(dir) !== dir) {
      parts.unshift(path.basename(dir));
      dir = path.dirname(dir);
    }
    if (!parts.length || !parts.every((p) => /^[A-Za-z_]\w*$/.test(p))) continue;
    const name = parts.join(".");
    nameOf.set(f.absPath, name);
    if (!primary.has(name)) primary.set(name, f);
    // Fallback names through folders without __init__.py, up to the current directory.
    const extra = [...parts];
    while (dir.startsWith(root + path.sep) && /^[A-Za-z_]\w*$/.test(path.basename(dir))) {
      extra.unshift(path.basename(dir));
      const n = extra.join(".");
      if (!fallback.has(n)) fallback.set(n, f);
      dir = path.dirname(dir);
    }
  }
  for (const [n, f] of fallback) if (!primary.has(n)) primary.set(n, f);
  const prefixes = new Set<string>();
  for (const n of primary.keys()) {
    const p = n.split(".");
    for (let i = 1; i < p.length; i++) prefixes.add(p.slice(0, i).join("."));
  }
  return {
    byName: primary,
    nameOf,
    isPackage: (f) => path.basename(f.absPath) === "__init__.py",
    has: (n) => primary.has(n) || prefixes.has(n),
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

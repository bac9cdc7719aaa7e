// Where an import specifier leads: a scanned file, a Node built-in, an outside package,
// or nowhere. Relative paths, index files, `.js` specifiers for `.ts` sources, and the
// `paths`/`baseUrl` of the nearest tsconfig.json (read from disk, `extends` followed).
import { existsSync, readFileSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

export type Resolution =
  | { kind: "file"; file: string }
  | { kind: "builtin" }
  | { kind: "external"; pkg: string }
  | { kind: "missing"; why: string };

const PROBE = [".ts", ".tsx", ".d.ts", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".d.mts", ".d.cts"];
// TypeScript's rule: an import of `./x.js` finds `./x.ts`.
const SUBSTITUTE: Record<string, string[]> = {
  ".js": [".ts", ".tsx", ".d.ts", ".jsx"],
  ".jsx": [".tsx"],
  ".mjs": [".mts", ".d.mts"],
  ".cjs": [".cts", ".d.cts"],
};

interface PathConfig {
  /** Absolute directory that `paths` targets are relative to. */
  pathsBase: string;
  paths: Record<string, string[]>;
  baseUrl: string | null;
}

export class ModuleResolver {
  private readonly configs = new Map<string, PathConfig | null>();
  private readonly cache = new Map<string, Resolution>();

  constructor(
    private readonly cwd: string,
    private readonly files: ReadonlySet<string>,
  ) {}

  resolve(from: string, spec: string): Resolution {
    const key = `${path.posix.dirname(from)}\0${spec}`;
    let r = this.cache.get(key);
    if (!r) this.cache.set(key, (r = this.compute(from, spec)));
    return r;
  }

  private compute(from: string, spec: string): Resolution {
    if (spec.startsWith(".") || spec.startsWith("/")) {
      const target = spec.startsWith("/") ? this.rel(spec) : path.posix.normalize(path.posix.join(path.posix.dirname(from), spec));
      const file = this.probe(target);
      return file ? { kind: "file", file } : { kind: "missing", why: `module '${spec}' is not in the scanned tree` };
    }
    // tsconfig mapping first: TypeScript finds `util/x` under baseUrl before Node's `util`.
    const config = this.configFor(path.dirname(path.resolve(this.cwd, from)));
    if (config) {
      for (const [pattern, targets] of Object.entries(config.paths)) {
        const star = pattern.indexOf("*");
        const matched =
          star < 0
            ? pattern === spec ? "" : null
            : spec.startsWith(pattern.slice(0, star)) && spec.endsWith(pattern.slice(star + 1)) && spec.length >= pattern.length - 1
              ? spec.slice(star, spec.length - (pattern.length - star - 1))
              : null;
        if (matched === null) continue;
        for (const t of targets) {
          const file = this.probe(this.rel(path.resolve(config.pathsBase, t.replace("*", matched))));
          if (file) return { kind: "file", file };
        }
        return { kind: "missing", why: `module '${spec}' maps to '${targets[0]}' (tsconfig paths), which is not in the scanned tree` };
      }
      if (config.baseUrl) {
        const file = this.probe(this.rel(path.resolve(config.baseUrl, spec)));
        if (file) return { kind: "file", file };
      }
    }
    if (spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0])) return { kind: "builtin" };
    const parts = spec.split("/");
    return { kind: "external", pkg: spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0] };
  }

  private rel(abs: string): string {
    return path.relative(this.cwd, abs).split(path.sep).join("/");
  }

  private probe(base: string): string | null {
    if (base.startsWith("../")) return null;
    if (this.files.has(base)) return base;
    const ext = path.posix.extname(base);
    for (const e of SUBSTITUTE[ext] ?? []) if (this.files.has(base.slice(0, -ext.length) + e)) return base.slice(0, -ext.length) + e;
    for (const e of PROBE) if (this.files.has(base + e)) return base + e;
    for (const e of PROBE) if (this.files.has(`${base === "." ? "" : base + "/"}index${e}`)) return `${base === "." ? "" : base + "/"}index${e}`;
    return null;
  }

  /** The nearest tsconfig.json (or jsconfig.json) above a directory, cached per directory. */
  private configFor(dir: string): PathConfig | null {
    if (this.configs.has(dir)) return this.configs.get(dir)!;
    let found: PathConfig | null = null;
    const own = ["tsconfig.json", "jsconfig.json"].map((n) => path.join(dir, n)).find((p) => existsSync(p));
    if (own) found = readPathConfig(own, 0);
    else {
      const parent = path.dirname(dir);
      found = parent === dir ? null : this.configFor(parent);
    }
    this.configs.set(dir, found);
    return found;
  }
}

/** `compilerOptions.paths`/`baseUrl`, following relative `extends` (the nearest definition wins). */
function readPathConfig(file: string, depth: number): PathConfig | null {
  let json: { extends?: string | string[]; compilerOptions?: { paths?: Record<string, string[]>; baseUrl?: string } };
  try {
    json = JSON.parse(stripJsonc(readFileSync(file, "utf8")));
  } catch {
    return null; // an unreadable tsconfig only disables path mapping
  }
  const dir = path.dirname(file);
  let inherited: PathConfig | null = null;
  const ext = typeof json.extends === "string" ? [json.extends] : Array.isArray(json.extends) ? json.extends : [];
  for (const e of ext)
    if (depth < 8 && e.startsWith(".")) {
      const target = path.resolve(dir, e.endsWith(".json") ? e : `${e}.json`);
      if (existsSync(target)) inherited = readPathConfig(target, depth + 1) ?? inherited;
    }
  const co = json.compilerOptions ?? {};
  const baseUrl = co.baseUrl !== undefined ? path.resolve(dir, co.baseUrl) : (inherited?.baseUrl ?? null);
  if (co.paths) return { paths: co.paths, pathsBase: baseUrl ?? dir, baseUrl };
  if (inherited) return { ...inherited, baseUrl, pathsBase: co.baseUrl !== undefined ? baseUrl! : inherited.pathsBase };
  return baseUrl ? { paths: {}, pathsBase: baseUrl, baseUrl } : null;
}

/** tsconfig files are JSON with comments and trailing commas. */
export function stripJsonc(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === "\\") i++;
      out += text.slice(start, i + 1);
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      i = text.indexOf("*/", i + 2);
      if (i < 0) break;
      i++;
    } else out += c;
  }
  return out.replace(/^\uFEFF/, "").replace(/,(\s*[}\]])/g, "$1");
}

// Where an import specifier leads: a file, a Node built-in, an outside package, or nowhere.
// Relative paths, index files, `.js` specifiers for `.ts` sources, and the `paths`/`baseUrl`
// of the nearest tsconfig.json (read from disk, `extends` followed). Everything works on
// absolute paths, so that the answer never depends on the working directory or on how the
// scanned paths were written (`src`, `../src`, absolute). A file outside the scan is found on
// disk when it lies inside a project root (its importers need it to be understood); it is
// then read, never edited.
import { existsSync, readFileSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import path from "node:path";

export type Resolution =
  /** An absolute path: a scanned file, or a file of a project root found on disk. */
  | { kind: "file"; file: string }
  | { kind: "builtin" }
  | { kind: "external"; pkg: string }
  | { kind: "missing"; why: string };

const JS_SOURCE = /\.(?:tsx?|jsx?|[cm][jt]s)$/;
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
  /** Per importing folder, per specifier. */
  private readonly cache = new Map<string, Map<string, Resolution>>();
  private readonly onDisk = new Map<string, boolean>();

  /**
   * `files`: absolute paths of the scanned files. `roots`: absolute folders whose other
   * TS/JS files may be looked up on disk (the project roots of the scanned paths).
   */
  constructor(
    private readonly files: ReadonlySet<string>,
    private readonly roots: readonly string[] = [],
  ) {}

  /** `from` is the importing file's absolute path. */
  resolve(from: string, spec: string): Resolution {
    const dir = path.dirname(from);
    let byDir = this.cache.get(dir);
    if (!byDir) this.cache.set(dir, (byDir = new Map()));
    let r = byDir.get(spec);
    if (!r) byDir.set(spec, (r = this.compute(dir, spec)));
    return r;
  }

  private compute(dir: string, spec: string): Resolution {
    if (spec.startsWith(".") || spec.startsWith("/")) {
      const target = path.resolve(dir, spec);
      const file = this.probe(target);
      return file ? { kind: "file", file } : { kind: "missing", why: `module '${spec}' ${this.notFound(target)}` };
    }
    // tsconfig mapping first: TypeScript finds `util/x` under baseUrl before Node's `util`.
    const config = this.configFor(dir);
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
          const file = this.probe(path.resolve(config.pathsBase, t.replace("*", matched)));
          if (file) return { kind: "file", file };
        }
        const first = path.resolve(config.pathsBase, targets[0]?.replace("*", matched) ?? "");
        return { kind: "missing", why: `module '${spec}' maps to '${targets[0]}' (tsconfig paths), which ${this.notFound(first)}` };
      }
      if (config.baseUrl) {
        const file = this.probe(path.resolve(config.baseUrl, spec));
        if (file) return { kind: "file", file };
      }
    }
    if (spec.startsWith("node:") || builtinModules.includes(spec.split("/")[0])) return { kind: "builtin" };
    const parts = spec.split("/");
    return { kind: "external", pkg: spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0] };
  }

  /** Whether a tsconfig's `paths` or `baseUrl` may map a bare specifier imported from this file to a file. */
  mapsBareSpecifiers(from: string): boolean {
    return this.configFor(path.dirname(from)) !== null;
  }

  private notFound(target: string): string {
    if (!this.roots.length) return "is not in the scanned tree";
    return this.rootOf(target) ? "is not a TS/JS file of the project" : "leads outside the project";
  }

  private rootOf(abs: string): string | undefined {
    return this.roots.find((r) => abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
  }

  /** TypeScript's candidates in its order; each one a scanned file or, inside a project root, a file on disk. */
  private probe(base: string): string | null {
    const has = (p: string) => this.files.has(p) || this.exists(p);
    if (JS_SOURCE.test(base) && has(base)) return base;
    const ext = path.extname(base);
    for (const e of SUBSTITUTE[ext] ?? []) if (has(base.slice(0, -ext.length) + e)) return base.slice(0, -ext.length) + e;
    for (const e of PROBE) if (has(base + e)) return base + e;
    for (const e of PROBE) if (has(path.join(base, `index${e}`))) return path.join(base, `index${e}`);
    return null;
  }

  /** A regular file of a project root, outside node_modules. */
  private exists(abs: string): boolean {
    if (!this.roots.length) return false;
    let r = this.onDisk.get(abs);
    if (r === undefined) {
      const root = this.rootOf(abs);
      r = !!root && !abs.slice(root.length).split(path.sep).includes("node_modules") && isFile(abs);
      this.onDisk.set(abs, r);
    }
    return r;
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

function isFile(abs: string): boolean {
  try {
    return !!statSync(abs, { throwIfNoEntry: false })?.isFile();
  } catch {
    return false; // ENOTDIR, EACCES: not a file we can read
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

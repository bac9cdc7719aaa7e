// The Python front end: Django-style middleware classes and factories as graph nodes.
// Names are resolved the way Python binds them (imports, aliases, `module.Attr`, package
// re-exports, `try/except ImportError` fallbacks), across the scanned project, Django's built-ins
// for the target version (from the version table, for Django modules not in the scan: scanned code
// wins) and installed packages (read-only).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { ClassGraph } from "../../graph.ts";
import { PYTHON_NAMES, type BaseRef, type ChainProject, type ClassNode, type FileError, type FrontEndResult, type Hook, type HookKind, type SourceFile, type UpstreamClasses, type UpstreamMiddleware } from "../../model.ts";
import { flagsSetByCode, readModule, type ModuleFacts, type PyClass, type PyFunction } from "./classes.ts";
import { buildModuleIndex } from "./modules.ts";
import { ensureParser, parseable, pythonParser, type Node, type PythonParser, type Tree } from "./parser.ts";
import { findSitePackagesDir } from "./site-packages.ts";
import { checkPythonSyntax } from "./syntax.ts";
import { BUILTINS, filesWorthParsing, STDLIB } from "./prefilter.ts";

export type { PythonParser };

export interface PythonContext {
  cwd: string;
  /** Django's built-in classes for the target: they stand in for Django modules that are not in the scan. */
  upstream: UpstreamClasses;
  sitePackages?: string;
  /** The paths given to scan (import roots); default: the current directory. */
  roots?: string[];
  /** A module outside the scan (the project's, an installed package's): null when it cannot be read as text. */
  readFile(absPath: string): SourceFile | null;
  /** Files whose syntax tree a later step reads again: kept for `project.syntax`. */
  keepSyntax?(file: SourceFile): boolean;
}

type Target =
  | { kind: "mixin" }
  | { kind: "class"; key: Key }
  | { kind: "function"; facts: ModuleFacts; fn: PyFunction }
  | { kind: "module"; name: string }
  | { kind: "other" }
  | { kind: "unresolved"; reason: string }
  | { kind: "undefined"; name: string; module: string };

type Key = { world: "code"; facts: ModuleFacts; cls: PyClass } | { world: "django"; entry: UpstreamMiddleware };

interface Dist {
  name: string;
  version: string | null;
}

/** An installed package tree (read-only): module files and the distribution each belongs to. */
class SitePackages {
  private dists: Map<string, Dist> | null = null;
  constructor(readonly dir: string) {}

  file(mod: string): string | null {
    const p = path.join(this.dir, ...mod.split("."));
    if (existsSync(p + ".py")) return p + ".py";
    if (existsSync(path.join(p, "__init__.py"))) return path.join(p, "__init__.py");
    return null;
  }

  has(mod: string): boolean {
    return this.file(mod) !== null || existsSync(path.join(this.dir, ...mod.split(".")));
  }

  /** The distribution that installs a top-level module, from `*.dist-info` (top_level.txt, RECORD, or the name). */
  dist(top: string): Dist {
    if (!this.dists) {
      this.dists = new Map();
      let entries: string[] = [];
      try {
        entries = readdirSync(this.dir).filter((e) => e.endsWith(".dist-info")).sort();
      } catch {
        /* no folder */
      }
      for (const e of entries) {
        const read = (f: string) => {
          try {
            return readFileSync(path.join(this.dir, e, f), "utf8");
          } catch {
            return "";
          }
        };
        const meta = read("METADATA");
        const name = /^Name:\s*(.+)$/m.exec(meta)?.[1].trim() ?? e.replace(/-[^-]*\.dist-info$/, "");
        const d: Dist = { name, version: /^Version:\s*(.+)$/m.exec(meta)?.[1].trim() ?? null };
        const tops = new Set(read("top_level.txt").split(/\s+/).filter(Boolean));
        for (const line of read("RECORD").split("\n")) {
          const first = line.split(/[/,]/)[0];
          if (first && !first.endsWith(".dist-info") && !first.endsWith(".data") && first !== "..") tops.add(first.replace(/\.py$/, ""));
        }
        tops.add(name.toLowerCase().replace(/[-.]/g, "_"));
        for (const t of tops) if (!this.dists.has(t)) this.dists.set(t, d);
      }
    }
    return this.dists.get(top) ?? { name: top, version: null };
  }
}

function findSitePackages(cwd: string, explicit?: string): SitePackages | null {
  const dir = findSitePackagesDir(cwd, explicit);
  return dir ? new SitePackages(dir) : null;
}

export async function readPython(
  files: SourceFile[],
  ctx: PythonContext,
): Promise<FrontEndResult & { project: ChainProject }> {
  const cwd = path.resolve(ctx.cwd);
  const { release, entries: table } = ctx.upstream;
  const MIXIN_PATHS = ctx.upstream.mixinPaths;
  const djangoPaths = [...table.keys(), ...MIXIN_PATHS];
  const site = findSitePackages(cwd, ctx.sitePackages);
  const index = buildModuleIndex(files, cwd, ctx.roots);
  const scanned = new Set(files.map((f) => f.absPath));
  const errors: FileError[] = [];
  const isDjangoModule = (mod: string) => mod === "django" || mod.startsWith("django.");
  // Without installed packages to read, a package's class is unresolved: listed only when its subclass names middleware itself.
  const worth = filesWorthParsing(files, index, (mod) => site !== null && !STDLIB.has(mod.split(".")[0]) && !isDjangoModule(mod) && site.has(mod));
  const candidates = files.filter((f) => worth.has(f));
  const parser = candidates.length ? await ensureParser() : null;

  // ---- modules, parsed once, on demand ----
  const parsed = new Map<string, ModuleFacts | null>();
  /** Syntax trees kept for a later step (`project.syntax`), by absolute path. */
  const trees = new Map<string, Tree>();
  const parsedOrder: ModuleFacts[] = [];
  let parsedCount = 0;
  const parseFile = (f: SourceFile, module: string, editable: boolean): ModuleFacts | null => {
    const cached = parsed.get(f.absPath);
    if (cached !== undefined) return cached;
    let facts: ModuleFacts | null = null;
    if (parser) {
      if (editable) parsedCount++;
      const tree = parser.parse(parseable(f.text))!;
      // What CPython refuses is an error, at CPython's place, and the file is never edited.
      const err = checkPythonSyntax(f.text, parser, tree.rootNode);
      if (err) {
        if (editable) errors.push({ file: f.file, message: err.message, line: err.line, column: err.column });
      } else {
        facts = readModule(f, module, path.basename(f.absPath) === "__init__.py", tree.rootNode);
        if (editable) parsedOrder.push(facts);
      }
      if (ctx.keepSyntax?.(f)) trees.set(f.absPath, tree);
      else tree.delete();
    }
    parsed.set(f.absPath, facts);
    return facts;
  };
  const siteFiles = new Map<string, SourceFile | null>();
  const projectFiles = new Map<string, SourceFile | null>();
  /** undefined: no such module; null: a module that could not be read. */
  const moduleFacts = (mod: string): ModuleFacts | null | undefined => {
    const f = index.byName.get(mod);
    if (f) return parseFile(f, index.nameOf.get(f.absPath) ?? mod, true);
    // A module of the project outside the scanned paths: read for resolution, never edited.
    const own = index.onDisk(mod);
    if (own) {
      let pf = projectFiles.get(own);
      if (pf === undefined) {
        pf = ctx.readFile(own);
        projectFiles.set(own, pf);
      }
      return pf ? parseFile(pf, mod, false) : null;
    }
    if (!site) return undefined;
    let sf = siteFiles.get(mod);
    if (sf === undefined) {
      const abs = site.file(mod);
      sf = null;
      if (abs) {
        // Read like a scanned file (PEP 263 encodings included); unreadable: stays null.
        sf = ctx.readFile(abs);
      }
      siteFiles.set(mod, sf);
    }
    if (!sf) return site.has(mod) ? null : undefined;
    return parseFile(sf, mod, false);
  };
  const isDjango = (mod: string) => mod === "django" || mod.startsWith("django.");
  // Scanned code wins over the version table: a scanned module named like one of Django's (Django's
  // own tree, a vendored copy) is read like any project module; the table stands in only for
  // Django modules that are not in the scan.
  const fromTable = (mod: string) => isDjango(mod) && !index.byName.has(mod);
  const moduleExists = (mod: string) =>
    index.has(mod) || (isDjango(mod) ? djangoPaths.some((p) => p.startsWith(mod + ".")) : (site?.has(mod) ?? false));
  /** A scanned module-level class at one of the mixin's paths is Django's mixin itself (Django's own tree scanned). */
  const isMixinClass = (facts: ModuleFacts, cls: PyClass) => !cls.qualname.includes(".") && MIXIN_PATHS.includes(`${facts.module}.${cls.name}`);

  // ---- name resolution ----
  const external = (mod: string): Target => {
    const top = mod.split(".")[0];
    return STDLIB.has(top) ? { kind: "other" } : { kind: "unresolved", reason: `package '${top}' is not in the scanned tree` };
  };
  const djangoAttr = (mod: string, name: string): Target => {
    const q = `${mod}.${name}`;
    if (MIXIN_PATHS.includes(q)) return { kind: "mixin" };
    const entry = table.get(q);
    if (entry) return { kind: "class", key: { world: "django", entry } };
    if (djangoPaths.some((p) => p.startsWith(q + "."))) return { kind: "module", name: q };
    return { kind: "other" }; // the rest of Django is not middleware
  };
  const resolveName = (mod: string, name: string, seen: Set<string>): Target => {
    if (fromTable(mod)) return djangoAttr(mod, name);
    const facts = moduleFacts(mod);
    if (facts === undefined) return moduleExists(`${mod}.${name}`) ? { kind: "module", name: `${mod}.${name}` } : external(mod);
    if (facts === null) return { kind: "unresolved", reason: `module ${mod} could not be read` };
    return resolveIn(facts, name, Infinity, seen);
  };
  const resolveIn = (facts: ModuleFacts, name: string, before: number, seen: Set<string>): Target => {
    const key = `${facts.module}:${name}:${before}`;
    if (seen.has(key)) return { kind: "unresolved", reason: `'${name}' is defined in an import cycle` };
    seen.add(key);
    const found = facts.lookup(name, before);
    if (!found) {
      for (const star of facts.stars) {
        const r = resolveName(star, name, seen);
        if (r.kind !== "undefined") return r;
      }
      if (moduleExists(`${facts.module}.${name}`)) return { kind: "module", name: `${facts.module}.${name}` };
      if (BUILTINS.has(name)) return { kind: "other" };
      return { kind: "undefined", name, module: facts.module };
    }
    const b = found.binding;
    switch (b.kind) {
      case "module":
        return { kind: "module", name: b.module };
      case "from": {
        const r = resolveName(b.module, b.name, seen);
        // `from pkg import sub`: an attribute of the package, else its submodule.
        if (r.kind === "undefined" && moduleExists(`${b.module}.${b.name}`)) return { kind: "module", name: `${b.module}.${b.name}` };
        return r;
      }
      case "expr":
        return resolveDotted(facts, b.dotted, found.pos, seen);
      case "class":
        if (isMixinClass(facts, b.cls)) return { kind: "mixin" };
        return { kind: "class", key: { world: "code", facts, cls: b.cls } };
      case "function":
        return { kind: "function", facts, fn: b.fn };
      case "opaque":
        return { kind: "unresolved", reason: `'${name}' is computed at run time (${b.text.length > 40 ? b.text.slice(0, 37) + "..." : b.text})` };
    }
  };
  const attr = (t: Target, name: string, seen: Set<string>): Target => {
    if (t.kind === "module") return resolveName(t.name, name, seen);
    if (t.kind === "other" || t.kind === "unresolved" || t.kind === "undefined") return t;
    return { kind: "unresolved", reason: `'${name}' is an attribute of a class or function` };
  };
  const resolveDotted = (facts: ModuleFacts, dotted: string, before: number, seen: Set<string>): Target => {
    const parts = dotted.split(".");
    let t = resolveIn(facts, parts[0], before, seen);
    for (const p of parts.slice(1)) t = attr(t, p, seen);
    return t;
  };

  // ---- graph nodes ----
  const byKey = new Map<object, ClassNode>();
  const all: ClassNode[] = [];
  let pending: Key[] = [];
  const keyObj = (k: Key) => (k.world === "code" ? k.cls : k.entry);
  const djangoFile = (e: UpstreamMiddleware) => e.module.replace(/\./g, "/") + ".py";
  const idOf = (k: Key) =>
    k.world === "code" ? `${k.facts.file.file}:${k.cls.line}:${k.cls.name}` : `${djangoFile(k.entry)}:1:${k.entry.name}`;
  const editable = (facts: ModuleFacts) => scanned.has(facts.file.absPath);
  const originOf = (facts: ModuleFacts): ClassNode["origin"] => {
    if (editable(facts) || !site || projectFiles.has(facts.file.absPath)) return undefined;
    const d = site.dist(facts.module.split(".")[0]);
    return { package: d.name, version: d.version, source: facts.file.file };
  };
  const baseRef = (text: string, t: Target): BaseRef => {
    switch (t.kind) {
      case "mixin":
        return { kind: "mixin", name: "MiddlewareMixin", text };
      case "class":
        pending.push(t.key);
        return { kind: "class", id: idOf(t.key), text };
      case "other":
        return { kind: "other", text };
      case "unresolved":
        return { kind: "unresolved", text, reason: t.reason };
      case "undefined":
        return { kind: "unresolved", text, reason: `'${t.name}' is not defined in ${t.module}` };
      case "module":
        return { kind: "unresolved", text, reason: `${t.name} is a module, not a class` };
      case "function":
        return { kind: "unresolved", text, reason: `${t.fn.name} is a function, not a class` };
    }
  };
  const shell = (k: Key): ClassNode => {
    const existing = byKey.get(keyObj(k));
    if (existing) return existing;
    let node: ClassNode;
    if (k.world === "django") {
      const e = k.entry;
      const hooks: Partial<Record<HookKind, Hook>> = {};
      for (const [kind, nature] of Object.entries(e.hooks) as [HookKind, Hook["nature"]][])
        hooks[kind] = { nature, name: PYTHON_NAMES.hooks[kind], line: 1 };
      const flags: ClassNode["flags"] = {};
      if (e.flags.syncCapable !== undefined) flags.syncCapable = { value: e.flags.syncCapable, line: 1, via: "attribute" };
      if (e.flags.asyncCapable !== undefined) flags.asyncCapable = { value: e.flags.asyncCapable, line: 1, via: "attribute" };
      node = {
        id: idOf(k),
        name: e.name,
        file: djangoFile(e),
        absPath: "",
        line: 1,
        column: 1,
        language: "py",
        kind: "class",
        editable: false,
        origin: { package: "django", version: release, source: e.source },
        qualifiedName: e.qualifiedName,
        bases: e.bases.map((b) => (b === "MiddlewareMixin" ? { kind: "mixin", name: "MiddlewareMixin", text: "MiddlewareMixin" } : baseRef(b, resolveName(b.slice(0, b.lastIndexOf(".")), b.slice(b.lastIndexOf(".") + 1), new Set())))),
        hooks,
        dispatch: { ...e.dispatch },
        flags,
        ...(e.init ? { init: { ...e.init } } : {}),
        methods: [...e.methods],
        insertion: null,
      };
    } else {
      const { facts, cls } = k;
      const canEdit = editable(facts);
      const origin = originOf(facts);
      // A class decorator or metaclass imported from another module may set the flags.
      const setBy = flagsSetByCode(cls, (name) => {
        const t = resolveDotted(facts, name, cls.start, new Set());
        const def = t.kind === "function" ? { f: t.facts, d: t.fn } : t.kind === "class" && t.key.world === "code" ? { f: t.key.facts, d: t.key.cls } : null;
        return def && parseable(def.f.file.text).slice(def.d.start, def.d.end);
      });
      node = {
        id: idOf(k),
        name: cls.name,
        file: facts.file.file,
        absPath: facts.file.absPath,
        line: cls.line,
        column: cls.column,
        language: "py",
        kind: "class",
        editable: canEdit,
        ...(origin ? { origin } : {}),
        qualifiedName: `${facts.module}.${cls.qualname}`,
        bases: cls.bases.map((b) =>
          baseRef(b.text, b.dotted ? resolveDotted(facts, b.dotted, cls.start, new Set()) : { kind: "unresolved", reason: "the base is computed at run time" }),
        ),
        hooks: structuredClone(cls.hooks),
        dispatch: { ...cls.dispatch },
        flags: structuredClone(setBy.flags),
        ...(setBy.flagsSetBy ? { flagsSetBy: { ...setBy.flagsSetBy } } : {}),
        ...(cls.init ? { init: { ...cls.init } } : {}),
        methods: [...cls.methods],
        insertion: canEdit ? cls.insertion : null,
      };
    }
    if (k.world === "code" && k.cls.callsSuperInit) callsSuper.add(node);
    byKey.set(keyObj(k), node);
    all.push(node);
    return node;
  };
  /** A node and every ancestor it reaches (iteratively: inheritance chains may be long). */
  const build = (k: Key): ClassNode => {
    const root = shell(k);
    while (pending.length) {
      const next = pending;
      pending = [];
      for (const p of next) shell(p);
    }
    return root;
  };
  const factories = new Map<PyFunction, ClassNode>();
  const factoryNode = (facts: ModuleFacts, fn: PyFunction): ClassNode => {
    let node = factories.get(fn);
    if (!node) {
      node = {
        id: `${facts.file.file}:${fn.line}:${fn.name}`,
        name: fn.name,
        file: facts.file.file,
        absPath: facts.file.absPath,
        line: fn.line,
        column: fn.column,
        language: "py",
        kind: "factory",
        editable: editable(facts),
        ...(originOf(facts) ? { origin: originOf(facts) } : {}),
        qualifiedName: `${facts.module}.${fn.name}`,
        bases: [],
        hooks: {},
        dispatch: {},
        flags: structuredClone(fn.flags),
        methods: [],
        insertion: null,
      };
      factories.set(fn, node);
    }
    return node;
  };

  // ---- the scan: every class of every parsed project module (imports may parse more) ----
  for (const f of candidates) {
    const mod = index.nameOf.get(f.absPath);
    if (mod) parseFile(f, mod, true);
    else if (parser) parseFile(f, path.basename(f.absPath, ".py"), true); // not importable by name: still scanned
  }
  const result: ClassNode[] = [];
  for (let i = 0; i < parsedOrder.length; i++) {
    const facts = parsedOrder[i];
    for (const cls of facts.classes) {
      if (isMixinClass(facts, cls)) continue; // the mixin's own definition is not a middleware class to edit
      // Same-named classes in the branches of an `if`/`else` or `try`/`except` are each a class of their own.
      build({ world: "code", facts, cls });
    }
    for (const fn of facts.functions) if (fn.flags.asyncCapable || fn.flags.syncCapable) result.push(factoryNode(facts, fn));
  }
  settleInit(all);
  // Every class built (the scanned ones and the ancestors they reach): `decide` picks the middleware.
  const order = (a: ClassNode, b: ClassNode) =>
    Number(b.editable) - Number(a.editable) || (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line);
  result.push(...all);
  result.sort(order);
  const inResult = new Set(result.map((n) => n.id));

  const project: ChainProject = {
    async syntax(f) {
      let tree = trees.get(f.absPath);
      if (!tree) trees.set(f.absPath, (tree = await pythonParser.parse(f.text)));
      return tree.rootNode;
    },
    resolve(dotted) {
      const parts = dotted.trim().split(".");
      for (let i = parts.length - 1; i >= 1; i--) {
        const mod = parts.slice(0, i).join(".");
        if (!moduleExists(mod) && !isDjango(mod)) continue;
        const seen = new Set<string>();
        let t = resolveName(mod, parts[i], seen);
        for (const p of parts.slice(i + 1)) t = attr(t, p, seen);
        let node: ClassNode;
        if (t.kind === "class") node = build(t.key);
        else if (t.kind === "function") node = factoryNode(t.facts, t.fn);
        else return null;
        settleInit(all);
        // The node and its ancestors that the result did not carry.
        const added: ClassNode[] = [];
        const byId = new Map(all.map((n) => [n.id, n]));
        const stack = [node];
        const visited = new Set<string>();
        while (stack.length) {
          const n = stack.pop()!;
          if (visited.has(n.id)) continue;
          visited.add(n.id);
          if (!inResult.has(n.id)) added.push(n);
          for (const b of n.bases) if (b.kind === "class" && byId.has(b.id)) stack.push(byId.get(b.id)!);
        }
        return { node, added };
      }
      return null;
    },
  };
  return { classes: result, errors, parsedFiles: parsedCount, project };
}

/**
 * `__init__` that calls `super().__init__(…)` marks the instance when an ancestor's `__init__`
 * does (MiddlewareMixin's does): settle those from the ancestors, ancestors first.
 */
function settleInit(nodes: ClassNode[]): void {
  const graph = new ClassGraph(nodes);
  for (const node of graph.topologicalOrder()) {
    if (!node.init || node.init.marksCoroutine || !callsSuper.has(node)) continue;
    for (const e of graph.mro(node).slice(1)) {
      if (e.kind === "mixin") {
        node.init.marksCoroutine = true;
        break;
      }
      if (e.node.init) {
        node.init.marksCoroutine = e.node.init.marksCoroutine;
        break;
      }
    }
  }
}
const callsSuper = new WeakSet<ClassNode>();

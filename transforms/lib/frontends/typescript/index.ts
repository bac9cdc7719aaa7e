// The TS/JS front end: finds middleware classes in the scanned files and describes them
// as ClassNodes (model.ts). Only files that a textual pre-filter selects are parsed, to a
// fixpoint: files mentioning a mixin, flag or `acall` name first, then files mentioning
// the middleware found so far or importing a file that exports some. Files of the project
// outside the scanned paths that scanned files import (transitively) join the same process,
// read only: their classes are ancestors to resolve, never edited and never reported.
import { statSync } from "node:fs";
import path from "node:path";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import type { BaseRef, ClassNode, FileError, FrontEndResult, Profile, SourceFile } from "../../model.ts";
import { relativeName } from "../../paths.ts";
import { readBindings } from "./bindings.ts";
import { inferNatures } from "./checker.ts";
import { collectClasses, namesOf, readAssignments, setSlot, type Names, type RawClass } from "./classes.ts";
import { MAY_BE_ASYNC } from "./hooks.ts";
import { insertionFor } from "./insertion.ts";
import { ModuleResolver } from "./module-resolution.ts";
import { isDeclarationFile, isStackOverflow, isTypeScript, loadTs, NeedsLargerStack, saveCodeCache, overflowError, overflowPolicy, parse, type Ts } from "./parse.ts";
import { mentions, parentSpecifiers, specifiers } from "./prefilter.ts";
import { SymbolResolver, type Module, type Target } from "./resolve.ts";

export interface ReadContext {
  cwd: string;
  profile: Profile;
  /** Absolute project roots of the scanned paths: their other files may be read, never edited. */
  roots?: string[];
  /** The scanned paths, absolute: a root scanned as a whole has no other files to find ahead. */
  paths?: string[];
  /** A project file outside the scan: null when it cannot be read as text. */
  readFile(absPath: string): SourceFile | null | Promise<SourceFile | null>;
}

/** What crosses to the worker thread: the context without its reader (the worker asks the main thread for files). */
export type WorkerData = { files: SourceFile[]; ctx: Omit<ReadContext, "readFile"> };
/** Worker → main thread: a file to read, or the result. */
export type WorkerMessage = { read: string; id: number } | { result: FrontEndResult };

/** Stack of the thread that reruns a run whose code nested too deep for the main thread (virtual memory, used on demand). */
const LARGE_STACK_MB = 256;

/**
 * The TS/JS front end. Deeply nested code can exhaust the main thread's stack (TypeScript's
 * parser and checker recurse, ~1 kB per nesting level): such a run starts over on a worker
 * thread with a much larger stack, where a file that still overflows becomes a FileError.
 * Where no worker can run (the sources run untranspiled, as under vitest) overflows are
 * reported at once.
 */
export async function readTypeScript(files: SourceFile[], ctx: ReadContext): Promise<FrontEndResult> {
  const worker = import.meta.url.endsWith(".js") ? new URL("./worker.js", import.meta.url) : null;
  if (!worker || overflowPolicy.bail) return readInThread(files, ctx);
  overflowPolicy.bail = true;
  try {
    return await readInThread(files, ctx);
  } catch (e) {
    if (!(e instanceof NeedsLargerStack || isStackOverflow(e))) throw e;
  } finally {
    overflowPolicy.bail = false;
  }
  const { Worker } = await import("node:worker_threads");
  const { readFile, ...data } = ctx;
  return new Promise<FrontEndResult>((resolve, reject) => {
    const w = new Worker(worker, { workerData: { files, ctx: data } satisfies WorkerData, resourceLimits: { stackSizeMb: LARGE_STACK_MB } });
    let result: FrontEndResult | null = null;
    w.on("message", (m: WorkerMessage) => {
      if ("result" in m) result = m.result;
      else
        void Promise.resolve(readFile(m.read)).then(
          (file) => w.postMessage({ id: m.id, file }),
          (e) => reject(e),
        );
    });
    w.once("error", reject);
    w.once("exit", (code) => (result ? resolve(result) : reject(new Error(`the TS/JS front end's worker exited with code ${code}`))));
  });
}

export async function readInThread(files: SourceFile[], ctx: ReadContext): Promise<FrontEndResult> {
  const result = await readModules(files, ctx);
  // Every syntax tree is garbage now; on a large tree they are most of the heap, and the
  // steps after this one would otherwise grow the heap on top of them.
  if (result.parsedFiles >= LARGE_TREE) collectGarbage();
  return result;
}

/** Parsed files from which a full collection between phases pays for itself (a few ms each). */
const LARGE_TREE = 2000;

/** A full collection now (V8 otherwise collects when it sees fit, often after the heap has grown). */
function collectGarbage(): void {
  try {
    setFlagsFromString("--expose-gc");
    (runInNewContext("gc") as () => void)();
  } catch {
    // not available: V8 collects on its own
  }
}

async function readModules(files: SourceFile[], ctx: ReadContext): Promise<FrontEndResult> {
  const { profile } = ctx;
  const seed = mentions([...profile.mixins.map((m) => m.name), profile.flags.syncCapable, profile.flags.asyncCapable, profile.dispatch.acall])!;
  // Keyed by absolute path: display names (relative to the working directory) never resolve imports.
  const byPath = new Map(files.map((f) => [f.absPath, f]));
  const scanned = new Set(byPath.keys());
  const resolver = new ModuleResolver(scanned, ctx.roots);
  const specs = new Map<string, string[]>();
  const specsOf = (f: SourceFile) => specs.get(f.absPath) ?? specs.set(f.absPath, specifiers(f.text)).get(f.absPath)!;
  // Scanned files that mention no mixin may still extend one through project files outside the
  // scan, so those files are found ahead, from the import specifiers' text; a root scanned
  // as a whole needs no such pass (its files outside the scan are ignored ones, read when reached).
  const outside = ctx.roots?.some((r) => !ctx.paths?.includes(r));
  const pool = outside ? await withImportedProjectFiles(files, byPath, resolver, specsOf, ctx) : [...files];
  const reached = async (p: string) => {
    let f = byPath.get(p);
    if (!f && !scanned.has(p) && (f = (await ctx.readFile(p)) ?? undefined)) {
      byPath.set(p, f);
      pool.push(f);
    }
    return f;
  };
  let queue = pool.filter((f) => seed(f.text));
  if (!queue.length) return { classes: [], errors: [], parsedFiles: 0 };

  const ts = await loadTs();
  const names = namesOf(profile);
  const modules = new Map<string, Module>();
  const seenNames = new Set<string>();
  const seenBearing = new Set<string>();

  while (queue.length) {
    for (const f of queue) if (!modules.has(f.absPath)) modules.set(f.absPath, readModule(ts, f, names));
    const state = analyse(ts, modules, resolver, profile);
    const next = new Set([...state.sr.pending].filter((p) => !modules.has(p)));
    const newNames = [...state.names].filter((n) => !seenNames.has(n));
    const newBearing = new Set([...state.bearing].filter((b) => !seenBearing.has(b)));
    newNames.forEach((n) => seenNames.add(n));
    newBearing.forEach((b) => seenBearing.add(b));
    const mentioned = mentions(newNames);
    if (mentioned || newBearing.size)
      for (const f of pool) {
        if (modules.has(f.absPath) || next.has(f.absPath)) continue;
        if (mentioned?.(f.text)) next.add(f.absPath);
        else if (newBearing.size && specsOf(f).some((s) => importsOne(resolver, f.absPath, s, newBearing))) next.add(f.absPath);
      }
    const found: SourceFile[] = [];
    for (const p of next) {
      const f = await reached(p);
      if (f) found.push(f);
    }
    queue = found;
  }

  let state = analyse(ts, modules, resolver, profile);

  // The codebase's field style: the majority of all flag declarations found.
  let statics = 0;
  let instances = 0;
  for (const m of modules.values())
    for (const c of m.classes) for (const f of [c.flags.syncCapable, c.flags.asyncCapable]) if (f) f.via === "instance" ? instances++ : statics++;
  const fieldStyle = instances > statics ? "instance" : "static";

  // Insertion points now, while every syntax tree is at hand (the checker may release some).
  const insertions = new Map<RawClass, ReturnType<typeof insertionFor>>();
  const readOnly = new Set<string>();
  const errors: FileError[] = [];
  for (const f of pool) {
    const mod = modules.get(f.absPath);
    if (!mod || !scanned.has(f.absPath) || isDeclarationFile(f.file)) continue;
    try {
      for (const c of mod.classes) if (state.returned.has(c)) insertions.set(c, insertionFor(ts, mod.sf, c.node, fieldStyle, c.typeOnlyFlag));
    } catch (e) {
      // The classes stay in the graph (others may extend them) but this file is not edited.
      if (!isStackOverflow(e)) throw e;
      errors.push(overflowError(f, "to analyse"));
      for (const c of mod.classes) insertions.delete(c);
      readOnly.add(f.absPath);
    }
  }

  // Natures that only the checker knows, for the classes that will be returned.
  const asked: { cls: RawClass; item: RawClass["infer"][number]; mod: Module }[] = [];
  for (const cls of state.returned) for (const item of cls.infer) asked.push({ cls, item, mod: state.modOf.get(cls)! });
  if (asked.length) {
    const why = asked.map((a) => (a.item.fn.type || (!a.mod.isTs && ts.getJSDocReturnType(a.item.fn)) ? MAY_BE_ASYNC : "the checker infers a return type that is sometimes a promise and sometimes not"));
    const natures = inferNatures(
      ts,
      asked.map((a) => ({ file: a.mod.file, fn: a.item.fn })),
      {
        sources: byPath,
        parsed: (abs) => {
          const m = modules.get(abs);
          return m && !m.error ? m.sf : undefined;
        },
        resolve: (from, spec) => {
          const r = resolver.resolve(from, spec);
          return r.kind === "file" && byPath.has(r.file) ? r.file : undefined;
        },
        // The syntax trees the checker's program does not hold are no longer needed: free them
        // before it checks (on large trees they are most of the memory).
        programFiles: (inProgram) => {
          let released = 0;
          for (const m of modules.values()) if (!inProgram.has(m.file.absPath) && m.sf !== emptyTree) released += releaseSyntax(ts, m);
          if (released >= LARGE_TREE) collectGarbage();
        },
      },
    );
    asked.forEach((a, i) => {
      const nature = natures[i];
      if (nature === "overflow") {
        const m = modules.get(a.mod.file.absPath)!;
        if (!m.error) {
          modules.set(m.file.absPath, brokenModule(m.file, m.isTs, m.sf, overflowError(m.file, "for the type checker")));
          state.sr.forget(m.file.file, `${m.file.file} could not be parsed`);
        }
        return;
      }
      const { slot } = a.item;
      const hook = "hook" in slot ? a.cls.hooks[slot.hook] : undefined;
      setSlot(a.cls, slot, { nature, why: nature === "unknown" ? why[i] : undefined }, hook?.name ?? "", hook?.line ?? 0);
    });
  }
  for (const m of modules.values()) for (const c of m.classes) c.infer = [];
  // An `acall` may have turned out sync; a file may have overflowed the checker's stack.
  // The bases are known already: the resolver (and its cache) is reused.
  if (asked.length) state = analyse(ts, modules, resolver, profile, state.sr);

  const classes: ClassNode[] = [];
  const idOf = (c: RawClass) => `${state.modOf.get(c)!.file.file}:${c.line}:${c.name}`;
  for (const f of pool) {
    const mod = modules.get(f.absPath);
    if (!mod) continue;
    const isScanned = scanned.has(f.absPath);
    // An unscanned file's problems are not the run's errors: a base read from it says why it could not be used.
    if (mod.error && isScanned) errors.push(mod.error);
    const editable = isScanned && !isDeclarationFile(f.file) && !readOnly.has(f.absPath);
    for (const c of mod.classes) {
      if (!state.returned.has(c)) continue;
      const base = state.sr.baseOf(mod, c);
      classes.push({
        id: idOf(c),
        name: c.name,
        file: f.file,
        absPath: f.absPath,
        line: c.line,
        column: c.column,
        language: mod.isTs ? "ts" : "js",
        kind: "class",
        editable,
        ...(isScanned ? {} : { unscanned: true }),
        bases: base ? [baseRef(base, c.heritageText, state.returned, idOf, ctx.cwd)] : [],
        hooks: c.hooks,
        dispatch: c.dispatch,
        flags: c.flags,
        methods: c.methods,
        insertion: insertions.get(c) ?? null,
      });
    }
  }
  saveCodeCache();
  return { classes, errors, parsedFiles: modules.size };
}

function importsOne(resolver: ModuleResolver, from: string, spec: string, files: Set<string>): boolean {
  const r = resolver.resolve(from, spec);
  return r.kind === "file" && files.has(r.file);
}

const noBindings = (): Module["bindings"] => ({ locals: new Map(), exports: new Map(), stars: [], exportEquals: null });

function readModule(ts: Ts, file: SourceFile, names: Names): Module {
  const { sf, error } = parse(ts, file);
  const isTs = isTypeScript(file.file);
  // A file that does not parse yields no classes (and no bindings: what it exports is unknown).
  if (error) return { file, isTs, sf, error, classes: [], bindings: noBindings() };
  try {
    const classes = collectClasses(ts, sf, file.file, isTs, names);
    readAssignments(ts, sf, classes, names);
    return { file, isTs, sf, error, classes, bindings: readBindings(ts, sf, classes) };
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    return brokenModule(file, isTs, sf, overflowError(file, "to analyse"));
  }
}

/** An empty tree in place of released ones. */
let emptyTree: Module["sf"] | null = null;

/**
 * Drops every reference to a file's syntax tree (the classes' nodes, expressions of its
 * bindings), once its classes' insertion points and bases are known: only names, lines and
 * the resolved graph are read after that.
 */
function releaseSyntax(ts: Ts, m: Module): number {
  emptyTree ??= ts.createSourceFile("/released.ts", "", ts.ScriptTarget.Latest);
  m.sf = emptyTree;
  for (const c of m.classes) {
    (c as { node: unknown }).node = null;
    c.heritage = null;
    c.typeOnlyFlag = undefined;
    c.infer = [];
  }
  const b = m.bindings;
  for (const map of [b.locals, b.exports]) for (const [k, r] of map) if (r.kind === "expr") map.delete(k);
  if (b.exportEquals?.kind === "expr") b.exportEquals = null;
  return 1;
}

/** A file reported as an error: like a file that does not parse, it yields nothing. */
function brokenModule(file: SourceFile, isTs: boolean, sf: Module["sf"], error: FileError): Module {
  return { file, isTs, sf, error, classes: [], bindings: noBindings() };
}

interface State {
  sr: SymbolResolver;
  modOf: Map<RawClass, Module>;
  /** Middleware (by ancestry, flag or async dispatch), look-alikes with unreadable bases, their subclasses. */
  core: Set<RawClass>;
  /** `core` and the ancestors of its classes (their hooks are inherited). */
  returned: Set<RawClass>;
  /** Identifiers that name middleware classes (or the mixin) somewhere: other files may mention them. */
  names: Set<string>;
  /** Files that export middleware or the mixin: their importers must be parsed. */
  bearing: Set<string>;
}

/** `reuse`: the final pass, with the resolver of the last one (bases cached; no file is added any more). */
function analyse(ts: Ts, modules: Map<string, Module>, resolver: ModuleResolver, profile: Profile, reuse?: SymbolResolver): State {
  const sr = reuse ?? new SymbolResolver(ts, modules, resolver, profile);
  const modOf = new Map<RawClass, Module>();
  for (const m of modules.values()) for (const c of m.classes) if (!sr.isLocalMixin(c)) modOf.set(c, m);
  const baseClass = (c: RawClass) => {
    const t = sr.baseOf(modOf.get(c)!, c);
    return t?.kind === "class" && modOf.has(t.cls) ? t.cls : null;
  };
  const memo = (f: (c: RawClass) => boolean) => {
    const cache = new Map<RawClass, boolean>();
    const g = (c: RawClass): boolean => {
      if (cache.has(c)) return cache.get(c)!;
      cache.set(c, false); // inheritance cycle
      const r = f(c);
      cache.set(c, r);
      return r;
    };
    return g;
  };
  const maybeAsyncAcall = (c: RawClass) => c.dispatch.acall === "async" || c.infer.some((i) => "dispatch" in i.slot && i.slot.dispatch === "acall");
  const isMw: (c: RawClass) => boolean = memo((c) => {
    if (c.flags.syncCapable || c.flags.asyncCapable || maybeAsyncAcall(c)) return true;
    const t = sr.baseOf(modOf.get(c)!, c);
    if (t?.kind === "mixin") return true;
    const b = baseClass(c);
    return !!b && isMw(b);
  });
  const lookalike = (c: RawClass) =>
    sr.baseOf(modOf.get(c)!, c)?.kind === "unresolved" &&
    (/Middleware/.test(c.name) || /Middleware/.test(c.heritageText) || Object.keys(c.hooks).length > 0 || Object.keys(c.dispatch).length > 0);
  const isCore: (c: RawClass) => boolean = memo((c) => {
    if (isMw(c) || lookalike(c)) return true;
    const b = baseClass(c);
    return !!b && isCore(b);
  });
  const core = new Set([...modOf.keys()].filter(isCore));
  const returned = new Set<RawClass>();
  for (const c of core) for (let b: RawClass | null = c; b && !returned.has(b); b = baseClass(b)) returned.add(b);

  const names = new Set<string>();
  if (reuse) return { sr, modOf, core, returned, names, bearing: new Set() };
  for (const c of core) {
    names.add(c.name);
    if (c.binding) names.add(c.binding);
  }
  const bearing = new Set<string>();
  const counts = (t: Target) => t.kind === "mixin" || (t.kind === "class" && core.has(t.cls));
  for (const m of modules.values()) {
    if (m.error) bearing.add(m.file.absPath); // what a broken file exports is unknown: its importers must be read
    const b = m.bindings;
    for (const [name, ref] of b.exports)
      if (counts(sr.ref(m, ref, 0))) {
        bearing.add(m.file.absPath);
        if (name !== "default") names.add(name);
      }
    if (b.exportEquals && counts(sr.ref(m, b.exportEquals, 0))) bearing.add(m.file.absPath);
  }
  // Barrels: `export * from` a bearing file makes a bearing file.
  for (let changed = true; changed; ) {
    changed = false;
    for (const m of modules.values())
      if (!bearing.has(m.file.absPath) && m.bindings.stars.some((s) => importsOne(resolver, m.file.absPath, s, bearing))) {
        bearing.add(m.file.absPath);
        changed = true;
      }
  }
  // A star whose target is not parsed yet may re-export middleware: parse it.
  for (const m of modules.values())
    for (const s of m.bindings.stars) {
      const r = resolver.resolve(m.file.absPath, s);
      if (r.kind === "file" && !modules.has(r.file) && bearing.size) sr.pending.add(r.file);
    }
  return { sr, modOf, core, returned, names, bearing };
}

function baseRef(t: Target, text: string, returned: Set<RawClass>, idOf: (c: RawClass) => string, cwd: string): BaseRef {
  switch (t.kind) {
    case "class":
      return returned.has(t.cls) ? { kind: "class", id: idOf(t.cls), text } : { kind: "other", text };
    case "mixin":
      return { kind: "mixin", name: t.name, text };
    case "unresolved":
      return { kind: "unresolved", text, reason: t.reason };
    case "namespace":
      return { kind: "unresolved", text, reason: `${t.mod.file.file} is a module, not a class` };
    case "pending":
      return { kind: "unresolved", text, reason: `${relativeName(cwd, t.file)} could not be read` };
    case "other":
      return { kind: "other", text };
  }
}

/**
 * The scanned files and, after them, every file of a project root outside the scan that they
 * import, transitively (found from the import specifiers' text; a file that cannot be read
 * is left out, and bases from it say so). Cheap on large scans: an import from a file inside a
 * scanned folder leaves the scan only through `../` (or a tsconfig mapping), so only those
 * specifiers are looked for. (An absolute specifier is followed once its importer is parsed.)
 */
async function withImportedProjectFiles(files: SourceFile[], byPath: Map<string, SourceFile>, resolver: ModuleResolver, specsOf: (f: SourceFile) => string[], ctx: ReadContext): Promise<SourceFile[]> {
  const folders = (ctx.paths ?? []).filter((p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  });
  const inFolder = (abs: string) => folders.some((d) => abs.startsWith(d.endsWith(path.sep) ? d : d + path.sep));
  const pool = [...files];
  for (let i = 0; i < pool.length; i++) {
    const f = pool[i];
    const contained = i < files.length && inFolder(f.absPath);
    const mapped = resolver.mapsBareSpecifiers(f.absPath);
    for (const s of contained && !mapped ? parentSpecifiers(f.text) : specsOf(f)) {
      const relative = s.startsWith(".");
      if (relative ? contained && inFolder(path.resolve(path.dirname(f.absPath), s)) : !mapped) continue;
      const r = resolver.resolve(f.absPath, s);
      if (r.kind !== "file" || byPath.has(r.file)) continue;
      const g = await ctx.readFile(r.file);
      if (!g) continue;
      byPath.set(r.file, g);
      pool.push(g);
    }
  }
  return pool;
}

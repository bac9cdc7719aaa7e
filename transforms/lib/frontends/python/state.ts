// What the parts of the Python front end share during one read: the context, the module
// index, the modules parsed so far and the graph nodes built so far.
import path from "node:path";
import type { Parser } from "web-tree-sitter";
import type { ClassNode, FileError, SourceFile, UpstreamClasses, UpstreamMiddleware } from "../../model.ts";
import type { ModuleFacts, PyClass, PyFunction } from "./classes.ts";
import { buildModuleIndex, type ModuleIndex } from "./modules.ts";
import type { Tree } from "./parser.ts";
import { findSitePackages, type SitePackages } from "./site-packages.ts";

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

/** What a name stands for. */
export type Target =
  | { kind: "mixin" }
  | { kind: "class"; key: Key }
  | { kind: "function"; facts: ModuleFacts; fn: PyFunction }
  | { kind: "module"; name: string }
  | { kind: "other" }
  | { kind: "unresolved"; reason: string }
  | { kind: "undefined"; name: string; module: string };

/** A class: of code read (scanned, project, installed) or of Django's version table. */
export type Key = { world: "code"; facts: ModuleFacts; cls: PyClass } | { world: "django"; entry: UpstreamMiddleware };

export interface PythonState {
  cwd: string;
  ctx: PythonContext;
  upstream: UpstreamClasses;
  /** Every dotted path the version table knows: its classes and the mixin's paths. */
  djangoPaths: string[];
  site: SitePackages | null;
  index: ModuleIndex;
  /** Absolute paths of the scanned files: their classes are editable. */
  scanned: Set<string>;
  errors: FileError[];
  /** Loaded when some file is worth parsing; without it no module is parsed. */
  parser: Parser | null;

  // Modules, parsed once, on demand.
  parsed: Map<string, ModuleFacts | null>;
  /** Syntax trees kept for a later step (`project.syntax`), by absolute path. */
  trees: Map<string, Tree>;
  /** Scanned modules in the order they were parsed (imports may parse more during the scan). */
  parsedOrder: ModuleFacts[];
  parsedCount: number;
  siteFiles: Map<string, SourceFile | null>;
  projectFiles: Map<string, SourceFile | null>;

  // Graph nodes, built once per class.
  byKey: Map<object, ClassNode>;
  all: ClassNode[];
  /** Bases met while building a node, built after it. */
  pending: Key[];
  factories: Map<PyFunction, ClassNode>;
}

export function createState(files: SourceFile[], ctx: PythonContext): PythonState {
  const cwd = path.resolve(ctx.cwd);
  return {
    cwd,
    ctx,
    upstream: ctx.upstream,
    djangoPaths: [...ctx.upstream.entries.keys(), ...ctx.upstream.mixinPaths],
    site: findSitePackages(cwd, ctx.sitePackages),
    index: buildModuleIndex(files, cwd, ctx.roots),
    scanned: new Set(files.map((f) => f.absPath)),
    errors: [],
    parser: null,
    parsed: new Map(),
    trees: new Map(),
    parsedOrder: [],
    parsedCount: 0,
    siteFiles: new Map(),
    projectFiles: new Map(),
    byKey: new Map(),
    all: [],
    pending: [],
    factories: new Map(),
  };
}

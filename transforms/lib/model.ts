// The class graph: what every language front end produces and every later step reads.
// Front ends know syntax; nothing after them does. The data they are handed (Django's
// built-in classes for the target) and what they hand on (a project to resolve settings
// entries in) are typed here, so that no front end imports the modules that make or use them.
import type { Node } from "web-tree-sitter";

export type Language = "ts" | "js" | "py";

/** How a hook or dispatch method runs. `unknown`: assigned from elsewhere, computed, dynamic. */
export type Nature = "sync" | "async" | "unknown";

/** Language-neutral hook kinds; the profile maps them to names. */
export type HookKind = "request" | "view" | "exception" | "templateResponse" | "response";
export const HOOK_KINDS: readonly HookKind[] = ["request", "view", "exception", "templateResponse", "response"];
/** The mixin wraps only these two in a sync-to-async hop each (docs/chain-model.md, rule 7). */
export const HOP_HOOKS: readonly HookKind[] = ["request", "response"];

export interface Hook {
  nature: Nature;
  /** The name as written in the source (processRequest, process_request, a configured name). */
  name: string;
  line: number;
  /** Why the nature is `unknown`, in plain words. */
  why?: string;
}

export interface Flag {
  /** `null` when the value is not a literal (computed at run time, set by a function). */
  value: boolean | null;
  line: number;
  /** How it was declared: a field, an assignment after the class, a decorator. */
  via: "static" | "instance" | "assignment" | "attribute" | "decorator";
  /** Where the literal value stands in the file text (for a replacement), when it is a literal. */
  valueRange?: { start: number; end: number };
}

export type BaseRef =
  /** A class of the graph (scanned code, or a read-only upstream class). */
  | { kind: "class"; id: string; text: string }
  /** A configured mixin (MiddlewareMixin). */
  | { kind: "mixin"; name: string; text: string }
  /** A base that could not be read: a package outside the scanned tree, a dynamic expression. */
  | { kind: "unresolved"; text: string; reason: string }
  /** A base known not to be middleware (object, Exception, a resolved non-middleware class). */
  | { kind: "other"; text: string };

/**
 * Where a flag declaration goes and how it looks. The inserted text is
 * `lead + declaration + (semicolon ? ";" : "") + trail`, spliced in at `offset`.
 */
export interface Insertion {
  /** Index into the decoded file text (BOM included as U+FEFF). */
  offset: number;
  lead: string;
  trail: string;
  semicolon: boolean;
  /** TS/JS: `static asyncCapable = false` or `asyncCapable = false`. Python: attribute. */
  fieldStyle: "static" | "instance" | "attribute";
  /**
   * TS: a field declared without a value (`declare static asyncCapable: boolean;`) becomes the
   * declaration: `replace` characters at `offset` give way to `field` + ` = value`.
   */
  replace?: { length: number; field: string };
}

export interface ClassNode {
  /** Unique in a run: `${file}:${line}:${name}`. */
  id: string;
  name: string;
  /** Relative to the current directory, `/` separators (as in the JSON result). */
  file: string;
  absPath: string;
  /** 1-based. */
  line: number;
  column: number;
  language: Language;
  /** Python function middleware that carries a flag decorator: never edited. */
  kind: "class" | "factory";
  /** False for `.d.ts` files, installed packages and upstream version-table entries. */
  editable: boolean;
  /** A file of the project outside the scanned paths, read because scanned code imports it: its declarations are the project's own, but it is never edited. */
  unscanned?: true;
  /** Read-only classes from a framework or installed package: what was read and which version. */
  origin?: { package: string; version: string | null; source: string };
  /** Python: dotted path (`django.contrib.sessions.middleware.SessionMiddleware`). */
  qualifiedName?: string;
  bases: BaseRef[];
  /** Own hooks only; inherited ones are resolved by the graph. */
  hooks: Partial<Record<HookKind, Hook>>;
  /**
   * Own dispatch methods: TS `call`/`acall`, Python `__call__`/`__acall__`. `callsAcall`: the
   * own `call` refers to `this.acall` (Python `self.__acall__`), so it can reach the async path.
   */
  dispatch: { call?: Nature; acall?: Nature; callsAcall?: boolean };
  /**
   * Python: the flags are set by code that runs at class creation (`__init_subclass__`, a
   * metaclass): `self` says whether it applies to this class too, not only to its subclasses.
   */
  flagsSetBy?: { by: string; line: number; self: boolean };
  /** Own declarations. */
  flags: { syncCapable?: Flag; asyncCapable?: Flag };
  /** Python: the class defines `__init__`, and whether it marks the instance as a coroutine function. */
  init?: { marksCoroutine: boolean; /** its first parameter after self is `get_response` */ getResponse?: boolean };
  /** Names of every method defined in the class body (for upstream-specific rules). */
  methods: string[];
  /** A plain class (not reaching a mixin) counts as middleware only when it declares a flag or async dispatch. */
  insertion: Insertion | null;
}

/** A file that could not be read or parsed. Line and column are 1-based when known. */
export interface FileError {
  file: string;
  message: string;
  line?: number;
  column?: number;
}

export type Outcome = "set-async-capable-false" | "set-async-capable-true" | "needs-review" | "unchanged";

/** What interactive review may offer for a needs-review item. */
export interface ReviewAction {
  label: string;
  /** The declaration that the action writes. */
  asyncCapable: boolean;
  /** Why the action may change what the class does; shown with the offer. */
  caution?: string;
}

export interface Decision {
  node: ClassNode;
  outcome: Outcome;
  /** Which rule module decided (its file name). */
  rule: string;
  reason: string;
  /** For needs-review: what to do about it. */
  advice?: string;
  action?: ReviewAction;
  hooks: Record<string, Nature>;
  asyncCapable: { before: boolean | null; after: boolean | null; declaredIn: string | null };
  required: boolean | null;
}

/** The names the rules read: flags, mixin and dispatch methods, as one language spells them. */
export interface NameSet {
  asyncCapable: string;
  syncCapable: string;
  mixin: string;
  call: string;
  acall: string;
}

/** Names that a JSON profile (`--config`) may change for TS/JS. */
export interface Profile {
  /** Mixins: a class name and, optionally, the module specifiers it must come from. */
  mixins: { name: string; from?: string[] }[];
  flags: { syncCapable: string; asyncCapable: string };
  hooks: Record<HookKind, string>;
  dispatch: { call: string; acall: string };
}

export const DEFAULT_PROFILE: Profile = {
  mixins: [{ name: "MiddlewareMixin" }],
  flags: { syncCapable: "syncCapable", asyncCapable: "asyncCapable" },
  hooks: {
    request: "processRequest",
    view: "processView",
    exception: "processException",
    templateResponse: "processTemplateResponse",
    response: "processResponse",
  },
  dispatch: { call: "call", acall: "acall" },
};

export const PYTHON_NAMES = {
  flags: { syncCapable: "sync_capable", asyncCapable: "async_capable" },
  hooks: {
    request: "process_request",
    view: "process_view",
    exception: "process_exception",
    templateResponse: "process_template_response",
    response: "process_response",
  } as Record<HookKind, string>,
  dispatch: { call: "__call__", acall: "__acall__" },
};

/** One source file as read from disk. */
export interface SourceFile {
  absPath: string;
  /** Relative to the current directory, `/` separators. */
  file: string;
  /** Decoded text, BOM kept as U+FEFF so that string offsets map back to bytes exactly. */
  text: string;
  /** Python: the declared single-byte encoding it was read in (PEP 263); absent for UTF-8. */
  encoding?: string;
}

/**
 * What a front end returns for the files of its language: every class it built (scanned
 * classes and the ancestors they reach); `decide` picks the middleware among them.
 */
export interface FrontEndResult {
  classes: ClassNode[];
  errors: FileError[];
  /** Files that were parsed (the others were skipped by a textual pre-filter). */
  parsedFiles: number;
  /** Python: the project the chain analysis resolves MIDDLEWARE entries in. */
  project?: ChainProject;
}

/** Python: the Django version whose upstream flags apply, resolved once per run. */
export interface DjangoTarget {
  version: string;
  /** `file:line` (relative to the project folder), "--target", or "default (no pin found)". */
  source: string;
}

/** One of Django's built-in middleware classes as the version table describes it. */
export interface UpstreamMiddleware {
  qualifiedName: string;
  module: string;
  name: string;
  /** Qualified names of the bases, or "MiddlewareMixin"; [] for a plain class. */
  bases: string[];
  flags: { syncCapable?: boolean; asyncCapable?: boolean };
  hooks: Partial<Record<HookKind, Nature>>;
  /** `callsAcall`: the own `__call__` returns `self.__acall__(request)` when get_response is async (RemoteUserMiddleware since 5.2). */
  dispatch: { call?: Nature; acall?: Nature; callsAcall?: boolean };
  /** The class defines __init__; all built-in ones end in MiddlewareMixin's or mark the instance themselves. */
  init?: { marksCoroutine: boolean };
  methods: string[];
  /** Release and file the entry was read from (or derived for). */
  source: string;
}

/** Django's built-in classes for one target: what the Python front end reads instead of Django's modules. */
export interface UpstreamClasses {
  /** The version-table release that applies to the target. */
  release: string;
  /** Where the mixin is defined (dotted paths). */
  mixinPaths: readonly string[];
  /** Every built-in middleware class, by qualified name. */
  entries: ReadonlyMap<string, UpstreamMiddleware>;
}

/** What the chain analysis needs from the Python front end. */
export interface ChainProject {
  /** Resolve a MIDDLEWARE entry to its class or factory node; `added` are nodes read for it that the front end's result did not carry. */
  resolve(dotted: string): { node: ClassNode; added: ClassNode[] } | null;
  /** A Python file's syntax tree, parsed once per run; null when the file cannot be parsed. */
  syntax(file: SourceFile): Promise<Node>;
}

/** A text edit of one file. */
export interface Edit {
  file: string;
  absPath: string;
  offset: number;
  insert: string;
  /** The decision that asked for it. */
  classId: string;
  /** The edit creates this file (generated module); `offset` is 0. */
  create?: boolean;
  /** Replace this many characters at `offset` (0 for a pure insertion). */
  deleteCount?: number;
}

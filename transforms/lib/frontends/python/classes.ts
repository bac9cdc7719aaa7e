// What one Python module says: its name bindings (imports, aliases, classes, functions), its
// classes with their hooks, dispatch, flags and insertion point, and flag-decorated functions.
// Every walk uses an explicit stack: a file nested 20,000 levels deep must not overflow ours.
import { HOOK_KINDS, PYTHON_NAMES, type Flag, type Hook, type HookKind, type Insertion, type Nature, type SourceFile } from "../../model.ts";
import { classInsertion, lineEnding } from "./insertion.ts";
import { parseable, type Node } from "./parser.ts";
import { resolveRelative } from "./modules.ts";

export type Binding =
  | { kind: "module"; module: string }
  | { kind: "from"; module: string; name: string }
  | { kind: "expr"; dotted: string }
  | { kind: "class"; cls: PyClass }
  | { kind: "function"; fn: PyFunction }
  | { kind: "opaque"; text: string };

/** A binding and where it happens. `rank` 0: an `except` fallback or an `elif`/`else` branch, which never overrides the main path. */
interface BindingEvent {
  binding: Binding;
  pos: number;
  rank: 0 | 1;
}

export interface BaseExpr {
  text: string;
  /** Dotted name (`a.b.C`), null when the base is computed (a call, `*bases`). */
  dotted: string | null;
}

export type Flags = { syncCapable?: Flag; asyncCapable?: Flag };

export interface PyClass {
  name: string;
  /** Python's __qualname__: `Outer.Inner`, `factory.<locals>.Cls`. */
  qualname: string;
  line: number;
  column: number;
  start: number;
  bases: BaseExpr[];
  hooks: Partial<Record<HookKind, Hook>>;
  dispatch: { call?: Nature; acall?: Nature; callsAcall?: boolean };
  flags: Flags;
  /** Flags set at class creation by code: `__init_subclass__` (subclasses only) or a metaclass. */
  flagsSetBy?: { by: string; line: number; self: boolean };
  /** Class decorators and the `metaclass=` keyword, by dotted name: resolved against the module once it is read. */
  decoratedBy: { name: string; line: number }[];
  metaclass?: { name: string; line: number };
  /** Where the class ends in the text (a metaclass that names a flag may set it). */
  end: number;
  init?: { marksCoroutine: boolean; getResponse?: boolean };
  /** __init__ calls super().__init__(…): whether it marks depends on the ancestors. */
  callsSuperInit: boolean;
  /** Defined in an `except` fallback or an `elif`/`else` branch (a stub when another binding wins). */
  alternative: boolean;
  methods: string[];
  insertion: Insertion | null;
}

export interface PyFunction {
  name: string;
  line: number;
  column: number;
  start: number;
  flags: Flags;
  decorated: boolean;
  /** Where the function ends in the text (a class decorator that names a flag may set it). */
  end: number;
}

export interface ModuleFacts {
  module: string;
  file: SourceFile;
  classes: PyClass[];
  /** Module-level functions (factories when decorated). */
  functions: PyFunction[];
  stars: string[];
  /** The binding of `name` in effect at `before` (default: at the end of the module), and where it happens. */
  lookup(name: string, before?: number): { binding: Binding; pos: number } | null;
}

const FLAG_DECORATORS: Record<string, { syncCapable: boolean; asyncCapable: boolean }> = {
  sync_only_middleware: { syncCapable: true, asyncCapable: false },
  async_only_middleware: { syncCapable: false, asyncCapable: true },
  sync_and_async_middleware: { syncCapable: true, asyncCapable: true },
};
const HOOK_BY_NAME = new Map<string, HookKind>(HOOK_KINDS.map((k) => [PYTHON_NAMES.hooks[k], k]));
const WRAPPERS = new Set(["sync_to_async", "async_to_sync", "database_sync_to_async"]);
const FLAG_MENTION = /\b(?:async|sync)_capable\b/;

/** `a.b.C` for an identifier/attribute chain, iteratively. */
export function dottedName(node: Node): string | null {
  const parts: string[] = [];
  let n: Node | null = node;
  while (n && n.type === "attribute") {
    parts.unshift(n.childForFieldName("attribute")!.text);
    n = n.childForFieldName("object");
  }
  if (!n || n.type !== "identifier") return null;
  parts.unshift(n.text);
  return parts.join(".");
}

function lastName(node: Node): string | null {
  const target = node.type === "call" ? node.childForFieldName("function") : node;
  const d = target && dottedName(target);
  return d ? d.slice(d.lastIndexOf(".") + 1) : null;
}

function decoratorFlags(decorators: Node[]): Flags {
  const flags: Flags = {};
  for (const d of decorators) {
    const expr = d.namedChildren.find((c) => c.type !== "comment");
    const spec = expr && FLAG_DECORATORS[lastName(expr) ?? ""];
    if (!spec) continue;
    const line = d.startPosition.row + 1;
    flags.syncCapable = { value: spec.syncCapable, line, via: "decorator" };
    flags.asyncCapable = { value: spec.asyncCapable, line, via: "decorator" };
  }
  return flags;
}

function isAsyncDef(fn: Node): boolean {
  return fn.children[0]?.type === "async";
}

/** A literal flag value, read by Python truthiness (`0`, `1`, `None`, `""` too); null when computed. */
function literalFlag(right: Node, line: number, via: Flag["via"]): Flag {
  const range = { start: right.startIndex, end: right.endIndex };
  if (right.type === "true" || right.type === "false") return { value: right.type === "true", line, via, valueRange: range };
  if (right.type === "none") return { value: false, line, via, valueRange: range };
  if (right.type === "integer" || right.type === "float") {
    const digits = right.text.replace(/_/g, "").toLowerCase();
    const zero = /^(?:0[xob])?[0.]*(?:e[+-]?\d+)?j?$/.test(digits);
    return { value: !zero, line, via, valueRange: range };
  }
  if (right.type === "string" && !right.namedChildren.some((c) => c.type === "interpolation")) {
    const content = right.namedChildren.filter((c) => c.type === "string_content" || c.type === "escape_sequence");
    return { value: content.some((c) => c.text.length > 0), line, via, valueRange: range };
  }
  return { value: null, line, via };
}

/** `a, b = x, y` (also parenthesised): the targets paired with their values; null when they do not pair up. */
function unpackPairs(left: Node, right: Node): [Node, Node][] | null {
  const targets = ["pattern_list", "tuple_pattern"].includes(left.type) ? left.namedChildren.filter((c) => c.type !== "comment") : null;
  const values = ["expression_list", "tuple"].includes(right.type) ? right.namedChildren.filter((c) => c.type !== "comment") : null;
  if (!targets || !values || targets.length !== values.length) return null;
  return targets.map((t, i) => [t, values[i]]);
}

function parameterNames(def: Node): string[] {
  const out: string[] = [];
  for (const p of def.childForFieldName("parameters")?.namedChildren ?? []) {
    if (p.type === "identifier") out.push(p.text);
    else if (p.type === "default_parameter" || p.type === "typed_default_parameter") out.push(p.childForFieldName("name")?.text ?? "");
    else if (p.type === "typed_parameter") out.push(p.namedChildren.find((c) => c.type === "identifier")?.text ?? "");
  }
  return out;
}

function analyzeClass(text: string, eol: string, node: Node, decorators: Node[], qualname: string): PyClass {
  const name = node.childForFieldName("name")!.text;
  const bases: BaseExpr[] = [];
  for (const c of node.childForFieldName("superclasses")?.namedChildren ?? []) {
    if (c.type === "keyword_argument" || c.type === "comment") continue;
    const target = c.type === "subscript" ? c.childForFieldName("value")! : c; // Generic[T], Base[Any]
    bases.push({ text: c.text, dotted: dottedName(target) });
  }
  const cls: PyClass = {
    name,
    qualname,
    line: node.startPosition.row + 1,
    column: node.startPosition.column + 1,
    start: node.startIndex,
    bases,
    hooks: {},
    dispatch: {},
    flags: {},
    callsSuperInit: false,
    alternative: false,
    decoratedBy: [],
    end: node.endIndex,
    methods: [],
    insertion: null,
  };
  for (const d of decorators) {
    const expr = d.namedChildren.find((c) => c.type !== "comment");
    const target = expr && (expr.type === "call" ? expr.childForFieldName("function") : expr);
    const dotted = target && dottedName(target);
    if (dotted && !FLAG_DECORATORS[dotted.slice(dotted.lastIndexOf(".") + 1)]) cls.decoratedBy.push({ name: dotted, line: d.startPosition.row + 1 });
  }
  for (const c of node.childForFieldName("superclasses")?.namedChildren ?? [])
    if (c.type === "keyword_argument" && c.childForFieldName("name")?.text === "metaclass") {
      const value = c.childForFieldName("value");
      const dotted = value && dottedName(value);
      if (dotted && !["type", "ABCMeta", "abc.ABCMeta"].includes(dotted)) cls.metaclass = { name: dotted, line: c.startPosition.row + 1 };
    }
  const body = node.childForFieldName("body");
  if (!body) return cls;
  let initParameters: string[] | null = null;
  cls.insertion = classInsertion(text, node, body, eol);
  const methods = new Set<string>();
  const member = (memberName: string, nature: Nature, line: number, why?: string) => {
    const kind = HOOK_BY_NAME.get(memberName);
    if (kind) cls.hooks[kind] = { nature, name: memberName, line, ...(why ? { why } : {}) };
    if (memberName === "__call__") cls.dispatch.call = nature;
    if (memberName === "__acall__") cls.dispatch.acall = nature;
  };
  // Members, including those under an `if`/`try` in the body; not inside methods or nested classes.
  const stack: Node[] = [...body.namedChildren].reverse();
  while (stack.length) {
    const n = stack.pop()!;
    let def: Node | null = null;
    let decos: Node[] = [];
    switch (n.type) {
      case "if_statement":
      case "try_statement":
      case "with_statement":
      case "elif_clause":
      case "else_clause":
      case "except_clause":
      case "finally_clause":
      case "block":
        stack.push(...[...n.namedChildren].filter((c) => c.type !== "comment").reverse());
        continue;
      case "decorated_definition":
        def = n.childForFieldName("definition");
        decos = n.namedChildren.filter((c) => c.type === "decorator");
        break;
      case "function_definition":
        def = n;
        break;
      case "expression_statement": {
        const a = n.namedChild(0);
        if (a?.type !== "assignment") continue;
        const left = a.childForFieldName("left");
        const right = a.childForFieldName("right");
        if (!left || !right) continue;
        const line = a.startPosition.row + 1;
        // `sync_capable, async_capable = True, False`
        for (const [t, v] of unpackPairs(left, right) ?? []) {
          if (t.text === PYTHON_NAMES.flags.asyncCapable) cls.flags.asyncCapable = literalFlag(v, line, "attribute");
          else if (t.text === PYTHON_NAMES.flags.syncCapable) cls.flags.syncCapable = literalFlag(v, line, "attribute");
        }
        if (left.type !== "identifier") continue;
        const target = left.text;
        if (target === PYTHON_NAMES.flags.asyncCapable) cls.flags.asyncCapable = literalFlag(right, line, "attribute");
        else if (target === PYTHON_NAMES.flags.syncCapable) cls.flags.syncCapable = literalFlag(right, line, "attribute");
        else if (!["string", "integer", "float", "true", "false", "none", "list", "dictionary", "tuple", "set"].includes(right.type)) {
          methods.add(target);
          member(target, "unknown", line, `it is assigned (\`${target} = ${right.text.length > 60 ? right.text.slice(0, 57) + "..." : right.text}\`), not defined with def`);
        }
        continue;
      }
      default:
        continue;
    }
    if (def?.type !== "function_definition") continue;
    const fname = def.childForFieldName("name")!.text;
    methods.add(fname);
    const line = def.startPosition.row + 1;
    const wrapper = decos.map((d) => lastName(d.namedChildren[0])).find((d) => d && WRAPPERS.has(d));
    if (wrapper) member(fname, "unknown", line, `it is wrapped by @${wrapper}`);
    // An ASGI application's __call__(scope, receive, send) is not a middleware dispatch.
    else if (fname === "__call__" && positionalParameters(def) > 1) continue;
    else member(fname, isAsyncDef(def) ? "async" : "sync", line);
    if (fname === "__call__" && !wrapper && !isAsyncDef(def) && /\bself\s*\.\s*__acall__\b/.test(def.text)) cls.dispatch.callsAcall = true;
    if (fname === "__init_subclass__" && FLAG_MENTION.test(def.text)) cls.flagsSetBy = { by: "__init_subclass__", line, self: false };
    if (fname === "__init__") {
      initParameters = parameterNames(def);
      const src = def.text;
      cls.init = { marksCoroutine: /markcoroutinefunction\(\s*self\s*\)|self\._is_coroutine\b/.test(src) };
      if (firstParameter(def) === "get_response") cls.init.getResponse = true;
      cls.callsSuperInit = /super\([^)]*\)\s*\.\s*__init__\s*\(|\b\w+\.__init__\(\s*self\b/.test(src);
    }
  }
  cls.methods = [...methods];
  // `async def __call__(self, scope)` with a constructor that takes no get_response (an ASGI or
  // test-client handler) is not a middleware dispatch.
  if (cls.dispatch.call === "async" && initParameters && !initParameters.includes("get_response")) delete cls.dispatch.call;
  // A class decorator runs after the body: its flags win over the body's attributes.
  Object.assign(cls.flags, decoratorFlags(decorators));
  return cls;
}

interface Frame {
  node: Node;
  scope: "module" | "class" | "function";
  rank: 0 | 1;
  qual: string;
  decorators: Node[];
}

/** Walk a parsed module: every class (module level, under `if`/`try`, nested), bindings, factories. */
export function readModule(file: SourceFile, module: string, isPackage: boolean, root: Node): ModuleFacts {
  // Positions are read in the parsed text (lone CRs as LF); the inserted line ends like the file's.
  const text = parseable(file.text);
  const eol = lineEnding(file.text);
  const events = new Map<string, BindingEvent[]>();
  const classes: PyClass[] = [];
  const functions: PyFunction[] = [];
  const stars: string[] = [];
  const afterFlags: { name: string; flag: "syncCapable" | "asyncCapable"; value: Flag; pos: number }[] = [];
  const bind = (name: string, binding: Binding, pos: number, rank: 0 | 1) => {
    const list = events.get(name) ?? [];
    list.push({ binding, pos, rank });
    events.set(name, list);
  };
  const fromModule = (n: Node): string | null => {
    if (n.type === "dotted_name") return n.text;
    if (n.type !== "relative_import") return null;
    const level = n.namedChildren.find((c) => c.type === "import_prefix")?.text.length ?? 0;
    const rest = n.namedChildren.find((c) => c.type === "dotted_name")?.text ?? "";
    return resolveRelative(module, isPackage, level, rest);
  };

  const stack: Frame[] = [];
  const pushAll = (nodes: Node[], f: Omit<Frame, "node" | "decorators">) => {
    for (let i = nodes.length - 1; i >= 0; i--) if (nodes[i].type !== "comment") stack.push({ ...f, node: nodes[i], decorators: [] });
  };
  pushAll(root.namedChildren, { scope: "module", rank: 1, qual: "" });
  while (stack.length) {
    const { node: n, scope, rank, qual, decorators } = stack.pop()!;
    const same = { scope, rank, qual };
    const pos = n.startIndex;
    switch (n.type) {
      case "import_statement":
        if (scope !== "module") break;
        for (const c of n.childrenForFieldName("name")) {
          if (c.type === "aliased_import") bind(c.childForFieldName("alias")!.text, { kind: "module", module: c.childForFieldName("name")!.text }, pos, rank);
          else if (c.type === "dotted_name") {
            const top = c.text.split(".")[0];
            bind(top, { kind: "module", module: top }, pos, rank);
          }
        }
        break;
      case "import_from_statement": {
        if (scope !== "module") break;
        const modNode = n.childForFieldName("module_name");
        const from = modNode && fromModule(modNode);
        if (!from) break;
        if (n.namedChildren.some((c) => c.type === "wildcard_import")) stars.push(from);
        for (const c of n.childrenForFieldName("name")) {
          const name = c.type === "aliased_import" ? c.childForFieldName("name")!.text : c.text;
          const alias = c.type === "aliased_import" ? c.childForFieldName("alias")!.text : name;
          bind(alias, { kind: "from", module: from, name }, pos, rank);
        }
        break;
      }
      case "expression_statement": {
        if (scope !== "module") break;
        const a = n.namedChild(0);
        if (a?.type === "call") {
          // `setattr(Cls, "async_capable", False)` after the class.
          const fn = a.childForFieldName("function");
          const args = a.childForFieldName("arguments")?.namedChildren.filter((c) => c.type !== "comment") ?? [];
          const attrName = args[1]?.type === "string" ? args[1].namedChildren.filter((c) => c.type === "string_content").map((c) => c.text).join("") : null;
          const flag = attrName === PYTHON_NAMES.flags.asyncCapable ? "asyncCapable" : attrName === PYTHON_NAMES.flags.syncCapable ? "syncCapable" : null;
          if (fn?.text === "setattr" && args.length === 3 && args[0].type === "identifier" && flag)
            afterFlags.push({ name: args[0].text, flag, value: literalFlag(args[2], a.startPosition.row + 1, "assignment"), pos });
          break;
        }
        if (a?.type !== "assignment") break;
        const left = a.childForFieldName("left");
        const right = a.childForFieldName("right");
        if (!left || !right) break;
        if (left.type === "identifier") {
          const dotted = dottedName(right);
          bind(left.text, dotted ? { kind: "expr", dotted } : { kind: "opaque", text: right.text }, pos, rank);
        } else if (left.type === "attribute") {
          // `Cls.async_capable = False` after the class.
          const obj = left.childForFieldName("object")!;
          const attr = left.childForFieldName("attribute")!.text;
          const flag = attr === PYTHON_NAMES.flags.asyncCapable ? "asyncCapable" : attr === PYTHON_NAMES.flags.syncCapable ? "syncCapable" : null;
          if (flag && obj.type === "identifier")
            afterFlags.push({ name: obj.text, flag, value: literalFlag(right, a.startPosition.row + 1, "assignment"), pos });
        }
        break;
      }
      case "if_statement": {
        // The `if` branch is the main path; `elif`/`else` bindings never override it.
        const alts = n.childrenForFieldName("alternative");
        for (let i = alts.length - 1; i >= 0; i--) stack.push({ node: alts[i], scope, rank: 0, qual, decorators: [] });
        const cons = n.childForFieldName("consequence");
        if (cons) stack.push({ node: cons, scope, rank, qual, decorators: [] });
        break;
      }
      case "elif_clause":
        pushAll([n.childForFieldName("consequence")!].filter(Boolean), same);
        break;
      case "try_statement": {
        const parts = n.namedChildren.filter((c) => c.type !== "comment");
        for (let i = parts.length - 1; i >= 0; i--) {
          const p = parts[i];
          const fallback = p.type === "except_clause" || p.type === "except_group_clause";
          stack.push({ node: p, scope, rank: fallback ? 0 : rank, qual, decorators: [] });
        }
        break;
      }
      case "with_statement":
      case "for_statement":
      case "while_statement":
        pushAll([n.childForFieldName("body")!, ...n.childrenForFieldName("alternative")].filter(Boolean), same);
        break;
      case "match_statement":
        // Each `case` is a branch: none of them is the main path.
        for (const c of [...(n.childForFieldName("body")?.namedChildren ?? [])].reverse())
          if (c.type === "case_clause") pushAll([c.childForFieldName("consequence")!].filter(Boolean), { ...same, rank: 0 });
        break;
      case "block":
      case "else_clause":
      case "except_clause":
      case "except_group_clause":
      case "finally_clause":
        pushAll(n.namedChildren.filter((c) => c.type === "block" || c.type.endsWith("statement") || c.type.endsWith("definition")), same);
        break;
      case "decorated_definition": {
        const def = n.childForFieldName("definition");
        if (def) stack.push({ node: def, scope, rank, qual, decorators: n.namedChildren.filter((c) => c.type === "decorator") });
        break;
      }
      case "class_definition": {
        const name = n.childForFieldName("name")?.text;
        if (!name) break;
        const qualname = qual ? `${qual}.${name}` : name;
        const cls = analyzeClass(text, eol, n, decorators, qualname);
        cls.alternative = rank === 0;
        classes.push(cls);
        if (scope === "module") bind(name, { kind: "class", cls }, pos, rank);
        const body = n.childForFieldName("body");
        if (body) pushAll(body.namedChildren, { scope: "class", rank, qual: qualname });
        break;
      }
      case "function_definition": {
        const name = n.childForFieldName("name")?.text;
        if (!name) break;
        if (scope === "module") {
          const fn: PyFunction = {
            name,
            line: n.startPosition.row + 1,
            column: n.startPosition.column + 1,
            start: n.startIndex,
            flags: decoratorFlags(decorators),
            decorated: decorators.length > 0,
            end: n.endIndex,
          };
          functions.push(fn);
          bind(name, { kind: "function", fn }, pos, rank);
        }
        const body = n.childForFieldName("body");
        // Classes defined inside functions count too (their bases resolve in module scope).
        if (body) pushAll(body.namedChildren, { scope: "function", rank, qual: `${qual ? qual + "." : ""}${name}.<locals>` });
        break;
      }
    }
  }

  for (const list of events.values()) list.sort((x, y) => x.pos - y.pos);
  const lookup = (name: string, before = Infinity): { binding: Binding; pos: number } | null => {
    let best: BindingEvent | null = null;
    for (const e of events.get(name) ?? []) {
      if (e.pos >= before) break;
      if (!best || e.rank >= best.rank) best = e;
    }
    return best;
  };
  for (const a of afterFlags) {
    const b = lookup(a.name, a.pos)?.binding;
    if (b?.kind === "class") b.cls.flags[a.flag] = a.value;
  }
  // Flags set by code in this module: a class decorator or a metaclass whose body names them.
  const setsFlags = (name: string, before: number) => {
    const b = lookup(name, before)?.binding;
    const def = b?.kind === "function" ? b.fn : b?.kind === "class" ? b.cls : null;
    return def !== null && FLAG_MENTION.test(text.slice(def.start, def.end));
  };
  for (const cls of classes) {
    const deco = cls.decoratedBy.find((d) => !d.name.includes(".") && setsFlags(d.name, cls.start));
    if (deco) {
      const computed: Flag = { value: null, line: deco.line, via: "decorator" };
      cls.flags = { syncCapable: computed, asyncCapable: computed };
    }
    if (cls.metaclass && !cls.metaclass.name.includes(".") && setsFlags(cls.metaclass.name, cls.start))
      cls.flagsSetBy = { by: `metaclass ${cls.metaclass.name}`, line: cls.metaclass.line, self: true };
  }
  return { module, file, classes, functions, stars, lookup };
}

/**
 * Flags set by code that another module defines (an imported class decorator or metaclass):
 * `source` gives the text of what a dotted name resolves to, or null. Same-module ones are
 * settled by `readModule`.
 */
export function flagsSetByCode(cls: PyClass, source: (dotted: string) => string | null): Pick<PyClass, "flags" | "flagsSetBy"> {
  let { flags, flagsSetBy } = cls;
  const computed = (f: Flag | undefined) => f?.via === "decorator" && f.value === null;
  if (!computed(flags.asyncCapable)) {
    const deco = cls.decoratedBy.find((d) => FLAG_MENTION.test(source(d.name) ?? ""));
    if (deco) {
      const flag: Flag = { value: null, line: deco.line, via: "decorator" };
      flags = { syncCapable: flag, asyncCapable: flag };
    }
  }
  if (!flagsSetBy && cls.metaclass && FLAG_MENTION.test(source(cls.metaclass.name) ?? ""))
    flagsSetBy = { by: `metaclass ${cls.metaclass.name}`, line: cls.metaclass.line, self: true };
  return { flags, flagsSetBy };
}

/** The name of the first parameter after `self`. */
function firstParameter(def: Node): string | null {
  const p = def.childForFieldName("parameters")?.namedChildren.filter((c) => c.type !== "comment")[1];
  if (!p) return null;
  const name = p.type === "identifier" ? p : (p.childForFieldName("name") ?? p.namedChildren.find((c) => c.type === "identifier"));
  return name?.type === "identifier" ? name.text : null;
}

/** Positional parameters after `self` (a middleware's __call__ takes one: the request). */
function positionalParameters(def: Node): number {
  const params = def.childForFieldName("parameters")?.namedChildren ?? [];
  const positional = params.filter((p) => ["identifier", "typed_parameter", "default_parameter", "typed_default_parameter"].includes(p.type));
  return Math.max(0, positional.length - 1);
}

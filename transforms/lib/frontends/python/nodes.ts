// Graph nodes: one ClassNode per class read (scanned, project, installed, version table),
// built with every ancestor it reaches; function middleware that carries a flag decorator
// as a factory node.
import { ClassGraph } from "../../graph.ts";
import { PYTHON_NAMES, type BaseRef, type ClassNode, type Hook, type HookKind, type UpstreamMiddleware } from "../../model.ts";
import { flagsSetByCode, type ModuleFacts, type PyFunction } from "./classes.ts";
import { resolveDotted, resolveName } from "./names.ts";
import { parseable } from "./parser.ts";
import type { Key, PythonState, Target } from "./state.ts";

const keyObj = (k: Key) => (k.world === "code" ? k.cls : k.entry);
const djangoFile = (e: UpstreamMiddleware) => e.module.replace(/\./g, "/") + ".py";
const idOf = (k: Key) => (k.world === "code" ? `${k.facts.file.file}:${k.cls.line}:${k.cls.name}` : `${djangoFile(k.entry)}:1:${k.entry.name}`);
const editable = (s: PythonState, facts: ModuleFacts) => s.scanned.has(facts.file.absPath);

/** Classes whose `__init__` calls `super().__init__(…)`: settled from their ancestors (settleInit). */
const callsSuper = new WeakSet<ClassNode>();

function originOf(s: PythonState, facts: ModuleFacts): ClassNode["origin"] {
  if (editable(s, facts) || !s.site || s.projectFiles.has(facts.file.absPath)) return undefined;
  const d = s.site.dist(facts.module.split(".")[0]);
  return { package: d.name, version: d.version, source: facts.file.file };
}

function baseRef(s: PythonState, text: string, t: Target): BaseRef {
  switch (t.kind) {
    case "mixin":
      return { kind: "mixin", name: "MiddlewareMixin", text };
    case "class":
      s.pending.push(t.key);
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
}

/** The node of one class; its bases are queued in `pending`. */
function shell(s: PythonState, k: Key): ClassNode {
  const existing = s.byKey.get(keyObj(k));
  if (existing) return existing;
  let node: ClassNode;
  if (k.world === "django") {
    const e = k.entry;
    const hooks: Partial<Record<HookKind, Hook>> = {};
    for (const [kind, nature] of Object.entries(e.hooks) as [HookKind, Hook["nature"]][]) hooks[kind] = { nature, name: PYTHON_NAMES.hooks[kind], line: 1 };
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
      origin: { package: "django", version: s.upstream.release, source: e.source },
      qualifiedName: e.qualifiedName,
      bases: e.bases.map((b) =>
        b === "MiddlewareMixin"
          ? { kind: "mixin", name: "MiddlewareMixin", text: "MiddlewareMixin" }
          : baseRef(s, b, resolveName(s, b.slice(0, b.lastIndexOf(".")), b.slice(b.lastIndexOf(".") + 1), new Set())),
      ),
      hooks,
      dispatch: { ...e.dispatch },
      flags,
      ...(e.init ? { init: { ...e.init } } : {}),
      methods: [...e.methods],
      insertion: null,
    };
  } else {
    const { facts, cls } = k;
    const canEdit = editable(s, facts);
    const origin = originOf(s, facts);
    // A class decorator or metaclass imported from another module may set the flags.
    const setBy = flagsSetByCode(cls, (name) => {
      const t = resolveDotted(s, facts, name, cls.start, new Set());
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
        baseRef(s, b.text, b.dotted ? resolveDotted(s, facts, b.dotted, cls.start, new Set()) : { kind: "unresolved", reason: "the base is computed at run time" }),
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
  s.byKey.set(keyObj(k), node);
  s.all.push(node);
  return node;
}

/** A node and every ancestor it reaches (iteratively: inheritance chains may be long). */
export function build(s: PythonState, k: Key): ClassNode {
  const root = shell(s, k);
  while (s.pending.length) {
    const next = s.pending;
    s.pending = [];
    for (const p of next) shell(s, p);
  }
  return root;
}

export function factoryNode(s: PythonState, facts: ModuleFacts, fn: PyFunction): ClassNode {
  let node = s.factories.get(fn);
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
      editable: editable(s, facts),
      ...(originOf(s, facts) ? { origin: originOf(s, facts) } : {}),
      qualifiedName: `${facts.module}.${fn.name}`,
      bases: [],
      hooks: {},
      dispatch: {},
      flags: structuredClone(fn.flags),
      methods: [],
      insertion: null,
    };
    s.factories.set(fn, node);
  }
  return node;
}

/**
 * `__init__` that calls `super().__init__(…)` marks the instance when an ancestor's `__init__`
 * does (MiddlewareMixin's does): settle those from the ancestors, ancestors first.
 */
export function settleInit(nodes: ClassNode[]): void {
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

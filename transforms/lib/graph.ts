// Inheritance over the class graph: method resolution order, inherited hooks and the
// effective flags. Language-neutral: TS/JS classes have one base, Python ones many.
import { HOP_HOOKS, type ClassNode, type HookKind, type Nature } from "./model.ts";

/** One entry of a method resolution order: a class of the graph or a configured mixin. */
export type MroEntry = { kind: "class"; node: ClassNode } | { kind: "mixin"; name: string };

export interface FlagSource {
  value: boolean | null;
  /** The class (or mixin) that declares the value; null for the framework default. */
  declaredIn: string | null;
  node: ClassNode | null;
}

/** Declarations that this run adds, by class id: they count when computing the state "after". */
export type Overrides = ReadonlyMap<string, boolean>;

export class ClassGraph {
  readonly byId = new Map<string, ClassNode>();
  private readonly mroCache = new Map<string, MroEntry[]>();
  private readonly childrenCache = new Map<string, ClassNode[]>();

  constructor(readonly classes: ClassNode[]) {
    for (const c of classes) this.byId.set(c.id, c);
    for (const c of classes)
      for (const b of c.bases)
        if (b.kind === "class") {
          const list = this.childrenCache.get(b.id) ?? [];
          list.push(c);
          this.childrenCache.set(b.id, list);
        }
  }

  children(node: ClassNode): ClassNode[] {
    return this.childrenCache.get(node.id) ?? [];
  }

  /** C3 linearization (Python's MRO); falls back to depth-first order on inconsistent hierarchies. */
  mro(node: ClassNode, seen: Set<string> = new Set()): MroEntry[] {
    const cached = this.mroCache.get(node.id);
    if (cached) return cached;
    if (seen.has(node.id)) return [{ kind: "class", node }]; // inheritance cycle: stop
    seen.add(node.id);
    const parents: MroEntry[][] = [];
    const direct: MroEntry[] = [];
    for (const b of node.bases) {
      if (b.kind === "class") {
        const base = this.byId.get(b.id);
        if (!base) continue;
        parents.push(this.mro(base, seen));
        direct.push({ kind: "class", node: base });
      } else if (b.kind === "mixin") {
        parents.push([{ kind: "mixin", name: b.name }]);
        direct.push({ kind: "mixin", name: b.name });
      }
    }
    const result = [{ kind: "class", node } as MroEntry, ...merge([...parents, direct])];
    seen.delete(node.id);
    this.mroCache.set(node.id, result);
    return result;
  }

  /** The configured mixin this class reaches, if any. */
  mixinOf(node: ClassNode): string | null {
    for (const e of this.mro(node)) if (e.kind === "mixin") return e.name;
    return null;
  }

  /** Bases anywhere in the ancestry that could not be read. */
  unresolvedBases(node: ClassNode): { text: string; reason: string; from: ClassNode }[] {
    const out: { text: string; reason: string; from: ClassNode }[] = [];
    for (const e of this.mro(node))
      if (e.kind === "class")
        for (const b of e.node.bases) if (b.kind === "unresolved") out.push({ text: b.text, reason: b.reason, from: e.node });
    return out;
  }

  /** Classes of the MRO above `node` and below the mixin (the mixin's own methods do not count). */
  classesBelowMixin(node: ClassNode): ClassNode[] {
    const out: ClassNode[] = [];
    for (const e of this.mro(node)) if (e.kind === "class") out.push(e.node);
    return out;
  }

  /** The nearest definition of a hook, own or inherited. */
  hook(node: ClassNode, kind: HookKind): { nature: Nature; name: string; owner: ClassNode } | null {
    for (const c of this.classesBelowMixin(node)) {
      const h = c.hooks[kind];
      if (h) return { nature: h.nature, name: h.name, owner: c };
    }
    return null;
  }

  hopHooks(node: ClassNode): { kind: HookKind; nature: Nature; name: string; owner: ClassNode }[] {
    const out = [];
    for (const kind of HOP_HOOKS) {
      const h = this.hook(node, kind);
      if (h) out.push({ kind, ...h });
    }
    return out;
  }

  /** The nearest own dispatch method (`call`/`acall`), own or inherited below the mixin. */
  dispatch(node: ClassNode): { call?: Nature; acall?: Nature; owner: ClassNode } | null {
    for (const c of this.classesBelowMixin(node))
      if (c.dispatch.call !== undefined || c.dispatch.acall !== undefined) {
        // Python resolves each dunder separately; collect both along the MRO.
        let call: Nature | undefined;
        let acall: Nature | undefined;
        for (const d of this.classesBelowMixin(node)) {
          call ??= d.dispatch.call;
          acall ??= d.dispatch.acall;
        }
        return { call, acall, owner: c };
      }
    return null;
  }

  /**
   * The `call` or `acall` a class runs, by MRO: a class's own definition, or the mixin's
   * (which dispatches to `acall` under an async server). Null when nothing defines it.
   */
  member(node: ClassNode, which: "call" | "acall"): { owner: ClassNode; nature: Nature; callsAcall: boolean } | { owner: "mixin"; name: string } | null {
    for (const e of this.mro(node)) {
      if (e.kind === "mixin") return { owner: "mixin", name: e.name };
      const nature = e.node.dispatch[which];
      if (nature !== undefined) return { owner: e.node, nature, callsAcall: e.node.dispatch.callsAcall === true };
    }
    return null;
  }

  /**
   * The async dispatch a class has (an async `acall`, Python also an `async def __call__`) and
   * whether it runs: Python's `__acall__` only when the effective `__call__` is the mixin's or
   * refers to it; TS/JS `acall` when the class reaches the mixin or its `call` refers to it.
   */
  asyncDispatch(node: ClassNode): { which: "call" | "acall"; owner: ClassNode; reached: boolean } | null {
    const call = this.member(node, "call");
    if (node.language === "py" && call && call.owner !== "mixin" && call.nature === "async") return { which: "call", owner: call.owner, reached: true };
    const acall = this.member(node, "acall");
    if (!acall || acall.owner === "mixin" || acall.nature !== "async") return null;
    const callReaches = call !== null && (call.owner === "mixin" || call.callsAcall);
    const reached = node.language === "py" ? callReaches : this.mixinOf(node) !== null || callReaches;
    return { which: "acall", owner: acall.owner, reached };
  }

  /** Python: whether the `__init__` the class runs marks the instance as a coroutine function (MiddlewareMixin's does). */
  marksCoroutine(node: ClassNode): boolean {
    for (const e of this.mro(node)) {
      if (e.kind === "mixin") return true;
      if (e.node.init) return e.node.init.marksCoroutine;
    }
    return false;
  }

  /** The nearest class of the MRO whose flags are set at class creation by code (`__init_subclass__`, a metaclass). */
  flagSetter(node: ClassNode): { by: string; line: number; owner: ClassNode } | null {
    for (const e of this.mro(node)) {
      if (e.kind === "mixin") return null;
      const s = e.node.flagsSetBy;
      if (s && (s.self || e.node !== node)) return { by: s.by, line: s.line, owner: e.node };
    }
    return null;
  }

  /** The value a class would have without its own declaration (or this run's declaration on it). */
  inheritedFlag(node: ClassNode, flag: "syncCapable" | "asyncCapable", overrides?: Overrides): FlagSource {
    return flagAlong(this.mro(node).slice(1), flag, overrides);
  }

  /**
   * The effective value of a flag: the class's own declaration, else the nearest
   * ancestor's (with this run's additions when `overrides` is given), else the mixin's
   * `true`, else the framework default (`syncCapable` true, `asyncCapable` false).
   */
  effectiveFlag(node: ClassNode, flag: "syncCapable" | "asyncCapable", overrides?: Overrides): FlagSource {
    return flagAlong(this.mro(node), flag, overrides);
  }

  /** Ancestors first, so that a decision can see what this run did to the classes above it. */
  topologicalOrder(): ClassNode[] {
    const order: ClassNode[] = [];
    const state = new Map<string, 1 | 2>();
    const visit = (n: ClassNode) => {
      if (state.get(n.id)) return;
      state.set(n.id, 1);
      for (const b of n.bases)
        if (b.kind === "class") {
          const base = this.byId.get(b.id);
          if (base) visit(base);
        }
      state.set(n.id, 2);
      order.push(n);
    };
    for (const c of this.classes) visit(c);
    return order;
  }
}

/** The first declaration along an MRO (this run's additions first), else the mixin's true, else the default. */
function flagAlong(entries: MroEntry[], flag: "syncCapable" | "asyncCapable", overrides?: Overrides): FlagSource {
  for (const e of entries) {
    if (e.kind === "mixin") return { value: true, declaredIn: e.name, node: null };
    const added = flag === "asyncCapable" ? overrides?.get(e.node.id) : undefined;
    if (added !== undefined) return { value: added, declaredIn: e.node.name, node: e.node };
    const f = e.node.flags[flag];
    if (f) return { value: f.value, declaredIn: e.node.name, node: e.node };
  }
  return { value: flag === "syncCapable", declaredIn: null, node: null };
}

function sameEntry(a: MroEntry, b: MroEntry): boolean {
  return a.kind === "class" ? b.kind === "class" && a.node.id === b.node.id : b.kind === "mixin" && a.name === b.name;
}

function merge(seqs: MroEntry[][]): MroEntry[] {
  const lists = seqs.map((s) => [...s]).filter((s) => s.length);
  const out: MroEntry[] = [];
  while (lists.some((l) => l.length)) {
    let candidate: MroEntry | undefined;
    for (const l of lists) {
      if (!l.length) continue;
      const head = l[0];
      if (!lists.some((o) => o.slice(1).some((e) => sameEntry(e, head)))) {
        candidate = head;
        break;
      }
    }
    if (!candidate) {
      // Inconsistent hierarchy (Python would raise TypeError): take the remaining entries depth-first.
      for (const l of lists) for (const e of l) if (!out.some((o) => sameEntry(o, e))) out.push(e);
      return out;
    }
    out.push(candidate);
    for (const l of lists) if (l.length && sameEntry(l[0], candidate)) l.shift();
  }
  return out;
}

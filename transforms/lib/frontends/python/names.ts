// Name resolution the way Python binds names: imports, aliases, `module.Attr`, star imports,
// package re-exports, `try/except ImportError` fallbacks; Django's modules from the version table.
import { BUILTINS, STDLIB } from "./prefilter.ts";
import type { ModuleFacts } from "./classes.ts";
import { fromTable, isMixinClass, moduleExists, moduleFacts } from "./module-reader.ts";
import type { PythonState, Target } from "./state.ts";

function external(mod: string): Target {
  const top = mod.split(".")[0];
  return STDLIB.has(top) ? { kind: "other" } : { kind: "unresolved", reason: `package '${top}' is not in the scanned tree` };
}

function djangoAttr(s: PythonState, mod: string, name: string): Target {
  const q = `${mod}.${name}`;
  if (s.upstream.mixinPaths.includes(q)) return { kind: "mixin" };
  const entry = s.upstream.entries.get(q);
  if (entry) return { kind: "class", key: { world: "django", entry } };
  if (s.djangoPaths.some((p) => p.startsWith(q + "."))) return { kind: "module", name: q };
  return { kind: "other" }; // the rest of Django is not middleware
}

/** `name` as module `mod` binds it. */
export function resolveName(s: PythonState, mod: string, name: string, seen: Set<string>): Target {
  if (fromTable(s, mod)) return djangoAttr(s, mod, name);
  const facts = moduleFacts(s, mod);
  if (facts === undefined) return moduleExists(s, `${mod}.${name}`) ? { kind: "module", name: `${mod}.${name}` } : external(mod);
  if (facts === null) return { kind: "unresolved", reason: `module ${mod} could not be read` };
  return resolveIn(s, facts, name, Infinity, seen);
}

/** `name` as bound in a module before a position (a class body sees what precedes it). */
export function resolveIn(s: PythonState, facts: ModuleFacts, name: string, before: number, seen: Set<string>): Target {
  const key = `${facts.module}:${name}:${before}`;
  if (seen.has(key)) return { kind: "unresolved", reason: `'${name}' is defined in an import cycle` };
  seen.add(key);
  const found = facts.lookup(name, before);
  if (!found) {
    for (const star of facts.stars) {
      const r = resolveName(s, star, name, seen);
      if (r.kind !== "undefined") return r;
    }
    if (moduleExists(s, `${facts.module}.${name}`)) return { kind: "module", name: `${facts.module}.${name}` };
    if (BUILTINS.has(name)) return { kind: "other" };
    return { kind: "undefined", name, module: facts.module };
  }
  const b = found.binding;
  switch (b.kind) {
    case "module":
      return { kind: "module", name: b.module };
    case "from": {
      const r = resolveName(s, b.module, b.name, seen);
      // `from pkg import sub`: an attribute of the package, else its submodule.
      if (r.kind === "undefined" && moduleExists(s, `${b.module}.${b.name}`)) return { kind: "module", name: `${b.module}.${b.name}` };
      return r;
    }
    case "expr":
      return resolveDotted(s, facts, b.dotted, found.pos, seen);
    case "class":
      if (isMixinClass(s, facts, b.cls)) return { kind: "mixin" };
      return { kind: "class", key: { world: "code", facts, cls: b.cls } };
    case "function":
      return { kind: "function", facts, fn: b.fn };
    case "opaque":
      return { kind: "unresolved", reason: `'${name}' is computed at run time (${b.text.length > 40 ? b.text.slice(0, 37) + "..." : b.text})` };
  }
}

export function attr(s: PythonState, t: Target, name: string, seen: Set<string>): Target {
  if (t.kind === "module") return resolveName(s, t.name, name, seen);
  if (t.kind === "other" || t.kind === "unresolved" || t.kind === "undefined") return t;
  return { kind: "unresolved", reason: `'${name}' is an attribute of a class or function` };
}

export function resolveDotted(s: PythonState, facts: ModuleFacts, dotted: string, before: number, seen: Set<string>): Target {
  const parts = dotted.split(".");
  let t = resolveIn(s, facts, parts[0], before, seen);
  for (const p of parts.slice(1)) t = attr(s, t, p, seen);
  return t;
}

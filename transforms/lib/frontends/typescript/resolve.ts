// Following a class's `extends` expression through bindings, imports, re-exports and
// barrels to a class of the scan, a configured mixin, or a reason why it cannot be read.
import type { ts as TS } from "ts-morph";
import type { FileError, Profile, SourceFile } from "../../model.ts";
import type { Bindings, Ref } from "./bindings.ts";
import type { RawClass } from "./classes.ts";
import type { ModuleResolver } from "./module-resolution.ts";
import type { Ts } from "./parse.ts";

export interface Module {
  file: SourceFile;
  isTs: boolean;
  sf: TS.SourceFile;
  error: FileError | null;
  classes: RawClass[];
  bindings: Bindings;
}

export type Target =
  | { kind: "class"; cls: RawClass; mod: Module }
  | { kind: "mixin"; name: string }
  | { kind: "namespace"; mod: Module }
  | { kind: "unresolved"; reason: string; notExported?: boolean }
  | { kind: "other" }
  /** A file (absolute path) that is not parsed yet: the pre-filter must add it. */
  | { kind: "pending"; file: string };

const MAX_DEPTH = 64;

export class SymbolResolver {
  /** Unparsed files (absolute paths) that some resolution needed. */
  readonly pending = new Set<string>();
  private readonly bases = new Map<RawClass, Target | null>();

  constructor(
    private readonly ts: Ts,
    private readonly modules: ReadonlyMap<string, Module>,
    private readonly resolver: ModuleResolver,
    private readonly profile: Profile,
  ) {}

  /** The class's own `extends` target; null when it has none. */
  baseOf(mod: Module, cls: RawClass): Target | null {
    if (!this.bases.has(cls)) this.bases.set(cls, cls.heritage ? this.expr(mod, cls.heritage, 0) : null);
    return this.bases.get(cls)!;
  }

  /**
   * A local class is the mixin itself when it has the mixin's name, no `from` list is
   * configured for that mixin (with one, only imports from those modules count), and it
   * extends nothing (a class of that name that extends something is an ordinary subclass).
   */
  isLocalMixin(cls: RawClass): boolean {
    return !cls.heritage && this.profile.mixins.some((m) => m.name === cls.name && !m.from?.length);
  }

  ref(mod: Module, ref: Ref, depth: number): Target {
    if (depth > MAX_DEPTH) return { kind: "unresolved", reason: "import cycle" };
    switch (ref.kind) {
      case "class":
        return this.isLocalMixin(ref.cls) ? { kind: "mixin", name: ref.cls.name } : { kind: "class", cls: ref.cls, mod };
      case "local":
        return this.local(mod, ref.name, depth + 1);
      case "import":
        return this.import(mod, ref.spec, ref.name, depth + 1);
      case "expr":
        return this.expr(mod, ref.expr, depth + 1);
    }
  }

  private local(mod: Module, name: string, depth: number): Target {
    const ref = mod.bindings.locals.get(name);
    if (ref && !(ref.kind === "local" && ref.name === name)) return this.ref(mod, ref, depth);
    if (this.profile.mixins.some((m) => m.name === name && !m.from?.length)) return { kind: "mixin", name };
    if (name in globalThis) return { kind: "other" }; // Error, EventTarget, …
    return { kind: "unresolved", reason: `'${name}' is neither defined nor imported in ${mod.file.file}` };
  }

  import(mod: Module, spec: string, name: string, depth: number): Target {
    const fromList = this.profile.mixins.find((m) => m.name === name && m.from?.includes(spec));
    if (fromList) return { kind: "mixin", name };
    const r = this.resolver.resolve(mod.file.absPath, spec);
    if (r.kind === "builtin") return { kind: "other" };
    if (r.kind === "external") {
      if (this.profile.mixins.some((m) => m.name === name && !m.from?.length)) return { kind: "mixin", name };
      return { kind: "unresolved", reason: `package '${r.pkg}' is not in the scanned tree` };
    }
    if (r.kind === "missing") return { kind: "unresolved", reason: r.why };
    const target = this.modules.get(r.file);
    if (!target) {
      this.pending.add(r.file);
      return { kind: "pending", file: r.file };
    }
    if (target.error) return { kind: "unresolved", reason: `${target.file.file} could not be parsed` };
    return this.export(target, name, depth + 1);
  }

  export(mod: Module, name: string, depth: number): Target {
    if (depth > MAX_DEPTH) return { kind: "unresolved", reason: "import cycle" };
    const b = mod.bindings;
    if (name === "*") return { kind: "namespace", mod };
    if (name === "=" || name === "default") {
      const ref = (name === "default" ? b.exports.get("default") : undefined) ?? b.exportEquals;
      return ref ? this.ref(mod, ref, depth) : { kind: "namespace", mod };
    }
    const ref = b.exports.get(name);
    if (ref) return this.ref(mod, ref, depth);
    for (const spec of b.stars) {
      const t = this.import(mod, spec, name, depth + 1);
      if (!(t.kind === "unresolved" && t.notExported)) return t;
    }
    return { kind: "unresolved", reason: `'${name}' is not exported by ${mod.file.file}`, notExported: true };
  }

  private expr(mod: Module, e: TS.Expression, depth: number): Target {
    const ts = this.ts;
    if (depth > MAX_DEPTH) return { kind: "unresolved", reason: "import cycle" };
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    const cls = mod.classes.find((c) => c.node === e);
    if (cls) return this.ref(mod, { kind: "class", cls }, depth);
    if (ts.isIdentifier(e)) return this.local(mod, e.text, depth + 1);
    const text = e.getText(mod.sf);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "require" && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0]))
      return this.import(mod, e.arguments[0].text, "=", depth + 1);
    if (ts.isPropertyAccessExpression(e)) {
      const member = e.name.text;
      const obj = e.expression;
      // `ns.X` with `import * as ns` / `const ns = require(…)`, and `require("m").X`: an import of X.
      const bound = ts.isIdentifier(obj) ? mod.bindings.locals.get(obj.text) : undefined;
      if (bound?.kind === "import" && (bound.name === "*" || bound.name === "=")) {
        const whole = this.import(mod, bound.spec, bound.name, depth + 1);
        if (whole.kind === "namespace") return this.export(whole.mod, member, depth + 1);
        if (whole.kind !== "class") return this.import(mod, bound.spec, member, depth + 1);
      }
      if (ts.isCallExpression(obj) && ts.isIdentifier(obj.expression) && obj.expression.text === "require" && obj.arguments.length === 1 && ts.isStringLiteralLike(obj.arguments[0]))
        return this.import(mod, obj.arguments[0].text, member, depth + 1);
      const t = this.expr(mod, obj, depth + 1);
      if (t.kind === "namespace") return this.export(t.mod, member, depth + 1);
      if (t.kind === "unresolved" || t.kind === "pending") return t;
    }
    return { kind: "unresolved", reason: `\`${text}\` is a dynamic expression` };
  }
}

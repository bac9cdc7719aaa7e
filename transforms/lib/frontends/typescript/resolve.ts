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

  /** A file that turned out unreadable after its classes were resolved: bases in it become unresolved. */
  forget(file: string, reason: string): void {
    for (const [cls, t] of this.bases) if (t?.kind === "class" && t.mod.file.file === file) this.bases.set(cls, { kind: "unresolved", reason });
  }

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
    return !cls.heritageText && this.profile.mixins.some((m) => m.name === cls.name && !m.from?.length);
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

  /**
   * The handbook's mixin pattern: a function (of the file, or imported) that returns a class
   * expression extending one of its parameters, `Timestamped(Base)`. Its class's base is the
   * argument; a class that defines hooks, dispatch or flags of its own is not followed.
   */
  private mixinFunction(mod: Module, name: string, depth: number): { param: number; defines: string | null } | { kind: "pending"; file: string } | null {
    const ts = this.ts;
    if (depth > MAX_DEPTH) return null;
    const fn = topLevelFunction(ts, mod.sf, name);
    if (fn) return mixinShape(ts, fn, this.profile);
    const ref = mod.bindings.locals.get(name);
    if (ref?.kind !== "import" || ref.name === "*" || ref.name === "=") return null;
    const r = this.resolver.resolve(mod.file.absPath, ref.spec);
    if (r.kind !== "file") return null;
    const target = this.modules.get(r.file);
    if (!target) {
      this.pending.add(r.file);
      return { kind: "pending", file: r.file };
    }
    if (target.error) return null;
    if (ref.name === "default") {
      const d = target.sf.statements.find((s) => ts.isFunctionDeclaration(s) && s.modifiers?.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword));
      if (d) return mixinShape(ts, d as TS.FunctionDeclaration, this.profile);
    }
    const exported = target.bindings.exports.get(ref.name);
    const local = exported?.kind === "local" ? exported.name : ref.name;
    if (exported?.kind === "import") return this.mixinFunction(target, ref.name, depth + 1);
    const f = topLevelFunction(ts, target.sf, local);
    return f ? mixinShape(ts, f, this.profile) : null;
  }

  private expr(mod: Module, e: TS.Expression, depth: number): Target {
    const ts = this.ts;
    if (depth > MAX_DEPTH) return { kind: "unresolved", reason: "import cycle" };
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isNonNullExpression(e)) e = e.expression;
    const cls = mod.classes.find((c) => c.node === e);
    if (cls) return this.ref(mod, { kind: "class", cls }, depth);
    if (ts.isIdentifier(e)) return this.local(mod, e.text, depth + 1);
    const text = e.getText(mod.sf);
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text !== "require") {
      const m = this.mixinFunction(mod, e.expression.text, depth + 1);
      if (m && "kind" in m) return m;
      if (m && m.param < e.arguments.length) {
        if (m.defines) return { kind: "unresolved", reason: `\`${e.expression.text}(…)\` returns a class that defines ${m.defines}` };
        return this.expr(mod, e.arguments[m.param], depth + 1);
      }
    }
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

type FunctionNode = TS.FunctionDeclaration | TS.ArrowFunction | TS.FunctionExpression;

function topLevelFunction(ts: Ts, sf: TS.SourceFile, name: string): FunctionNode | null {
  for (const s of sf.statements) {
    if (ts.isFunctionDeclaration(s) && s.name?.text === name && s.body) return s;
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations) {
        const init = d.initializer;
        if (ts.isIdentifier(d.name) && d.name.text === name && init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init))) return init;
      }
  }
  return null;
}

/** Which parameter the returned class expression extends, and what of the profile's names that class defines. */
function mixinShape(ts: Ts, fn: FunctionNode, profile: Profile): { param: number; defines: string | null } | null {
  const body = fn.body;
  if (!body) return null;
  let returned: TS.Expression | undefined;
  if (ts.isBlock(body)) {
    for (const s of body.statements) if (ts.isReturnStatement(s) && s.expression) returned = s.expression;
  } else returned = body;
  while (returned && (ts.isParenthesizedExpression(returned) || ts.isAsExpression(returned))) returned = returned.expression;
  if (!returned || !ts.isClassExpression(returned)) return null;
  const base = returned.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
  if (!base || !ts.isIdentifier(base)) return null;
  const param = fn.parameters.findIndex((p) => ts.isIdentifier(p.name) && p.name.text === base.text);
  if (param < 0) return null;
  const special = new Set([...Object.values(profile.hooks), profile.flags.syncCapable, profile.flags.asyncCapable, profile.dispatch.call, profile.dispatch.acall]);
  const own = returned.members.map((m) => (m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) ? m.name.text : "")).filter((n) => special.has(n));
  return { param, defines: own.length ? own.join(", ") : null };
}

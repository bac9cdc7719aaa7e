// Every class of a parsed file, with what the class graph needs from its body: hooks,
// dispatch methods, flags and member names. Bases are resolved later (resolve.ts).
import type { ts as TS } from "ts-morph";
import type { Flag, Hook, HookKind, Nature, Profile } from "../../model.ts";
import { natureOf, type FunctionLike, type NatureContext } from "./hooks.ts";
import { position, type Ts } from "./parse.ts";

export type Slot = { hook: HookKind } | { dispatch: "call" | "acall" };

export interface RawClass {
  node: TS.ClassLikeDeclaration;
  name: string;
  /** The identifier the class is bound to in its file (declaration name or `const X = class`). */
  binding: string | null;
  line: number;
  column: number;
  heritage: TS.Expression | null;
  heritageText: string;
  hooks: Partial<Record<HookKind, Hook>>;
  dispatch: { call?: Nature; acall?: Nature; callsAcall?: boolean };
  flags: { syncCapable?: Flag; asyncCapable?: Flag };
  methods: string[];
  /** Functions whose nature the checker must infer (TS without a return annotation, returning a value). */
  infer: { slot: Slot; fn: FunctionLike }[];
  /** `declare static asyncCapable: boolean;` (a field without a value): the declaration replaces it. */
  typeOnlyFlag?: TS.PropertyDeclaration;
}

export interface Names {
  hooks: Map<string, HookKind>;
  hooksByKind: Map<HookKind, string>;
  call: string;
  acall: string;
  flags: Map<string, "syncCapable" | "asyncCapable">;
}

export function namesOf(profile: Profile): Names {
  return {
    hooks: new Map(Object.entries(profile.hooks).map(([k, v]) => [v, k as HookKind])),
    hooksByKind: new Map(Object.entries(profile.hooks).map(([k, v]) => [k as HookKind, v])),
    call: profile.dispatch.call,
    acall: profile.dispatch.acall,
    flags: new Map([
      [profile.flags.syncCapable, "syncCapable"],
      [profile.flags.asyncCapable, "asyncCapable"],
    ]),
  };
}

/** Name for an anonymous class: after the file (`index` files after their folder), else "default". */
function fileClassName(file: string): string {
  const parts = file.split("/");
  const base = parts[parts.length - 1].replace(/(\.d)?\.[cm]?[jt]sx?$/, "");
  return (base === "index" ? parts[parts.length - 2] : base) || "default";
}

export function collectClasses(ts: Ts, sf: TS.SourceFile, file: string, isTs: boolean, names: Names): RawClass[] {
  const out: RawClass[] = [];
  const facts = fileFacts(ts, sf);
  // Pre-order, with an explicit stack: deeply nested expressions must not exhaust the call stack.
  const stack: TS.Node[] = [sf];
  const kids: TS.Node[] = [];
  const push = (c: TS.Node) => void kids.push(c);
  while (stack.length) {
    const n = stack.pop()!;
    if (ts.isFunctionDeclaration(n) && n.name && n.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) facts.asyncFunctions.add(n.name.text);
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) out.push(readClass(ts, sf, n, file, isTs, names, facts));
    ts.forEachChild(n, push);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
    kids.length = 0;
  }
  return out;
}

type FileFacts = Omit<NatureContext, "isTs" | "asyncMethods" | "asyncFunctions"> & { asyncFunctions: Set<string> };

/**
 * What the file's top level (and its namespaces) declares that tells a hook's nature: async
 * functions (`async function f`, `const f = async (…) => …`), type aliases (the first of a
 * name wins), interfaces and classes that are plainly not promises, its own `Promise`, imports.
 */
function fileFacts(ts: Ts, sf: TS.SourceFile): FileFacts {
  const asyncFunctions = new Set<string>();
  const aliases = new Map<string, TS.TypeNode>();
  const plain = new Map<string, boolean>();
  const imported = new Set<string>();
  let shadowsPromise = false;
  const isAsync = (n: TS.Node) => !!ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  // A `Promise` of the file's own (an imported one is a promise library's: still a promise).
  const bind = (name: string) => {
    if (name === "Promise" || name === "PromiseLike") shadowsPromise = true;
  };
  const hasThen = (members: readonly (TS.ClassElement | TS.TypeElement)[]) => members.some((m) => m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === "then");
  const scan = (statements: readonly TS.Statement[]) => {
    for (const s of statements) {
      if (ts.isFunctionDeclaration(s) && s.name) {
        if (isAsync(s)) asyncFunctions.add(s.name.text);
        bind(s.name.text);
      } else if (ts.isTypeAliasDeclaration(s)) {
        if (!aliases.has(s.name.text)) aliases.set(s.name.text, s.type);
        bind(s.name.text);
      } else if (ts.isInterfaceDeclaration(s) || ts.isClassDeclaration(s)) {
        if (!s.name) continue;
        const ok = !s.heritageClauses?.some((h) => h.token === ts.SyntaxKind.ExtendsKeyword) && !hasThen(s.members);
        plain.set(s.name.text, (plain.get(s.name.text) ?? true) && ok);
        bind(s.name.text);
      } else if (ts.isVariableStatement(s)) {
        for (const d of s.declarationList.declarations) {
          let init = d.initializer;
          while (init && (ts.isParenthesizedExpression(init) || ts.isAwaitExpression(init))) init = init.expression;
          const req = !!init && (isRequire(ts, init) || (ts.isPropertyAccessExpression(init) && isRequire(ts, init.expression)));
          for (const id of boundNames(ts, d.name)) {
            if (req) {
              imported.add(id);
              continue;
            }
            bind(id);
            if (init && (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) && isAsync(init) && !init.asteriskToken) asyncFunctions.add(id);
          }
        }
      } else if (ts.isImportDeclaration(s)) {
        const c = s.importClause;
        if (c?.name) imported.add(c.name.text);
        const nb = c?.namedBindings;
        if (nb && ts.isNamespaceImport(nb)) imported.add(nb.name.text);
        else if (nb) for (const e of nb.elements) imported.add(e.name.text);
      } else if (ts.isImportEqualsDeclaration(s)) imported.add(s.name.text);
      else if (ts.isModuleDeclaration(s)) {
        let body = s.body;
        while (body && ts.isModuleDeclaration(body)) body = body.body;
        if (body && ts.isModuleBlock(body)) scan(body.statements);
      }
    }
  };
  scan(sf.statements);
  const plainTypes = new Set([...plain].filter(([n, ok]) => ok && !aliases.has(n) && !imported.has(n)).map(([n]) => n));
  return { asyncFunctions, aliases, plainTypes, shadowsPromise, imported };
}

function isRequire(ts: Ts, e: TS.Expression): boolean {
  return ts.isCallExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "require" && e.arguments.length === 1 && ts.isStringLiteralLike(e.arguments[0]);
}

function boundNames(ts: Ts, n: TS.BindingName): string[] {
  if (ts.isIdentifier(n)) return [n.text];
  const out: string[] = [];
  for (const el of n.elements) if (!ts.isOmittedExpression(el)) out.push(...boundNames(ts, el.name));
  return out;
}

function bindingOf(ts: Ts, n: TS.ClassLikeDeclaration): { binding: string | null; name: string | null } {
  if (ts.isClassDeclaration(n)) return { binding: n.name?.text ?? null, name: n.name?.text ?? null };
  const p = n.parent;
  if (ts.isVariableDeclaration(p) && ts.isIdentifier(p.name)) return { binding: p.name.text, name: p.name.text };
  if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) return { binding: null, name: p.name.text };
  // exports.X = class … / module.exports.X = class …
  if (ts.isBinaryExpression(p) && ts.isPropertyAccessExpression(p.left) && p.left.name.text !== "exports") return { binding: null, name: p.left.name.text };
  return { binding: null, name: n.name?.text ?? null };
}

function readClass(
  ts: Ts,
  sf: TS.SourceFile,
  n: TS.ClassLikeDeclaration,
  file: string,
  isTs: boolean,
  names: Names,
  facts: FileFacts,
): RawClass {
  const { binding, name } = bindingOf(ts, n);
  const anchor = n.name ? n.name.getStart(sf) : classKeyword(sf, n);
  const { line, column } = position(sf, anchor);
  const ext = n.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression ?? null;
  const c: RawClass = {
    node: n,
    name: name ?? fileClassName(file),
    binding,
    line,
    column,
    heritage: ext,
    heritageText: ext ? ext.getText(sf) : "",
    hooks: {},
    dispatch: {},
    flags: {},
    methods: [],
    infer: [],
  };
  const asyncMethods = new Set<string>();
  for (const m of n.members)
    if (ts.isMethodDeclaration(m) && m.modifiers?.some((x) => x.kind === ts.SyntaxKind.AsyncKeyword) && m.name && !ts.isComputedPropertyName(m.name)) asyncMethods.add(m.name.text);
  const ctx: NatureContext = { ...facts, isTs, asyncMethods };

  for (const m of n.members) {
    const member = memberName(ts, sf, m);
    if (!member) continue;
    if (member.name !== null) c.methods.push(member.name);
    if (ts.isConstructorDeclaration(m)) {
      readConstructor(ts, sf, c, m, names, ctx);
      continue;
    }
    if (member.name === null || !m.name) continue;
    const at = position(sf, m.name.getStart(sf)).line;
    const flag = names.flags.get(member.name);
    if (flag && !member.computed) {
      const isStatic = !!(ts.canHaveModifiers(m) && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword));
      const via = isStatic ? "static" : "instance";
      if (ts.isPropertyDeclaration(m) && m.initializer) c.flags[flag] = flagOf(ts, sf, m.initializer, at, via);
      else if (ts.isGetAccessor(m)) {
        // `static get asyncCapable() { return false; }` declares its literal; any other body is computed.
        const only = m.body?.statements.length === 1 ? m.body.statements[0] : undefined;
        c.flags[flag] = only && ts.isReturnStatement(only) && only.expression ? flagOf(ts, sf, only.expression, at, via) : { value: null, line: at, via };
      } else if (ts.isPropertyDeclaration(m) && flag === "asyncCapable" && !c.typeOnlyFlag) c.typeOnlyFlag = m;
      continue;
    }
    const slot = slotOf(names, member.name);
    if (!slot) continue;
    if (member.computed) {
      setSlot(c, slot, { nature: "unknown", why: `it is defined under a computed name (${member.computed})` }, member.name, at);
      continue;
    }
    if (ts.isMethodDeclaration(m)) {
      // An abstract hook has the nature its signature declares (its overrides have their own).
      decide(ts, c, slot, member.name, at, m, ctx);
    } else if (ts.isPropertyDeclaration(m)) {
      const init = m.initializer && skipParens(ts, m.initializer);
      if (!init) continue; // a type declaration only
      if (ts.isArrowFunction(init) || ts.isFunctionExpression(init)) decide(ts, c, slot, member.name, at, init, ctx);
      else setSlot(c, slot, { nature: "unknown", why: `it is assigned from \`${init.getText(sf)}\`, not defined here` }, member.name, at);
    } else if (ts.isGetAccessor(m)) setSlot(c, slot, { nature: "unknown", why: "it is defined by a getter" }, member.name, at);
  }
  // A `call` that refers to `this.acall` can reach the async path (a plain class's only way to).
  const refersToAcall = new RegExp(`\\bthis\\s*(?:\\.\\s*${names.acall.replace(/[$]/g, "\\$&")}\\b|\\[\\s*["'\`]${names.acall.replace(/[$]/g, "\\$&")}["'\`]\\s*\\])`);
  for (const m of n.members)
    if ((ts.isMethodDeclaration(m) || ts.isPropertyDeclaration(m)) && m.name && (ts.isIdentifier(m.name) || ts.isStringLiteral(m.name)) && m.name.text === names.call && refersToAcall.test(m.getText(sf)))
      c.dispatch.callsAcall = true;
  return c;
}

function classKeyword(sf: TS.SourceFile, n: TS.ClassLikeDeclaration): number {
  const from = n.modifiers?.length ? n.modifiers[n.modifiers.length - 1].end : n.getStart(sf);
  const m = /^(?:\s|\/\/[^\n]*|\/\*[\s\S]*?\*\/)*/.exec(sf.text.slice(from))!;
  return from + m[0].length;
}

function skipParens(ts: Ts, e: TS.Expression): TS.Expression {
  while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e) || ts.isSatisfiesExpression(e)) e = e.expression;
  return e;
}

/** A member's name; `computed` holds the expression text when the name is computed but known. */
function memberName(ts: Ts, sf: TS.SourceFile, m: TS.ClassElement): { name: string | null; computed?: string } | null {
  if (ts.isConstructorDeclaration(m)) return { name: "constructor" };
  const n = m.name;
  if (!n) return null;
  if (ts.isIdentifier(n) || ts.isPrivateIdentifier(n) || ts.isStringLiteral(n) || ts.isNumericLiteral(n)) return { name: n.text };
  if (ts.isComputedPropertyName(n)) {
    const e = n.expression;
    if (ts.isStringLiteralLike(e)) return { name: e.text };
    // `[HOOK]` with `const HOOK = "processRequest"` in the file: the hook exists, its nature is not visible.
    if (ts.isIdentifier(e)) {
      const value = constString(ts, sf, e.text);
      if (value !== null) return { name: value, computed: e.text };
    }
    return { name: null };
  }
  return null;
}

function constString(ts: Ts, sf: TS.SourceFile, name: string): string | null {
  for (const s of sf.statements)
    if (ts.isVariableStatement(s))
      for (const d of s.declarationList.declarations)
        if (ts.isIdentifier(d.name) && d.name.text === name && d.initializer && ts.isStringLiteralLike(d.initializer)) return d.initializer.text;
  return null;
}

export function slotOf(names: Names, name: string): Slot | null {
  const hook = names.hooks.get(name);
  if (hook) return { hook };
  if (name === names.call) return { dispatch: "call" };
  if (name === names.acall) return { dispatch: "acall" };
  return null;
}

export function setSlot(c: RawClass, slot: Slot, v: { nature: Nature; why?: string }, name: string, line: number): void {
  if ("hook" in slot) c.hooks[slot.hook] = { nature: v.nature, name, line, ...(v.why ? { why: v.why } : {}) };
  else c.dispatch[slot.dispatch] = v.nature;
}

function decide(ts: Ts, c: RawClass, slot: Slot, name: string, line: number, fn: FunctionLike, ctx: NatureContext): void {
  const v = natureOf(ts, fn, ctx);
  if (v === "infer") {
    c.infer.push({ slot, fn });
    setSlot(c, slot, { nature: "sync" }, name, line); // provisional until the checker answers
  } else setSlot(c, slot, v, name, line);
}

export function flagOf(ts: Ts, sf: TS.SourceFile, init: TS.Expression, line: number, via: Flag["via"]): Flag {
  const e = skipParens(ts, init);
  if (e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword)
    return { value: e.kind === ts.SyntaxKind.TrueKeyword, line, via, valueRange: { start: e.getStart(sf), end: e.end } };
  return { value: null, line, via };
}

/** `this.processRequest = …` and `this.asyncCapable = …` in the constructor. */
function readConstructor(ts: Ts, sf: TS.SourceFile, c: RawClass, m: TS.ConstructorDeclaration, names: Names, ctx: NatureContext): void {
  for (const s of m.body?.statements ?? []) {
    if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
    const left = s.expression.left;
    if (!ts.isPropertyAccessExpression(left) || left.expression.kind !== ts.SyntaxKind.ThisKeyword) continue;
    const name = left.name.text;
    const line = position(sf, left.name.getStart(sf)).line;
    const flag = names.flags.get(name);
    if (flag) {
      c.flags[flag] ??= flagOf(ts, sf, s.expression.right, line, "instance");
      continue;
    }
    const slot = slotOf(names, name);
    if (!slot || ("hook" in slot ? c.hooks[slot.hook] : c.dispatch[slot.dispatch])) continue;
    const right = skipParens(ts, s.expression.right);
    if (ts.isArrowFunction(right) || ts.isFunctionExpression(right)) decide(ts, c, slot, name, line, right, ctx);
    else setSlot(c, slot, { nature: "unknown", why: `it is assigned in the constructor from \`${right.getText(sf)}\`` }, name, line);
    c.methods.push(name);
  }
}

/**
 * Module-level assignments to a class: `Cls.asyncCapable = false` (a flag) and
 * `Cls.prototype.processRequest = …` (a hook whose nature depends on what is assigned).
 */
export function readAssignments(ts: Ts, sf: TS.SourceFile, classes: RawClass[], names: Names): void {
  const byBinding = new Map<string, RawClass>();
  for (const c of classes) if (c.binding && !byBinding.has(c.binding)) byBinding.set(c.binding, c);
  const visitList = (statements: readonly TS.Statement[]) => {
    for (const s of statements) {
      if (ts.isBlock(s)) visitList(s.statements);
      if (ts.isExpressionStatement(s) && ts.isCallExpression(s.expression)) objectCall(ts, sf, s.expression, byBinding, names);
      if (!ts.isExpressionStatement(s) || !ts.isBinaryExpression(s.expression) || s.expression.operatorToken.kind !== ts.SyntaxKind.EqualsToken) continue;
      const left = s.expression.left;
      if (!ts.isPropertyAccessExpression(left)) continue;
      const line = position(sf, left.name.getStart(sf)).line;
      const name = left.name.text;
      if (ts.isIdentifier(left.expression)) {
        const c = byBinding.get(left.expression.text);
        const flag = names.flags.get(name);
        if (c && flag && !c.flags[flag]) c.flags[flag] = flagOf(ts, sf, s.expression.right, line, "assignment");
      } else if (ts.isPropertyAccessExpression(left.expression) && left.expression.name.text === "prototype" && ts.isIdentifier(left.expression.expression)) {
        const c = byBinding.get(left.expression.expression.text);
        const slot = slotOf(names, name);
        if (!c || !slot) continue;
        const why = `it is assigned to ${left.expression.expression.text}.prototype outside the class body (line ${line})`;
        setSlot(c, slot, { nature: "unknown", why }, name, line);
        c.infer = c.infer.filter((i) => JSON.stringify(i.slot) !== JSON.stringify(slot));
        if (!c.methods.includes(name)) c.methods.push(name);
      }
    }
  };
  visitList(sf.statements);
}

/**
 * `Object.defineProperty(X, "asyncCapable", { value: false })` and `Object.assign(X, { asyncCapable: false })`
 * declare a flag (a literal value, else a computed one); `Object.defineProperty(X.prototype, "processRequest", …)`
 * and `Object.assign(X.prototype, …)` add hooks from outside the class body, of unknown nature.
 */
function objectCall(ts: Ts, sf: TS.SourceFile, call: TS.CallExpression, byBinding: Map<string, RawClass>, names: Names): void {
  const callee = call.expression;
  if (!ts.isPropertyAccessExpression(callee) || !ts.isIdentifier(callee.expression) || callee.expression.text !== "Object") return;
  const method = callee.name.text;
  if ((method !== "defineProperty" && method !== "assign") || call.arguments.length < 2) return;
  let target = call.arguments[0];
  const proto = ts.isPropertyAccessExpression(target) && target.name.text === "prototype";
  if (proto) target = (target as TS.PropertyAccessExpression).expression;
  const c = ts.isIdentifier(target) ? byBinding.get(target.text) : undefined;
  if (!c) return;
  const line = position(sf, call.getStart(sf)).line;
  const where = `${c.binding}${proto ? ".prototype" : ""}`;
  const flag = (flagName: "syncCapable" | "asyncCapable", value: TS.Expression | undefined) => {
    if (!c.flags[flagName]) c.flags[flagName] = value ? flagOf(ts, sf, value, line, "assignment") : { value: null, line, via: "assignment" };
  };
  const hook = (name: string, why: string) => {
    const slot = slotOf(names, name);
    if (!slot) return;
    setSlot(c, slot, { nature: "unknown", why }, name, line);
    c.infer = c.infer.filter((i) => JSON.stringify(i.slot) !== JSON.stringify(slot));
    if (!c.methods.includes(name)) c.methods.push(name);
  };
  const propName = (p: TS.ObjectLiteralElementLike) => (p.name && (ts.isIdentifier(p.name) || ts.isStringLiteralLike(p.name)) ? p.name.text : null);
  if (method === "defineProperty") {
    const key = call.arguments[1];
    const desc = call.arguments[2];
    if (!ts.isStringLiteralLike(key)) return;
    const flagName = names.flags.get(key.text);
    if (flagName && !proto) {
      const valueProp = desc && ts.isObjectLiteralExpression(desc) ? desc.properties.find((p) => propName(p) === "value") : undefined;
      flag(flagName, valueProp && ts.isPropertyAssignment(valueProp) ? valueProp.initializer : undefined);
    } else if (proto) hook(key.text, `it is defined on ${where} by Object.defineProperty outside the class body (line ${line})`);
    return;
  }
  for (const source of call.arguments.slice(1)) {
    if (!ts.isObjectLiteralExpression(source)) {
      // Which members it brings is not visible: the hop hooks may be replaced.
      if (proto)
        for (const kind of ["request", "response"] as const)
          hook(names.hooksByKind.get(kind)!, `${where} gets members from \`${source.getText(sf)}\` by Object.assign outside the class body (line ${line})`);
      continue;
    }
    for (const p of source.properties) {
      const name = propName(p);
      if (!name) continue;
      const flagName = names.flags.get(name);
      if (flagName && !proto) flag(flagName, ts.isPropertyAssignment(p) ? p.initializer : undefined);
      else if (proto) hook(name, `it is added to ${where} by Object.assign outside the class body (line ${line})`);
    }
  }
}

// What names a file binds and exports: ES imports/exports and the CommonJS forms
// (`require`, `module.exports = X`, `module.exports = { X }`, `exports.X = X`).
import type { ts as TS } from "ts-morph";
import type { RawClass } from "./classes.ts";
import type { Ts } from "./parse.ts";

/**
 * An import's `name`: an exported name, "default", "*" (the namespace) or "=" (the whole
 * CommonJS module, `require(…)` / `import x = require(…)`).
 */
export type Ref =
  | { kind: "class"; cls: RawClass }
  | { kind: "import"; spec: string; name: string }
  | { kind: "local"; name: string }
  | { kind: "expr"; expr: TS.Expression };

export interface Bindings {
  locals: Map<string, Ref>;
  exports: Map<string, Ref>;
  /** `export * from "…"` specifiers. */
  stars: string[];
  /** `module.exports = X` / `export = X`. */
  exportEquals: Ref | null;
}

export function readBindings(ts: Ts, sf: TS.SourceFile, classes: RawClass[]): Bindings {
  const b: Bindings = { locals: new Map(), exports: new Map(), stars: [], exportEquals: null };
  const classOf = new Map<TS.Node, RawClass>(classes.map((c) => [c.node, c]));
  const refOf = (e: TS.Expression): Ref => {
    while (ts.isParenthesizedExpression(e) || ts.isAsExpression(e)) e = e.expression;
    const cls = classOf.get(e);
    if (cls) return { kind: "class", cls };
    if (ts.isIdentifier(e)) return { kind: "local", name: e.text };
    return { kind: "expr", expr: e };
  };
  const hasModifier = (n: TS.Node, k: TS.SyntaxKind) => !!ts.canHaveModifiers(n) && !!ts.getModifiers(n)?.some((m) => m.kind === k);

  // Class declarations anywhere bind their name (top-level ones first: they win a clash).
  for (const c of classes) if (c.binding && ts.isClassDeclaration(c.node) && ts.isSourceFile(c.node.parent)) b.locals.set(c.binding, { kind: "class", cls: c });
  for (const c of classes) if (c.binding && !b.locals.has(c.binding)) b.locals.set(c.binding, { kind: "class", cls: c });

  for (const s of sf.statements) {
    if (ts.isClassDeclaration(s) && hasModifier(s, ts.SyntaxKind.ExportKeyword)) {
      const cls = classOf.get(s)!;
      b.exports.set(hasModifier(s, ts.SyntaxKind.DefaultKeyword) ? "default" : cls.binding!, { kind: "class", cls });
    } else if (ts.isImportDeclaration(s) && ts.isStringLiteral(s.moduleSpecifier)) {
      const spec = s.moduleSpecifier.text;
      const clause = s.importClause;
      if (clause?.name) b.locals.set(clause.name.text, { kind: "import", spec, name: "default" });
      const nb = clause?.namedBindings;
      if (nb && ts.isNamespaceImport(nb)) b.locals.set(nb.name.text, { kind: "import", spec, name: "*" });
      else if (nb) for (const e of nb.elements) b.locals.set(e.name.text, { kind: "import", spec, name: (e.propertyName ?? e.name).text });
    } else if (ts.isImportEqualsDeclaration(s) && ts.isExternalModuleReference(s.moduleReference) && ts.isStringLiteral(s.moduleReference.expression)) {
      b.locals.set(s.name.text, { kind: "import", spec: s.moduleReference.expression.text, name: "=" });
    } else if (ts.isExportDeclaration(s)) {
      const spec = s.moduleSpecifier && ts.isStringLiteral(s.moduleSpecifier) ? s.moduleSpecifier.text : null;
      const clause = s.exportClause;
      if (!clause) {
        if (spec) b.stars.push(spec);
      } else if (ts.isNamespaceExport(clause)) {
        if (spec) b.exports.set(clause.name.text, { kind: "import", spec, name: "*" });
      } else
        for (const e of clause.elements) {
          const local = (e.propertyName ?? e.name).text;
          b.exports.set(e.name.text, spec ? { kind: "import", spec, name: local } : { kind: "local", name: local });
        }
    } else if (ts.isExportAssignment(s)) {
      if (s.isExportEquals) b.exportEquals = refOf(s.expression);
      else b.exports.set("default", refOf(s.expression));
    } else if (ts.isVariableStatement(s)) {
      const exported = hasModifier(s, ts.SyntaxKind.ExportKeyword);
      for (const d of s.declarationList.declarations) {
        readDeclaration(ts, d, b, refOf);
        if (exported && ts.isIdentifier(d.name)) b.exports.set(d.name.text, { kind: "local", name: d.name.text });
      }
    } else if (ts.isExpressionStatement(s)) readCommonJsExport(ts, s.expression, b, refOf);
  }
  return b;
}

/** `module.exports = …`, `module.exports.X = …`, `exports.X = …`. */
function readCommonJsExport(ts: Ts, e: TS.Expression, b: Bindings, refOf: (e: TS.Expression) => Ref): void {
  if (!ts.isBinaryExpression(e) || e.operatorToken.kind !== ts.SyntaxKind.EqualsToken || !ts.isPropertyAccessExpression(e.left)) return;
  const left = e.left;
  const isModuleExports = (x: TS.Expression) => ts.isPropertyAccessExpression(x) && ts.isIdentifier(x.expression) && x.expression.text === "module" && x.name.text === "exports";
  if (isModuleExports(left)) {
    const right = e.right;
    if (ts.isObjectLiteralExpression(right)) {
      for (const p of right.properties)
        if (ts.isShorthandPropertyAssignment(p)) b.exports.set(p.name.text, { kind: "local", name: p.name.text });
        else if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name))) b.exports.set(p.name.text, refOf(p.initializer));
    } else b.exportEquals = refOf(right);
  } else if (isModuleExports(left.expression) || (ts.isIdentifier(left.expression) && left.expression.text === "exports")) {
    b.exports.set(left.name.text, refOf(e.right));
  }
}

/** `const X = require("m")`, `const { X, Y: Z } = require("m")`, `const X = require("m").Y`, `const X = class …`, `const X = Other`. */
function readDeclaration(ts: Ts, d: TS.VariableDeclaration, b: Bindings, refOf: (e: TS.Expression) => Ref): void {
  if (!d.initializer) return;
  let init = d.initializer;
  while (ts.isParenthesizedExpression(init) || ts.isAwaitExpression(init)) init = init.expression;
  const req = requireSpec(ts, init);
  const member = ts.isPropertyAccessExpression(init) ? requireSpec(ts, init.expression) : null;
  if (ts.isIdentifier(d.name)) {
    const name = d.name.text;
    if (req) b.locals.set(name, { kind: "import", spec: req.spec, name: req.whole });
    else if (member && ts.isPropertyAccessExpression(init)) b.locals.set(name, { kind: "import", spec: member.spec, name: init.name.text });
    else if (!b.locals.has(name) || b.locals.get(name)!.kind !== "class") b.locals.set(name, refOf(init));
  } else if (ts.isObjectBindingPattern(d.name) && req) {
    for (const el of d.name.elements) {
      const prop = el.propertyName ?? el.name;
      if (ts.isIdentifier(el.name) && (ts.isIdentifier(prop) || ts.isStringLiteral(prop))) b.locals.set(el.name.text, { kind: "import", spec: req.spec, name: prop.text });
    }
  }
}

/** `require("m")` (the whole module) or `import("m")` (the namespace). */
function requireSpec(ts: Ts, e: TS.Expression): { spec: string; whole: "=" | "*" } | null {
  if (!ts.isCallExpression(e) || e.arguments.length !== 1 || !ts.isStringLiteralLike(e.arguments[0])) return null;
  if (ts.isIdentifier(e.expression) && e.expression.text === "require") return { spec: e.arguments[0].text, whole: "=" };
  if (e.expression.kind === ts.SyntaxKind.ImportKeyword) return { spec: e.arguments[0].text, whole: "*" };
  return null;
}

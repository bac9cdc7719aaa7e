// The nature of a hook or dispatch function, read from its syntax. When TypeScript code
// leaves the return type to inference, the answer is "infer" and the checker decides later.
import type { ts as TS } from "ts-morph";
import type { Nature } from "../../model.ts";
import type { Ts } from "./parse.ts";

export type FunctionLike = TS.MethodDeclaration | TS.ArrowFunction | TS.FunctionExpression;
export type Verdict = { nature: Nature; why?: string } | "infer";

/** What the surrounding code offers to the JS heuristic: async methods of the class, async functions of the file. */
export interface NatureContext {
  isTs: boolean;
  asyncMethods: ReadonlySet<string>;
  asyncFunctions: ReadonlySet<string>;
}

export function natureOf(ts: Ts, fn: FunctionLike, ctx: NatureContext): Verdict {
  if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return { nature: "async" };
  const declared = fn.type ?? (ctx.isTs ? undefined : ts.getJSDocReturnType(fn));
  if (declared) {
    const t = typeNature(ts, declared);
    if (t === "promise") return { nature: "async" };
    if (t === "mixed") return { nature: "unknown", why: "its declared return type mixes a promise with plain values" };
    if (t === "plain" || !ctx.isTs) return { nature: "sync" };
    return "infer"; // a named type (alias, interface): only the checker knows
  }
  if (!fn.body) return { nature: "sync" };
  // A body that returns no value returns void: no need to ask the checker.
  if (ts.isBlock(fn.body) && !someReturn(ts, fn.body, () => true)) return { nature: "sync" };
  if (ctx.isTs) return "infer";
  return returnsPromise(ts, fn, ctx) ? { nature: "async" } : { nature: "sync" };
}

type TypeNature = "promise" | "plain" | "mixed" | "named";

function typeNature(ts: Ts, t: TS.TypeNode): TypeNature {
  if (ts.isParenthesizedTypeNode(t)) return typeNature(ts, t.type);
  if (ts.isTypeReferenceNode(t)) {
    const name = ts.isIdentifier(t.typeName) ? t.typeName.text : t.typeName.right.text;
    return name === "Promise" || name === "PromiseLike" ? "promise" : "named";
  }
  if (ts.isUnionTypeNode(t)) {
    const parts = t.types
      .filter((p) => !(p.kind === ts.SyntaxKind.VoidKeyword || p.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(p) && p.literal.kind === ts.SyntaxKind.NullKeyword)))
      .map((p) => typeNature(ts, p));
    if (parts.includes("mixed") || (parts.includes("promise") && parts.some((p) => p !== "promise"))) return "mixed";
    if (parts.length && parts.every((p) => p === "promise")) return "promise";
    return parts.includes("named") ? "named" : "plain";
  }
  return "plain";
}

/** Plain JS: does some `return` (or the arrow's expression body) give a promise? */
function returnsPromise(ts: Ts, fn: FunctionLike, ctx: NatureContext): boolean {
  const promiseValued = (e: TS.Expression): boolean => {
    if (ts.isParenthesizedExpression(e)) return promiseValued(e.expression);
    if (ts.isConditionalExpression(e)) return promiseValued(e.whenTrue) || promiseValued(e.whenFalse);
    if (ts.isNewExpression(e)) return ts.isIdentifier(e.expression) && e.expression.text === "Promise";
    if (!ts.isCallExpression(e)) return false;
    const callee = e.expression;
    if (ts.isIdentifier(callee)) return callee.text === "fetch" || ctx.asyncFunctions.has(callee.text);
    if (ts.isPropertyAccessExpression(callee)) {
      const name = callee.name.text;
      if (name === "then" || name === "catch" || name === "finally") return true;
      if (ts.isIdentifier(callee.expression) && callee.expression.text === "Promise") return true;
      if (callee.expression.kind === ts.SyntaxKind.ThisKeyword) return ctx.asyncMethods.has(name);
    }
    return false;
  };
  if (!fn.body) return false;
  if (!ts.isBlock(fn.body)) return promiseValued(fn.body);
  return someReturn(ts, fn.body, promiseValued);
}

/** Whether some `return <value>` of the body (not of nested functions) satisfies `test`. */
function someReturn(ts: Ts, body: TS.Block, test: (e: TS.Expression) => boolean): boolean {
  let found = false;
  const visit = (n: TS.Node): void => {
    if (found || ts.isFunctionLike(n) || ts.isClassLike(n)) return; // nested functions return for themselves
    if (ts.isReturnStatement(n) && n.expression && test(n.expression)) found = true;
    else ts.forEachChild(n, visit);
  };
  ts.forEachChild(body, visit);
  return found;
}

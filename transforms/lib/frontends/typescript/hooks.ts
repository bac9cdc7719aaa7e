// The nature of a hook or dispatch function, read from its syntax. A declared return type
// decides by itself: `Promise`/`PromiseLike`, or an alias of the file that leads to them,
// is async; any other name (interface, class, imported type) is sync. Only when TypeScript
// code leaves the return type to inference and returns a value is the answer "infer": the
// checker decides later.
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
  /** `type X = …` of the file, by name. */
  aliases: ReadonlyMap<string, TS.TypeNode>;
}

export function natureOf(ts: Ts, fn: FunctionLike, ctx: NatureContext): Verdict {
  if (fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword)) return { nature: "async" };
  const declared = fn.type ?? (ctx.isTs ? undefined : ts.getJSDocReturnType(fn));
  if (declared) {
    const t = typeNature(ts, declared, ctx.aliases, 0);
    if (t === "promise") return { nature: "async" };
    if (t === "mixed") return { nature: "unknown", why: "its declared return type mixes a promise with plain values" };
    return { nature: "sync" };
  }
  if (!fn.body) return { nature: "sync" };
  // A body that returns no value returns void: no need to ask the checker.
  if (ts.isBlock(fn.body) && !someReturn(ts, fn.body, () => true)) return { nature: "sync" };
  if (ctx.isTs) return "infer";
  return returnsPromise(ts, fn, ctx) ? { nature: "async" } : { nature: "sync" };
}

type TypeNature = "promise" | "plain" | "mixed";
/** How many aliases deep a declared type is followed. */
const MAX_ALIAS_DEPTH = 16;

function typeNature(ts: Ts, t: TS.TypeNode, aliases: ReadonlyMap<string, TS.TypeNode>, depth: number): TypeNature {
  while (ts.isParenthesizedTypeNode(t)) t = t.type;
  if (ts.isTypeReferenceNode(t)) {
    if (!ts.isIdentifier(t.typeName)) return t.typeName.right.text === "Promise" || t.typeName.right.text === "PromiseLike" ? "promise" : "plain";
    const name = t.typeName.text;
    if (name === "Promise" || name === "PromiseLike") return "promise";
    const alias = aliases.get(name);
    // An alias of the file is followed; an interface, a class or an imported name is not a promise.
    return alias && depth < MAX_ALIAS_DEPTH ? typeNature(ts, alias, aliases, depth + 1) : "plain";
  }
  if (ts.isUnionTypeNode(t)) {
    const parts = t.types
      .filter((p) => !(p.kind === ts.SyntaxKind.VoidKeyword || p.kind === ts.SyntaxKind.UndefinedKeyword || (ts.isLiteralTypeNode(p) && p.literal.kind === ts.SyntaxKind.NullKeyword)))
      .map((p) => typeNature(ts, p, aliases, depth));
    if (parts.includes("mixed") || (parts.includes("promise") && parts.some((p) => p !== "promise"))) return "mixed";
    if (parts.length && parts.every((p) => p === "promise")) return "promise";
    return "plain";
  }
  return "plain";
}

/** Plain JS: does some `return` (or the arrow's expression body) give a promise? */
function returnsPromise(ts: Ts, fn: FunctionLike, ctx: NatureContext): boolean {
  const promiseValued = (e: TS.Expression): boolean => {
    while (ts.isParenthesizedExpression(e)) e = e.expression;
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
  // An explicit stack: deeply nested expressions must not exhaust the call stack.
  const stack: TS.Node[] = [];
  const push = (c: TS.Node) => void stack.push(c);
  ts.forEachChild(body, push);
  while (stack.length) {
    const n = stack.pop()!;
    if (ts.isFunctionLike(n) || ts.isClassLike(n)) continue; // nested functions return for themselves
    if (ts.isReturnStatement(n) && n.expression && test(n.expression)) return true;
    if (!ts.isReturnStatement(n) || !n.expression) ts.forEachChild(n, push);
  }
  return false;
}

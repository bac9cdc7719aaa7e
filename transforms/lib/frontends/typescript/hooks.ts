// The nature of a hook or dispatch function, read from its syntax where the syntax tells:
// the `async` modifier; a declared return type that is plainly a promise (`Promise<…>`,
// `PromiseLike<…>` where the file does not declare those names itself) or plainly not one (keywords,
// literals, arrays, object types, the file's own interfaces and classes that extend nothing,
// and aliases of the file leading to these). Every other declared type, and a TypeScript
// function that leaves its return type to inference and returns a value, is "infer": the
// checker decides later. Plain JS reads what the body returns, and asks the checker only for
// calls of imported functions.
import type { ts as TS } from "ts-morph";
import type { Nature } from "../../model.ts";
import type { Ts } from "./parse.ts";

export type FunctionLike = TS.MethodDeclaration | TS.ArrowFunction | TS.FunctionExpression;
export type Verdict = { nature: Nature; why?: string } | "infer";

/** What the surrounding code offers: async methods of the class, the file's async functions, types and imports. */
export interface NatureContext {
  isTs: boolean;
  asyncMethods: ReadonlySet<string>;
  asyncFunctions: ReadonlySet<string>;
  /** `type X = …` of the file, by name. */
  aliases: ReadonlyMap<string, TS.TypeNode>;
  /** The file's interfaces and classes that extend nothing and have no `then`: plainly not promises. */
  plainTypes: ReadonlySet<string>;
  /** The file declares a `Promise`/`PromiseLike` of its own: the names prove nothing. */
  shadowsPromise: boolean;
  /** Names bound by an import or a `require` (JS: a call of one is left to the checker). */
  imported: ReadonlySet<string>;
}

export const MAY_BE_ASYNC = "its declared return type is sometimes a promise and sometimes not";

export function natureOf(ts: Ts, fn: FunctionLike, ctx: NatureContext): Verdict {
  const isAsync = !!fn.modifiers?.some((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
  if (isAsync && fn.asteriskToken) return { nature: "unknown", why: "it returns an async generator, not a promise" };
  if (isAsync) return { nature: "async" };
  const declared = fn.type ?? (ctx.isTs ? undefined : ts.getJSDocReturnType(fn));
  if (declared) {
    const t = typeNature(ts, declared, ctx, 0);
    if (t === "promise") return { nature: "async" };
    if (t === "mixed") return { nature: "unknown", why: MAY_BE_ASYNC };
    if (t === "plain") return { nature: "sync" };
    return "infer";
  }
  if (!fn.body) return { nature: "sync" };
  // A body that returns no value returns void: no need to ask the checker.
  if (ts.isBlock(fn.body) && !someReturn(ts, fn.body, () => true)) return { nature: "sync" };
  // Every value returned is plainly not a promise by its operator: no need to ask the checker
  // (which also takes time in the square of a long `a + b + …` chain).
  if (ts.isBlock(fn.body) ? !someReturn(ts, fn.body, (e) => !plainValued(ts, e)) : plainValued(ts, fn.body)) return { nature: "sync" };
  if (ctx.isTs) return "infer";
  if (returnsPromise(ts, fn, ctx)) return { nature: "async" };
  return returnsImportedCall(ts, fn, ctx) ? "infer" : { nature: "sync" };
}

/** "infer": only the checker can tell. */
type TypeNature = "promise" | "plain" | "mixed" | "infer";
/** How many aliases deep a declared type is followed. */
const MAX_ALIAS_DEPTH = 16;

function typeNature(ts: Ts, t: TS.TypeNode, ctx: NatureContext, depth: number): TypeNature {
  while (ts.isParenthesizedTypeNode(t)) t = t.type;
  if (ts.isTypeReferenceNode(t)) {
    if (!ts.isIdentifier(t.typeName)) return "infer";
    const name = t.typeName.text;
    if ((name === "Promise" || name === "PromiseLike") && !ctx.shadowsPromise) return "promise";
    if (ctx.plainTypes.has(name) && !t.typeArguments) return "plain";
    const alias = ctx.aliases.get(name);
    // An alias of the file without type arguments is followed; any other name is the checker's.
    return alias && !t.typeArguments && depth < MAX_ALIAS_DEPTH ? typeNature(ts, alias, ctx, depth + 1) : "infer";
  }
  if (ts.isUnionTypeNode(t)) {
    const parts = t.types.map((p) => typeNature(ts, p, ctx, depth));
    if (parts.includes("mixed") || (parts.includes("promise") && parts.includes("plain"))) return "mixed";
    if (parts.includes("infer")) return "infer";
    return parts.every((p) => p === "promise") ? "promise" : "plain";
  }
  if (ts.isTypeLiteralNode(t)) return t.members.some((m) => m.name && ts.isIdentifier(m.name) && m.name.text === "then") ? "infer" : "plain";
  if (ts.isLiteralTypeNode(t) || ts.isArrayTypeNode(t) || ts.isTupleTypeNode(t) || ts.isFunctionTypeNode(t) || ts.isConstructorTypeNode(t) || ts.isTypePredicateNode(t)) return "plain";
  switch (t.kind) {
    case ts.SyntaxKind.VoidKeyword:
    case ts.SyntaxKind.UndefinedKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.StringKeyword:
    case ts.SyntaxKind.NumberKeyword:
    case ts.SyntaxKind.BooleanKeyword:
    case ts.SyntaxKind.BigIntKeyword:
    case ts.SyntaxKind.SymbolKeyword:
    case ts.SyntaxKind.NeverKeyword:
    case ts.SyntaxKind.AnyKeyword:
    case ts.SyntaxKind.UnknownKeyword:
    case ts.SyntaxKind.ObjectKeyword:
      return "plain";
  }
  // Intersections, indexed access, `typeof`, conditional and mapped types, `ReturnType<…>`.
  return "infer";
}

/** Operators whose result is a number, string, bigint or boolean whatever the operands are. */
const PLAIN_BINARY = new Set<number>();
/** Operators whose result is one of the operands (`a && b`, `a ?? b`, `a, b`): plain when each is. */
const OPERAND_BINARY = new Set<number>();

/**
 * The value is never a promise, by syntax alone: a literal, a template, `typeof`/`void`/`delete`/`!`/
 * unary arithmetic, arithmetic, comparison, `in`, `instanceof`; and `&&`, `||`, `??`, `,`, `?:` of
 * such values. Object literals are not (one may carry a `then`).
 */
function plainValued(ts: Ts, expression: TS.Expression): boolean {
  if (!PLAIN_BINARY.size) {
    const k = ts.SyntaxKind;
    for (const op of [k.PlusToken, k.MinusToken, k.AsteriskToken, k.AsteriskAsteriskToken, k.SlashToken, k.PercentToken,
      k.LessThanLessThanToken, k.GreaterThanGreaterThanToken, k.GreaterThanGreaterThanGreaterThanToken, k.AmpersandToken,
      k.BarToken, k.CaretToken, k.LessThanToken, k.GreaterThanToken, k.LessThanEqualsToken, k.GreaterThanEqualsToken,
      k.EqualsEqualsToken, k.ExclamationEqualsToken, k.EqualsEqualsEqualsToken, k.ExclamationEqualsEqualsToken,
      k.InKeyword, k.InstanceOfKeyword])
      PLAIN_BINARY.add(op);
    for (const op of [k.AmpersandAmpersandToken, k.BarBarToken, k.QuestionQuestionToken]) OPERAND_BINARY.add(op);
  }
  // An explicit stack: a long chain of operators nests deeply.
  const stack: TS.Expression[] = [expression];
  while (stack.length) {
    let e = stack.pop()!;
    while (ts.isParenthesizedExpression(e)) e = e.expression;
    if (ts.isBinaryExpression(e)) {
      const op = e.operatorToken.kind;
      if (PLAIN_BINARY.has(op)) continue;
      if (OPERAND_BINARY.has(op)) stack.push(e.left, e.right);
      else if (op === ts.SyntaxKind.CommaToken) stack.push(e.right);
      else return false; // assignments give their right-hand side
      continue;
    }
    if (ts.isConditionalExpression(e)) {
      stack.push(e.whenTrue, e.whenFalse);
      continue;
    }
    if (ts.isPrefixUnaryExpression(e) || ts.isPostfixUnaryExpression(e) || ts.isTypeOfExpression(e) || ts.isVoidExpression(e) || ts.isDeleteExpression(e)) continue;
    if (ts.isLiteralExpression(e) || ts.isTemplateExpression(e) || e.kind === ts.SyntaxKind.TrueKeyword || e.kind === ts.SyntaxKind.FalseKeyword || e.kind === ts.SyntaxKind.NullKeyword) continue;
    return false;
  }
  return true;
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

/** Plain JS: does some `return` give the result of calling an imported function (`f(…)`, `ns.f(…)`)? */
function returnsImportedCall(ts: Ts, fn: FunctionLike, ctx: NatureContext): boolean {
  if (!ctx.imported.size || !fn.body) return false;
  const test = (e: TS.Expression): boolean => {
    while (ts.isParenthesizedExpression(e) || ts.isAwaitExpression(e)) e = e.expression;
    if (ts.isConditionalExpression(e)) return test(e.whenTrue) || test(e.whenFalse);
    if (!ts.isCallExpression(e)) return false;
    let callee = e.expression;
    while (ts.isPropertyAccessExpression(callee)) callee = callee.expression;
    return ts.isIdentifier(callee) && ctx.imported.has(callee.text);
  };
  return ts.isBlock(fn.body) ? someReturn(ts, fn.body, test) : test(fn.body);
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

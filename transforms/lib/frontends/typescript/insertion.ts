// Where `asyncCapable` goes in a class and how it must look to blend in: the first member
// of the body, with the file's indentation, semicolon habit and line endings.
import type { ts as TS } from "ts-morph";
import type { Insertion } from "../../model.ts";
import type { Ts } from "./parse.ts";

export function lineEnding(text: string): string {
  const crlf = text.split("\r\n").length - 1;
  const cr = (text.match(/\r(?!\n)/g) ?? []).length;
  const lf = (text.match(/(?<!\r)\n/g) ?? []).length;
  return crlf >= lf && crlf >= cr && crlf > 0 ? "\r\n" : cr > lf ? "\r" : "\n";
}

function indentUnit(text: string): string {
  if (/^\t/m.test(text)) return "\t";
  let min = 0;
  // Not the ` * ` lines of block comments, which are indented by one space.
  for (const m of text.matchAll(/^( +)[^\s*]/gm)) if (!min || m[1].length < min) min = m[1].length;
  return " ".repeat(min || 2);
}

function lineStart(text: string, pos: number): number {
  return Math.max(text.lastIndexOf("\n", pos - 1), text.lastIndexOf("\r", pos - 1)) + 1;
}

/**
 * Semicolons: the class's own property declarations decide; without any, the file's
 * statements (majority; a tie or no evidence means semicolons).
 */
function usesSemicolons(ts: Ts, sf: TS.SourceFile, cls: TS.ClassLikeDeclaration): boolean {
  const vote = (nodes: readonly TS.Node[]) => {
    const ends = nodes.map((n) => sf.text[n.end - 1] === ";");
    return ends.length ? ends.filter(Boolean).length * 2 >= ends.length : null;
  };
  const own = vote(cls.members.filter((m) => ts.isPropertyDeclaration(m)));
  if (own !== null) return own;
  let file = fileVotes.get(sf);
  if (file === undefined) fileVotes.set(sf, (file = fileSemicolons(ts, sf)));
  return file;
}

/** The file's statements' vote, once per file. */
const fileVotes = new WeakMap<TS.SourceFile, boolean>();

function fileSemicolons(ts: Ts, sf: TS.SourceFile): boolean {
  // Counted over the whole file, with an explicit stack (deeply nested code must not exhaust the call stack).
  let ends = 0;
  let semis = 0;
  const stack: TS.Node[] = [sf];
  const push = (c: TS.Node) => void stack.push(c);
  while (stack.length) {
    const n = stack.pop()!;
    if (ts.isVariableStatement(n) || ts.isExpressionStatement(n) || ts.isImportDeclaration(n) || ts.isExportDeclaration(n) || ts.isExportAssignment(n) || ts.isReturnStatement(n) || ts.isPropertyDeclaration(n)) {
      ends++;
      if (sf.text[n.end - 1] === ";") semis++;
    }
    ts.forEachChild(n, push);
  }
  return ends ? semis * 2 >= ends : true;
}

/**
 * Without a semicolon, `static asyncCapable = false` would run on into a following member that
 * starts with `[`, `*` or `in`/`instanceof` (`false["x"]()`, `false * gen()`): such a member
 * needs the semicolon in a file without them too (where prettier's no-semicolon style puts one).
 */
function continuesExpression(ts: Ts, m: TS.ClassElement): boolean {
  if (ts.isIndexSignatureDeclaration(m)) return true;
  // A leading modifier keyword (`static`, `async`, `get`, …) or decorator cannot continue an expression.
  if ((ts.canHaveModifiers(m) && ts.getModifiers(m)?.length) || (ts.canHaveDecorators(m) && ts.getDecorators(m)?.length)) return false;
  if (ts.isGetAccessor(m) || ts.isSetAccessor(m)) return false;
  if (ts.isMethodDeclaration(m) && m.asteriskToken) return true;
  const name = m.name;
  if (!name) return false;
  return ts.isComputedPropertyName(name) || (ts.isIdentifier(name) && (name.text === "in" || name.text === "instanceof"));
}

export function insertionFor(ts: Ts, sf: TS.SourceFile, cls: TS.ClassLikeDeclaration, fieldStyle: "static" | "instance", typeOnly?: TS.PropertyDeclaration): Insertion {
  const text = sf.text;
  if (typeOnly) return fieldWithoutValue(ts, sf, typeOnly);
  const eol = lineEnding(text);
  const open = cls.members.pos - 1; // the members list starts right after `{`
  const close = cls.end - 1;
  const first = cls.members.find((m) => !ts.isSemicolonClassElement(m));
  const semicolon = usesSemicolons(ts, sf, cls) || (!!first && continuesExpression(ts, first));
  if (!first) {
    const inside = text.slice(open + 1, close);
    if (!/[\r\n]/.test(inside)) {
      // `class A extends B {}` opens onto lines of its own, as formatters print a class with a
      // member; `{ }` (which no formatter prints) takes it inline: `{ static asyncCapable = false; }`.
      if (inside.length) return { offset: close, lead: "", trail: " ", semicolon, fieldStyle };
      const indent = /^[ \t]*/.exec(text.slice(lineStart(text, close)))![0];
      return { offset: open + 1, lead: eol + indent + indentUnit(text), trail: eol + indent, semicolon, fieldStyle };
    }
    const start = lineStart(text, close);
    const indent = /^[ \t]*/.exec(text.slice(start))![0];
    return { offset: start, lead: indent + indentUnit(text), trail: eol, semicolon, fieldStyle };
  }
  // A comment block right above the first member (no blank line) belongs to it: insert above
  // it. A comment separated by a blank line is about the class: insert below it.
  let anchor = first.getStart(sf);
  const comments = ts.getLeadingCommentRanges(text, first.pos) ?? [];
  for (let i = comments.length - 1; i >= 0; i--) {
    const gap = text.slice(comments[i].end, anchor);
    if ((gap.match(/\r\n|\r|\n/g) ?? []).length > 1) break;
    const own = lineStart(text, comments[i].pos);
    if (own <= open || !/^[ \t]*$/.test(text.slice(own, comments[i].pos))) break; // a comment after `{` on its line
    anchor = comments[i].pos;
  }
  const start = lineStart(text, anchor);
  const before = text.slice(start, anchor);
  if (start > open && /^[ \t]*$/.test(before)) return { offset: start, lead: before, trail: eol, semicolon, fieldStyle };
  // The first member shares the line of `{`: insert inline before it.
  return { offset: anchor, lead: text[anchor - 1] === "{" ? " " : "", trail: " ", semicolon, fieldStyle };
}

/**
 * `declare static asyncCapable: boolean;` has no value, and a second member of the same name
 * would not compile (TS2300): the declaration takes its place. Only the `declare` keyword goes;
 * the other modifiers and the type stay (`static asyncCapable: boolean = false;`).
 */
function fieldWithoutValue(ts: Ts, sf: TS.SourceFile, m: TS.PropertyDeclaration): Insertion {
  const text = sf.text;
  const start = m.getStart(sf);
  const typeEnd = (m.type ?? m.exclamationToken ?? m.questionToken ?? m.name).end;
  let field = text.slice(start, typeEnd);
  const declare = m.modifiers?.find((x) => x.kind === ts.SyntaxKind.DeclareKeyword);
  if (declare) {
    const from = declare.getStart(sf) - start;
    const to = from + "declare".length;
    field = field.slice(0, from) + field.slice(to).replace(/^[ \t]+/, "");
  }
  // A definite-assignment `!` cannot stand before an initializer.
  if (m.exclamationToken) field = field.slice(0, m.exclamationToken.getStart(sf) - start) + field.slice(m.exclamationToken.end - start);
  const semicolon = text[m.end - 1] === ";";
  const fieldStyle = m.modifiers?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword) ? "static" : "instance";
  return { offset: start, lead: "", trail: "", semicolon, fieldStyle, replace: { length: m.end - start, field } };
}

// Where `async_capable = …` goes in a class body: after the docstring, otherwise before the
// first member (and before the comment lines attached to it), at line start, indented like the
// body; a one-line body (`class A(B): pass`) gets it inline. The insert brings the blank lines
// black (23) and ruff format want, so that a formatted file stays formatted: one between a class
// docstring and the declaration, and one between the declaration and a following def, class or
// decorator.
import type { Insertion } from "../../model.ts";
import type { Node } from "./parser.ts";

/** The file's line ending: its first line's (LF, CRLF or a lone CR, which CPython reads as a line end too). */
export function lineEnding(text: string): string {
  return /\r\n?|\n/.exec(text)?.[0] ?? "\n";
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf("\n", offset - 1) + 1;
}

export function isDocstring(stmt: Node): boolean {
  if (stmt.type !== "expression_statement" || stmt.namedChildCount !== 1) return false;
  const t = stmt.namedChild(0)!.type;
  return t === "string" || t === "concatenated_string";
}

/**
 * `text` is the parsed text (lone CRs read as LF, see parser.ts `parseable`); `eol` is the file's
 * own line ending, which the inserted line ends with.
 */
export function classInsertion(text: string, header: Node, body: Node, eol = lineEnding(text)): Insertion | null {
  const stmts = body.namedChildren.filter((n) => n.type !== "comment");
  if (!stmts.length) return null;
  const first = stmts[0];
  const base = { semicolon: false, fieldStyle: "attribute" as const };
  const colon = header.children.find((c) => c.type === ":")?.endIndex ?? body.startIndex;
  const inline = !text.slice(colon, first.startIndex).includes("\n");
  if (inline) {
    // `class A(B): """Doc."""` keeps its docstring first: `; async_capable = False` after it.
    if (isDocstring(first)) return { offset: first.endIndex, lead: "; ", trail: "", ...base };
    return { offset: first.startIndex, lead: "", trail: "; ", ...base };
  }
  const indentOf = (n: Node) => {
    const s = lineStart(text, n.startIndex);
    const ws = text.slice(s, n.startIndex);
    return /^[ \t]*$/.test(ws) ? ws : null;
  };
  const gapBefore = (n: Node | undefined) => n !== undefined && ["function_definition", "class_definition", "decorated_definition"].includes(n.type);
  if (isDocstring(first)) {
    const indent = indentOf(first);
    if (indent === null) return null;
    const nl = text.indexOf("\n", first.endIndex);
    if (nl < 0) return { offset: text.length, lead: eol + eol + indent, trail: "", ...base };
    // A blank line after the docstring; after the declaration one more only when none follows already.
    const next = text.slice(nl + 1, text.indexOf("\n", nl + 1) < 0 ? text.length : text.indexOf("\n", nl + 1));
    const gap = gapBefore(stmts[1]) && /\S/.test(next);
    return { offset: nl + 1, lead: eol + indent, trail: gap ? eol + eol : eol, ...base };
  }
  const indent = indentOf(first);
  if (indent === null) return null;
  // Comment lines directly above the first member belong to it: insert above them.
  let offset = lineStart(text, first.startIndex);
  const floor = text.indexOf("\n", colon) + 1;
  while (offset > floor) {
    const prev = lineStart(text, offset - 1);
    if (prev < floor || !/^[ \t]*#/.test(text.slice(prev, offset))) break;
    offset = prev;
  }
  return { offset, lead: indent, trail: gapBefore(first) ? eol + eol : eol, ...base };
}

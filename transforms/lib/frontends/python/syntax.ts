// Would CPython refuse this file? tree-sitter accepts what CPython does not (a `def` whose body
// is not indented, tabs and spaces mixed, most f-string errors) and places its errors where its
// own recovery starts, not where CPython stops. So the verdict and its place follow CPython
// 3.11's own steps: its tokenizer (indentation, brackets, strings, continuation lines), the
// parser's first failing token (tree-sitter's ERROR and MISSING nodes, refined by the rules
// below), and the order in which CPython reports them: a tokenizer error that CPython raises
// as an exception wins over any parser error, wherever it is; an indentation error of the
// tokenizer only when it comes first; an unclosed bracket wins over a parser error on a later line.
// Columns are 1-based and count characters, as SyntaxError.offset does.
import type { Node, Parser } from "web-tree-sitter";

export interface PySyntaxError {
  line: number;
  column: number;
  message: string;
}

type Tok = { type: "NAME" | "NUMBER" | "STRING" | "OP" | "NEWLINE" | "INDENT" | "DEDENT" | "END"; text: string; start: number; end: number; depth: number };

interface TokError {
  /** `raised`: an exception in CPython's tokenizer (wins over parser errors); `indent`: a tokenizer status (wins only first); `eof`: end of file inside brackets. */
  kind: "raised" | "indent" | "eof";
  at: number;
  error: PySyntaxError;
  bracket?: { ch: string; at: number; line: number };
}

const HEADERS: Record<string, string> = {
  if: "'if' statement",
  elif: "'elif' statement",
  else: "'else' statement",
  for: "'for' statement",
  while: "'while' statement",
  with: "'with' statement",
  try: "'try' statement",
  except: "'except' statement",
  finally: "'finally' statement",
  def: "function definition",
  class: "class definition",
  match: "'match' statement",
  case: "'case' statement",
};
const KEYWORDS = new Set(
  "False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield".split(" "),
);
const OPS3 = new Set(["**=", "//=", ">>=", "<<=", "..."]);
const OPS2 = new Set(["**", "//", ">>", "<<", "<=", ">=", "==", "!=", "->", "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=", ":="]);
const NUMBER = /0[xX][0-9a-fA-F_]*|0[oO][0-7_]*|0[bB][01_]*|(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][+-]?[0-9_]+)?[jJ]?/y;
const OPEN: Record<string, string> = { ")": "(", "]": "[", "}": "{" };
const STRING_PREFIX = /^(?:[rRuUbBfF]|[bB][rR]|[rR][bB]|[fF][rR]|[rR][fF])$/;
const ID_START = /[\p{XID_Start}_]/u;
const ID_CONTINUE = /[\p{XID_Continue}]/u;
const ASCII_NAME = /[A-Za-z0-9_]+/y;

/** Line starts of a text whose line ends are LF only. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
  return starts;
}

class Source {
  readonly starts: number[];
  constructor(readonly text: string) {
    this.starts = lineStarts(text);
  }
  lineOf(at: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= at) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }
  /** Characters (code points) from the line's start to `at`, plus one. */
  column(at: number): number {
    const s = this.starts[this.lineOf(at) - 1];
    return [...this.text.slice(s, at)].length + 1;
  }
  /** The line's text without its line end. */
  lineText(line: number): string {
    const s = this.starts[line - 1];
    const e = this.text.indexOf("\n", s);
    return this.text.slice(s, e < 0 ? this.text.length : e);
  }
  at(at: number, message: string): PySyntaxError {
    return { line: this.lineOf(at), column: this.column(at), message };
  }
}

/** CPython's tokenizer, far enough to find its errors and the tokens the parser rules below need. */
function tokenize(src: Source): { tokens: Tok[]; error: TokError | null } {
  const text = src.text;
  const tokens: Tok[] = [];
  const indents = [0];
  const altIndents = [0];
  const brackets: { ch: string; at: number; line: number }[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let bol = true;
  const push = (type: Tok["type"], start: number, end: number) =>
    tokens.push({ type, text: text.slice(start, end), start, end, depth: brackets.length });
  const fail = (kind: TokError["kind"], at: number, error: PySyntaxError) => ({ tokens, error: { kind, at, error } });
  for (;;) {
    if (bol) {
      bol = false;
      let col = 0;
      let alt = 0;
      let j = i;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === " ") col++, alt++;
        else if (c === "\t") (col = (Math.floor(col / 8) + 1) * 8), alt++;
        else if (c === "\f") col = alt = 0;
        else break;
      }
      const blank = j >= text.length || text[j] === "#" || text[j] === "\n" || (text[j] === "\\" && text[j + 1] === "\n");
      if (!blank) {
        const line = src.lineOf(j);
        if (col === indents[indents.length - 1]) {
          if (alt !== altIndents[altIndents.length - 1]) return fail("indent", j, { line, column: 1, message: "inconsistent use of tabs and spaces in indentation" });
        } else if (col > indents[indents.length - 1]) {
          if (alt <= altIndents[altIndents.length - 1]) return fail("indent", j, { line, column: 1, message: "inconsistent use of tabs and spaces in indentation" });
          if (indents.length >= 100) return fail("indent", j, { line, column: 1, message: "too many levels of indentation" });
          indents.push(col);
          altIndents.push(alt);
          push("INDENT", i, j);
        } else {
          while (indents.length > 1 && col < indents[indents.length - 1]) {
            indents.pop();
            altIndents.pop();
            push("DEDENT", j, j);
          }
          if (col !== indents[indents.length - 1])
            return fail("indent", j, { line, column: [...src.lineText(line)].length + 1, message: "unindent does not match any outer indentation level" });
          if (alt !== altIndents[altIndents.length - 1]) return fail("indent", j, { line, column: 1, message: "inconsistent use of tabs and spaces in indentation" });
        }
      }
      i = j;
    }
    while (i < text.length && (text[i] === " " || text[i] === "\t" || text[i] === "\f")) i++;
    if (i >= text.length) {
      if (brackets.length) {
        const b = brackets[brackets.length - 1];
        return { tokens, error: { kind: "eof", at: i, error: src.at(b.at, `'${b.ch}' was never closed`), bracket: b } };
      }
      const last = tokens[tokens.length - 1];
      if (last && last.type !== "NEWLINE" && last.type !== "DEDENT" && last.type !== "INDENT") push("NEWLINE", i, i);
      while (indents.length > 1) indents.pop(), push("DEDENT", i, i);
      push("END", i, i);
      return { tokens, error: null };
    }
    const c = text[i];
    if (c === "#") {
      const e = text.indexOf("\n", i);
      // The NEWLINE that ends a line with a comment stands where the comment starts.
      if (!brackets.length && tokens.length && tokens[tokens.length - 1].type !== "NEWLINE" && tokens[tokens.length - 1].type !== "DEDENT" && tokens[tokens.length - 1].type !== "INDENT") push("NEWLINE", i, i);
      i = e < 0 ? text.length : e;
      if (e >= 0) {
        i++;
        bol = !brackets.length;
      }
      continue;
    }
    if (c === "\n") {
      const last = tokens[tokens.length - 1];
      if (!brackets.length && last && last.type !== "NEWLINE" && last.type !== "INDENT" && last.type !== "DEDENT") push("NEWLINE", i, i);
      i++;
      bol = !brackets.length;
      continue;
    }
    if (c === "\\") {
      if (text[i + 1] === "\n") {
        i += 2;
        if (i >= text.length) return fail("raised", i, src.at(i - 1, "unexpected EOF while parsing"));
        continue;
      }
      if (i + 1 >= text.length) return fail("raised", i, { line: src.lineOf(i), column: src.column(i) + 1, message: "unexpected EOF while parsing" });
      return fail("raised", i, { line: src.lineOf(i), column: src.column(i) + 1, message: "unexpected character after line continuation character" });
    }
    // Names, string prefixes.
    const code = text.charCodeAt(i);
    const asciiStart = (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95;
    if (asciiStart || (code >= 0x80 && ID_START.test(String.fromCodePoint(text.codePointAt(i)!)))) {
      ASCII_NAME.lastIndex = i;
      let j = ASCII_NAME.exec(text) ? ASCII_NAME.lastIndex : i;
      while (j < text.length && text.charCodeAt(j) >= 0x80) {
        const ch = String.fromCodePoint(text.codePointAt(j)!);
        if (!ID_CONTINUE.test(ch)) break;
        j += ch.length;
        ASCII_NAME.lastIndex = j;
        if (ASCII_NAME.exec(text)) j = ASCII_NAME.lastIndex;
      }
      const word = text.slice(i, j);
      if ((text[j] === "'" || text[j] === '"') && STRING_PREFIX.test(word)) {
        const r = readString(src, i, j);
        if ("error" in r) return fail("raised", i, r.error);
        push("STRING", i, r.end);
        i = r.end;
        continue;
      }
      push("NAME", i, j);
      i = j;
      continue;
    }
    if (c === "'" || c === '"') {
      const r = readString(src, i, i);
      if ("error" in r) return fail("raised", i, r.error);
      push("STRING", i, r.end);
      i = r.end;
      continue;
    }
    const digit = code >= 48 && code <= 57;
    if (digit || (c === "." && text.charCodeAt(i + 1) >= 48 && text.charCodeAt(i + 1) <= 57)) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(text)!;
      const j = i + Math.max(1, m[0].length);
      const next = j < text.length ? String.fromCodePoint(text.codePointAt(j)!) : "";
      // A number followed by a letter: CPython's verify_end_of_number (keywords glued to it only warn).
      if (next && (ID_START.test(next) || next.charCodeAt(0) >= 0x80) && !/^(?:and|else|for|if|in|is|not|or)\b/.test(text.slice(j, j + 5))) {
        const kind = /^0[xX]/.test(m[0]) ? "hexadecimal" : /^0[oO]/.test(m[0]) ? "octal" : /^0[bB]/.test(m[0]) ? "binary" : /[jJ]$/.test(m[0]) ? "imaginary" : "decimal";
        return fail("raised", i, src.at(i, `invalid ${kind} literal`));
      }
      push("NUMBER", i, j);
      i = j;
      continue;
    }
    if (c in OPEN) {
      const b = brackets.pop();
      if (!b) return fail("raised", i, src.at(i, `unmatched '${c}'`));
      if (b.ch !== OPEN[c]) {
        const where = b.line !== src.lineOf(i) ? ` on line ${b.line}` : "";
        return fail("raised", i, src.at(i, `closing parenthesis '${c}' does not match opening parenthesis '${b.ch}'${where}`));
      }
      push("OP", i, i + 1);
      i++;
      continue;
    }
    if (c === "(" || c === "[" || c === "{") {
      if (brackets.length >= 200) return fail("raised", i, src.at(i, "too many nested parentheses"));
      push("OP", i, i + 1);
      brackets.push({ ch: c, at: i, line: src.lineOf(i) });
      i++;
      continue;
    }
    const cp = text.codePointAt(i)!;
    if (cp >= 0x80) {
      const ch = String.fromCodePoint(cp);
      const u = `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;
      return fail("raised", i, src.at(i, /[\p{C}\p{Z}]/u.test(ch) ? `invalid non-printable character ${u}` : `invalid character '${ch}' (${u})`));
    }
    const op = OPS3.has(text.slice(i, i + 3)) ? text.slice(i, i + 3) : OPS2.has(text.slice(i, i + 2)) ? text.slice(i, i + 2) : c;
    push("OP", i, i + op.length);
    i += op.length;
  }
}

/** A string literal from its prefix at `start` (quote at `q`): its end, or CPython's tokenizer error. */
function readString(src: Source, start: number, q: number): { end: number } | { error: PySyntaxError } {
  const text = src.text;
  const quote = text[q];
  const triple = text.startsWith(quote.repeat(3), q);
  let i = q + (triple ? 3 : 1);
  for (;;) {
    if (i >= text.length) {
      const lines = src.starts.length - (text.endsWith("\n") ? 1 : 0);
      const what = triple ? "unterminated triple-quoted string literal" : "unterminated string literal";
      return { error: src.at(start, `${what} (detected at line ${Math.max(1, lines)})`) };
    }
    const c = text[i];
    if (c === "\\") {
      i += 2;
      continue;
    }
    if (c === "\n" && !triple) return { error: src.at(start, `unterminated string literal (detected at line ${src.lineOf(i)})`) };
    if (c === quote && (!triple || text.startsWith(quote.repeat(3), i))) return { end: i + (triple ? 3 : 1) };
    i++;
  }
}

/** Where a logical line's NEWLINE stands: after the last token's trailing blanks (at a comment's `#`). */
function newlineAt(tokens: Tok[], k: number): number {
  return tokens[k].start;
}

function isExprEnd(t: Tok): boolean {
  return t.type === "NUMBER" || t.type === "STRING" || (t.type === "NAME" && !KEYWORDS.has(t.text)) || (t.type === "OP" && (t.text === ")" || t.text === "]" || t.text === "}"));
}

function isExprStart(t: Tok): boolean {
  return t.type === "NUMBER" || t.type === "STRING" || (t.type === "NAME" && (!KEYWORDS.has(t.text) || ["None", "True", "False"].includes(t.text)));
}

/** The parser-level errors these rules place exactly, first in the file first. */
function parserRules(src: Source, tokens: Tok[]): { at: number; error: PySyntaxError; indentToken?: boolean } | null {
  let lineStart = 0;
  let prevLineEnd: Tok | null = null;
  let prevHeader: { keyword: string; line: number } | null = null;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t.type === "INDENT") {
      if (!prevLineEnd || prevLineEnd.text !== ":") {
        const first = tokens[k + 1] ?? t;
        return { at: first.start, error: { line: src.lineOf(first.start), column: [...src.text.slice(src.starts[src.lineOf(first.start) - 1], first.start)].length, message: "unexpected indent" }, indentToken: true };
      }
      prevHeader = null;
      prevLineEnd = null;
      lineStart = k + 1;
      continue;
    }
    if (prevHeader) {
      // A header's body must be indented: the statement after it (or the end of the file) is the error.
      let j = k;
      while (tokens[j].type === "DEDENT") j++;
      const next = tokens[j];
      const where = next.type === "END" ? endOfText(src) : { line: src.lineOf(next.start), column: src.column(next.start) };
      return { at: next.start, error: { ...where, message: `expected an indented block after ${HEADERS[prevHeader.keyword]} on line ${prevHeader.line}` } };
    }
    if (t.type === "DEDENT") {
      lineStart = k + 1;
      continue;
    }
    if (t.type === "END") return null;
    // Two expressions side by side inside brackets: CPython's "Perhaps you forgot a comma?".
    if (t.depth > 0 && k > 0 && tokens[k - 1].depth === t.depth && isExprEnd(tokens[k - 1]) && isExprStart(t) && !(tokens[k - 1].type === "STRING" && t.type === "STRING") && !(tokens[k - 1].type === "NAME" && t.type === "STRING")) {
      let s = k - 1;
      for (; s > lineStart; s--) {
        const p = tokens[s - 1];
        if (p.depth < t.depth || (p.depth === t.depth && p.type === "OP" && [",", ":", "=", "(", "[", "{", ":="].includes(p.text))) break;
        if (p.depth === t.depth && p.type === "NAME" && ["if", "else", "for", "lambda", "yield", "return", "await", "from"].includes(p.text)) break;
      }
      return { at: tokens[s].start, error: src.at(tokens[s].start, "invalid syntax. Perhaps you forgot a comma?") };
    }
    if (t.type !== "NEWLINE") continue;
    // A logical line ends here.
    const line = tokens.slice(lineStart, k);
    lineStart = k + 1;
    prevLineEnd = line[line.length - 1] ?? null;
    prevHeader = null;
    if (!line.length) continue;
    let head = line[0];
    if (head.text === "async" && line[1]) head = line[1];
    const first = line[0];
    // Python 2's print statement.
    if (first.type === "NAME" && (first.text === "print" || first.text === "exec") && line[1] && (line[1].type === "STRING" || line[1].type === "NUMBER" || (line[1].type === "NAME" && !KEYWORDS.has(line[1].text))))
      return { at: first.start, error: src.at(first.start, `Missing parentheses in call to '${first.text}'. Did you mean ${first.text}(...)?`) };
    if (head.type !== "NAME" || !Object.hasOwn(HEADERS, head.text)) continue;
    if (head.text === "def" || head.text === "class") {
      // `def`/`class` take a name, and a function its parameters.
      const h = line.indexOf(head);
      const name = line[h + 1];
      if (!name || name.type !== "NAME" || KEYWORDS.has(name.text)) {
        const at = name ?? t;
        return { at: at.start, error: src.at(at.start, "invalid syntax") };
      }
      const after = line[h + 2] ?? t;
      if (head.text === "def" && after.text !== "(") return { at: after.start, error: src.at(after.start, "expected '('") };
      if (head.text === "class" && after.text !== "(" && after.text !== ":" && after.type !== "NEWLINE") return { at: after.start, error: src.at(after.start, "invalid syntax") };
    }
    const soft = head.text === "match" || head.text === "case";
    const colon = line.some((x) => x.depth === 0 && x.type === "OP" && x.text === ":");
    if (!colon) {
      if (soft) continue;
      return { at: t.start, error: src.at(newlineAt(tokens, k), "expected ':'") };
    }
    if (prevLineEnd?.text === ":") prevHeader = { keyword: head.text, line: src.lineOf(head.start) };
  }
  return null;
}

/** The first ERROR or MISSING node, descending into the first nested one. */
function treeError(root: Node): Node | null {
  if (!root.hasError) return null;
  let found: Node | null = null;
  let scope: Node = root;
  for (;;) {
    const cursor = scope.walk();
    let next: Node | null = null;
    let started = false;
    for (;;) {
      const n = cursor.currentNode;
      if (started && (n.isError || n.isMissing)) {
        next = n;
        break;
      }
      started = true;
      if ((n.hasError || n.isError) && cursor.gotoFirstChild()) continue;
      let up = false;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent() || cursor.currentNode.id === scope.id) {
          up = true;
          break;
        }
      }
      if (up) break;
    }
    if (!next) return found;
    found = next;
    if (next.isMissing) return found;
    scope = next;
  }
}

const BINARY = new Set(["+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^", "and", "or", "<", ">", "==", "!=", "<=", ">=", "in", "is", "not"]);

/** CPython 3.11's f-string scanner (fstring_find_literal / fstring_find_expr): the first error in one literal. */
type FieldScan = { message: string } | { expr: string; offset: number; after: { message: string } | { next: number } } | null;

function fstringError(body: string, raw: boolean, depth: number): FieldScan {
  let i = 0;
  const n = body.length;
  while (i < n) {
    const c = body[i];
    if (c === "\\" && !raw) {
      i += 2;
      continue;
    }
    if (c === "}") {
      if (body[i + 1] === "}") {
        i += 2;
        continue;
      }
      return { message: "f-string: single '}' is not allowed" };
    }
    if (c !== "{") {
      i++;
      continue;
    }
    if (body[i + 1] === "{" && depth === 0) {
      i += 2;
      continue;
    }
    if (depth >= 2) return { message: "f-string: expressions nested too deeply" };
    // The expression.
    const start = ++i;
    const stack: string[] = [];
    let quote: string | null = null;
    let end = -1;
    for (; i < n; i++) {
      const ch = body[i];
      if (ch === "\\") return { message: "f-string expression part cannot include a backslash" };
      if (quote) {
        if (body.startsWith(quote, i)) {
          i += quote.length - 1;
          quote = null;
        }
        continue;
      }
      if (ch === "'" || ch === '"') {
        quote = body.startsWith(ch.repeat(3), i) ? ch.repeat(3) : ch;
        i += quote.length - 1;
        continue;
      }
      if ("([{".includes(ch)) {
        if (stack.length >= 200) return { message: "f-string: too many nested parenthesis" };
        stack.push(ch);
        continue;
      }
      if (ch === "#") return { message: "f-string expression part cannot include '#'" };
      if (!stack.length && (ch === "}" || ch === ":" || (ch === "!" && body[i + 1] !== "=") || (ch === "=" && !"=!<>".includes(body[i - 1] ?? "") && body[i + 1] !== "="))) {
        end = i;
        break;
      }
      if (")]}".includes(ch)) {
        if (!stack.length) return { message: `f-string: unmatched '${ch}'` };
        const open = stack.pop()!;
        if (OPEN[ch] !== open) return { message: `f-string: closing parenthesis '${ch}' does not match opening parenthesis '${open}'` };
      }
    }
    if (quote) return { message: "f-string: unterminated string" };
    if (stack.length) return { message: `f-string: unmatched '${stack[stack.length - 1]}'` };
    if (end < 0) return { message: "f-string: expecting '}'" };
    const expr = body.slice(start, end);
    if (/^[ \t\n\f]*$/.test(expr)) {
      if ("!:=".includes(body[end])) return { message: `f-string: expression required before '${body[end]}'` };
      return { message: "f-string: empty expression not allowed" };
    }
    // The caller checks the expression's syntax before the rest of the field, as CPython does.
    return { expr, offset: start, after: fieldRest(body, end, raw, depth) };
  }
  return null;
}

/** After an expression: `=`, `!conversion`, `:spec`, then `}`. Returns [error, or null, and the index after the field]. */
function fieldRest(body: string, i: number, raw: boolean, depth: number): { message: string } | { next: number } {
  const n = body.length;
  if (body[i] === "=") i++;
  while (i < n && /[ \t\n\f]/.test(body[i]) && body[i - 1] === "=") i++;
  if (body[i] === "!") {
    i++;
    if (i >= n) return { message: "f-string: expecting '}'" };
    const conv = body[i];
    i++;
    if (!"sra".includes(conv)) return { message: "f-string: invalid conversion character: expected 's', 'r', or 'a'" };
  }
  if (i >= n) return { message: "f-string: expecting '}'" };
  if (body[i] === ":") {
    i++;
    // The format spec: literal text and nested fields, up to the field's closing brace.
    let level = 0;
    const specStart = i;
    for (; i < n; i++) {
      if (body[i] === "{") level++;
      else if (body[i] === "}") {
        if (!level) break;
        level--;
      }
    }
    const e = fstringError(body.slice(specStart, i), raw, depth + 1);
    if (e && "message" in e) return e;
    if (e && "message" in e.after) return e.after;
  }
  if (i >= n || body[i] !== "}") return { message: "f-string: expecting '}'" };
  return { next: i + 1 };
}

/**
 * Every error CPython would give while reading the f-strings of a string run, in order: `message`
 * errors stand at the token after the run; inner expression errors at their own place.
 */
function fstringRunError(
  src: Source,
  str: Tok,
  parser: Parser,
): { message: string } | { error: PySyntaxError } | null {
  const m = /^([A-Za-z]*)('''|"""|'|")/.exec(str.text)!;
  if (!/f/i.test(m[1])) return null;
  const raw = /r/i.test(m[1]);
  const bodyStart = m[0].length;
  const body = str.text.slice(bodyStart, str.text.length - m[2].length);
  let offset = 0;
  let rest = body;
  while (rest.length) {
    const r = fstringError(rest, raw, 0);
    if (!r) return null;
    if ("message" in r) return r;
    const { expr, offset: exprAt } = r;
    // Names and attribute chains (most fields) need no parse.
    const simple = /^[ \t]*[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*[ \t]*$/.test(expr) && expr.trim().split(".").every((w) => !KEYWORDS.has(w) || w === "None" || w === "True" || w === "False");
    const err = simple ? null : checkPythonSyntax(`(${expr})`, parser);
    if (err) {
      const before = body.slice(0, offset + exprAt);
      const line = src.lineOf(str.start) + (before.match(/\n/g)?.length ?? 0) + err.line - 1;
      return { error: { line, column: err.column, message: `f-string: ${err.message}` } };
    }
    if ("message" in r.after) return r.after;
    const next = r.after.next;
    offset += next;
    rest = rest.slice(next);
  }
  return null;
}

/**
 * CPython's verdict on a file (its text with line ends as LF) and where it places the error, or
 * null when CPython compiles it. `root` is tree-sitter's tree of the same text.
 */
export function checkPythonSyntax(text: string, parser: Parser, root?: Node): PySyntaxError | null {
  const normal = text.includes("\r") ? text.replace(/\r\n?/g, "\n") : text;
  const src = new Source(normal);
  const { tokens, error: tokError } = tokenize(src);
  // Parser errors, first in the file first: own rules, f-strings, then the tree's first error.
  type Found = { at: number; error: PySyntaxError; indentToken?: boolean; fromTree?: boolean };
  let parse: Found | null = parserRules(src, tokens);
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (parse && t.start >= parse.at) break;
    if (t.type === "OP" && /^[$?`!]$/.test(t.text)) {
      parse = { at: t.start, error: src.at(t.start, "invalid syntax") };
      break;
    }
    if (t.type !== "STRING") continue;
    const e = fstringRunError(src, t, parser);
    if (!e) continue;
    if ("error" in e) {
      parse = { at: t.start, error: e.error };
      break;
    }
    // Placed at the token after the run of strings.
    let j = k + 1;
    while (tokens[j]?.type === "STRING") j++;
    const after = tokens[j];
    const pos = after?.type === "END" || !after ? endOfText(src) : { line: src.lineOf(after.start), column: src.column(after.start) };
    parse = { at: t.start, error: { ...pos, message: e.message } };
    break;
  }
  // The given tree is of the text with CRLF kept: its offsets are this text's only without CRs.
  let ownTree: ReturnType<Parser["parse"]> | null = null;
  let tree = root && normal === text ? root : null;
  if (!tree && (!root || root.hasError)) {
    ownTree = parser.parse(normal);
    tree = ownTree?.rootNode ?? null;
  }
  const bad = tree && treeError(tree);
  if (bad) {
    let at = bad.startIndex;
    // An operator left without its right operand: CPython stops at the token after it.
    const last = bad.lastChild?.type ?? "";
    if (bad.isError && bad.childCount && (BINARY.has(last) || (last === ":" && bad.children.some((c) => c.type === "lambda")))) {
      const after = tokens.find((t) => t.start >= bad.endIndex && t.type !== "DEDENT" && t.type !== "INDENT");
      if (after && (after.type === "NEWLINE" || after.type === "END" || (after.type === "OP" && ")]}".includes(after.text)))) at = after.start;
    }
    const fromTree = { at, error: src.at(at, "invalid syntax"), fromTree: true };
    // The tree's recovery often starts before the statement that CPython stops in: a rule's error
    // that the tree's error reaches is the better one.
    if (!parse || (at < parse.at && bad.endIndex < parse.at && /\S/.test(normal.slice(bad.endIndex, parse.at).replace(/#[^\n]*/g, "")))) parse = fromTree;
  }
  ownTree?.delete();

  if (tokError && (!parse || tokError.at <= parse.at)) return tokError.error;
  if (!parse) return tokError?.error ?? null;
  if (tokError?.kind === "raised" && !parse.indentToken) return tokError.error;
  if (tokError?.kind === "eof" && tokError.bracket && !parse.indentToken && (parse.fromTree || parse.error.line > tokError.bracket.line || parse.at >= tokError.bracket.at))
    return tokError.error;
  return parse.error;
}

function endOfText(src: Source): { line: number; column: number } {
  const last = src.text.endsWith("\n") ? src.starts.length - 1 : src.starts.length;
  return { line: Math.max(1, last), column: [...src.lineText(Math.max(1, last))].length + 1 };
}

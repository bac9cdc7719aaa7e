// web-tree-sitter with the Python grammar, loaded on first use and once per process: runs
// that find no Python file worth parsing never pay for the WebAssembly start-up.
import type { Node, Parser, Tree } from "web-tree-sitter";

export type { Node, Tree };

let loading: Promise<Parser> | null = null;

/** The grammar's file: through `require` when loaded as CommonJS (the jscodeshift transform), else through import.meta. */
async function grammarPath(): Promise<string> {
  if (typeof require === "function") return require.resolve("tree-sitter-python/tree-sitter-python.wasm");
  return (await import("./grammar-path.ts")).grammarPath();
}

export function loadPythonParser(): Promise<Parser> {
  loading ??= (async () => {
    const { Parser, Language } = await import("web-tree-sitter");
    await Parser.init();
    const wasm = await grammarPath();
    const parser = new Parser();
    parser.setLanguage(await Language.load(wasm));
    return parser;
  })().catch((e) => {
    loading = null; // let a later call retry
    throw e;
  });
  return loading;
}

/** What the chain analysis uses to parse settings files with the same grammar. */
export interface PythonParser {
  /** Loads the grammar if needed. */
  parse(text: string): Promise<Tree>;
  /** The loaded parser, when something was parsed already (synchronous use). */
  loaded(): Parser | null;
}

let ready: Parser | null = null;

export const pythonParser: PythonParser = {
  async parse(text) {
    ready ??= await loadPythonParser();
    return ready.parse(parseable(text))!;
  },
  loaded: () => ready,
};

export async function ensureParser(): Promise<Parser> {
  ready ??= await loadPythonParser();
  return ready;
}

/** The first ERROR or MISSING node in document order (iterative: deep nesting is fine). */
export function firstSyntaxError(root: Node): Node | null {
  if (!root.hasError) return null;
  const cursor = root.walk();
  for (;;) {
    const n = cursor.currentNode;
    if (n.isError || n.isMissing) return n;
    if (n.hasError && cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return null;
  }
}

/**
 * The text the grammar is given: CPython ends a line at LF, CRLF or a lone CR, tree-sitter-python
 * only at LF, so each lone CR becomes an LF. Same length: offsets, and rows, match the file's.
 */
export function parseable(text: string): string {
  return text.includes("\r") ? text.replace(/\r(?!\n)/g, "\n") : text;
}

/** 1-based line and column (in characters) of a string offset; a line ends at LF, CRLF or a lone CR. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  const eol = /\r\n?|\n/g;
  for (let m = eol.exec(text); m && m.index < offset; m = eol.exec(text)) {
    line++;
    start = m.index + m[0].length;
  }
  return { line, column: offset - start + 1 };
}

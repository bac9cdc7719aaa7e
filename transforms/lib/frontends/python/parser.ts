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
    return ready.parse(text)!;
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

/** 1-based line and column (in characters) of a string offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf("\n"); i >= 0 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

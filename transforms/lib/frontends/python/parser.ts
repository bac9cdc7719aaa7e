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

/**
 * The text the grammar is given: CPython ends a line at LF, CRLF or a lone CR, tree-sitter-python
 * only at LF, so each lone CR becomes an LF. Same length: offsets, and rows, match the file's.
 */
export function parseable(text: string): string {
  return text.includes("\r") ? text.replace(/\r(?!\n)/g, "\n") : text;
}

// Where tree-sitter-python's grammar is, for an ES module. Kept apart from parser.ts because
// `import.meta` must not appear in code that jscodeshift's Babel loads as CommonJS.
import { createRequire } from "node:module";

export function grammarPath(): string {
  return createRequire(import.meta.url).resolve("tree-sitter-python/tree-sitter-python.wasm");
}

// The Python grammar for the settings reader: the front end's web-tree-sitter parser
// (one grammar load per process). Node offsets are UTF-16 indices into the JS string,
// so they index `SourceFile.text` directly.
import type { Tree } from "web-tree-sitter";
import { pythonParser } from "../frontends/python/parser.ts";

export async function parsePython(text: string): Promise<Tree> {
  const tree = await pythonParser.parse(text);
  if (!tree) throw new Error("the Python parser returned no tree");
  return tree;
}

// jscodeshift transform: `npx jscodeshift -t transforms/async-capable.ts <dir>` gives the
// same files as the CLI. jscodeshift hands over one file at a time, in several workers, so
// each worker has the whole project analysed once (decisions cross files) and answers per
// file. Options: `--root=DIR` (default: the current directory), `--target=VERSION` (Django).
import { execFileSync } from "node:child_process";
import path from "node:path";
import type { API, FileInfo, Options } from "jscodeshift";
import { applyEdits } from "./lib/edits/splice.ts";
import type { Edit } from "./lib/model.ts";

const editsByRoot = new Map<string, Map<string, Edit[]>>();

function projectEdits(root: string, target: string | undefined): Map<string, Edit[]> {
  let byFile = editsByRoot.get(root);
  if (byFile) return byFile;
  // The built engine, in a plain Node process: jscodeshift's Babel hook would otherwise
  // recompile TypeScript and ts-morph (and fails on their static class blocks).
  const script = path.resolve(__dirname, "../dist/transforms/lib/edit-list.js");
  const out = execFileSync(process.execPath, [script, root, target ?? ""], { encoding: "utf8", maxBuffer: 1 << 30 });
  byFile = new Map();
  for (const edit of JSON.parse(out) as Edit[]) byFile.set(edit.absPath, [...(byFile.get(edit.absPath) ?? []), edit]);
  editsByRoot.set(root, byFile);
  return byFile;
}

export default function transform(file: FileInfo, _api: API, options: Options): string | undefined {
  const root = path.resolve(typeof options.root === "string" ? options.root : process.cwd());
  const edits = projectEdits(root, typeof options.target === "string" ? options.target : undefined).get(path.resolve(file.path));
  return edits ? applyEdits(file.source, edits) : undefined;
}

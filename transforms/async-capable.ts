// jscodeshift transform: `npx jscodeshift -t transforms/async-capable.ts <dir>` gives the
// same files as the CLI. jscodeshift hands over one file at a time, in several worker
// processes, while decisions cross files: the whole project is analysed once per run and tree
// state, and every worker answers per file from that one analysis (lib/analysis-cache.ts).
// Options: `--root=DIR` (default: the current directory), `--target=VERSION` (Django).
import { execFileSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import type { API, FileInfo, Options } from "jscodeshift";
import { sharedResult } from "./lib/analysis-cache.ts";
import { applyEdits } from "./lib/edits/splice.ts";
import type { Edit } from "./lib/model.ts";

const editsByRoot = new Map<string, Map<string, Edit[]>>();

function projectEdits(root: string, target: string | undefined): Map<string, Edit[]> {
  const memo = `${root}\0${target ?? ""}`;
  let byFile = editsByRoot.get(memo);
  if (byFile) return byFile;
  // The built engine, in a plain Node process: jscodeshift's Babel hook would otherwise
  // recompile TypeScript and ts-morph (and fails on their static class blocks).
  const script = path.resolve(__dirname, "../dist/transforms/lib/edit-list.js");
  const built = statSync(script);
  const key = { root, target: target ?? "", engine: [script, built.size, built.mtimeMs] };
  const out = sharedResult(key, root, () => execFileSync(process.execPath, [script, root, target ?? ""], { encoding: "utf8", maxBuffer: 1 << 30 }));
  byFile = new Map();
  for (const edit of JSON.parse(out) as Edit[]) byFile.set(edit.absPath, [...(byFile.get(edit.absPath) ?? []), edit]);
  editsByRoot.set(memo, byFile);
  return byFile;
}

const roots = new Map<string, string>();

export default function transform(file: FileInfo, _api: API, options: Options): string | undefined {
  // Called once per file, thousands of times: path resolution only where it can matter.
  const given = typeof options.root === "string" ? options.root : "";
  let root = roots.get(given);
  if (root === undefined) roots.set(given, (root = path.resolve(given || process.cwd())));
  const byFile = projectEdits(root, typeof options.target === "string" ? options.target : undefined);
  const edits = byFile.size ? byFile.get(path.resolve(file.path)) : undefined;
  return edits ? applyEdits(file.source, edits) : undefined;
}

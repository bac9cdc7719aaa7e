// jscodeshift transform: `npx jscodeshift -t transforms/async-capable.ts <dir>` gives the
// same files as the CLI. jscodeshift hands over one file at a time, in several workers, so
// each worker analyses the whole project once (decisions cross files) and answers per file.
import path from "node:path";
import type { API, FileInfo, Options } from "jscodeshift";
import { analyse, editedFiles, type Analysis } from "./lib/api.ts";

const analyses = new Map<string, Promise<Analysis>>();

/** The project root: `--root=DIR`, else the current directory. */
function projectRoot(options: Options): string {
  return path.resolve(typeof options.root === "string" ? options.root : process.cwd());
}

export default async function transform(file: FileInfo, _api: API, options: Options): Promise<string | undefined> {
  const root = projectRoot(options);
  let pending = analyses.get(root);
  if (!pending) {
    pending = analyse({ cwd: root, target: typeof options.target === "string" ? options.target : undefined });
    analyses.set(root, pending);
  }
  const analysis = await pending;
  const absPath = path.resolve(file.path);
  const edits = analysis.edits.filter((e) => e.absPath === absPath);
  if (!edits.length) return undefined;
  const edited = editedFiles(analysis, edits).get(absPath)!;
  // jscodeshift read the same bytes; if not, the file changed under us: leave it.
  return edited.before === file.source ? edited.after : undefined;
}

// The TypeScript checker, for hooks that leave their return type to inference. One
// ts-morph Project per run, created only when such a hook exists, holding only the files
// with those hooks and the scanned files they import (never the whole tree).
import type { ts as TS } from "ts-morph";
import type { Nature, SourceFile } from "../../model.ts";
import type { FunctionLike } from "./hooks.ts";
import type { Ts } from "./parse.ts";

export interface InferRequest {
  file: SourceFile;
  fn: FunctionLike;
}

/** Natures in request order. `closure` lists the scanned files to load besides the requests' own. */
export async function inferNatures(ts: Ts, requests: InferRequest[], closure: SourceFile[]): Promise<Nature[]> {
  if (!requests.length) return [];
  const { Project } = await import("ts-morph");
  const project = new Project({
    compilerOptions: {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      allowJs: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      strict: true,
      skipLibCheck: true,
      jsx: ts.JsxEmit.Preserve,
      types: [],
      lib: ["lib.es2022.d.ts", "lib.dom.d.ts"], // `fetch` and friends
    },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  const seen = new Set<string>();
  for (const f of [...requests.map((r) => r.file), ...closure])
    if (!seen.has(f.absPath)) {
      seen.add(f.absPath);
      project.createSourceFile(f.absPath, f.text, { overwrite: true });
    }
  const checker = project.getTypeChecker().compilerObject;
  return requests.map((r) => {
    const sf = project.getSourceFileOrThrow(r.file.absPath).compilerNode;
    const fn = findSame(ts, sf, r.fn);
    const sig = fn && checker.getSignatureFromDeclaration(fn as TS.SignatureDeclaration);
    return sig ? promiseNature(ts, checker, checker.getReturnTypeOfSignature(sig)) : "unknown";
  });
}

/** The node of the project's copy of a file at the same place as one of our parse. */
function findSame(ts: Ts, sf: TS.SourceFile, target: TS.Node): TS.Node | null {
  let found: TS.Node | null = null;
  const visit = (n: TS.Node): void => {
    if (found || n.pos > target.pos || n.end < target.end) return;
    if (n.pos === target.pos && n.end === target.end && n.kind === target.kind) found = n;
    else ts.forEachChild(n, visit);
  };
  visit(sf);
  return found;
}

/** A thenable (anything with a `then`) is what `await` waits for; void/undefined/null parts do not count. */
function promiseNature(ts: Ts, checker: TS.TypeChecker, type: TS.Type): Nature {
  const parts = (type.isUnion() ? type.types : [type]).filter(
    (t) => !(t.flags & (ts.TypeFlags.Void | ts.TypeFlags.Undefined | ts.TypeFlags.Null | ts.TypeFlags.Never)),
  );
  const thenable = parts.map((t) => !(t.flags & ts.TypeFlags.Any) && !!checker.getPropertyOfType(checker.getApparentType(t), "then"));
  if (thenable.length && thenable.every(Boolean)) return "async";
  return thenable.some(Boolean) ? "unknown" : "sync";
}

// The TypeScript checker, for hooks that leave their return type to inference and return a
// value. One ts-morph Project per run, created only when such a hook exists, holding only
// the files with those hooks and the scanned files they import (never the whole tree). The
// DOM library (`fetch`, `Response`, …) is loaded only when those files name one of its globals.
import type { ts as TS } from "ts-morph";
import type { Nature, SourceFile } from "../../model.ts";
import type { FunctionLike } from "./hooks.ts";
import { isStackOverflow, libFiles, loadMorph, type Ts } from "./parse.ts";

export interface InferRequest {
  file: SourceFile;
  fn: FunctionLike;
}

/** "overflow": the checker ran out of stack on that file (deeply nested code). */
export type Inferred = Nature | "overflow";

/** Natures in request order. `closure` lists the scanned files to load besides the requests' own. */
export async function inferNatures(ts: Ts, requests: InferRequest[], closure: SourceFile[]): Promise<Inferred[]> {
  if (!requests.length) return [];
  const files: SourceFile[] = [];
  const seen = new Set<string>();
  for (const f of [...requests.map((r) => r.file), ...closure])
    if (!seen.has(f.absPath)) {
      seen.add(f.absPath);
      files.push(f);
    }
  const { Project } = loadMorph();
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
      lib: files.some((f) => namesDomGlobal(f.text)) ? ["lib.es2022.d.ts", "lib.dom.d.ts"] : ["lib.es2022.d.ts"],
    },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: true,
  });
  const broken = new Set<string>();
  for (const f of files)
    try {
      project.createSourceFile(f.absPath, f.text, { overwrite: true });
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      broken.add(f.absPath);
    }
  const checker = project.getTypeChecker().compilerObject;
  return requests.map((r) => {
    if (broken.has(r.file.absPath)) return "overflow";
    try {
      const sf = project.getSourceFileOrThrow(r.file.absPath).compilerNode;
      const fn = findSame(ts, sf, r.fn);
      const sig = fn && checker.getSignatureFromDeclaration(fn as TS.SignatureDeclaration);
      return sig ? promiseNature(ts, checker, checker.getReturnTypeOfSignature(sig)) : "unknown";
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      return "overflow";
    }
  });
}

let domGlobals: RegExp | null = null;

/** Lower-case DOM globals that are everyday identifiers and never lead to a promise. */
const GENERIC = new Set(["name", "length", "status", "parent", "closed", "top", "self", "origin", "event", "external", "frames", "opener", "print", "stop", "close", "open", "focus", "blur", "scroll", "scrollBy", "scrollTo", "moveBy", "moveTo", "resizeBy", "resizeTo", "toolbar", "menubar", "statusbar", "locationbar", "personalbar", "scrollbars", "screen", "orientation", "frameElement"]);

/**
 * Whether the text names a global that only lib.dom.d.ts declares (a cheap, conservative
 * test on the text; names the file imports do not count). Without the DOM library such a
 * name is unresolved, and a hook returning `fetch(…)` would look sync.
 */
function namesDomGlobal(text: string): boolean {
  if (!domGlobals) {
    const declared = (t: string) => new Set([...t.matchAll(/\b(?:declare\s+(?:var|function|const|let|type)|interface|type)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
    const libs = libFiles();
    const dom = declared(libs.find((l) => l.fileName === "lib.dom.d.ts")?.text ?? "");
    for (const l of libs) if (/^lib\.es(5|20(1\d|2[0-2]))[.\w]*\.d\.ts$/.test(l.fileName)) for (const n of declared(l.text)) dom.delete(n);
    const list = [...dom].filter((n) => !GENERIC.has(n) && !/^on[a-z]/.test(n)).sort((a, b) => b.length - a.length);
    domGlobals = new RegExp(`(?<![\\w$.])(?:${list.map((n) => n.replace(/\$/g, "\\$")).join("|") || "(?!)"})(?![\\w$])`, "g");
  }
  const imported = new Set<string>();
  for (const m of text.matchAll(/\bimport\s+(?:type\s+)?([\w$\s{},*]+?)\s*from\s*["']/g)) for (const id of m[1].match(/[\w$]+/g) ?? []) imported.add(id);
  for (const m of text.matchAll(domGlobals)) if (!imported.has(m[0])) return true;
  return false;
}

/** The node of the project's copy of a file at the same place as one of our parse (a descent, no recursion). */
function findSame(ts: Ts, sf: TS.SourceFile, target: TS.Node): TS.Node | null {
  let n: TS.Node | undefined = sf;
  while (n) {
    if (n.pos === target.pos && n.end === target.end && n.kind === target.kind) return n;
    n = ts.forEachChild(n, (c) => (c.pos <= target.pos && c.end >= target.end ? c : undefined));
  }
  return null;
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

// The TypeScript checker, for the hooks whose nature the syntax cannot tell: a declared return
// type that is neither plainly a promise nor plainly not one (an imported alias, an interface,
// an intersection, `ReturnType<…>`), or no declared type and a returned value. One program per
// run, built once with the compiler API over the files with such hooks; the program follows
// their imports through the front end's own module resolution, so it holds exactly the scanned
// files they reach. Files the front end has parsed are handed over as they are (no second
// parse). The DOM library (`fetch`, `Response`, …) is loaded only when a file of the program
// names one of its globals.
import type { ts as TS } from "ts-morph";
import type { Nature, SourceFile } from "../../model.ts";
import type { FunctionLike } from "./hooks.ts";
import { isStackOverflow, libFiles, type Ts } from "./parse.ts";

export interface InferRequest {
  file: SourceFile;
  fn: FunctionLike;
}

/** "overflow": the checker ran out of stack on that file (deeply nested code). */
export type Inferred = Nature | "overflow";

export interface CheckerFiles {
  /** Every scanned file, by absolute path. */
  sources: ReadonlyMap<string, SourceFile>;
  /** The front end's parse of a file, when it has one (the requests' functions are nodes of it). */
  parsed(absPath: string): TS.SourceFile | undefined;
  /** The scanned file an import leads to, by absolute path. */
  resolve(fromAbsPath: string, spec: string): string | undefined;
  /** Told the files of the program (absolute paths) once it is built, before any check. */
  programFiles?(files: ReadonlySet<string>): void;
}

/** Where the lib files live for the program (a virtual folder; never read from disk). */
const LIB_DIR = "/__middleware_codemod_lib__/";

/** Natures in request order. */
export function inferNatures(ts: Ts, requests: InferRequest[], files: CheckerFiles): Inferred[] {
  if (!requests.length) return [];
  const started = process.env.MWC_TIMING ? { wall: process.hrtime.bigint(), cpu: process.cpuUsage() } : null;
  const libs = new Map(libFiles().map((l) => [LIB_DIR + l.fileName, l.text]));
  const cache = new Map<string, TS.SourceFile>();
  const host: TS.CompilerHost = {
    getSourceFile(fileName, languageVersion) {
      let sf = cache.get(fileName) ?? files.parsed(fileName);
      if (sf) return cache.set(fileName, sf), sf;
      const text = libs.get(fileName) ?? files.sources.get(fileName)?.text;
      if (text === undefined) return undefined;
      try {
        sf = ts.createSourceFile(fileName, text, languageVersion, false);
      } catch (e) {
        if (!isStackOverflow(e)) throw e;
        sf = ts.createSourceFile(fileName, "", languageVersion, false); // what it declares stays unknown
      }
      cache.set(fileName, sf);
      return sf;
    },
    getDefaultLibFileName: () => LIB_DIR + "lib.d.ts",
    getDefaultLibLocation: () => LIB_DIR,
    writeFile: () => {},
    getCurrentDirectory: () => "/",
    getCanonicalFileName: (f) => f,
    useCaseSensitiveFileNames: () => true,
    getNewLine: () => "\n",
    fileExists: (f) => libs.has(f) || files.sources.has(f),
    readFile: (f) => libs.get(f) ?? files.sources.get(f)?.text,
    resolveModuleNameLiterals: (literals, containingFile) =>
      literals.map((l) => {
        const target = files.resolve(containingFile, l.text);
        return { resolvedModule: target ? { resolvedFileName: target, extension: extensionOf(target), isExternalLibraryImport: false } : undefined };
      }),
    resolveTypeReferenceDirectiveReferences: (refs) => refs.map(() => ({ resolvedTypeReferenceDirective: undefined })),
  };
  const options = (dom: boolean): TS.CompilerOptions => ({
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
    lib: dom ? ["lib.es2022.d.ts", "lib.dom.d.ts"] : ["lib.es2022.d.ts"],
  });
  const roots = [...new Set(requests.map((r) => r.file.absPath))];
  let program = ts.createProgram({ rootNames: roots, options: options(false), host });
  // Without the DOM library a hook returning `fetch(…)` would look sync: reload with it when
  // some file of the program names a DOM global (the first program's files are reused).
  if (program.getSourceFiles().some((sf) => !sf.fileName.startsWith(LIB_DIR) && namesDomGlobal(sf.text)))
    program = ts.createProgram({ rootNames: roots, options: options(true), host, oldProgram: program });

  files.programFiles?.(new Set(program.getSourceFiles().map((sf) => sf.fileName)));
  cache.clear();
  let checker: TS.TypeChecker;
  try {
    checker = program.getTypeChecker();
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    return requests.map(() => "overflow");
  }
  const natures = requests.map((r): Inferred => {
    try {
      const sig = checker.getSignatureFromDeclaration(r.fn as TS.SignatureDeclaration);
      return sig ? promiseNature(ts, checker, checker.getReturnTypeOfSignature(sig)) : "unknown";
    } catch (e) {
      if (!isStackOverflow(e)) throw e;
      return "overflow";
    }
  });
  // MWC_TIMING=1: what the checker cost (the benchmarks report it).
  if (started !== null) {
    const wall = Number(process.hrtime.bigint() - started.wall) / 1e6;
    const cpu = process.cpuUsage(started.cpu);
    const own = program.getSourceFiles().filter((sf) => !sf.fileName.startsWith(LIB_DIR)).length;
    process.stderr.write(`checker: ${requests.length} functions, ${own} files in the program, ${wall.toFixed(0)} ms wall, ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms cpu, peak memory so far ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB\n`);
  }
  return natures;
}

const EXTENSIONS = [".d.mts", ".d.cts", ".d.ts", ".mts", ".cts", ".tsx", ".ts", ".mjs", ".cjs", ".jsx", ".js", ".json"];

/** The extension as TypeScript names it (`.d.ts` counts as one). */
function extensionOf(file: string): TS.Extension {
  return (EXTENSIONS.find((e) => file.endsWith(e)) ?? ".ts") as TS.Extension;
}

let domGlobals: Set<string> | null = null;

/** DOM globals that are everyday identifiers and never lead to a promise. */
const GENERIC = new Set(["name", "length", "status", "parent", "closed", "top", "self", "origin", "event", "external", "frames", "opener", "print", "stop", "close", "open", "focus", "blur", "scroll", "scrollBy", "scrollTo", "moveBy", "moveTo", "resizeBy", "resizeTo", "toolbar", "menubar", "statusbar", "locationbar", "personalbar", "scrollbars", "screen", "orientation", "frameElement",
  // Everyday globals (Node has them too) whose values are never thenables.
  "console", "setTimeout", "setInterval", "clearTimeout", "clearInterval", "queueMicrotask", "structuredClone", "atob", "btoa", "URL", "URLSearchParams", "TextEncoder", "TextDecoder", "AbortController", "AbortSignal", "performance"]);

/** Words the declaration pattern above can pick up from lib.dom.d.ts's text that are no names. */
const KEYWORDS = new Set(["extends", "keyof", "typeof", "infer", "in", "of", "is", "as", "new", "readonly", "unique", "declare", "function", "var", "let", "const", "type", "interface", "class", "enum", "import", "export", "default", "this", "void", "null", "undefined", "true", "false", "any", "unknown", "never", "object", "string", "number", "boolean", "symbol", "bigint"]);

/**
 * Whether the text names a global that only lib.dom.d.ts declares (a cheap, conservative
 * test on the text, linear in its length; names the file imports and member names do not count).
 */
export function namesDomGlobal(text: string): boolean {
  if (!domGlobals) {
    // Declarations start a statement (the lib files are minified, their doc comments kept).
    const declared = (t: string) => new Set([...t.matchAll(/(?:^|[;}\n])\s*(?:declare\s+(?:var|function|const|let|type)|interface|type)\s+([A-Za-z_$][\w$]*)/g)].map((m) => m[1]));
    const libs = libFiles();
    const dom = declared(libs.find((l) => l.fileName === "lib.dom.d.ts")?.text ?? "");
    for (const l of libs) if (/^lib\.es(5|20(1\d|2[0-2]))[.\w]*\.d\.ts$/.test(l.fileName)) for (const n of declared(l.text)) dom.delete(n);
    domGlobals = new Set([...dom].filter((n) => !GENERIC.has(n) && !KEYWORDS.has(n) && !/^on[a-z]/.test(n)));
  }
  let imported: Set<string> | null = null;
  for (const m of text.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) {
    if (!domGlobals.has(m[0])) continue;
    imported ??= importedNames(text);
    if (!imported.has(m[0])) return true;
  }
  return false;
}

function importedNames(text: string): Set<string> {
  const out = new Set<string>();
  // Imports, and re-exports (`export type { Response } from "…"` names no global either).
  for (const m of text.matchAll(/\b(?:import|export)\s+(?:type\s+)?([\w$\s{},*]+?)\s*from\s*["']/g)) for (const id of m[1].match(/[\w$]+/g) ?? []) out.add(id);
  return out;
}

/**
 * Async when every member of the type is a thenable (has a callable `then`: what `await` waits for,
 * so also an interface extending `Promise` or an intersection with one); a union of thenables
 * and plain values (`Promise<void> | void`) may be either: unknown.
 */
function promiseNature(ts: Ts, checker: TS.TypeChecker, type: TS.Type): Nature {
  const parts = (type.isUnion() ? type.types : [type]).filter((t) => !(t.flags & ts.TypeFlags.Never));
  const thenable = parts.map((t) => {
    if (t.flags & ts.TypeFlags.Any) return false;
    const then = checker.getPropertyOfType(checker.getApparentType(t), "then");
    return !!then && checker.getNonNullableType(checker.getTypeOfSymbol(then)).getCallSignatures().length > 0;
  });
  if (thenable.length && thenable.every(Boolean)) return "async";
  return thenable.some(Boolean) ? "unknown" : "sync";
}

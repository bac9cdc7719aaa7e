// Parsing one file with the TypeScript parser only (no program, no checker).
// TypeScript is loaded on first use, so a tree without middleware never loads it. It is
// ts-morph's bundled copy, required directly (CommonJS, through `createRequire`); the checker
// takes its lib files from ts-morph's in-memory copy, never from disk.
import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import vm from "node:vm";
import type { ts as TS } from "ts-morph";
import type { FileError, SourceFile } from "../../model.ts";

export type Ts = typeof TS;
let tsModule: Ts | null = null;
let morphRequire: NodeRequire | null = null;

/** `require` as seen from ts-morph's own folder, so that its dependencies are found wherever npm put them. */
function fromMorph(): NodeRequire {
  const here = createRequire(import.meta.url);
  morphRequire ??= createRequire(here.resolve("ts-morph"));
  return morphRequire;
}

export async function loadTs(): Promise<Ts> {
  if (!tsModule) {
    const common = fromMorph().resolve("@ts-morph/common");
    // ts-morph's TypeScript is `@ts-morph/common/dist/typescript.js`; compiled with a cache when it is there.
    const bundled = path.join(path.dirname(common), "typescript.js");
    tsModule = (statSafe(bundled) ? loadWithCodeCache(bundled) : (createRequire(common)(common) as { ts: Ts }).ts) as Ts;
  }
  return tsModule;
}

const statSafe = (p: string) => {
  try {
    return statSync(p);
  } catch {
    return null;
  }
};

// V8's code cache for TypeScript's 9 MB bundle: compiling it is ~0.15 s of every run. Node 20
// has no `module.enableCompileCache`, so the module is compiled here with `vm.Script` and its
// cached data (kept in the system's temp folder, keyed by V8 version and file), then put in
// require's cache so that @ts-morph/common, when the checker asks it for the lib files,
// shares the same instance.
let pendingCache: { script: vm.Script; file: string } | null = null;

function loadWithCodeCache(filename: string): unknown {
  type ModuleInternals = typeof Module & { _cache: Record<string, Module>; _nodeModulePaths(dir: string): string[]; wrap(code: string): string };
  const M = Module as ModuleInternals;
  const req = createRequire(filename);
  if (M._cache[filename] || process.env.MWC_NO_CODE_CACHE) return req(filename);
  const st = statSync(filename);
  const key = createHash("sha1").update(`${process.versions.v8}\0${process.arch}\0${filename}\0${st.size}\0${st.mtimeMs}`).digest("hex").slice(0, 20);
  const file = path.join(os.tmpdir(), "middleware-codemod-v8-cache", `typescript-${key}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(file);
  } catch {
    // first run
  }
  let script: vm.Script;
  try {
    script = new vm.Script(M.wrap(readFileSync(filename, "utf8")), { filename, cachedData });
  } catch {
    return req(filename);
  }
  const dirname = path.dirname(filename);
  const m = new Module(filename);
  m.filename = filename;
  m.paths = M._nodeModulePaths(dirname);
  M._cache[filename] = m;
  try {
    (script.runInThisContext() as (...a: unknown[]) => void).call(m.exports, m.exports, req, m, filename, dirname);
  } catch (e) {
    delete M._cache[filename];
    throw e;
  }
  m.loaded = true;
  if (!cachedData || script.cachedDataRejected) pendingCache = { script, file };
  return m.exports;
}

/** Writes the code cache once, after a run (so that it covers the functions the run compiled). */
export function saveCodeCache(): void {
  if (!pendingCache) return;
  const { script, file } = pendingCache;
  pendingCache = null;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    writeFileSync(tmp, script.createCachedData());
    renameSync(tmp, file); // atomic: concurrent runs never read a half-written cache
  } catch {
    // a read-only temp folder only costs the next run the compile time
  }
}

/** ts-morph's in-memory lib files (name and text). */
export function libFiles(): { fileName: string; text: string }[] {
  return (fromMorph()("@ts-morph/common") as { getLibFiles(): { fileName: string; text: string }[] }).getLibFiles();
}

export const isDeclarationFile = (file: string) => /\.d\.[cm]?ts$/.test(file);
/** Files where a missing annotation is inferred by the checker (JS falls back to a body heuristic). */
export const isTypeScript = (file: string) => /\.[cm]?tsx?$/.test(file);

function scriptKind(ts: Ts, file: string): TS.ScriptKind {
  if (file.endsWith(".tsx")) return ts.ScriptKind.TSX;
  if (/\.[cm]?ts$/.test(file)) return ts.ScriptKind.TS;
  return ts.ScriptKind.JSX; // .js/.jsx/.mjs/.cjs: JSX is allowed in .js in most React codebases
}

export interface Parsed {
  sf: TS.SourceFile;
  error: FileError | null;
}

/** A stack overflow (deeply nested code) rather than a bug: reported per file. */
export const isStackOverflow = (e: unknown): e is RangeError => e instanceof RangeError && /call stack/i.test(e.message);

/** Thrown instead of a per-file error when the run can start over on a thread with a larger stack. */
export class NeedsLargerStack extends Error {}

export const overflowPolicy = { bail: false };

/** The per-file error for a stack overflow, or NeedsLargerStack when the run will be retried. */
export function overflowError(file: SourceFile, doing: string): FileError {
  if (overflowPolicy.bail) throw new NeedsLargerStack(`${file.file}: nesting too deep ${doing}`);
  return tooDeep(file, doing);
}

export function parse(ts: Ts, file: SourceFile): Parsed {
  let sf: TS.SourceFile;
  try {
    sf = ts.createSourceFile(
      file.absPath,
      file.text,
      // JSDoc is read for JS files only (their `@returns`); TS files skip it, as tsc does.
      { languageVersion: ts.ScriptTarget.Latest, jsDocParsingMode: ts.JSDocParsingMode.ParseForTypeErrors },
      true,
      scriptKind(ts, file.file),
    );
  } catch (e) {
    if (!isStackOverflow(e)) throw e;
    const empty = ts.createSourceFile(file.absPath, "", ts.ScriptTarget.Latest, true, scriptKind(ts, file.file));
    return { sf: empty, error: overflowError(file, "to parse") };
  }
  // Syntactic errors only: the parser's own diagnostics (not a program's semantic ones).
  const diags = (sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (!diags.length) return { sf, error: null };
  const d = diags[0];
  const { line, column } = position(sf, d.start);
  return { sf, error: { file: file.file, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), line, column } };
}

/** The error for a file whose nesting exhausted the stack; the line of the deepest `(`/`[`/`{` run when one stands out. */
export function tooDeep(file: SourceFile, doing: string): FileError {
  const m = /[([{]{200,}/.exec(file.text);
  const err: FileError = { file: file.file, message: `nesting too deep ${doing} (stack overflow)` };
  if (m) {
    const before = file.text.slice(0, m.index);
    const lines = before.split(/\r\n|\r|\n/);
    err.line = lines.length;
    err.column = lines[lines.length - 1].length + 1 - (lines.length === 1 && before.charCodeAt(0) === 0xfeff ? 1 : 0);
  }
  return err;
}

/** 1-based line and column; a BOM does not count as a column. */
export function position(sf: TS.SourceFile, pos: number): { line: number; column: number } {
  const lc = sf.getLineAndCharacterOfPosition(pos);
  const bom = lc.line === 0 && sf.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { line: lc.line + 1, column: lc.character + 1 - bom };
}

// Parsing one file with the TypeScript parser only (no program, no checker).
// TypeScript is loaded on first use, so a tree without middleware never loads it.
import type { ts as TS } from "ts-morph";
import type { FileError, SourceFile } from "../../model.ts";

export type Ts = typeof TS;
let tsModule: Ts | null = null;

export async function loadTs(): Promise<Ts> {
  tsModule ??= (await import("ts-morph")).ts;
  return tsModule;
}

/** The already loaded module; callers run after `loadTs`. */
export function tsApi(): Ts {
  if (!tsModule) throw new Error("TypeScript is not loaded yet");
  return tsModule;
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

export function parse(ts: Ts, file: SourceFile): Parsed {
  const sf = ts.createSourceFile(file.absPath, file.text, ts.ScriptTarget.Latest, true, scriptKind(ts, file.file));
  // Syntactic errors only: the parser's own diagnostics (not a program's semantic ones).
  const diags = (sf as unknown as { parseDiagnostics?: TS.DiagnosticWithLocation[] }).parseDiagnostics ?? [];
  if (!diags.length) return { sf, error: null };
  const d = diags[0];
  const { line, column } = position(sf, d.start);
  return { sf, error: { file: file.file, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), line, column } };
}

/** 1-based line and column; a BOM does not count as a column. */
export function position(sf: TS.SourceFile, pos: number): { line: number; column: number } {
  const lc = sf.getLineAndCharacterOfPosition(pos);
  const bom = lc.line === 0 && sf.text.charCodeAt(0) === 0xfeff ? 1 : 0;
  return { line: lc.line + 1, column: lc.character + 1 - bom };
}

// What a language front end is: the files it reads, the names and literal spelling of its
// declarations, and `read`, which turns source files into class-graph nodes. Types only: the
// registry (index.ts) lists the front ends; api.ts runs them.
import type { FrontEndResult, HookKind, Language, NameSet, Profile, SourceFile, UpstreamClasses } from "../model.ts";

/** Everything a front end is handed besides the files of its language. */
export interface FrontEndContext {
  cwd: string;
  /** The paths given to scan, as given (relative to `cwd`, or absolute). */
  paths: string[];
  /** TS/JS: the names a `--config` profile may change. */
  profile: Profile;
  /** Absolute project roots of the scanned paths: their other files may be read, never edited. */
  projectRoots(): string[];
  /** Python: Django's built-in classes for the target. */
  upstream: UpstreamClasses | null;
  /** Python: the site-packages folder given on the command line. */
  sitePackages?: string;
  /** A file outside the scan, read like a scanned one (encodings included): null when it cannot be read as text. */
  readFile(absPath: string): SourceFile | null;
  /** Python: files whose syntax tree a later step reads again (kept, not parsed twice). */
  keepSyntax?(file: SourceFile): boolean;
}

/** The names of one language's declarations, hooks and dispatch methods. */
export interface LanguageNames extends NameSet {
  hooks: Record<HookKind, string>;
}

export interface FrontEnd {
  /** Shown in progress lines ("reading 12 Python files"). */
  label: string;
  /** The languages of the nodes it produces. */
  languages: readonly Language[];
  /** File name endings it reads (with the dot). */
  extensions: readonly string[];
  /** Its names; TS/JS takes them from the profile (`--config`). */
  names(profile: Profile): LanguageNames;
  /** How the language spells a boolean literal. */
  literal(value: boolean): string;
  /** The suppression comment on a class line (capture 1: the names in brackets), in the language's comment syntax. */
  ignoreComment: RegExp;
  /** Loads the parser (only now: runs without files of the language never pay for it) and reads the files. */
  read(files: SourceFile[], context: FrontEndContext): Promise<FrontEndResult>;
}

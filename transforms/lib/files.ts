// Find and read the source files: git-ignore rules (nested ones too), no node_modules,
// .git or virtualenvs, each real file once however many paths reach it.
//
// Cost. This is the floor of a run (list every folder once, read every file once), so it is
// synchronous: for thousands of small files, readdirSync/readFileSync are several times
// faster than the promise API, whose every call is a round trip through the thread pool.
//
// Symbolic links inside the scanned folders are not followed (git stores them as links): a
// target inside the scanned folders is scanned in place, under its own name, and one outside
// them is not ours to edit. Loops and dangling links therefore cost nothing. A path given on
// the command line may itself be a link; it is followed.
//
// Robustness. Every problem with one file or folder becomes a FileError naming it; nothing
// here throws for a file's sake. Test hook: MIDDLEWARE_CODEMOD_TEST_HOOK names an ES module
// whose optional exports `afterList(absPaths)` and `afterRead(files)` are awaited once the
// files are listed and once they are read (the tests use it to remove or change files while a
// run is under way). Unset, it costs one environment lookup.
import { isAscii, isUtf8 } from "node:buffer";
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync, type Dirent } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import ignore, { type Ignore } from "ignore";
import { codecFor, codingDeclaration, codingMessage } from "./encoding.ts";
import type { FileError, SourceFile } from "./model.ts";
import { relativeName } from "./paths.ts";

export { relativeName };

const NEVER_ENTER = new Set(["node_modules", ".git", ".hg", ".svn", "__pycache__"]);

export interface FoundFiles {
  files: SourceFile[];
  errors: FileError[];
}

export interface FindOptions {
  cwd: string;
  paths: string[];
  /** File name endings to list (with the dot): those of the front ends. */
  extensions: readonly string[];
  onProgress?: (found: number) => void;
}

/** A test of a file name against the endings (one regular expression: the walk asks it of every file). */
export function sourceNameTest(extensions: readonly string[]): (name: string) => boolean {
  const re = new RegExp(`(?:${extensions.map((e) => e.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})$`);
  return (name) => re.test(name);
}

interface IgnoreLayer {
  dir: string;
  rules: Ignore;
}

function gitTop(dir: string): string | null {
  for (let d = dir; ; d = path.dirname(d)) {
    if (existsSync(path.join(d, ".git"))) return d;
    if (path.dirname(d) === d) return null;
  }
}

/** A folder's .gitignore; an unreadable one is reported and ignored (scanning more is the safe side). */
function loadIgnore(dir: string, cwd: string, errors: FileError[], file = path.join(dir, ".gitignore")): IgnoreLayer | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== "ENOENT" && code !== "EISDIR" && code !== "ENOTDIR") errors.push({ file: relativeName(cwd, file), message: `cannot read ignore rules: ${describe(e)}` });
    return null;
  }
  try {
    return { dir, rules: ignore().add(text) };
  } catch (e) {
    errors.push({ file: relativeName(cwd, file), message: `ignore rules not understood: ${describe(e)}` });
    return null;
  }
}

/**
 * Whether a folder's entry is ignored. `under`: the folder's path below each layer's folder
 * ("/"-separated, "" for the layer's own folder), as `relativeDirs` gives it: every layer lies at
 * or above the folder, so an entry's path is that and its name.
 */
function ignored(layers: IgnoreLayer[], under: string[], name: string, isDir: boolean): boolean {
  for (let i = 0; i < layers.length; i++) {
    const layer = layers[i];
    const rel = under[i] ? `${under[i]}/${name}` : name;
    if (!rel || rel.startsWith("..")) continue;
    try {
      if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
    } catch {
      // a path the ignore library refuses (it should not happen for relative paths): not ignored
    }
  }
  return false;
}

/** Each layer's path down to `dir` (an ancestor's or the same folder), "/"-separated. */
function relativeDirs(layers: IgnoreLayer[], dir: string): string[] {
  return layers.map((l) => path.relative(l.dir, dir).split(path.sep).join("/"));
}

/** `path.join(dir, name)` for a normalized folder and an entry name (which holds no separator). */
function joinName(dir: string, name: string): string {
  return dir.endsWith(path.sep) ? dir + name : dir + path.sep + name;
}

/** The ignore rules that apply above a scan root: .git/info/exclude, then each .gitignore from the work tree's top down. */
function outerLayers(root: string, cwd: string, errors: FileError[]): IgnoreLayer[] {
  const top = gitTop(root);
  if (!top) return [];
  const layers: IgnoreLayer[] = [];
  const exclude = loadIgnore(top, cwd, [], path.join(top, ".git", "info", "exclude"));
  if (exclude) layers.push(exclude);
  const chain: string[] = [];
  for (let d = path.dirname(root); d === top || d.startsWith(top + path.sep); d = path.dirname(d)) {
    chain.unshift(d);
    if (d === top) break;
  }
  for (const d of chain) {
    const l = loadIgnore(d, cwd, errors);
    if (l) layers.push(l);
  }
  return layers;
}

function isVirtualenv(dir: string, names: Set<string>): boolean {
  return names.has("pyvenv.cfg") || (names.has("bin") && names.has("lib") && existsSync(path.join(dir, "bin", "activate")));
}

const describe = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case "EACCES":
    case "EPERM":
      return "permission denied";
    case "ELOOP":
      return "symbolic link loop";
    case "ENAMETOOLONG":
      return "path too long";
    case "EISDIR":
      return "is a folder";
    case "EMFILE":
    case "ENFILE":
      return "too many open files";
    default:
      return err.code ? `${err.code}: ${err.message.replace(/^[A-Z]+: /, "").replace(/, \w+ '.*'$/, "")}` : String(err.message ?? e);
  }
};

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** List the source files under the given paths (files or folders). */
/** `skipped`: source files looked at but not listed for reading (reported in `errors`). */
export async function findFiles(options: FindOptions): Promise<{ paths: string[]; errors: FileError[]; skipped: number }> {
  const { cwd } = options;
  const isSource = sourceNameTest(options.extensions);
  const found: string[] = [];
  const errors: FileError[] = [];
  let skipped = 0;
  // Real paths of the folders and files taken, so that overlapping paths scan each file once.
  const seenDirs = new Set<string>();
  const seenFiles = new Set<string>();
  const report = (abs: string, message: string) => errors.push({ file: relativeName(cwd, abs), message });
  // With one folder to scan and no links followed, no file can be reached twice.
  const dedupe = options.paths.length > 1;
  const take = (abs: string, real: string) => {
    if (dedupe) {
      if (seenFiles.has(real)) return;
      seenFiles.add(real);
    }
    found.push(abs);
    if (found.length % 500 === 0) options.onProgress?.(found.length);
  };

  for (const p of options.paths) {
    const abs = path.resolve(cwd, p);
    let realRoot: string;
    let isFile: boolean;
    try {
      realRoot = realpathSync(abs);
      const s = statSync(realRoot);
      isFile = s.isFile();
      if (!isFile && !s.isDirectory()) {
        report(abs, "not a file or folder");
        continue;
      }
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      report(abs, code === "ENOENT" ? "no such file or folder" : `cannot read: ${describe(e)}`);
      continue;
    }
    if (isFile) {
      // A link given as a file is read, and written, at its target (a rename onto the link
      // would replace it with a file); a target outside the given paths is then not written.
      take(abs === realRoot || !isLink(abs) ? abs : realRoot, realRoot);
      continue;
    }

    // `dir` is the walked path (under `abs`), `real` the same folder's real path: no symbolic
    // links are followed below the root, so it is `realRoot` joined with the same relative part.
    const walk = (dir: string, real: string, layers: IgnoreLayer[], isRoot: boolean): void => {
      if (seenDirs.has(real)) return;
      seenDirs.add(real);
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch (e) {
        report(dir, `cannot read folder: ${describe(e)}`);
        return;
      }
      let gitignore = false;
      let venv = false;
      for (const e of entries) {
        if (e.name === ".gitignore") gitignore = true;
        else if (e.name === "pyvenv.cfg" || (e.name === "bin" && e.isDirectory())) venv = true;
      }
      if (!isRoot && venv && isVirtualenv(dir, new Set(entries.map((e) => e.name)))) return;
      const own = gitignore ? loadIgnore(dir, cwd, errors) : null;
      const here = own ? [...layers, own] : layers;
      const under = here.length ? relativeDirs(here, dir) : [];
      const subdirs: Dirent[] = [];
      // Folder order does not matter: the files are sorted once read.
      for (const entry of entries) {
        if (entry.isDirectory()) {
          if (!NEVER_ENTER.has(entry.name)) subdirs.push(entry);
          continue;
        }
        // Regular files only: links are not followed, and FIFOs, sockets and devices named
        // like source files would block or make no sense as text.
        if (!isSource(entry.name) || entry.isSymbolicLink()) continue;
        if (here.length && ignored(here, under, entry.name, false)) continue;
        const child = joinName(dir, entry.name);
        if (!entry.isFile()) {
          report(child, "not a regular file (a pipe, socket or device); not read");
          skipped++;
          continue;
        }
        if (entry.name.includes("\uFFFD")) {
          report(child, "file name is not valid UTF-8; not read");
          skipped++;
          continue;
        }
        take(child, dedupe ? joinName(real, entry.name) : child);
      }
      for (const entry of subdirs) {
        if (here.length && ignored(here, under, entry.name, true)) continue;
        const child = joinName(dir, entry.name);
        if (entry.name.includes("\uFFFD")) {
          report(child, "folder name is not valid UTF-8; not scanned");
          continue;
        }
        walk(child, joinName(real, entry.name), here, false);
      }
    };
    walk(abs, realRoot, outerLayers(abs, cwd, errors), true);
  }
  await testHook("afterList", found);
  return { paths: found, errors, skipped };
}

/** Read one file as text; binary and non-UTF-8 files are errors, never guessed at. */
export function readSourceFile(cwd: string, absPath: string): SourceFile | FileError {
  const file = relativeName(cwd, absPath);
  let bytes: Buffer;
  try {
    bytes = readFileSync(absPath);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === "ENOENT" || err.code === "ENOTDIR") return { file, message: "file disappeared during the run" };
    if (err.code === "ERR_FS_FILE_TOO_LARGE" || err instanceof RangeError) return { file, message: "file too large to read" };
    return { file, message: `cannot read: ${describe(e)}` };
  }
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const mark = bytes[0] === 0xff ? "FF FE" : "FE FF";
    return { file, message: `UTF-16 text (byte-order mark ${mark}): only UTF-8 is read`, line: 1, column: 1 };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { file, message: `binary content (NUL byte at offset ${nul})`, ...lineCol(bytes, nul) };
  const ascii = isAscii(bytes);
  // PEP 263: a Python file in a declared single-byte encoding is read in it (and written back in it).
  const declared = !ascii && absPath.endsWith(".py") ? codingDeclaration(bytes.subarray(0, 1024).toString("latin1")) : null;
  if (declared && !declared.utf8) {
    const codec = codecFor(declared.encoding);
    if (!codec) return { file, message: codingMessage(declared.encoding), line: declared.line, column: declared.column };
    const r = codec.decode(bytes);
    if ("bad" in r)
      return { file, message: `byte 0x${bytes[r.bad].toString(16).padStart(2, "0")} is not defined in its declared encoding '${declared.encoding}'`, ...lineCol(bytes, r.bad) };
    return { file, absPath, text: r.text, encoding: codec.name };
  }
  if (!ascii && !isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    return { file, message: `not valid UTF-8 (byte 0x${bytes[bad].toString(16).padStart(2, "0")} at offset ${bad})`, ...lineCol(bytes, bad) };
  }
  // Valid UTF-8 (ASCII: a plain copy), so decoding cannot fail; a byte-order mark stays in the text as U+FEFF, so that
  // offsets, and the bytes written back, include it.
  let text: string;
  try {
    text = ascii ? bytes.toString("latin1") : bytes.toString("utf8");
  } catch {
    return { file, message: "file too large to read" }; // longer than V8's maximum string length
  }
  // Read as UTF-8, yet declaring another encoding (behind a byte-order mark, which the byte
  // reading above does not look past): not edited.
  const undecoded = !ascii && !declared && absPath.endsWith(".py") ? codingDeclaration(text) : null;
  if (undecoded && !undecoded.utf8) return { file, line: undecoded.line, column: undecoded.column, message: codingMessage(undecoded.encoding) };
  return { file, absPath, text };
}

/** A file's new text as bytes, in the encoding it was read in. */
export function encodeSource(text: string, encoding?: string): Buffer {
  const codec = encoding ? codecFor(encoding) : null;
  return codec ? codec.encode(text) : Buffer.from(text, "utf8");
}

/** 1-based line and column (in bytes) of a byte offset; a line ends at LF, CRLF or a lone CR. */
function lineCol(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 10 || (b === 13 && bytes[i + 1] !== 10)) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: offset - start + 1 };
}

/** The offset of the first byte that is not part of a well-formed UTF-8 sequence (Unicode 15, table 3-7). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // above U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return bytes.length ? bytes.length - 1 : 0;
}

/** A file outside the scanned paths, read for what it declares: null when it cannot be read as text. */
export function readProjectFile(cwd: string, absPath: string): SourceFile | null {
  const r = readSourceFile(cwd, absPath);
  return "text" in r ? r : null;
}

/**
 * The project root of a scanned path: the nearest folder at or above it that holds a
 * package.json, a tsconfig.json or a .git entry (null without one). Files under it that
 * scanned files import are read, never edited.
 */
export function projectRoot(absPath: string): string | null {
  let d = absPath;
  try {
    if (!statSync(absPath).isDirectory()) d = path.dirname(absPath);
  } catch {
    return null;
  }
  for (;;) {
    if (PROJECT_MARKERS.some((m) => existsSync(path.join(d, m)))) return d;
    const up = path.dirname(d);
    if (up === d) return null;
    d = up;
  }
}

const PROJECT_MARKERS = ["package.json", "tsconfig.json", ".git"];

export async function readAll(cwd: string, absPaths: string[], onProgress?: (read: number) => void): Promise<FoundFiles> {
  const files: SourceFile[] = [];
  const errors: FileError[] = [];
  for (let i = 0; i < absPaths.length; i++) {
    const r = readSourceFile(cwd, absPaths[i]);
    if ("text" in r) files.push(r);
    else errors.push(r);
    if ((i + 1) % 500 === 0) onProgress?.(i + 1);
  }
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  await testHook("afterRead", files);
  return { files, errors };
}

/** See the header: a test-only module named by MIDDLEWARE_CODEMOD_TEST_HOOK. */
async function testHook(name: "afterList" | "afterRead", arg: unknown): Promise<void> {
  const hook = process.env.MIDDLEWARE_CODEMOD_TEST_HOOK;
  if (!hook) return;
  const mod = (await import(pathToFileURL(path.resolve(hook)).href)) as Record<string, ((arg: unknown) => unknown) | undefined>;
  await mod[name]?.(arg);
}

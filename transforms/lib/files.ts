// Find and read the source files: git-ignore rules (nested ones too), no node_modules,
// .git or virtualenvs, each real file once however many symlinks reach it.
import { existsSync, promises as fs, readFileSync } from "node:fs";
import path from "node:path";
import ignore, { type Ignore } from "ignore";
import type { FileError, SourceFile } from "./model.ts";

export const SOURCE_EXTENSIONS = [".ts", ".tsx", ".js", ".jsx", ".mjs", ".cjs", ".mts", ".cts", ".py"];
const NEVER_ENTER = new Set(["node_modules", ".git", ".hg", ".svn", "__pycache__"]);

export interface FoundFiles {
  files: SourceFile[];
  errors: FileError[];
}

export interface FindOptions {
  cwd: string;
  paths: string[];
  onProgress?: (found: number) => void;
}

export function relativeName(cwd: string, absPath: string): string {
  return path.relative(cwd, absPath).split(path.sep).join("/") || ".";
}

export function isSourceFile(name: string): boolean {
  return SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext));
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

function loadIgnore(dir: string): IgnoreLayer | null {
  let text: string;
  try {
    text = readFileSync(path.join(dir, ".gitignore"), "utf8");
  } catch {
    return null;
  }
  return { dir, rules: ignore().add(text) };
}

function ignored(layers: IgnoreLayer[], absPath: string, isDir: boolean): boolean {
  for (const layer of layers) {
    const rel = path.relative(layer.dir, absPath).split(path.sep).join("/");
    if (!rel || rel.startsWith("..")) continue;
    if (layer.rules.ignores(isDir ? `${rel}/` : rel)) return true;
  }
  return false;
}

/** The .gitignore files that apply above a scan root: from the work tree's top down to it. */
function outerLayers(root: string): IgnoreLayer[] {
  const top = gitTop(root);
  if (!top) return [];
  const layers: IgnoreLayer[] = [];
  const chain: string[] = [];
  for (let d = path.dirname(root); d.startsWith(top); d = path.dirname(d)) {
    chain.unshift(d);
    if (d === top) break;
  }
  for (const d of chain) {
    const l = loadIgnore(d);
    if (l) layers.push(l);
  }
  const exclude = path.join(top, ".git", "info", "exclude");
  if (existsSync(exclude)) layers.unshift({ dir: top, rules: ignore().add(readFileSync(exclude, "utf8")) });
  return layers;
}

function isVirtualenv(dir: string, names: Set<string>): boolean {
  return names.has("pyvenv.cfg") || (names.has("bin") && existsSync(path.join(dir, "bin", "activate")) && names.has("lib"));
}

/** List the source files under the given paths (files or folders). */
export async function findFiles(options: FindOptions): Promise<{ paths: string[]; errors: FileError[] }> {
  const found: string[] = [];
  const errors: FileError[] = [];
  const seenReal = new Set<string>();
  for (const p of options.paths) {
    const abs = path.resolve(options.cwd, p);
    const realRoot = await fs.realpath(abs);
    const stat = await fs.stat(realRoot);
    if (stat.isFile()) {
      if (!seenReal.has(realRoot)) {
        seenReal.add(realRoot);
        found.push(abs);
      }
      continue;
    }
    const walk = async (dir: string, layers: IgnoreLayer[]): Promise<void> => {
      let real: string;
      try {
        real = await fs.realpath(dir);
      } catch (e) {
        errors.push({ file: relativeName(options.cwd, dir), message: (e as Error).message });
        return;
      }
      // Symlinks out of the scanned folder and loops back into it are not followed.
      if (seenReal.has(real) || !(real === realRoot || real.startsWith(realRoot + path.sep))) return;
      seenReal.add(real);
      let entries;
      try {
        entries = await fs.readdir(dir, { withFileTypes: true });
      } catch (e) {
        errors.push({ file: relativeName(options.cwd, dir), message: `cannot read folder: ${(e as Error).message}` });
        return;
      }
      const names = new Set(entries.map((e) => e.name));
      if (dir !== abs && isVirtualenv(dir, names)) return;
      const own = names.has(".gitignore") ? loadIgnore(dir) : null;
      const here = own ? [...layers, own] : layers;
      const subdirs: string[] = [];
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const child = path.join(dir, entry.name);
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const s = await fs.stat(child);
            isDir = s.isDirectory();
            isFile = s.isFile();
          } catch {
            continue; // dangling link
          }
        }
        if (isDir) {
          if (NEVER_ENTER.has(entry.name) || ignored(here, child, true)) continue;
          subdirs.push(child);
        } else if (isFile && isSourceFile(entry.name) && !ignored(here, child, false)) {
          const realFile = entry.isSymbolicLink() ? await fs.realpath(child).catch(() => child) : child;
          if (entry.isSymbolicLink() && !(realFile.startsWith(realRoot + path.sep))) continue;
          if (seenReal.has(realFile)) continue;
          seenReal.add(realFile);
          found.push(child);
          if (found.length % 500 === 0) options.onProgress?.(found.length);
        }
      }
      for (const s of subdirs) await walk(s, here);
    };
    await walk(abs, outerLayers(abs));
  }
  return { paths: found, errors };
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** Read one file as text; binary and non-UTF-8 files are errors, never guessed at. */
export async function readSource(cwd: string, absPath: string): Promise<SourceFile | FileError> {
  const file = relativeName(cwd, absPath);
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(absPath);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { file, message: err.code === "ENOENT" ? "file disappeared during the run" : `cannot read: ${err.message}` };
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return { file, message: `binary content (NUL byte at offset ${nul})`, ...lineCol(bytes, nul) };
  try {
    return { file, absPath, text: decoder.decode(bytes) };
  } catch {
    const bad = firstInvalidUtf8(bytes);
    return { file, message: `not valid UTF-8 (byte 0x${bytes[bad].toString(16)} at offset ${bad})`, ...lineCol(bytes, bad) };
  }
}

function lineCol(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset; i++)
    if (bytes[i] === 10) {
      line++;
      start = i + 1;
    }
  return { line, column: offset - start + 1 };
}

function firstInvalidUtf8(bytes: Buffer): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i];
    const need = b < 0x80 ? 0 : b >= 0xc2 && b < 0xe0 ? 1 : b >= 0xe0 && b < 0xf0 ? 2 : b >= 0xf0 && b < 0xf5 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) if (i + k >= bytes.length || (bytes[i + k] & 0xc0) !== 0x80) return i;
    i += need + 1;
  }
  return 0;
}

export async function readAll(cwd: string, absPaths: string[], onProgress?: (read: number) => void): Promise<FoundFiles> {
  const files: SourceFile[] = [];
  const errors: FileError[] = [];
  let next = 0;
  let done = 0;
  // A few reads in flight keep the disk busy without holding every file open at once.
  const worker = async () => {
    while (next < absPaths.length) {
      const p = absPaths[next++];
      const r = await readSource(cwd, p);
      if ("text" in r) files.push(r);
      else errors.push(r);
      if (++done % 500 === 0) onProgress?.(done);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  files.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  return { files, errors };
}

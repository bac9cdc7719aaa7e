// The textual pre-filter: which Python files are worth parsing. A file is skipped only when no
// class in it can be middleware; files an import needs are parsed on demand anyway.
import path from "node:path";
import type { SourceFile } from "../../model.ts";
import { resolveRelative, type ModuleIndex } from "./modules.ts";

/** What a file that defines or marks middleware itself names (a mixin, a flag, a hook, a dispatch, get_response). */
const RELEVANT = /middleware|async_capable|sync_capable|process_(?:request|response|view|exception|template_response)|__acall__|async\s+def\s+__call__|get_response/i;
const CLASS_STATEMENT = /^[ \t]*class[ \t]+\w/m;
const IMPORTS = /^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t(\\]+([\w., \t\\\n]*)|import[ \t]+([\w., \t]+))/gm;

/**
 * The files worth parsing: those that name middleware themselves, and those with a class that
 * may inherit from them: a class statement and an import of a module that leads to one (a
 * project module that does, transitively, re-exports included; a project module outside the
 * scanned files, or, with installed packages to read, a module of a package: unknown, so
 * leading). Everything else has no class that can be middleware; files an import needs are
 * parsed on demand anyway.
 */
export function filesWorthParsing(files: SourceFile[], index: ModuleIndex, externalLeads: (mod: string) => boolean): Set<SourceFile> {
  const own = new Map<SourceFile, boolean>();
  // Imported modules; `from pkg import name` also names `pkg.name`, looked up among the project's files only.
  const imports = new Map<SourceFile, { mod: string; projectOnly: boolean }[]>();
  const byModule = new Map<string, SourceFile>();
  for (const f of files) {
    const mod = index.nameOf.get(f.absPath);
    if (mod) byModule.set(mod, f);
  }
  for (const f of files) {
    own.set(f, RELEVANT.test(f.text));
    const mod = index.nameOf.get(f.absPath) ?? "";
    const list: { mod: string; projectOnly: boolean }[] = [];
    for (const m of f.text.matchAll(IMPORTS)) {
      if (m[3]) {
        for (const part of m[3].split(",")) list.push({ mod: part.trim().split(/[ \t]/)[0], projectOnly: false });
        continue;
      }
      const level = /^\.*/.exec(m[1])![0].length;
      const base = level ? resolveRelative(mod, path.basename(f.absPath) === "__init__.py", level, m[1].slice(level)) : m[1];
      if (!base) continue;
      list.push({ mod: base, projectOnly: false });
      for (const name of m[2].split(/[,\s\\()]+/)) if (/^[A-Za-z_]\w*$/.test(name) && name !== "as") list.push({ mod: `${base}.${name}`, projectOnly: true });
    }
    imports.set(f, list.filter((i) => i.mod));
  }
  // Leading files, to a fixed point (import cycles included).
  const leading = new Set(files.filter((f) => own.get(f)));
  const outside = new Map<string, boolean>();
  const leadsTo = ({ mod, projectOnly }: { mod: string; projectOnly: boolean }): boolean => {
    const f = index.byName.get(mod) ?? byModule.get(mod);
    if (f) return leading.has(f);
    if (projectOnly) return false;
    let r = outside.get(mod);
    if (r === undefined) {
      const top = mod.split(".")[0];
      r = !STDLIB.has(top) && top !== "django" && (index.onDisk(mod) !== null || externalLeads(mod));
      outside.set(mod, r);
    }
    return r;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [f, list] of imports)
      if (!leading.has(f) && list.some(leadsTo)) {
        leading.add(f);
        changed = true;
      }
  }
  // A file that only re-exports (a package's __init__) leads without being worth parsing itself.
  return new Set([...leading].filter((f) => own.get(f) || CLASS_STATEMENT.test(f.text)));
}
export const BUILTINS = new Set(["object", "Exception", "BaseException", "type", "dict", "list", "tuple", "set", "str", "int", "ValueError", "RuntimeError", "TypeError"]);
// Standard-library bases (ABC, Generic, unittest.TestCase, …) are not middleware: never
// "unresolved". Python 3.11's sys.stdlib_module_names (public ones), and two packages that are
// nearly standard to Django code.
export const STDLIB = new Set(
  (
    "abc aifc argparse array ast asynchat asyncio asyncore atexit audioop base64 bdb binascii bisect builtins bz2 cProfile " +
    "calendar cgi cgitb chunk cmath cmd code codecs codeop collections colorsys compileall concurrent configparser contextlib " +
    "contextvars copy copyreg crypt csv ctypes curses dataclasses datetime dbm decimal difflib dis distutils doctest email " +
    "encodings ensurepip enum errno faulthandler fcntl filecmp fileinput fnmatch fractions ftplib functools gc genericpath " +
    "getopt getpass gettext glob graphlib grp gzip hashlib heapq hmac html http idlelib imaplib imghdr imp importlib inspect io " +
    "ipaddress itertools json keyword lib2to3 linecache locale logging lzma mailbox mailcap marshal math mimetypes mmap " +
    "modulefinder msilib msvcrt multiprocessing netrc nis nntplib nt ntpath nturl2path numbers opcode operator optparse os " +
    "ossaudiodev pathlib pdb pickle pickletools pipes pkgutil platform plistlib poplib posix posixpath pprint profile pstats " +
    "pty pwd py_compile pyclbr pydoc pydoc_data pyexpat queue quopri random re readline reprlib resource rlcompleter runpy " +
    "sched secrets select selectors shelve shlex shutil signal site smtpd smtplib sndhdr socket socketserver spwd sqlite3 " +
    "sre_compile sre_constants sre_parse ssl stat statistics string stringprep struct subprocess sunau symtable sys sysconfig " +
    "syslog tabnanny tarfile telnetlib tempfile termios textwrap threading time timeit tkinter token tokenize tomllib trace " +
    "traceback tracemalloc tty turtle turtledemo types typing unicodedata unittest urllib uu uuid venv warnings wave weakref " +
    "webbrowser winreg winsound wsgiref xdrlib xml xmlrpc zipapp zipfile zipimport zlib zoneinfo typing_extensions asgiref"
  ).split(" "),
);


// Modules read on demand, each parsed once: scanned files, the project's modules outside the
// scan, installed packages (through the context's reader); Django modules not in the scan are
// answered by the version table instead.
import path from "node:path";
import type { SourceFile } from "../../model.ts";
import { readModule, type ModuleFacts, type PyClass } from "./classes.ts";
import { parseable } from "./parser.ts";
import type { PythonState } from "./state.ts";
import { checkPythonSyntax } from "./syntax.ts";

export function parseFile(s: PythonState, f: SourceFile, module: string, editable: boolean): ModuleFacts | null {
  const cached = s.parsed.get(f.absPath);
  if (cached !== undefined) return cached;
  let facts: ModuleFacts | null = null;
  if (s.parser) {
    if (editable) s.parsedCount++;
    const tree = s.parser.parse(parseable(f.text))!;
    // What CPython refuses is an error, at CPython's place, and the file is never edited.
    const err = checkPythonSyntax(f.text, s.parser, tree.rootNode);
    if (err) {
      if (editable) s.errors.push({ file: f.file, message: err.message, line: err.line, column: err.column });
    } else {
      facts = readModule(f, module, path.basename(f.absPath) === "__init__.py", tree.rootNode);
      if (editable) s.parsedOrder.push(facts);
    }
    if (s.ctx.keepSyntax?.(f)) s.trees.set(f.absPath, tree);
    else tree.delete();
  }
  s.parsed.set(f.absPath, facts);
  return facts;
}

/** undefined: no such module; null: a module that could not be read. */
export function moduleFacts(s: PythonState, mod: string): ModuleFacts | null | undefined {
  const { index, site } = s;
  const f = index.byName.get(mod);
  if (f) return parseFile(s, f, index.nameOf.get(f.absPath) ?? mod, true);
  // A module of the project outside the scanned paths: read for resolution, never edited.
  const own = index.onDisk(mod);
  if (own) {
    let pf = s.projectFiles.get(own);
    if (pf === undefined) {
      pf = s.ctx.readFile(own);
      s.projectFiles.set(own, pf);
    }
    return pf ? parseFile(s, pf, mod, false) : null;
  }
  if (!site) return undefined;
  let sf = s.siteFiles.get(mod);
  if (sf === undefined) {
    const abs = site.file(mod);
    sf = null;
    if (abs) {
      // Read like a scanned file (PEP 263 encodings included); unreadable: stays null.
      sf = s.ctx.readFile(abs);
    }
    s.siteFiles.set(mod, sf);
  }
  if (!sf) return site.has(mod) ? null : undefined;
  return parseFile(s, sf, mod, false);
}

export const isDjango = (mod: string) => mod === "django" || mod.startsWith("django.");

/**
 * Scanned code wins over the version table: a scanned module named like one of Django's (Django's
 * own tree, a vendored copy) is read like any project module; the table stands in only for
 * Django modules that are not in the scan.
 */
export const fromTable = (s: PythonState, mod: string) => isDjango(mod) && !s.index.byName.has(mod);

export const moduleExists = (s: PythonState, mod: string) =>
  s.index.has(mod) || (isDjango(mod) ? s.djangoPaths.some((p) => p.startsWith(mod + ".")) : (s.site?.has(mod) ?? false));

/** A scanned module-level class at one of the mixin's paths is Django's mixin itself (Django's own tree scanned). */
export const isMixinClass = (s: PythonState, facts: ModuleFacts, cls: PyClass) => !cls.qualname.includes(".") && s.upstream.mixinPaths.includes(`${facts.module}.${cls.name}`);

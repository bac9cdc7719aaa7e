// The Python front end: Django-style middleware classes and factories as graph nodes.
// Names are resolved the way Python binds them (imports, aliases, `module.Attr`, package
// re-exports, `try/except ImportError` fallbacks), across the scanned project, Django's built-ins
// for the target version (from the version table, for Django modules not in the scan: scanned code
// wins) and installed packages (read-only).
import type { ChainProject, FrontEndResult, SourceFile } from "../../model.ts";
import { isDjango } from "./module-reader.ts";
import { ensureParser } from "./parser.ts";
import { filesWorthParsing, STDLIB } from "./prefilter.ts";
import { chainProject } from "./project.ts";
import { scan } from "./scan.ts";
import { createState, type PythonContext } from "./state.ts";

export type { PythonContext };

/**
 * The front end's parts share one state (state.ts): modules read on demand (module-reader.ts),
 * name resolution (names.ts), graph nodes (nodes.ts), the scan (scan.ts), and what the chain
 * analysis reads afterwards (project.ts).
 */
export async function readPython(files: SourceFile[], ctx: PythonContext): Promise<FrontEndResult & { project: ChainProject }> {
  const s = createState(files, ctx);
  const { site, index } = s;
  // Without installed packages to read, a package's class is unresolved: listed only when its subclass names middleware itself.
  const worth = filesWorthParsing(files, index, (mod) => site !== null && !STDLIB.has(mod.split(".")[0]) && !isDjango(mod) && site.has(mod));
  const candidates = files.filter((f) => worth.has(f));
  s.parser = candidates.length ? await ensureParser() : null;
  const classes = scan(s, candidates);
  const project = chainProject(s, new Set(classes.map((n) => n.id)));
  return { classes, errors: s.errors, parsedFiles: s.parsedCount, project };
}

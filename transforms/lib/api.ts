// The library API: find files → parse → class graph → decide → edits. The CLI and the
// jscodeshift transform are thin shells over `analyse`.
import path from "node:path";
import { decide, type DecideOptions } from "./decide.ts";
import { insertDeclaration } from "./edits/declaration.ts";
import { applyEdits, groupByFile } from "./edits/splice.ts";
import { findFiles, projectRoot, readAll } from "./files.ts";
import type { ClassGraph } from "./graph.ts";
import { DEFAULT_PROFILE, PYTHON_NAMES, type ClassNode, type Decision, type Edit, type FileError, type Profile, type SourceFile } from "./model.ts";
import type { Chain } from "./django/chain-model.ts";
// The front ends and the chain analysis are loaded only for trees that have their files.
import type { readPython } from "./frontends/python/index.ts";

export interface AnalyseOptions {
  cwd: string;
  /** Files or folders; default: the current directory. */
  paths?: string[];
  profile?: Profile;
  /** Python: Django version whose upstream flags apply, or "auto" to read the project's pins. */
  target?: string;
  sitePackages?: string;
  backport?: boolean;
  /** Called now and then on long runs, with a short status line. */
  onProgress?: (status: string) => void;
}

export interface Analysis {
  cwd: string;
  /** Every source file looked at: read, or reported as an error (binary, unreadable, bad name). */
  filesScanned: number;
  /** Every file read, by absolute path (the edit step needs the original text). */
  sources: Map<string, SourceFile>;
  graph: ClassGraph;
  decisions: Decision[];
  /** The edits this run proposes (declarations, and backport edits with --backport). */
  edits: Edit[];
  errors: FileError[];
  /** Python: the Django version used and where it was found. */
  target: { version: string; source: string } | null;
  chains: Chain[] | null;
  /** What `redecide` reuses: the options the decisions were made with, and the chain analysis's own edits. */
  basis: { profile: Profile; decide: DecideOptions; chainEdits: Edit[]; suppressed?: ReadonlySet<string> };
}

export async function analyse(options: AnalyseOptions): Promise<Analysis> {
  const cwd = path.resolve(options.cwd);
  const profile = options.profile ?? DEFAULT_PROFILE;
  const progress = options.onProgress ?? (() => {});
  const paths = options.paths?.length ? options.paths : ["."];
  const found = await findFiles({ cwd, paths, onProgress: (n) => progress(`${n} files found`) });
  const read = await readAll(cwd, found.paths, (n) => progress(`${n}/${found.paths.length} files read`));
  const errors: FileError[] = [...found.errors, ...read.errors];
  const sources = new Map(read.files.map((f) => [f.absPath, f]));

  const tsFiles = read.files.filter((f) => !f.file.endsWith(".py"));
  const pyFiles = read.files.filter((f) => f.file.endsWith(".py"));
  const classes: ClassNode[] = [];
  let target: Analysis["target"] = null;
  let python: Awaited<ReturnType<typeof readPython>> | null = null;

  // Each front end loads its parser (TypeScript, tree-sitter) only when a file needs parsing.
  if (tsFiles.length) {
    progress(`reading ${tsFiles.length} TS/JS files`);
    const scanned = paths.map((p) => path.resolve(cwd, p));
    const roots = [...new Set(scanned.map(projectRoot).filter((r): r is string => r !== null))];
    const { readTypeScript } = await import("./frontends/typescript/index.ts");
    const r = await readTypeScript(tsFiles, { cwd, profile, roots, paths: scanned });
    classes.push(...r.classes);
    errors.push(...r.errors);
  }
  if (pyFiles.length) {
    progress(`reading ${pyFiles.length} Python files`);
    const { readPython } = await import("./frontends/python/index.ts");
    python = await readPython(pyFiles, { cwd, djangoTarget: options.target ?? "auto", sitePackages: options.sitePackages, roots: options.paths });
    classes.push(...python.classes);
    errors.push(...python.errors);
    target = python.target;
  }

  progress("deciding");
  const tsNames = { ...profile.flags, mixin: profile.mixins[0]?.name ?? "MiddlewareMixin", ...profile.dispatch };
  const pyNames = { ...PYTHON_NAMES.flags, mixin: "MiddlewareMixin", call: "__call__", acall: "__acall__" };
  const decideOptions: DecideOptions = { djangoTarget: target?.version ?? null, names: { ts: tsNames, py: pyNames } };
  const { graph, decisions, overrides } = decide(classes, decideOptions);
  const edits = declarationEdits(decisions, profile);

  let chains: Chain[] | null = null;
  const chainEdits: Edit[] = [];
  if (python) {
    const { analyseChains } = await import("./django/chains.ts");
    const r = await analyseChains({ cwd, pyFiles, project: python.project, classes, overrides, target, backport: options.backport ?? false });
    chains = r.chains;
    chainEdits.push(...r.edits);
    errors.push(...r.errors);
  }

  errors.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0)));
  return {
    cwd,
    filesScanned: found.paths.length + found.skipped,
    sources,
    graph,
    decisions,
    edits: [...edits, ...chainEdits],
    errors,
    target,
    chains,
    basis: { profile, decide: decideOptions, chainEdits },
  };
}

/** One declaration edit per decision that sets a flag. */
function declarationEdits(decisions: readonly Decision[], profile: Profile): Edit[] {
  const edits: Edit[] = [];
  for (const d of decisions) {
    if (d.outcome === "set-async-capable-false" || d.outcome === "set-async-capable-true") {
      const name = d.node.language === "py" ? PYTHON_NAMES.flags.asyncCapable : profile.flags.asyncCapable;
      edits.push(insertDeclaration(d.node, name, d.outcome === "set-async-capable-true"));
    }
  }
  return edits;
}

/**
 * The analysis again with the given declarations declined (interactive review): only the
 * decide and edit steps run again, on the classes already read; no file is read or parsed.
 * `declined` replaces any earlier set (pass every class declined so far). The chain analysis
 * (`chains`, and its edits with --backport) is kept as it was: it describes the declarations
 * first proposed, and recomputing it would read files again.
 */
export function redecide(analysis: Analysis, declined: ReadonlySet<string>): Analysis {
  // Suppressed classes (comments, --exclude) stay declined whatever the caller declines.
  const all = analysis.basis.suppressed?.size ? new Set([...declined, ...analysis.basis.suppressed]) : declined;
  const { graph, decisions } = decide(analysis.graph.classes, { ...analysis.basis.decide, declined: all });
  return { ...analysis, graph, decisions, edits: [...declarationEdits(decisions, analysis.basis.profile), ...analysis.basis.chainEdits] };
}

/** The new text of each file that the given edits change (created files start empty). */
export function editedFiles(
  analysis: Analysis,
  edits: readonly Edit[] = analysis.edits,
): Map<string, { file: string; before: string | null; after: string; encoding?: string }> {
  const out = new Map<string, { file: string; before: string | null; after: string; encoding?: string }>();
  for (const [absPath, list] of groupByFile(edits)) {
    const before = list.some((e) => e.create) ? null : (analysis.sources.get(absPath)?.text ?? null);
    if (before === null && !list.some((e) => e.create)) throw new Error(`${list[0].file}: edited but never read`);
    // Written back in the encoding it was read in (PEP 263).
    const encoding = analysis.sources.get(absPath)?.encoding;
    out.set(absPath, { file: list[0].file, before, after: applyEdits(before ?? "", list), ...(encoding ? { encoding } : {}) });
  }
  return out;
}

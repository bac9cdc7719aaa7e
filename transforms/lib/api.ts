// The library API: find files → settle the Django target (when Python files are read) → parse,
// one front end per language (frontends/index.ts) → class graph → decide → edits → Django
// chains. The CLI and the jscodeshift transform are thin shells over `analyse`.
import path from "node:path";
import { decide, type DecideOptions } from "./decide.ts";
import { resolveDjangoTarget } from "./django/target.ts";
import { upstreamClasses } from "./django/upstream.ts";
import { insertDeclaration } from "./edits/declaration.ts";
import { applyEdits, groupByFile } from "./edits/splice.ts";
import { findFiles, projectRoot, readAll, readProjectFile } from "./files.ts";
import type { FrontEndContext } from "./frontends/front-end.ts";
import { FRONT_ENDS, frontEndFor, frontEndOf, namesByLanguage, SOURCE_EXTENSIONS } from "./frontends/index.ts";
import type { ClassGraph } from "./graph.ts";
import { DEFAULT_PROFILE, type ChainProject, type ClassNode, type Decision, type DjangoTarget, type Edit, type FileError, type Profile, type SourceFile } from "./model.ts";
import type { Chain } from "./django/chain-model.ts";

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
  target: DjangoTarget | null;
  chains: Chain[] | null;
  /** What `redecide` reuses: the options the decisions were made with, and the chain analysis's own edits. */
  basis: { decide: DecideOptions; chainEdits: Edit[]; suppressed?: ReadonlySet<string> };
}

export async function analyse(options: AnalyseOptions): Promise<Analysis> {
  const cwd = path.resolve(options.cwd);
  const profile = options.profile ?? DEFAULT_PROFILE;
  const progress = options.onProgress ?? (() => {});
  const paths = options.paths?.length ? options.paths : ["."];
  const found = await findFiles({ cwd, paths, extensions: SOURCE_EXTENSIONS, onProgress: (n) => progress(`${n} files found`) });
  const read = await readAll(cwd, found.paths, (n) => progress(`${n}/${found.paths.length} files read`));
  const errors: FileError[] = [...found.errors, ...read.errors];
  const sources = new Map(read.files.map((f) => [f.absPath, f]));

  const filesOf = new Map(FRONT_ENDS.map((f) => [f, [] as SourceFile[]]));
  for (const f of read.files) filesOf.get(frontEndFor(f.file)!)!.push(f);
  const pyFiles = filesOf.get(frontEndOf("py"))!;
  // Django's version is settled before any front end runs; it applies only where Python files are read.
  const target = pyFiles.length ? resolveDjangoTarget(cwd, options.target ?? "auto") : null;
  const settings = pyFiles.length ? await import("./django/settings.ts") : null;
  const context: FrontEndContext = {
    cwd,
    paths,
    profile,
    projectRoots: () => [...new Set(paths.map((p) => projectRoot(path.resolve(cwd, p))).filter((r): r is string => r !== null))],
    upstream: pyFiles.length ? upstreamClasses(target) : null,
    sitePackages: options.sitePackages,
    readFile: (absPath) => readProjectFile(cwd, absPath),
    keepSyntax: settings?.mayHoldSetting,
  };
  const classes: ClassNode[] = [];
  let project: ChainProject | null = null;
  for (const [frontEnd, files] of filesOf) {
    if (!files.length) continue;
    progress(`reading ${files.length} ${frontEnd.label} files`);
    const r = await frontEnd.read(files, context);
    classes.push(...r.classes);
    errors.push(...r.errors);
    if (r.project) project = r.project;
  }

  progress("deciding");
  const decideOptions: DecideOptions = { djangoTarget: target, names: namesByLanguage(profile) };
  const { graph, decisions, overrides } = decide(classes, decideOptions);
  const edits = declarationEdits(decisions, decideOptions.names);

  let chains: Chain[] | null = null;
  const chainEdits: Edit[] = [];
  if (project) {
    const { analyseChains } = await import("./django/chains.ts");
    const r = await analyseChains({ cwd, pyFiles, project, classes, overrides, target, backport: options.backport ?? false });
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
    basis: { decide: decideOptions, chainEdits },
  };
}

/** One declaration edit per decision that sets a flag. */
function declarationEdits(decisions: readonly Decision[], names: DecideOptions["names"]): Edit[] {
  const edits: Edit[] = [];
  for (const d of decisions) {
    if (d.outcome === "set-async-capable-false" || d.outcome === "set-async-capable-true") {
      edits.push(insertDeclaration(d.node, names[d.node.language].asyncCapable, d.outcome === "set-async-capable-true"));
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
  return { ...analysis, graph, decisions, edits: [...declarationEdits(decisions, analysis.basis.decide.names), ...analysis.basis.chainEdits] };
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

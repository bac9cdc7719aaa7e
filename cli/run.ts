// One run of the command line: options → checks → analyse → suppress → (review) → write →
// outputs. Returns the exit status: 0 nothing to change or all applied; 1 in a check
// (--dry-run, or --json/--format without --write) when edits are pending, and with --strict
// also when a needs-review item is left; 2 on a usage error or any file error; 130 when
// review is interrupted.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { analyse, editedFiles, type Analysis } from "../transforms/lib/api.ts";
import { frontEndFor, SOURCE_EXTENSIONS } from "../transforms/lib/frontends/index.ts";
import { DEFAULT_PROFILE, type Edit, type FileError, type Profile } from "../transforms/lib/model.ts";
import { colorsFor } from "./color.ts";
import { loadProfile } from "./config.ts";
import { errorLocation, plainError } from "./describe.ts";
import { FORMATS, type RunOutput } from "./formats/index.ts";
import { gitState } from "./git.ts";
import type { review as Review } from "./interactive.ts";
import { packageVersion, parseArgs, UsageError, type CliOptions } from "./options.ts";
import { codeList, explainText, lookupCode } from "./rule-docs.ts";
import { active, applySuppressions, restore } from "./suppress.ts";
import { progress } from "./progress.ts";
import { summary } from "./summary.ts";
import { verifyRun } from "./verify.ts";
import { writeAtomically } from "./write.ts";

const err = (line: string) => process.stderr.write(`middleware-codemod: ${line}\n`);

/** Checks that need no analysis: paths, folders, the terminal for -i. */
function validate(opts: CliOptions, cwd: string): Profile {
  if (opts.interactive && !(process.stdin.isTTY && process.stdout.isTTY))
    throw new UsageError("--interactive needs a terminal on stdin and stdout; use --dry-run to see the edits without one");
  for (const p of opts.paths) {
    const abs = path.resolve(cwd, p);
    if (!existsSync(abs)) throw new UsageError(`no such file or folder: ${p}`);
    if (statSync(abs).isFile() && !frontEndFor(abs)) throw new UsageError(`${p} is not a source file (${SOURCE_EXTENSIONS.join(" ")})`);
  }
  if (opts.sitePackages && !statSync(path.resolve(cwd, opts.sitePackages), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--site-packages ${opts.sitePackages}: not a folder`);
  if (opts.python && !opts.verify) throw new UsageError("--python is the interpreter of --verify; pass --verify too");
  if (opts.python?.includes("/") && !statSync(path.resolve(cwd, opts.python), { throwIfNoEntry: false })?.isFile())
    throw new UsageError(`--python ${opts.python}: no such file`);
  if (opts.report && !statSync(path.dirname(path.resolve(cwd, opts.report)), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--report ${opts.report}: its folder does not exist`);
  if (opts.report && statSync(path.resolve(cwd, opts.report), { throwIfNoEntry: false })?.isDirectory())
    throw new UsageError(`--report ${opts.report} is a folder; give the report a file name, such as ${path.posix.join(opts.report.replace(/\\/g, "/"), "MIDDLEWARE.md")}`);
  return opts.config ? loadProfile(opts.config, cwd) : DEFAULT_PROFILE;
}

/** Nothing outside the given paths is written, whatever an analysis step proposes. */
function insideRoots(cwd: string, paths: string[]): (absPath: string) => boolean {
  const roots = paths.map((p) => path.resolve(cwd, p));
  return (abs) => roots.some((r) => abs === r || abs.startsWith(r.endsWith(path.sep) ? r : r + path.sep));
}

/** Refuse to write over uncommitted work; warn when there is no git to undo with. */
function checkGit(opts: CliOptions, cwd: string): void {
  const state = gitState(cwd, opts.paths);
  if (state.dirty.length && !opts.allowDirty) {
    const shown = state.dirty.slice(0, 10).join(", ") + (state.dirty.length > 10 ? `, and ${state.dirty.length - 10} more` : "");
    throw new UsageError(`refusing to write: uncommitted changes in ${shown}; commit or stash them, or pass --allow-dirty`);
  }
  if (state.outside.length) err(`warning: ${state.outside.join(", ")} ${state.outside.length === 1 ? "is" : "are"} not in a git work tree; writing without a way to undo`);
}

/** `explain [CODE]`: a rule's docs, or the list of codes. */
function explain(code: string | null): number {
  if (code === null) {
    process.stdout.write(codeList());
    return 0;
  }
  const c = lookupCode(code);
  if (!c) {
    err(`explain: unknown rule code ${code}; known codes:\n${codeList().trimEnd()}`);
    return 2;
  }
  process.stdout.write(explainText(c));
  return 0;
}

export async function run(argv: string[], cwd = process.cwd()): Promise<number> {
  let opts: CliOptions;
  let profile: Profile;
  try {
    const parsed = await parseArgs(argv);
    if (!parsed) return 0; // --help or --version
    if ("explain" in parsed) return explain(parsed.explain);
    opts = parsed;
    profile = validate(opts, cwd);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    if (e.message) err(e.message);
    return 2;
  }

  const p = progress();
  let analysis: Analysis;
  try {
    analysis = await analyse({ cwd, paths: opts.paths, profile, target: opts.target, sitePackages: opts.sitePackages, backport: opts.backport, onProgress: p.update });
  } finally {
    p.done();
  }
  if (analysis.filesScanned === 0 && analysis.errors.length === 0) {
    err(`no source files found under ${opts.paths.join(", ")}`);
    return 2;
  }

  const suppression = applySuppressions(analysis, opts.exclude);
  analysis = suppression.analysis;
  const suppressed = suppression.suppressed;
  const errors: FileError[] = [...analysis.errors];
  const inside = insideRoots(cwd, opts.paths);
  const outside = analysis.edits.filter((e) => !inside(e.absPath));
  for (const e of outside) errors.push({ file: e.file, message: "an edit outside the given paths was proposed; not written" });
  let edits: Edit[] = analysis.edits.filter((e) => inside(e.absPath));

  const writes = !opts.dryRun;
  let reviewed: Awaited<ReturnType<typeof Review>> | null = null;
  // The prompt library is loaded only for -i: it costs every other run start-up time.
  const interactive = opts.interactive ? await import("./interactive.ts") : null;
  try {
    if (opts.interactive) {
      if (edits.length || analysis.decisions.some((d) => d.action)) checkGit(opts, cwd);
      reviewed = await interactive!.review({ ...analysis, edits }, profile, undefined, (e) => inside(e.absPath));
      edits = reviewed.edits.filter((e) => inside(e.absPath));
      analysis = restore(reviewed.analysis, suppressed); // decided again for each declaration skipped
    } else if (writes && edits.length) checkGit(opts, cwd);
  } catch (e) {
    if (e instanceof UsageError) {
      err(e.message);
      return 2;
    }
    if (interactive && e instanceof interactive.Cancelled) {
      err("interrupted: nothing written");
      return 130;
    }
    throw e;
  }

  const changed = editedFiles(analysis, edits);
  let filesChanged = changed.size;
  const written = new Set<string>();
  if (writes) {
    let n = 0;
    for (const [absPath, { file, before, after, encoding }] of changed) {
      p.update(`writing ${++n}/${changed.size}`);
      try {
        await writeAtomically(absPath, before, after, encoding);
        for (const e of edits) if (e.absPath === absPath) written.add(e.classId);
      } catch (e) {
        filesChanged--;
        errors.push({ file, message: `not written: ${plainError(e)}` });
      }
    }
    p.done();
  } else for (const e of edits) written.add(e.classId);

  const machine = opts.json || opts.format || opts.dryRun;
  const output: RunOutput = {
    analysis,
    edits,
    errors,
    changed,
    filesChanged,
    dryRun: opts.dryRun,
    written,
    suppressed,
    resolved: reviewed?.resolved ?? new Map(),
    skipped: reviewed?.skipped ?? [],
    version: packageVersion(),
    colors: colorsFor(process.stdout),
  };
  const format = opts.json ? "json" : (opts.format ?? (opts.dryRun ? "diff" : null));
  const stdout = format ? FORMATS[format](output) : "";

  let reportWritten = false;
  if (opts.report) {
    const report = FORMATS.markdown(output);
    try {
      await writeAtomically(path.resolve(cwd, opts.report), null, report);
      reportWritten = true;
    } catch (e) {
      errors.push({ file: opts.report, message: `report not written: ${plainError(e)}` });
    }
  }

  process.stdout.write(stdout);
  for (const e of errors) process.stderr.write(`${errorLocation(e)}: ${e.message}\n`);
  // The summary goes where it does not mix with machine-readable output.
  const out = machine ? process.stderr : process.stdout;
  out.write(
    summary(
      analysis,
      {
        dryRun: opts.dryRun,
        filesChanged,
        errors: errors.length,
        review: reviewed ? { written, skipped: reviewed.skipped, quit: reviewed.quit } : undefined,
        report: reportWritten ? opts.report : undefined,
        suppressed,
        target: opts.target,
        backport: opts.backport,
        drawChains: out.isTTY === true,
      },
      colorsFor(out),
    ),
  );

  let verifyFailed = false;
  if (opts.verify) {
    p.update("measuring the chains with the project's Django");
    const v = verifyRun({
      cwd,
      chains: analysis.chains ?? [],
      changed,
      python: opts.python?.includes("/") ? path.resolve(cwd, opts.python) : opts.python,
      sitePackages: opts.sitePackages,
      target: analysis.target?.version ?? null,
      colors: colorsFor(out),
    });
    p.done();
    out.write(v.text);
    verifyFailed = v.failed;
  }

  if (errors.length || verifyFailed) return 2;
  if (opts.dryRun && changed.size) return 1;
  if (opts.strict && active(analysis, suppressed).some((d) => d.outcome === "needs-review" && !reviewed?.resolved.has(d.node.id))) return 1;
  return 0;
}

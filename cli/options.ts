// Command-line options (README, Usage). Usage errors are one line and exit 2,
// including commander's own (unknown option, missing value), which would otherwise exit 1.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { DJANGO_RELEASES, NEWEST_DJANGO_RELEASE } from "../transforms/lib/django/versions.ts";
import { compareVersions } from "../transforms/lib/version.ts";

export interface CliOptions {
  paths: string[];
  dryRun: boolean;
  /** --write: apply the edits even with --json or --format. */
  write: boolean;
  json: boolean;
  report?: string;
  interactive: boolean;
  target: string;
  config?: string;
  allowDirty: boolean;
  format?: "github" | "sarif";
  backport: boolean;
  sitePackages?: string;
  /** --strict: needs-review items also make the exit status 1. */
  strict: boolean;
  /** --exclude GLOB (repeatable): classes in matching files are suppressed. */
  exclude: string[];
  verify: boolean;
  python?: string;
}

/** `explain CODE`: print a rule's documentation instead of running. */
export interface ExplainCommand {
  explain: string | null;
}

/** Releases the version table knows that are not out yet (in development). */
export const UNRELEASED: readonly string[] = DJANGO_RELEASES.filter((r) => compareVersions(r, NEWEST_DJANGO_RELEASE) > 0);
const TARGETS = ["auto", ...DJANGO_RELEASES.map((r) => (UNRELEASED.includes(r) ? `${r} (unreleased)` : r))].join(", ");

/** `--target`: auto, or a release the table knows; a patch version (4.2.11) counts as its release. */
export function parseTarget(value: string): string {
  if (value === "auto") return value;
  const m = /^(\d+\.\d+)(?:\.\d+)?$/.exec(value.trim());
  if (m && (DJANGO_RELEASES as readonly string[]).includes(m[1])) return m[1];
  throw new InvalidArgumentError(`Accepted: ${TARGETS}.`);
}

/** A mistake in how the tool was called: one line on stderr, exit 2, nothing written. */
export class UsageError extends Error {}

const EXAMPLES = `
Edits: asyncCapable = false (TS/JS; Python: async_capable = False) on classes whose
request/response hooks are all sync; asyncCapable = true (async_capable = True) on classes
with native async hooks that would otherwise lose or could lose it. Nothing else changes.

What writes: a run without --dry-run, --json or --format writes the edits in place (git
work trees must be clean, or --allow-dirty); --json and --format never write unless
--write is given; --report FILE writes FILE; -i writes what you accept.

--target values: ${TARGETS}.

Suppress one class with a comment on its class line:
  # middleware-codemod: ignore[needs-review]     (Python; the [...] part is optional)
  // middleware-codemod-ignore[MWC201]           (TS/JS; the [...] part is optional)

Examples:
  Fix every middleware class under the current folder:
    $ middleware-codemod
  Show the edits as a diff (exit 1 when there are some), then apply them with git:
    $ middleware-codemod src --dry-run
    $ middleware-codemod src --dry-run | git apply
  Review each edit before anything is written:
    $ middleware-codemod -i
  Write a release-note-style report, or annotations for a pull-request check:
    $ middleware-codemod --report MIDDLEWARE.md
    $ middleware-codemod --dry-run --format github
  A Django project, against a given Django version and virtualenv:
    $ middleware-codemod mysite --target 5.2 --site-packages .venv/lib/python3.12/site-packages
  What a rule code means:
    $ middleware-codemod explain MWC201
  Measure each chain with the project's own Django before and after the edits:
    $ middleware-codemod mysite --dry-run --backport --verify --python .venv/bin/python

Exit status: 0 nothing to change or all applied; 1 in a check (--dry-run, or --json /
--format without --write) when edits are pending, and with --strict also when a
needs-review item is left; 2 on a usage error or when a file could not be read, parsed or
written; 130 when -i is interrupted.`;

/** The package's own version, read from the package.json above this file (dist/cli or cli). */
export function packageVersion(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, "package.json"), "utf8"));
      if (pkg.name === "middleware-codemod") return pkg.version;
    } catch {
      // not here; go up
    }
    if (path.dirname(dir) === dir) return "unknown";
  }
}

/**
 * Parse argv (without node and script). Resolves to null when help or version was printed,
 * to `{ explain }` for the explain command.
 */
export async function parseArgs(argv: string[]): Promise<CliOptions | ExplainCommand | null> {
  let parsed: CliOptions | ExplainCommand | null = null;
  const outputError = (text: string, write: (s: string) => void) =>
    write(`middleware-codemod: ${text.trim().replace(/^error: /, "").replace(/\s*\n\s*/g, " ")} (see --help)\n`);
  const program = new Command()
    .name("middleware-codemod")
    .usage("[options] [paths...]\n       middleware-codemod explain [CODE]")
    .description(
      "Finds middleware classes (TypeScript/JavaScript and Python/Django) that claim async support with only sync request/response hooks, and declares them sync-only: asyncCapable = false (Python: async_capable = False), so that the chain stops paying a context switch per hook. Classes with native async hooks that would lose the claim get asyncCapable = true (async_capable = True).",
    )
    .version(packageVersion(), "-V, --version")
    .argument("[paths...]", "files or folders to scan (default: the current folder)")
    .option("--dry-run", "write nothing; print a unified diff that `git apply` accepts")
    .option("--json", "print the result object (schemaVersion 1) on stdout; writes nothing without --write")
    .addOption(new Option("--format <format>", "workflow annotations (github) or a SARIF 2.1.0 log (sarif) on stdout; writes nothing without --write").choices(["github", "sarif"]))
    .option("--write", "with --json or --format: apply the edits too")
    .option("--report <file>", "write a release-note-style Markdown report to FILE (also in a dry run)")
    .option("-i, --interactive", "review each proposed edit and each needs-review item (one key: y/n/a/q/?) before anything is written")
    .addOption(new Option("--target <version>", `Django version whose upstream flags apply: ${TARGETS}; auto reads the project's pins`).default("auto").argParser(parseTarget))
    .option("--config <file>", "JSON profile: mixin names and import paths, flag, hook and dispatch names (TS/JS)")
    .option("--allow-dirty", "write even when git reports uncommitted changes in the scanned paths")
    .option("--strict", "exit 1 also when a needs-review item is left (not suppressed)")
    .option("--exclude <glob>", "never edit or report classes in files matching GLOB (relative to the current folder; repeatable); they are counted as suppressed", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option("--backport", "Python: write sync-only project-local subclasses for upstream classes the target version still declares async-capable")
    .option("--site-packages <dir>", "Python: read (never edit) installed packages there; default: the project's virtualenv")
    .option("--verify", "Python: measure each MIDDLEWARE chain with the project's own Django (imports its settings and apps) before and after the edits, on a temporary copy; exit 2 when a measurement differs from the prediction")
    .option("--python <path>", "Python: the interpreter --verify runs; default: the project's virtualenv, else /usr/bin/python3")
    .addHelpText("after", EXAMPLES)
    .showSuggestionAfterError(true)
    .configureOutput({ outputError })
    .exitOverride()
    .action((paths: string[], o: Record<string, unknown>) => {
      parsed = {
        paths: paths.length ? paths : ["."],
        dryRun: Boolean(o.dryRun),
        write: Boolean(o.write),
        json: Boolean(o.json),
        report: o.report as string | undefined,
        interactive: Boolean(o.interactive),
        target: o.target as string,
        config: o.config as string | undefined,
        allowDirty: Boolean(o.allowDirty),
        format: o.format as CliOptions["format"],
        backport: Boolean(o.backport),
        sitePackages: o.sitePackages as string | undefined,
        strict: Boolean(o.strict),
        exclude: (o.exclude as string[] | undefined) ?? [],
        verify: Boolean(o.verify),
        python: o.python as string | undefined,
      };
    });
  program
    .command("explain")
    .description("print what a rule code (MWC101…) means, why, an example, and how safe its fix is; without CODE, list every code")
    .argument("[code]", "a rule code such as MWC101, or a rule name such as deliberate-opt-in")
    .configureOutput({ outputError })
    .exitOverride()
    .action((code: string | undefined) => {
      parsed = { explain: code ?? null };
    });
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version" || e.code === "commander.help") return null;
      throw new UsageError(""); // commander has printed the message already
    }
    throw e;
  }
  const opts = parsed as CliOptions | ExplainCommand | null;
  if (!opts || "explain" in opts) return opts;
  const stdoutUsers = [opts.json && "--json", opts.format && `--format ${opts.format}`].filter(Boolean);
  if (stdoutUsers.length > 1) throw new UsageError(`${stdoutUsers.join(" and ")} both print on stdout; choose one`);
  if (opts.write && opts.dryRun) throw new UsageError("--write and --dry-run contradict each other; choose one");
  if (opts.interactive) {
    const clash = [opts.dryRun && "--dry-run", ...stdoutUsers].filter(Boolean);
    if (clash.length) throw new UsageError(`--interactive cannot be combined with ${clash.join(", ")}`);
  }
  // Machine-readable output is for checks: it writes only when asked to.
  if ((opts.json || opts.format) && !opts.write) opts.dryRun = true;
  return opts;
}

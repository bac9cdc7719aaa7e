// Command-line options (model document, section 7). Usage errors are one line and exit 2,
// including commander's own (unknown option, missing value), which would otherwise exit 1.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Command, CommanderError, Option } from "commander";

export interface CliOptions {
  paths: string[];
  dryRun: boolean;
  json: boolean;
  report?: string;
  interactive: boolean;
  target: string;
  config?: string;
  allowDirty: boolean;
  format?: "github" | "sarif";
  backport: boolean;
  sitePackages?: string;
  verify: boolean;
  python?: string;
}

/** A mistake in how the tool was called: one line on stderr, exit 2, nothing written. */
export class UsageError extends Error {}

const EXAMPLES = `
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
  Measure each chain with the project's own Django before and after the edits:
    $ middleware-codemod mysite --dry-run --backport --verify --python .venv/bin/python

Exit status: 0 nothing to change or all applied; 1 with --dry-run when edits are
pending; 2 on a usage error or when a file could not be read, parsed or written.`;

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

/** Parse argv (without node and script). Resolves to null when help or version was printed. */
export async function parseArgs(argv: string[]): Promise<CliOptions | null> {
  let parsed: CliOptions | null = null;
  const program = new Command()
    .name("middleware-codemod")
    .description("Declare asyncCapable = false on middleware classes whose request/response hooks are all sync, so that the chain stops paying a context switch per hook.")
    .version(packageVersion(), "-V, --version")
    .argument("[paths...]", "files or folders to scan (default: the current folder)")
    .option("--dry-run", "write nothing; print a unified diff that `git apply` accepts")
    .option("--json", "print the result object (schemaVersion 1) on stdout")
    .option("--report <file>", "write a release-note-style Markdown report to FILE")
    .option("-i, --interactive", "review each proposed edit and each needs-review item before anything is written")
    .option("--target <version>", "Django version whose upstream flags apply; auto reads the project's pins", "auto")
    .option("--config <file>", "JSON profile: mixin names and import paths, flag, hook and dispatch names")
    .option("--allow-dirty", "write even when git reports uncommitted changes in the scanned paths")
    .addOption(new Option("--format <format>", "workflow annotations or a SARIF 2.1.0 log on stdout").choices(["github", "sarif"]))
    .option("--backport", "Python: sync-only project-local subclasses for upstream classes the target version still declares async-capable")
    .option("--site-packages <dir>", "Python: read (never edit) installed packages there; default: the project's virtualenv")
    .option("--verify", "Python: measure each MIDDLEWARE chain with the project's own Django (imports its settings and apps) before and after the edits, on a temporary copy; exit 2 when a measurement differs from the prediction")
    .option("--python <path>", "Python: the interpreter --verify runs; default: the project's virtualenv, else /usr/bin/python3")
    .addHelpText("after", EXAMPLES)
    .showSuggestionAfterError(true)
    .configureOutput({ outputError: (text, write) => write(`middleware-codemod: ${text.trim().replace(/^error: /, "").replace(/\s*\n\s*/g, " ")} (see --help)\n`) })
    .exitOverride()
    .action((paths: string[], o: Omit<CliOptions, "paths" | "dryRun" | "json" | "interactive" | "allowDirty" | "backport" | "verify"> & Record<string, unknown>) => {
      parsed = {
        paths: paths.length ? paths : ["."],
        dryRun: Boolean(o.dryRun),
        json: Boolean(o.json),
        report: o.report,
        interactive: Boolean(o.interactive),
        target: o.target,
        config: o.config,
        allowDirty: Boolean(o.allowDirty),
        format: o.format,
        backport: Boolean(o.backport),
        sitePackages: o.sitePackages,
        verify: Boolean(o.verify),
        python: o.python,
      };
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
  const opts = parsed as CliOptions | null;
  if (!opts) return null;
  const stdoutUsers = [opts.json && "--json", opts.format && `--format ${opts.format}`].filter(Boolean);
  if (stdoutUsers.length > 1) throw new UsageError(`${stdoutUsers.join(" and ")} both print on stdout; choose one`);
  if (opts.interactive) {
    const clash = [opts.dryRun && "--dry-run", ...stdoutUsers].filter(Boolean);
    if (clash.length) throw new UsageError(`--interactive cannot be combined with ${clash.join(", ")}`);
  }
  return opts;
}

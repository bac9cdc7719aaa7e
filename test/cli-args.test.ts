// Options, usage errors and --config, end to end through the built CLI. Every usage error is
// one line on stderr, exit 2, and leaves the tree as it was.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, test, vi } from "vitest";
import { asText, FIXTURE, makeTree, readTree, ROOT, runCli } from "./helpers/cli.ts";

vi.setConfig({ testTimeout: 60_000 });

const VERSION = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")).version;
/** Every release of the version table; 6.2 is in development. */
const TARGETS = "auto, 3.1, 3.2, 4.0, 4.1, 4.2, 5.0, 5.1, 5.2, 6.0, 6.1, 6.2 (unreleased)";
const CODE_LIST = `MWC001  unchanged                Unchanged: already right
MWC002  unchanged                Not analysed: a base class could not be read
MWC101  set-async-capable-false  Sync-only middleware that claims async support
MWC102  set-async-capable-true   Native async middleware without its own declaration
MWC103  backport                 --backport: sync-only project-local subclass of an upstream class
MWC201  needs-review             Explicit async opt-in on sync hooks
MWC202  needs-review             Hop hooks that are mixed or cannot be classified
MWC203  needs-review             Async hooks on a class declared sync-only
MWC204  needs-review             Own dispatch whose declaration does not match
MWC205  needs-review             Flag that is not a literal
MWC206  needs-review             async def hook on a plain MiddlewareMixin subclass
MWC207  needs-review             RemoteUserMiddleware override without aprocess_request
MWC208  needs-review             A declaration is needed but there is no place to insert it
MWC209  needs-review             A declaration of this run would take an incomplete async path away
MWC299  needs-review             Needs a person's judgement
MWC901  file-error               File could not be read, parsed or written
`;

test("--help shows usage with examples; --version prints package.json's version", async () => {
  const dir = makeTree({});
  const help = await runCli(["--help"], { cwd: dir });
  expect(help.code).toBe(0);
  expect(help.stdout).toMatch(/^Usage: middleware-codemod \[options\] \[paths\.\.\.\]\n/);
  for (const option of ["--dry-run", "--json", "--report <file>", "-i, --interactive", "--target <version>", "--config <file>", "--allow-dirty", "--format <format>", "--backport", "--site-packages <dir>"])
    expect(help.stdout).toContain(option);
  expect(help.stdout).toContain("Examples:\n");
  // Both languages and both kinds of edit, the --target values, what writes, the exit statuses.
  for (const text of ["asyncCapable = false (Python: async_capable = False)", "asyncCapable = true (async_capable = True)", `--target values: ${TARGETS}.`, "--json and --format never write unless\n--write is given", "--strict", "--exclude <glob>", "explain [CODE]", "Exit status: 0", "130 when -i is interrupted"])
    expect(help.stdout).toContain(text);
  expect(help.stdout).toContain("$ middleware-codemod src --dry-run | git apply\n");
  expect(await runCli(["--version"], { cwd: dir })).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: "" });
});

describe("usage errors: one line, exit 2, nothing written", () => {
  const cases: [string, string[], string, Record<string, string>?][] = [
    ["unknown option", ["--frobnicate"], "middleware-codemod: unknown option '--frobnicate' (see --help)"],
    ["misspelt option", ["--dry-rn"], "middleware-codemod: unknown option '--dry-rn' (Did you mean --dry-run?) (see --help)"],
    ["missing option value", ["--target"], "middleware-codemod: option '--target <version>' argument missing (see --help)"],
    ["bad --format", ["--format", "xml"], "middleware-codemod: option '--format <format>' argument 'xml' is invalid. Allowed choices are github, sarif. (see --help)"],
    ["two stdout formats", ["--json", "--format", "sarif"], "middleware-codemod: --json and --format sarif both print on stdout; choose one"],
    ["missing path", ["src", "nope"], "middleware-codemod: no such file or folder: nope"],
    ["a non-source file", ["README.md"], "middleware-codemod: README.md is not a source file (.ts .tsx .js .jsx .mjs .cjs .mts .cts .py)"],
    ["an empty tree", ["docs"], "middleware-codemod: no source files found under docs"],
    ["--interactive without a terminal", ["-i"], "middleware-codemod: --interactive needs a terminal on stdin and stdout; use --dry-run to see the edits without one"],
    ["--config that does not exist", ["--config", "none.json"], "middleware-codemod: --config none.json: cannot read it: no such file or folder"],
    ["--config naming a folder", ["--config", "docs"], "middleware-codemod: --config docs: cannot read it: is a folder"],
    ["--report naming a folder", ["--report", "docs"], "middleware-codemod: --report docs is a folder; give the report a file name, such as docs/MIDDLEWARE.md"],
    ["--target not in the version table", ["--target", "9.9"], `middleware-codemod: option '--target <version>' argument '9.9' is invalid. Accepted: ${TARGETS}. (see --help)`],
    ["--target that is no version", ["--target", "banana"], `middleware-codemod: option '--target <version>' argument 'banana' is invalid. Accepted: ${TARGETS}. (see --help)`],
    ["--target older than the table", ["--target", "2.2"], `middleware-codemod: option '--target <version>' argument '2.2' is invalid. Accepted: ${TARGETS}. (see --help)`],
    ["--write with --dry-run", ["--write", "--dry-run"], "middleware-codemod: --write and --dry-run contradict each other; choose one"],
    ["explain with an unknown code", ["explain", "MWC999"], `middleware-codemod: explain: unknown rule code MWC999; known codes:\n${CODE_LIST.trimEnd()}`],
    ["--config with invalid JSON", ["--config", "bad.json"], "middleware-codemod: --config bad.json: invalid JSON: Expected property name or '}' in JSON at position 14 (line 2 column 13)", { "bad.json": '{\n  "flags": {,\n}' }],
    ["--config with an unknown key", ["--config", "typo.json"], 'middleware-codemod: --config typo.json: "flags.asyncCapabel" is not a known key (allowed: syncCapable, asyncCapable)', { "typo.json": '{"flags": {"asyncCapabel": "x"}}' }],
    ["--config with an unknown section", ["--config", "top.json"], 'middleware-codemod: --config top.json: "mixin" is not a known key (allowed: mixins, flags, hooks, dispatch)', { "top.json": '{"mixin": []}' }],
    ["--config with a wrong type", ["--config", "type.json"], 'middleware-codemod: --config type.json: "mixins[0].from" must be an array of module specifiers', { "type.json": '{"mixins": [{"name": "Base", "from": "x"}]}' }],
  ];
  test.each(cases)("%s", async (_name, args, message, extra = {}) => {
    const tree = { ...FIXTURE, "README.md": "# hi\n", "docs/guide.md": "text\n", ...extra };
    const dir = makeTree(tree);
    expect(await runCli(args, { cwd: dir })).toEqual({ code: 2, stdout: "", stderr: `${message}\n` });
    expect(readTree(dir)).toEqual(asText(tree));
  });
});

test("--config renames the mixin, the flag and the hooks, merged over the defaults", async () => {
  const tree = {
    "codemod.json": JSON.stringify({ mixins: [{ name: "BaseHandler" }], flags: { asyncCapable: "supportsAsync" }, hooks: { request: "onRequest" } }),
    "lib/base.ts": "export class BaseHandler {\n  static supportsAsync = true;\n}\n",
    "lib/auth.ts": 'import { BaseHandler } from "./base.ts";\n\nexport class AuthHandler extends BaseHandler {\n  onRequest(request: unknown) {\n    return null;\n  }\n}\n',
  };
  const dir = makeTree(tree);
  const r = await runCli(["--config", "codemod.json", "lib"], { cwd: dir });
  expect(r).toEqual({
    code: 0,
    stdout: "Middleware classes: 1 (1 set-async-capable-false, 0 set-async-capable-true, 0 needs-review, 0 unchanged)\nFiles: 2 scanned, 1 changed, 0 errors\n",
    stderr: "",
  });
  expect(readTree(dir)).toEqual(asText({ ...tree, "lib/auth.ts": tree["lib/auth.ts"].replace("BaseHandler {\n", "BaseHandler {\n  static supportsAsync = false;\n") }));
});

test("--target, --backport and --site-packages are accepted and passed through on a TS tree", async () => {
  const dir = makeTree({ ...FIXTURE, "venv-lib/.keep": "" });
  const r = await runCli(["--dry-run", "--json", "--target", "5.2", "--backport", "--site-packages", "venv-lib", "src"], { cwd: dir });
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout).summary.setFalse).toBe(2);
  const missing = await runCli(["--site-packages", "nowhere"], { cwd: dir });
  expect(missing).toEqual({ code: 2, stdout: "", stderr: "middleware-codemod: --site-packages nowhere: not a folder\n" });
});

describe("explain CODE", () => {
  const MWC201 = `MWC201 (needs-review, rule deliberate-opt-in): Explicit async opt-in on sync hooks

Why: The class declares async support while its request/response hooks are sync, so the mixin wraps each hook in its own sync-to-async hop on every request. Django's release note for the fix tells deployments with high in-process concurrency over non-ORM I/O to opt in exactly like this, so the codemod keeps it.

Example:
TypeScript/JavaScript:
    class AuditMiddleware extends MiddlewareMixin {
      static asyncCapable = true; // deliberate, or a leftover?
      processRequest(request) { audit(request); }
    }
Python:
    class AuditMiddleware(MiddlewareMixin):
        async_capable = True  # deliberate, or a leftover?

        def process_request(self, request):
            audit(request)

Fix safety: Flipping it to false is safe for correctness (the hooks are sync either way) and removes a switch per hook; it only loses the concurrency that the opt-in may have been bought for.

Docs: https://www.npmjs.com/package/middleware-codemod#mwc201
`;
  test.each([["MWC201"], ["mwc201"], ["deliberate-opt-in"]])("explain %s: what / why / example / fix safety", async (code) => {
    const dir = makeTree({});
    expect(await runCli(["explain", code], { cwd: dir })).toEqual({ code: 0, stdout: MWC201, stderr: "" });
  });

  test("explain without a code lists every code", async () => {
    const dir = makeTree({});
    expect(await runCli(["explain"], { cwd: dir })).toEqual({ code: 0, stdout: CODE_LIST, stderr: "" });
  });
});

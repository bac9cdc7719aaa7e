// Every fixture, through the built CLI as a user runs it: whole output tree, whole JSON,
// inserted bytes only, idempotence, the dry-run diff through `git apply`, and (TS/JS) the
// same files from the real jscodeshift CLI.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffChars } from "diff";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { REPO, readTree, runCli, tempGitRepo } from "./helpers/fixture-tree.ts";

const FIXTURES = path.join(REPO, "fixtures");
const cases = readdirSync(FIXTURES).filter((c) => existsSync(path.join(FIXTURES, c, "input"))).sort();
const update = process.env.UPDATE_FIXTURES === "1";

function fixtureArgs(dir: string): string[] {
  const p = path.join(dir, "args.json");
  return existsSync(p) ? JSON.parse(readFileSync(p, "utf8")) : [];
}

function expectedTree(dir: string): Record<string, string> {
  return readTree(path.join(dir, existsSync(path.join(dir, "output")) ? "output" : "input"));
}

/**
 * The one removal an edit may make: a TS flag field declared without a value
 * (`declare static asyncCapable: boolean;`) loses its `declare` keyword and gets its value
 * inserted. Every other byte of the input must stay.
 */
const DECLARE_FLAG = /^([ \t]*(?:(?:public|protected|private|static|readonly|override)[ \t]+)*)declare[ \t]+(?=(?:(?:public|protected|private|static|readonly|override)[ \t]+)*asyncCapable\??[ \t]*:)/gm;
const withoutDeclareOfFlag = (file: string, text: string) => (/\.[cm]?tsx?$/.test(file) ? text.replace(DECLARE_FLAG, "$1") : text);

const TS_OR_JS = /\.[cm]?[jt]sx?$/;

/**
 * The compiler's diagnostics for a tree's TS/JS files (JS checked too), as `file: TScode message`
 * lines, with positions left out (an insert moves them). The tree's tsconfig.json gives the
 * module options where it has one.
 */
function diagnostics(root: string, files: string[]): string[] {
  const base: ts.CompilerOptions = { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler, strict: true, allowImportingTsExtensions: true };
  const config = path.join(root, "tsconfig.json");
  const own = existsSync(config) ? ts.parseJsonConfigFileContent(ts.readConfigFile(config, ts.sys.readFile).config, ts.sys, root).options : {};
  const options: ts.CompilerOptions = { ...base, ...own, allowJs: true, checkJs: true, noEmit: true, skipLibCheck: true, types: [] };
  const program = ts.createProgram({ rootNames: files.map((f) => path.join(root, f)), options });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(root, d.file.fileName) : "-"}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`)
    .sort();
}

describe.each(cases)("fixture %s", (name) => {
  const dir = path.join(FIXTURES, name);
  const args = fixtureArgs(dir);
  const input = readTree(path.join(dir, "input"));
  const output = expectedTree(dir);
  const expectedJsonPath = path.join(dir, "expected.json");

  it("a real run writes exactly the expected tree and reports the whole expected result", () => {
    const repo = tempGitRepo(path.join(dir, "input"));
    const run = runCli(repo, ["--json", ...args]);
    const result = JSON.parse(run.stdout);
    if (update) writeFileSync(expectedJsonPath, JSON.stringify(result, null, 2) + "\n");
    const expected = JSON.parse(readFileSync(expectedJsonPath, "utf8"));
    expect(result).toEqual(expected);
    expect(run.status).toBe(expected.summary.errors ? 2 : 0);
    expect(readTree(repo)).toEqual(output);
  });

  it("changes no byte of the input: the edits only insert", () => {
    for (const [file, after] of Object.entries(output)) {
      const before = input[file];
      expect(before, `${file} is not in the input`).toBeDefined();
      const removed = diffChars(withoutDeclareOfFlag(file, before), after).filter((p) => p.removed);
      expect(removed, file).toEqual([]);
    }
    expect(Object.keys(output).sort()).toEqual(Object.keys(input).sort());
  });

  it("a second run changes nothing", () => {
    const repo = tempGitRepo(path.join(dir, "output"));
    const run = runCli(repo, ["--dry-run", ...args]);
    expect(run.stdout).toBe("");
    expect(run.status).toBe(JSON.parse(readFileSync(expectedJsonPath, "utf8")).summary.errors ? 2 : 0);
    expect(readTree(repo)).toEqual(output);
  });

  it("the dry-run diff, applied with git apply, gives the same tree", () => {
    const repo = tempGitRepo(path.join(dir, "input"));
    const run = runCli(repo, ["--dry-run", ...args]);
    const changes = Object.keys(output).some((f) => output[f] !== input[f]);
    const errors = JSON.parse(readFileSync(expectedJsonPath, "utf8")).summary.errors;
    expect(run.status).toBe(errors ? 2 : changes ? 1 : 0);
    expect(readTree(repo)).toEqual(input);
    if (changes) execFileSync("git", ["apply", "-"], { cwd: repo, input: run.stdout });
    expect(readTree(repo)).toEqual(output);
  });

  const sourceFiles = Object.keys(input).filter((f) => TS_OR_JS.test(f));
  if (sourceFiles.length && Object.keys(output).some((f) => output[f] !== input[f]))
    it("the edited TS/JS files compile as before: no new compiler diagnostic", () => {
      const before = diagnostics(path.join(dir, "input"), sourceFiles);
      const after = diagnostics(path.join(dir, "output"), sourceFiles);
      const added = [...after];
      for (const d of before) {
        const i = added.indexOf(d);
        if (i >= 0) added.splice(i, 1);
      }
      expect(added).toEqual([]);
    });

  const pythonOnly = Object.keys(input).every((f) => f.endsWith(".py") || !/\.[cm]?[jt]sx?$/.test(f));
  // jscodeshift hands over only JS/TS files, and takes no CLI arguments.
  if (!pythonOnly && !args.length) it("the plain jscodeshift transform gives the same tree", () => {
    const repo = tempGitRepo(path.join(dir, "input"));
    const r = spawnSync(
      path.join(REPO, "node_modules/.bin/jscodeshift"),
      ["-t", path.join(REPO, "transforms/async-capable.ts"), "--extensions=ts,tsx,js,jsx,mjs,cjs,mts,cts", "--silent", "."],
      // Babel's cache would otherwise land in the tree under test.
      { cwd: repo, encoding: "utf8", env: { ...process.env, BABEL_DISABLE_CACHE: "1" } },
    );
    expect(r.error).toBeUndefined();
    expect(readTree(repo)).toEqual(output);
  });
});

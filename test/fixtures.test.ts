// Every fixture, through the built CLI as a user runs it: whole output tree, whole JSON,
// inserted bytes only, a second run that proposes nothing new, the dry-run diff through
// `git apply`, formatters and compilers as before, and (TS/JS) the same files from the real
// jscodeshift CLI, from a subfolder and with absolute paths.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { diffChars } from "diff";
import * as prettier from "prettier";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { makeTree, readTree, ROOT as REPO, runCliSync } from "./helpers/cli.ts";
import { djangoPath, PYTHON, pythonEnv, toolsEnv } from "./setup/parts.ts";

const FIXTURES = path.join(REPO, "fixtures");
const cases = readdirSync(FIXTURES).filter((c) => existsSync(path.join(FIXTURES, c, "input"))).sort();
const update = process.env.UPDATE_FIXTURES === "1";
const JS_FILE = /\.[cm]?[jt]sx?$/;

/** Fixtures with TS/JS files and no Python. */
const tsCases = cases.filter((c) => {
  const files = Object.keys(readTree(path.join(FIXTURES, c, "input")));
  return files.some((f) => JS_FILE.test(f)) && !files.some((f) => f.endsWith(".py"));
});

/**
 * Fixtures whose inserts follow their own codebase's majority field style (instance fields),
 * which the other fixtures' static fields would outvote in a combined tree: they run apart.
 */
const OWN_STYLE = new Set(["ts-instance-fields"]);

/**
 * The TS/JS fixtures without arguments, but those of their own style: the runs that only check
 * what a first run already decided (a second run, the runs from a subfolder) take them
 * together, each in a folder of its own, as the jscodeshift run does.
 */
const TOGETHER = tsCases.filter((c) => fixtureArgs(path.join(FIXTURES, c)).length === 0 && !OWN_STYLE.has(c));

/** The group of runs `name` belongs to. */
const groupOf = (name: string): string[] => (TOGETHER.includes(name) ? TOGETHER : [name]);

/** A tree holding the group's fixtures (one alone at the top, several each in a folder of its own). */
function groupTree(group: string[], folder: (c: string) => string): string {
  return makeTree({}, { from: group.length === 1 ? folder(group[0]) : Object.fromEntries(group.map((c) => [c, folder(c)])) });
}

/** The expected output folder of a fixture (the input where nothing changes). */
const outputFolder = (c: string) => path.join(FIXTURES, c, existsSync(path.join(FIXTURES, c, "output")) ? "output" : "input");

interface SecondRun {
  repo: string;
  code: number | null;
  json: { summary: { filesChanged: number; errors: number }; middleware: { file: string; class: string; outcome: string; code: string }[] };
}

const secondRuns = new Map<string, SecondRun>();

/** The one dry run (--json) over the outputs of a group's fixtures, made when a test first needs it. */
function secondRun(group: string[]): SecondRun {
  const key = group.join(" ");
  let run = secondRuns.get(key);
  if (!run) {
    const repo = groupTree(group, outputFolder);
    const r = runCliSync(["--dry-run", "--json", ...(group.length === 1 ? fixtureArgs(path.join(FIXTURES, group[0])) : [])], { cwd: repo });
    secondRuns.set(key, (run = { repo, code: r.code, json: JSON.parse(r.stdout) }));
  }
  return run;
}

/** Whether `prettier --check` accepts the text as the file at `file` (its config and .editorconfig apply). */
async function prettierAccepts(file: string, text: string): Promise<boolean> {
  const options = (await prettier.resolveConfig(file, { editorconfig: true })) ?? {};
  try {
    return await prettier.check(text, { ...options, filepath: file });
  } catch {
    return false; // a file prettier cannot parse does not pass
  }
}

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

/** TypeScript's own lib files, parsed (and bound) once for every program of this file: most of a program's cost. */
const LIBS = new Map<string, ts.SourceFile | undefined>();

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
  const host = ts.createCompilerHost(options);
  const read = host.getSourceFile.bind(host);
  const libDir = host.getDefaultLibLocation!();
  host.getSourceFile = (file, version, ...rest) => {
    if (!file.startsWith(libDir)) return read(file, version, ...rest);
    const key = `${file} ${JSON.stringify(version)}`;
    if (!LIBS.has(key)) LIBS.set(key, read(file, version, ...rest));
    return LIBS.get(key);
  };
  const program = ts.createProgram({ rootNames: files.map((f) => path.join(root, f)), options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file ? path.relative(root, d.file.fileName) : "-"}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`)
    .sort();
}

/** Fixtures with Python files. */
const pythonCases = cases.filter((c) => Object.keys(readTree(path.join(FIXTURES, c, "input"))).some((f) => f.endsWith(".py")));

type Imports = Record<string, string | null>;
let imports: Map<string, [before: Imports, after: Imports]> | undefined;

/**
 * What importing each module of a Python fixture's input and of its expected output gives
 * under Debian's Django 3.2. One Python process for every fixture, made when a test first
 * needs it: Django set up once, each tree imported in a fork of its own.
 */
function importResults(name: string): [before: Imports, after: Imports] {
  if (!imports) {
    const trees = pythonCases.flatMap((c) => [path.join(FIXTURES, c, "input"), outputFolder(c)].map((from) => makeTree({}, { from, git: false })));
    const r = spawnSync(PYTHON, ["-S", path.join(REPO, "test/django/import_tree.py"), ...trees], { encoding: "utf8", env: pythonEnv([djangoPath("3.2")]), maxBuffer: 64 << 20 });
    expect(r.stderr).toBe("");
    const results: Imports[] = JSON.parse(r.stdout);
    expect(results).toHaveLength(trees.length);
    imports = new Map(pythonCases.map((c, i) => [c, [results[2 * i], results[2 * i + 1]]]));
  }
  return imports.get(name)!;
}

describe.each(cases)("fixture %s", (name) => {
  const dir = path.join(FIXTURES, name);
  const args = fixtureArgs(dir);
  const input = readTree(path.join(dir, "input"));
  const output = expectedTree(dir);
  const expectedJsonPath = path.join(dir, "expected.json");

  it("a real run writes exactly the expected tree and reports the whole expected result", () => {
    const repo = makeTree({}, { from: path.join(dir, "input") });
    const run = runCliSync(["--json", "--write", ...args], { cwd: repo });
    const result = JSON.parse(run.stdout);
    if (update) writeFileSync(expectedJsonPath, JSON.stringify(result, null, 2) + "\n");
    const expected = JSON.parse(readFileSync(expectedJsonPath, "utf8"));
    expect(result).toEqual(expected);
    expect(run.code).toBe(expected.summary.errors ? 2 : 0);
    expect(readTree(repo)).toEqual(output);
  });

  it("changes no byte of the input: the edits only insert", () => {
    // Files that are not UTF-8 (PEP 263 encodings) are compared byte for byte.
    const bytes = (s: string) => (s.startsWith("base64:") ? Buffer.from(s.slice(7), "base64").toString("latin1") : s);
    for (const [file, after] of Object.entries(output)) {
      const before = input[file];
      expect(before, `${file} is not in the input`).toBeDefined();
      const removed = diffChars(withoutDeclareOfFlag(file, bytes(before)), bytes(after)).filter((p) => p.removed);
      expect(removed, file).toEqual([]);
    }
    expect(Object.keys(output).sort()).toEqual(Object.keys(input).sort());
  });

  it("the dry-run diff, applied with git apply, gives the same tree", () => {
    const repo = makeTree({}, { from: path.join(dir, "input") });
    const run = runCliSync(["--dry-run", ...args], { cwd: repo });
    const changes = Object.keys(output).some((f) => output[f] !== input[f]);
    const errors = JSON.parse(readFileSync(expectedJsonPath, "utf8")).summary.errors;
    expect(run.code).toBe(errors ? 2 : changes ? 1 : 0);
    expect(readTree(repo)).toEqual(input);
    if (changes) execFileSync("git", ["apply", "-"], { cwd: repo, input: run.stdoutBytes });
    expect(readTree(repo)).toEqual(output);
  });

  it("a second run, on the output, changes nothing and lists no needs-review item the first did not", () => {
    const group = groupOf(name);
    const run = secondRun(group);
    const at = group.length === 1 ? "" : `${name}/`; // where the fixture is in the run's tree
    type Result = SecondRun["json"];
    const first: Result = JSON.parse(readFileSync(expectedJsonPath, "utf8")); // the first run's whole result (checked above)
    const second: Result = { ...run.json, middleware: run.json.middleware.filter((m) => m.file.startsWith(at)).map((m) => ({ ...m, file: m.file.slice(at.length) })) };
    const key = (m: Result["middleware"][number]) => `${m.file} ${m.class} ${m.code}`;
    const review = (r: Result) => r.middleware.filter((m) => m.outcome === "needs-review").map(key);
    if (group.length === 1) {
      // A group's run is one result: "fixtures ... together" checks its summary and exit status.
      expect(second.summary.filesChanged).toBe(0);
      expect(run.code).toBe(first.summary.errors ? 2 : 0);
    }
    expect(second.middleware.filter((m) => m.outcome.startsWith("set-async-capable-")).map(key)).toEqual([]);
    expect(review(second).filter((k) => !review(first).includes(k))).toEqual([]);
    expect(readTree(path.join(run.repo, at))).toEqual(output);
  });

  const editedPython = Object.keys(output).filter((f) => f.endsWith(".py") && output[f] !== input[f]);
  if (editedPython.length)
    it("every edited Python file passes black --check wherever its input did", () => {
      // black (Debian's 23, provisioned) names each file it would change, or cannot read.
      const dirty = (tree: string) => {
        const r = spawnSync("black", ["--check", ...editedPython], { cwd: path.join(dir, tree), encoding: "utf8", env: toolsEnv() });
        expect(r.error).toBeUndefined();
        return new Set([...r.stderr.matchAll(/^(?:would reformat|error: cannot format) (.+?)(?::|$)/gm)].map((m) => path.relative(path.join(dir, tree), path.resolve(dir, tree, m[1]))));
      };
      const before = dirty("input");
      const after = dirty("output");
      expect(editedPython.filter((f) => !before.has(f) && after.has(f))).toEqual([]);
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

  if (pythonCases.includes(name)) it("every module that imports before the edits still imports after them (Debian's Django)", () => {
    const [before, after] = importResults(name);
    const importable = Object.keys(before).filter((m) => before[m] === null);
    expect(importable.length).toBeGreaterThan(0);
    expect(Object.fromEntries(importable.map((m) => [m, after[m]]))).toEqual(Object.fromEntries(importable.map((m) => [m, null])));
  });

});

// The plain jscodeshift transform gives the same trees as the CLI: one jscodeshift run over
// every fixture with TS/JS files and no CLI arguments (jscodeshift takes none), each in a
// folder of its own, so that the transform's whole-project analysis runs once.
const jscodeshiftCases = cases.filter((c) => {
  const files = Object.keys(readTree(path.join(FIXTURES, c, "input")));
  return files.some((f) => JS_FILE.test(f)) && fixtureArgs(path.join(FIXTURES, c)).length === 0;
});

/** One jscodeshift run over the given fixtures, each in a folder of its own; the trees it leaves. */
function jscodeshiftOver(group: string[]): { got: Record<string, string>; expected: Record<string, string> } {
  const repo = makeTree({}, { from: Object.fromEntries(group.map((c) => [c, path.join(FIXTURES, c, "input")])) });
  const r = spawnSync(
    path.join(REPO, "node_modules/.bin/jscodeshift"),
    ["-t", path.join(REPO, "transforms/async-capable.ts"), "--extensions=ts,tsx,js,jsx,mjs,cjs,mts,cts", "--silent", "."],
    // Babel's cache would otherwise land in the tree under test.
    { cwd: repo, encoding: "utf8", env: { ...process.env, BABEL_DISABLE_CACHE: "1" } },
  );
  expect(r.error).toBeUndefined();
  const expected: Record<string, string> = {};
  for (const c of group) for (const [f, t] of Object.entries(expectedTree(path.join(FIXTURES, c)))) expected[`${c}/${f}`] = t;
  return { got: readTree(repo), expected };
}

describe("the plain jscodeshift transform", () => {
  const groups = [jscodeshiftCases.filter((c) => !OWN_STYLE.has(c)), ...jscodeshiftCases.filter((c) => OWN_STYLE.has(c)).map((c) => [c])];
  it.each(groups.map((g) => [g.join(", "), g] as const))("gives the expected trees of %s", (_names, group) => {
    const { got, expected } = jscodeshiftOver(group);
    expect(got).toEqual(expected);
  });
});

// TS/JS results do not depend on the working directory or on how the paths are written: the
// TS/JS fixtures again from a subfolder, once with `../` paths and once with absolute paths,
// must give the whole expected JSON with their file names seen from that folder. The
// fixtures without arguments run together, each in a folder of its own (as in the jscodeshift
// run above): one run per variant, whose whole JSON must be their expected results merged;
// each fixture's own test checks its classes and errors in that run.
const CWD_VARIANTS = ["relative", "absolute"] as const;
const PATH_OPTIONS = new Set(["--config", "--report", "--site-packages"]);
const VALUE_OPTIONS = new Set(["--target", "--format"]);

/** The fixture's arguments with every path rewritten by `map`; the default path `.` made explicit. */
function argsWithPaths(args: string[], map: (p: string) => string): string[] {
  const out: string[] = [];
  let positional = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (PATH_OPTIONS.has(a) || VALUE_OPTIONS.has(a)) {
      out.push(a, PATH_OPTIONS.has(a) ? map(args[++i]) : args[++i]);
    } else if (a.startsWith("-")) out.push(a);
    else {
      out.push(map(a));
      positional = true;
    }
  }
  return positional ? out : [...out, map(".")];
}

/** The expected result as seen from `cwd`: `file` fields and file names in messages re-relativised. */
function seenFrom(value: unknown, repo: string, cwd: string, names: RegExp): unknown {
  const from = (p: string) => path.relative(cwd, path.resolve(repo, p)).split(path.sep).join("/");
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === "string") return key === "file" ? from(v) : v.replace(names, (f) => from(f));
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, k)]));
    return v;
  };
  return walk(value);
}

interface SubfolderRun {
  repo: string;
  cwd: string;
  code: number | null;
  json: { summary: Record<string, number>; middleware: { file: string }[]; errors: { file: string }[] };
}

const subfolderRuns = new Map<string, SubfolderRun>();

/** The one run of a group of fixtures from a subfolder with `variant` paths, made when a test first needs it. */
function subfolderRun(group: string[], variant: (typeof CWD_VARIANTS)[number]): SubfolderRun {
  const key = `${variant} ${group.join(" ")}`;
  let run = subfolderRuns.get(key);
  if (!run) {
    const alone = group.length === 1;
    const repo = groupTree(group, (c) => path.join(FIXTURES, c, "input"));
    const cwd = path.join(repo, "scripts");
    mkdirSync(cwd, { recursive: true });
    const map = (p: string) => (variant === "absolute" ? path.resolve(repo, p) : path.relative(cwd, path.resolve(repo, p)) || ".");
    const r = runCliSync(["--dry-run", "--json", ...argsWithPaths(alone ? fixtureArgs(path.join(FIXTURES, group[0])) : [], map)], { cwd });
    run = { repo, cwd, code: r.code, json: JSON.parse(r.stdout) };
    subfolderRuns.set(key, run);
  }
  return run;
}

/** A fixture's expected result as seen from the folder of `run`, its input at `root` in the run's tree. */
function expectedFrom(name: string, run: SubfolderRun, root: string): SubfolderRun["json"] {
  const dir = path.join(FIXTURES, name);
  // File names as they appear in messages: whole names, not parts of a longer path or specifier.
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const names = new RegExp(`(?<![\\w./-])(?:${Object.keys(readTree(path.join(dir, "input"))).sort((a, b) => b.length - a.length).map(escape).join("|")})(?![\\w/-])`, "g");
  return seenFrom(JSON.parse(readFileSync(path.join(dir, "expected.json"), "utf8")), root, run.cwd, names) as SubfolderRun["json"];
}

/** The exit status of a dry run over the given fixtures. */
function dryRunStatus(group: string[]): number {
  const expected = group.map((c) => JSON.parse(readFileSync(path.join(FIXTURES, c, "expected.json"), "utf8")));
  const changes = group.some((c) => {
    const input = readTree(path.join(FIXTURES, c, "input"));
    const output = expectedTree(path.join(FIXTURES, c));
    return Object.keys(output).some((f) => output[f] !== input[f]);
  });
  return expected.some((e) => e.summary.errors) ? 2 : changes ? 1 : 0;
}

describe.each(TOGETHER.length > 1 ? [[TOGETHER.join(", "), TOGETHER] as const] : [])("fixtures %s together", (_names, group) => {
  it("a second run, on their outputs, changes no file; exit 0, or 2 where a fixture has errors", () => {
    const run = secondRun(group);
    const errors = group.some((c) => JSON.parse(readFileSync(path.join(FIXTURES, c, "expected.json"), "utf8")).summary.errors);
    expect(run.json.summary.filesChanged).toBe(0);
    expect(run.code).toBe(errors ? 2 : 0);
  });

  it.each(CWD_VARIANTS)("from a subfolder with %s paths, one run gives the whole JSON of their expected results merged", (variant) => {
    const run = subfolderRun(group, variant);
    const parts = group.map((c) => expectedFrom(c, run, path.join(run.repo, c)));
    const summary: Record<string, number> = {};
    for (const p of parts) for (const [k, v] of Object.entries(p.summary)) summary[k] = (summary[k] ?? 0) + v;
    expect(run.json).toEqual({ ...parts[0], summary, middleware: parts.flatMap((p) => p.middleware), errors: parts.flatMap((p) => p.errors) });
    expect(run.code).toBe(dryRunStatus(group));
  });
});

describe.each(tsCases)("fixture %s from a subfolder", (name) => {
  const group = groupOf(name);
  if (group.length === 1)
    it.each(CWD_VARIANTS)("with %s paths, the same whole JSON", (variant) => {
      const run = subfolderRun(group, variant);
      expect(run.json).toEqual(expectedFrom(name, run, run.repo));
      expect(run.code).toBe(dryRunStatus(group));
    });
  else
    it.each(CWD_VARIANTS)("with %s paths, its classes and errors in the run of its group, as expected", (variant) => {
      const run = subfolderRun(group, variant);
      const expected = expectedFrom(name, run, path.join(run.repo, name));
      const own = <T extends { file: string }>(list: T[]) => list.filter((x) => x.file.startsWith(`${path.relative(run.cwd, path.join(run.repo, name))}/`));
      expect({ middleware: own(run.json.middleware), errors: own(run.json.errors) }).toEqual({ middleware: expected.middleware, errors: expected.errors });
    });
});

// Every TS/JS file that prettier accepts before the run, it accepts after it (with the
// fixture's own prettier configuration, found as the prettier CLI finds it).
describe.each(cases.filter((c) => Object.keys(readTree(path.join(FIXTURES, c, "input"))).some((f) => JS_FILE.test(f))))("fixture %s under prettier", (name) => {
  it("every TS/JS output file passes prettier --check wherever its input did", async () => {
    const dir = path.join(FIXTURES, name);
    const input = readTree(path.join(dir, "input"));
    const output = expectedTree(dir);
    const verdicts: Record<string, { input: boolean; output: boolean }> = {};
    for (const file of Object.keys(output).filter((f) => JS_FILE.test(f)))
      verdicts[file] = { input: await prettierAccepts(path.join(dir, "input", file), input[file]), output: await prettierAccepts(path.join(dir, "input", file), output[file]) };
    const worsened = Object.entries(verdicts).filter(([, v]) => v.input && !v.output).map(([f]) => f);
    expect(worsened).toEqual([]);
  });
});

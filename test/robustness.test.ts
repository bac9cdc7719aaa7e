// Hostile files, through the built CLI in a subprocess, each in a temporary git repository.
// Every case compares the whole JSON result with the result of the same tree without the
// hostile twist (a "reference" run), adjusted by exactly what the twist should change, and
// the whole tree after a real run. No crash (exit 0, 1 or 2, valid JSON, no stack trace),
// nothing half-written, a clear per-file error or a correct edit.
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CLI, git, makeTree, runCliSync, type Tree } from "./helpers/cli.ts";

const temps: string[] = [];
afterAll(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tempDir(): string {
  const d = mkdtempSync(path.join(os.tmpdir(), "mwc-robust-"));
  temps.push(d);
  return d;
}

/** A temporary git repository holding `tree`, committed (FIFOs are not tracked: git cannot). */
function repo(tree: Tree): string {
  const dir = makeTree(tree, { prefix: "mwc-robust-" });
  temps.push(dir);
  return dir;
}

/** Every entry under dir except .git, without following links: bytes, link targets, folders, FIFOs. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      if (name === ".git") continue;
      const p = path.join(d, name);
      const rel = path.relative(dir, p).split(path.sep).join("/");
      const s = lstatSync(p);
      if (s.isSymbolicLink()) out[rel] = `link → ${readlinkSync(p)}`;
      else if (s.isDirectory()) {
        out[`${rel}/`] = "folder";
        walk(p);
      } else if (s.isFIFO()) out[rel] = "fifo";
      else out[rel] = readFileSync(p).toString("latin1");
    }
  };
  walk(dir);
  return out;
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
  json: any;
}

/** The CLI in `dir`; fails the test on a crash (signal, timeout, stack trace, exit not 0/1/2, no JSON with --json). */
function cli(dir: string, args: string[], env: Record<string, string> = {}): Run {
  const r = runCliSync(args, { cwd: dir, env, timeout: 120_000 });
  expect(r.error, "the CLI did not finish (hang?)").toBeUndefined();
  expect(r.signal).toBeNull();
  expect(r.stderr).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
  expect([0, 1, 2]).toContain(r.code);
  let json: any = null;
  if (args.includes("--json")) {
    expect(() => (json = JSON.parse(r.stdout)), `stdout is not JSON: ${r.stdout.slice(0, 300)}\n${r.stderr.slice(0, 1000)}`).not.toThrow();
  }
  return { code: r.code, stdout: r.stdout, stderr: r.stderr, json };
}

const dryJson = (dir: string, args: string[] = []) => cli(dir, ["--dry-run", "--json", ...args]);

const references = new Map<string, { json: any; after: Record<string, string> }>();

/** The dry-run JSON and the tree after a real run, for a clean tree (run once per tree and arguments). */
function reference(tree: Tree, args: string[] = []): { json: any; after: Record<string, string> } {
  const key = JSON.stringify([tree, args]);
  let ref = references.get(key);
  if (!ref) {
    const dir = repo(tree);
    const json = dryJson(dir, args).json;
    cli(dir, ["--json", "--write", ...args]);
    references.set(key, (ref = { json, after: snapshot(dir) }));
  }
  return structuredClone(ref);
}

/** Rename file names inside a JSON result (they appear as whole strings and inside reasons). */
function renamed(json: any, pairs: [string, string][]): any {
  let text = JSON.stringify(json);
  for (const [from, to] of pairs) text = text.split(from).join(to);
  return JSON.parse(text);
}

function withErrors(json: any, errors: object[], extra: Partial<Record<string, number>> = {}): any {
  const out = structuredClone(json);
  out.errors = errors;
  out.summary.errors = errors.length;
  for (const [k, v] of Object.entries(extra)) out.summary[k] += v;
  return out;
}

const sortErrors = (json: any) => ({ ...json, errors: [...json.errors].sort((a: any, b: any) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0)) });

const tsMiddleware = (name: string, body = "console.log(request);") =>
  `import { MiddlewareMixin } from "framework";\n\nexport class ${name} extends MiddlewareMixin {\n  processRequest(request: Request): void {\n    ${body}\n  }\n}\n`;
const pyMiddleware = (name: string, body = "return None") =>
  `from django.utils.deprecation import MiddlewareMixin\n\n\nclass ${name}(MiddlewareMixin):\n    def process_request(self, request):\n        ${body}\n`;
const PY = ["--target", "3.2"];

describe("hostile files", () => {
  it("built", () => expect(existsSync(CLI), "run npm run build").toBe(true));

  it("non-UTF-8 text: an error with line and column, the other files still fixed, the file untouched", () => {
    const latinTs = Buffer.concat([Buffer.from("// caf"), Buffer.from([0xe9]), Buffer.from(`\n${tsMiddleware("LatinMiddleware")}`)]);
    const latinPy = Buffer.concat([Buffer.from("# -*- coding: latin-1 -*-\n# caf"), Buffer.from([0xe9]), Buffer.from(`\n${pyMiddleware("LatinPyMiddleware")}`)]);
    // Overlong and surrogate encodings are not UTF-8 either.
    const overlong = Buffer.concat([Buffer.from("const a = 1;\nconst b = '"), Buffer.from([0xc0, 0xaf]), Buffer.from("';\n")]);
    const surrogate = Buffer.concat([Buffer.from("x = '"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from("'\n")]);
    // A Python file in its declared encoding (PEP 263) is read, and fixed, like the good one.
    const ref = reference({ "good.ts": tsMiddleware("GoodMiddleware"), "latin1.py": latinPy });
    const dir = repo({ "good.ts": tsMiddleware("GoodMiddleware"), "latin1.ts": latinTs, "latin1.py": latinPy, "overlong.ts": overlong, "surrogate.py": surrogate });
    const before = snapshot(dir);
    const run = dryJson(dir);
    expect(run.code).toBe(2);
    expect(run.json).toEqual(
      withErrors(ref.json, [
        { file: "latin1.ts", message: "not valid UTF-8 (byte 0xe9 at offset 6)", line: 1, column: 7 },
        { file: "overlong.ts", message: "not valid UTF-8 (byte 0xc0 at offset 24)", line: 2, column: 12 },
        { file: "surrogate.py", message: "not valid UTF-8 (byte 0xed at offset 5)", line: 1, column: 6 },
      ], { filesScanned: 3 }),
    );
    expect(snapshot(dir)).toEqual(before);
    expect(cli(dir, ["--json", "--write"]).code).toBe(2);
    expect(snapshot(dir)).toEqual({ ...before, "good.ts": ref.after["good.ts"], "latin1.py": ref.after["latin1.py"] });
    expect(ref.after["latin1.py"]).not.toEqual(before["latin1.py"]);
  });

  it("binary content and UTF-16 text: an error naming the file, never parsed", () => {
    const ref = reference({ "good.ts": tsMiddleware("GoodMiddleware") });
    const dir = repo({
      "good.ts": tsMiddleware("GoodMiddleware"),
      "blob.ts": Buffer.from("abc\ndef\0ghi MiddlewareMixin \x01\x02\xff\xfe"),
      "video.ts": Buffer.from([0x47, 0x40, 0x00, 0x10, 0x00, 0x00, 0xb0, 0x0d, 0x00, 0x01, 0xc1, 0x00, 0x00]), // an MPEG transport stream
      "utf16.ts": Buffer.from(`\ufeff${tsMiddleware("WideMiddleware")}`, "utf16le"),
      "utf16be.py": Buffer.from(`\ufeff${pyMiddleware("WidePyMiddleware")}`, "utf16le").swap16(),
    });
    const before = snapshot(dir);
    const run = dryJson(dir);
    expect(run.code).toBe(2);
    expect(run.json).toEqual(
      withErrors(ref.json, [
        { file: "blob.ts", message: "binary content (NUL byte at offset 7)", line: 2, column: 4 },
        { file: "utf16.ts", message: "UTF-16 text (byte-order mark FF FE): only UTF-8 is read", line: 1, column: 1 },
        { file: "utf16be.py", message: "UTF-16 text (byte-order mark FE FF): only UTF-8 is read", line: 1, column: 1 },
        { file: "video.ts", message: "binary content (NUL byte at offset 2)", line: 1, column: 3 },
      ], { filesScanned: 4 }),
    );
    cli(dir, ["--json", "--write"]);
    expect(snapshot(dir)).toEqual({ ...before, "good.ts": ref.after["good.ts"] });
  });

  it("a 5 MB minified one-line file: the edit lands in place; a 5 MB file without middleware costs no error", () => {
    const head = `import{MiddlewareMixin as M}from"framework";`;
    const cls = `class Bundled extends M{processRequest(r){return r}}`;
    const filler = (from: number) => Array.from({ length: 66_000 }, (_, i) => `var v${from + i}=function(a){return a+${i}};`).join("");
    const small = head + cls + "\n";
    const big = head + filler(0) + cls + filler(100_000) + "\n";
    const vendor = filler(200_000) + "\n";
    expect(big.length).toBeGreaterThan(5_000_000);
    const ref = reference({ "small.min.js": small });
    const dir = repo({ "bundle.min.js": big, "vendor.min.js": vendor });
    const run = dryJson(dir);
    const expected = renamed(ref.json, [["small.min.js", "bundle.min.js"]]);
    expected.summary.filesScanned += 1;
    expect(run.json).toEqual(expected);
    expect(run.code).toBe(1);
    // The same insertion, at the same place relative to the class, as in the small file.
    const smallAfter = ref.after["small.min.js"];
    const at = [...small].findIndex((c, i) => smallAfter[i] !== c);
    const inserted = smallAfter.slice(at, at + smallAfter.length - small.length);
    expect(smallAfter).toBe(small.slice(0, at) + inserted + small.slice(at));
    const offset = big.indexOf(cls) + (at - small.indexOf(cls));
    cli(dir, ["--json", "--write"]);
    expect(snapshot(dir)).toEqual({ "bundle.min.js": big.slice(0, offset) + inserted + big.slice(offset), "vendor.min.js": vendor });
  });

  // TS/JS: the built CLI moves a run to its large-stack worker from about 800 levels of
  // parentheses (700 stay on the main thread; measured by watching for the worker), so 5,000
  // takes that path with a margin of six; 20,000 only cost seconds more of the same path.
  // Python has no such worker: its walkers get the full 20,000.
  const DEPTH = { "TS/JS": 5_000, Python: 20_000 };
  const deepFiles = (N: number): Record<string, [string, string]> => ({
    // file: [deep text, the same class with a shallow expression on the same lines]
    "deep-parens.ts": [tsMiddleware("DeepParensMiddleware", `return ${"(".repeat(N)}1${")".repeat(N)};`), tsMiddleware("DeepParensMiddleware", "return (1);")],
    "deep-sum.ts": [tsMiddleware("DeepSumMiddleware", `return 0${"+1".repeat(N)};`), tsMiddleware("DeepSumMiddleware", "return 0+1;")],
    "deep-array.js": [
      `import { MiddlewareMixin } from "framework";\nexport class DeepArrayMiddleware extends MiddlewareMixin {\n  processRequest(r) { return ${"[".repeat(N)}${"]".repeat(N)}; }\n}\n`,
      `import { MiddlewareMixin } from "framework";\nexport class DeepArrayMiddleware extends MiddlewareMixin {\n  processRequest(r) { return [[]]; }\n}\n`,
    ],
    "deep_parens.py": [pyMiddleware("DeepParensPyMiddleware", `return ${"(".repeat(N)}1${")".repeat(N)}`), pyMiddleware("DeepParensPyMiddleware", "return (1)")],
    "deep_sum.py": [pyMiddleware("DeepSumPyMiddleware", `return 0${"+1".repeat(N)}`), pyMiddleware("DeepSumPyMiddleware", "return 0+1")],
    "deep_list.py": [pyMiddleware("DeepListPyMiddleware", `return ${"[".repeat(N)}${"]".repeat(N)}`), pyMiddleware("DeepListPyMiddleware", "return [[]]")],
  });
  for (const lang of ["TS/JS", "Python"] as const)
    it(`${lang}: expressions nested ${DEPTH[lang].toLocaleString("en")} deep: a per-file error or a correct edit, never a stack overflow`, () => {
      const deep = Object.fromEntries(Object.entries(deepFiles(DEPTH[lang])).filter(([f]) => f.endsWith(".py") === (lang === "Python")));
      const good = { "good.ts": tsMiddleware("GoodMiddleware"), "good.py": pyMiddleware("GoodPyMiddleware") };
      const ref = reference({ ...good, ...Object.fromEntries(Object.entries(deep).map(([f, [, shallow]]) => [f, shallow])) }, PY);
      const dir = repo({ ...good, ...Object.fromEntries(Object.entries(deep).map(([f, [text]]) => [f, text])) });
      const run = dryJson(dir, PY);
      // Build the expected result: each deep file either behaves like its shallow twin, or is
      // reported (by name) instead of its classes.
      const expected = structuredClone(ref.json);
      const failed = new Set(run.json.errors.map((e: any) => e.file));
      for (const e of run.json.errors) {
        expect(Object.keys(deep), `unexpected error ${JSON.stringify(e)}`).toContain(e.file);
        expect(e.message, `${e.file}: the message should say what is wrong`).toMatch(/nest|deep|depth|recursion|too complex/i);
      }
      expected.middleware = expected.middleware.filter((m: any) => !failed.has(m.file));
      for (const m of ref.json.middleware.filter((m: any) => failed.has(m.file))) {
        const key = { "set-async-capable-false": "setFalse", "set-async-capable-true": "setTrue", "needs-review": "needsReview", unchanged: "unchanged" }[m.outcome as string]!;
        expected.summary[key]--;
      }
      for (const f of failed) if (ref.json.middleware.some((m: any) => m.file === f && m.outcome.startsWith("set-"))) expected.summary.filesChanged--;
      expected.errors = run.json.errors;
      expected.summary.errors = run.json.errors.length;
      if (expected.chains) expected.chains = run.json.chains;
      expect(run.json).toEqual(expected);
      // A real run: edited files get the shallow twin's insertion; failed files stay as they were.
      cli(dir, ["--json", "--write", ...PY]);
      const after = snapshot(dir);
      for (const [f, [text, shallow]] of Object.entries(deep)) {
        if (failed.has(f)) expect(after[f], f).toBe(text);
        else {
          const ins = ref.after[f];
          const at = [...shallow].findIndex((c, i) => ins[i] !== c);
          const inserted = ins.slice(at, at + ins.length - shallow.length);
          expect(after[f], f).toBe(text.slice(0, at) + inserted + text.slice(at));
        }
      }
      expect(after["good.ts"]).toBe(ref.after["good.ts"]);
      expect(after["good.py"]).toBe(ref.after["good.py"]);
    });

  it("a byte-order mark: the same result as without it, and kept in front of the edited file", () => {
    const files = { "bom.ts": tsMiddleware("BomMiddleware"), "bom.py": pyMiddleware("BomPyMiddleware") };
    const ref = reference(files, PY);
    const dir = repo(Object.fromEntries(Object.entries(files).map(([f, t]) => [f, `\ufeff${t}`])));
    expect(dryJson(dir, PY).json).toEqual(ref.json);
    cli(dir, ["--json", "--write", ...PY]);
    const bom = Buffer.from("\ufeff").toString("latin1");
    expect(snapshot(dir)).toEqual({ "bom.ts": bom + ref.after["bom.ts"], "bom.py": bom + ref.after["bom.py"] });
  });

  for (const [label, eol] of [
    ["CR-only", "\r"],
    ["CRLF", "\r\n"],
  ] as const) {
    it(`${label} line endings: the same result and lines as with LF, and the insertion ends its line the same way`, () => {
      const files = { "eol.ts": tsMiddleware("EolMiddleware"), "eol.py": pyMiddleware("EolPyMiddleware") };
      const ref = reference(files, PY);
      const dir = repo(Object.fromEntries(Object.entries(files).map(([f, t]) => [f, t.replace(/\n/g, eol)])));
      expect(dryJson(dir, PY).json).toEqual(ref.json);
      cli(dir, ["--json", "--write", ...PY]);
      expect(snapshot(dir)).toEqual(Object.fromEntries(Object.entries(ref.after).map(([f, t]) => [f, t.replace(/\n/g, eol)])));
    });
  }

  it("symbolic links: loops, dangling links and aliases cost nothing; each real file is scanned once and links stay links", () => {
    const ref = reference({ "src/good.ts": tsMiddleware("GoodMiddleware") });
    const dir = repo({
      "src/good.ts": tsMiddleware("GoodMiddleware"),
      "src/loop": { symlink: "." },
      "src/up": { symlink: ".." },
      "src/a.ts": { symlink: "b.ts" },
      "src/b.ts": { symlink: "a.ts" },
      "src/self.py": { symlink: "self.py" },
      "src/dangling.ts": { symlink: "nowhere.ts" },
      "src/alias.ts": { symlink: "good.ts" },
      "src/outside.ts": { symlink: "/etc/hostname" },
    });
    const before = snapshot(dir);
    expect(dryJson(dir).json).toEqual(ref.json);
    // Given as the path to scan, through a link.
    expect(cli(dir, ["--dry-run", "--json", "src/loop"]).json).toEqual(renamed(ref.json, [["src/good.ts", "src/loop/good.ts"]]));
    // Given as a file, a link is read at its target; the target is outside the given path, so
    // nothing is written (a rename onto the link would have replaced the link with a file).
    const viaLink = cli(dir, ["--json", "--write", "src/alias.ts"]);
    const notProposed = withErrors(ref.json, [{ file: "src/good.ts", message: "an edit outside the given paths was proposed; not written" }], { filesChanged: -1 });
    notProposed.middleware[0].fix = null; // the edit is not one of this run's
    expect(viaLink.json).toEqual(notProposed);
    expect(snapshot(dir)).toEqual(before);
    cli(dir, ["--json", "--write"]);
    expect(snapshot(dir)).toEqual({ ...before, "src/good.ts": ref.after["src/good.ts"] });
  });

  it("folders named like source files are walked, not read", () => {
    const ref = reference({ "plain_ts/inner.ts": tsMiddleware("InnerMiddleware"), "plain_py/inner.py": pyMiddleware("InnerPyMiddleware") }, PY);
    const dir = repo({ "weird.ts/inner.ts": tsMiddleware("InnerMiddleware"), "weird.py/inner.py": pyMiddleware("InnerPyMiddleware"), "empty.js": { dir: true } });
    const names: [string, string][] = [
      ["plain_ts/", "weird.ts/"],
      ["plain_py/", "weird.py/"],
    ];
    expect(dryJson(dir, PY).json).toEqual(renamed(ref.json, names));
    const only = cli(dir, ["--dry-run", "--json", "weird.ts", ...PY]).json;
    expect(only.middleware.map((m: any) => [m.file, m.class, m.outcome])).toEqual([["weird.ts/inner.ts", "InnerMiddleware", "set-async-capable-false"]]);
    cli(dir, ["--json", "--write", ...PY]);
    expect(snapshot(dir)["weird.ts/inner.ts"]).toBe(ref.after["plain_ts/inner.ts"]);
    expect(snapshot(dir)["weird.py/inner.py"]).toBe(ref.after["plain_py/inner.py"]);
  });

  it("FIFOs and other special files named like sources are not opened (no hang), and are counted as errors", () => {
    const ref = reference({ "good.ts": tsMiddleware("GoodMiddleware") });
    const dir = repo({ "good.ts": tsMiddleware("GoodMiddleware"), "pipe.ts": { fifo: true }, "pipe.py": { fifo: true } });
    const message = "not a regular file (a pipe, socket or device); not read";
    const run = dryJson(dir);
    expect(run.code).toBe(2);
    expect(sortErrors(run.json)).toEqual(withErrors(ref.json, [{ file: "pipe.py", message }, { file: "pipe.ts", message }], { filesScanned: 2 }));
  });

  it("empty, BOM-only and blank files are scanned and find nothing", () => {
    const ref = reference({ "good.ts": tsMiddleware("GoodMiddleware"), "blank.py": "" }, PY);
    const dir = repo({ "good.ts": tsMiddleware("GoodMiddleware"), "empty.ts": "", "bom-only.ts": "\ufeff", "blank.py": "\n\n   \n", "empty.py": "" });
    const expected = structuredClone(ref.json);
    expected.summary.filesScanned += 3;
    expect(dryJson(dir, PY).json).toEqual(expected);
  });

  it("file and folder names that are not UTF-8: an error naming each", () => {
    const ref = reference({ "good.ts": tsMiddleware("GoodMiddleware") });
    const dir = repo({ "good.ts": tsMiddleware("GoodMiddleware") });
    const bad = (name: string) => Buffer.concat([Buffer.from(`${dir}/${name}-`), Buffer.from([0xff])]);
    writeFileSync(Buffer.concat([bad("bad"), Buffer.from(".ts")]), tsMiddleware("BadNameMiddleware"));
    mkdirSync(bad("folder"));
    writeFileSync(Buffer.concat([bad("folder"), Buffer.from("/inner.ts")]), tsMiddleware("BadFolderMiddleware"));
    git(dir, "add", "-A");
    git(dir, "commit", "-q", "-m", "bad names");
    const run = dryJson(dir);
    expect(run.code).toBe(2);
    expect(run.json).toEqual(
      withErrors(ref.json, [
        { file: "bad-\ufffd.ts", message: "file name is not valid UTF-8; not read" },
        { file: "folder-\ufffd", message: "folder name is not valid UTF-8; not scanned" },
      ], { filesScanned: 1 }),
    );
  });

  it("files removed, replaced or changed while the run is under way: per-file errors, nothing half-written", () => {
    const files = {
      "changed.ts": tsMiddleware("ChangedMiddleware"),
      "removed-late.ts": tsMiddleware("RemovedLateMiddleware"),
      "stable.ts": tsMiddleware("StableMiddleware"),
    };
    const ref = reference(files);
    const dir = repo({ ...files, "gone.ts": tsMiddleware("GoneMiddleware"), "now-a-folder.ts": tsMiddleware("FolderMiddleware") });
    // The hook runs inside the CLI (MIDDLEWARE_CODEMOD_TEST_HOOK, files.ts): after listing, two
    // files go; after reading, one changes and one goes, before anything is written.
    const hook = path.join(tempDir(), "hook.mjs");
    writeFileSync(
      hook,
      `import { appendFileSync, mkdirSync, rmSync } from "node:fs";
export function afterList() { rmSync("gone.ts"); rmSync("now-a-folder.ts"); mkdirSync("now-a-folder.ts"); }
export function afterRead() { appendFileSync("changed.ts", "// edited meanwhile\\n"); rmSync("removed-late.ts"); }\n`,
    );
    // --allow-dirty: the hook's changes make the work tree dirty before the CLI checks git.
    const run = cli(dir, ["--json", "--write", "--allow-dirty"], { MIDDLEWARE_CODEMOD_TEST_HOOK: hook });
    expect(run.code).toBe(2);
    const expected = withErrors(ref.json, [
      { file: "changed.ts", message: "not written: changed on disk during the run; not written" },
      { file: "gone.ts", message: "file disappeared during the run" },
      { file: "now-a-folder.ts", message: "cannot read: is a folder" },
      { file: "removed-late.ts", message: "not written: file disappeared during the run" },
    ]);
    expected.summary.filesChanged = 1;
    expected.summary.filesScanned += 2; // gone.ts and now-a-folder.ts were looked at
    expect(sortErrors(run.json)).toEqual(expected);
    expect(snapshot(dir)).toEqual({
      "changed.ts": files["changed.ts"] + "// edited meanwhile\n",
      "now-a-folder.ts/": "folder",
      "stable.ts": ref.after["stable.ts"],
    });
  });
});

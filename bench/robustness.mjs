#!/usr/bin/env node
// Robustness over real trees: prints findings, exits 1 when a check fails. After `npm run build`:
//   node bench/robustness.mjs            the project's node_modules (every file, as installed),
//                                        Debian's Django 3.2 (python3-django, provisioned by
//                                        test/setup/provision.mjs), Python's standard
//                                        library (/usr/lib/python3.11), and where present the other
//                                        Debian Python packages and npm's own node_modules: well
//                                        over 10,000 source files
// The tree is copied into a temporary git repository (node_modules path segments renamed `nm`
// so that the codemod enters them; symbolic links kept as links), then:
//   1. dry run (--dry-run --json --target 3.2): exit 0, 1 or 2 with a valid JSON result, no stack
//      trace on stderr, nothing written; every source file that is not UTF-8 text is reported
//      by name, every other one is scanned, and every reported error names a file of the tree;
//   2. real run (--json --target 3.2): exactly the files it reports edits for change, by inserted
//      lines only;
//   3. a second dry run proposes nothing;
//   4. parser stress: every readable source file gets a trailing comment naming the mixin, so
//      that the pre-filter lets it through, and a dry run must still end well (exit 0/1/2,
//      valid JSON, no stack trace, every unparsable file named).
// test/real-trees.test.ts runs the same checks (exported below) on a smaller sample.
import { execFileSync } from "node:child_process";
import { isUtf8 } from "node:buffer";
import { appendFileSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, copyFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { fmtMB, fmtS, hasStackTrace, measure } from "./scale-measure.mjs";
import { provision } from "../test/setup/provision.mjs";

export const REPO = path.resolve(import.meta.dirname, "..");
export const CLI = path.join(REPO, "dist/cli/main.js");
/** Debian's Django 3.2 package folder (django/), provisioned into the cache on first use. */
export const djangoTree = () => path.join(provision({ parts: ["django-3.2"] }).parts["django-3.2"].pythonPath, "django");
export const STDLIB = "/usr/lib/python3.11";
const SOURCE = /\.(?:[cm]?[jt]sx?|py)$/;

/**
 * Copy `from` into `to` as it is, except: `node_modules` segments become `nm`, `__pycache__`
 * folders and `.pyc` files are left out, symbolic links are copied verbatim. `limit` caps the
 * number of source files copied (other files come along only in the folders reached).
 * Returns the numbers of files and of source files copied.
 */
export function copyTree(from, to, { limit = Infinity, skip = () => false } = {}) {
  let sources = 0;
  let files = 0;
  const walk = (src, dest) => {
    let entries;
    try {
      entries = readdirSync(src, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
    } catch {
      return;
    }
    mkdirSync(dest, { recursive: true });
    for (const e of entries) {
      if (sources >= limit) return;
      const s = path.join(src, e.name);
      if (e.name === "__pycache__" || e.name.endsWith(".pyc") || skip(s)) continue;
      const d = path.join(dest, e.name === "node_modules" ? "nm" : e.name);
      if (e.isSymbolicLink()) symlinkSync(readlinkSync(s), d);
      else if (e.isDirectory()) walk(s, d);
      else if (e.isFile()) {
        copyFileSync(s, d);
        files++;
        if (SOURCE.test(e.name)) sources++;
      }
    }
  };
  walk(from, to);
  return { sources, files };
}

export function gitInit(dir) {
  const git = (...args) => execFileSync("git", args, { cwd: dir, stdio: "pipe", maxBuffer: 1 << 28 });
  git("init", "-q");
  git("config", "core.excludesFile", "/dev/null");
  git("config", "user.email", "bench@example.com");
  git("config", "user.name", "bench");
  git("add", "-A");
  git("commit", "-q", "--no-verify", "-m", "tree");
  return git;
}

/** The source files git tracks that the codemod should read: regular files, not in skipped folders. */
export function expectedSources(dir, git) {
  const listed = git("ls-files", "-z").toString("utf8").split("\0").filter(Boolean);
  const out = [];
  for (const f of listed) {
    if (!SOURCE.test(f)) continue;
    if (f.split("/").some((seg) => ["node_modules", ".git", "__pycache__"].includes(seg))) continue;
    if (!lstatSync(path.join(dir, f)).isFile()) continue;
    out.push(f);
  }
  return out;
}

/** Independently of the codemod: which of these files are text it can read (UTF-8, no NUL byte). */
export function classify(dir, files) {
  const readable = [];
  const unreadable = [];
  for (const f of files) {
    const bytes = readFileSync(path.join(dir, f));
    (bytes.includes(0) || !isUtf8(bytes) ? unreadable : readable).push(f);
  }
  return { readable, unreadable };
}

function runCli(dir, args) {
  const r = measure(process.execPath, [CLI, ...args], { cwd: dir });
  let json = null;
  try {
    json = JSON.parse(r.stdout);
  } catch {
    // reported below
  }
  return { ...r, json };
}

const edited = (json) => new Set(json.middleware.filter((m) => m.outcome === "set-async-capable-false" || m.outcome === "set-async-capable-true").map((m) => m.file));

/**
 * The three runs and their checks on a git repository `dir` (committed, clean). Returns
 * {failures: string[], notes: string[], runs, errors} — no failure means every check passed.
 */
export function checkTree(dir, extraArgs = ["--target", "3.2"]) {
  const failures = [];
  const notes = [];
  const fail = (m) => failures.push(m);
  const git = (...args) => execFileSync("git", args, { cwd: dir, stdio: "pipe", maxBuffer: 1 << 28 }).toString("utf8");
  const sources = expectedSources(dir, (...a) => execFileSync("git", a, { cwd: dir, stdio: "pipe", maxBuffer: 1 << 28 }));
  const { readable, unreadable } = classify(dir, sources);
  notes.push(`${sources.length} source files tracked by git: ${readable.length} UTF-8 text, ${unreadable.length} not (binary or another encoding)`);

  const wellFormed = (run, label, allowed) => {
    if (!allowed.includes(run.status)) fail(`${label}: exit ${run.status}${run.signal ? ` (${run.signal})` : ""}, expected one of ${allowed.join(", ")}`);
    if (hasStackTrace(run.stderr)) fail(`${label}: stack trace on stderr:\n${run.stderr.slice(0, 2000)}`);
    if (!run.json) fail(`${label}: stdout is not one JSON object: ${run.stdout.slice(0, 300)}`);
    return !!run.json;
  };

  // 1. Dry run.
  const dry = runCli(dir, ["--dry-run", "--json", ...extraArgs]);
  notes.push(`dry run: ${fmtS(dry.wall)}, peak ${fmtMB(dry.rssMB)}, exit ${dry.status}`);
  if (git("status", "--porcelain")) fail(`dry run wrote to the tree:\n${git("status", "--porcelain").slice(0, 1000)}`);
  if (!wellFormed(dry, "dry run", [0, 1, 2])) return { failures, notes, runs: { dry }, errors: [] };
  const result = dry.json;
  const errorFiles = new Set(result.errors.map((e) => e.file));
  for (const f of unreadable) if (!errorFiles.has(f)) fail(`${f} is not UTF-8 text but is not reported as an error`);
  if (result.summary.filesScanned !== readable.length) fail(`filesScanned is ${result.summary.filesScanned}, but ${readable.length} files are readable text`);
  for (const e of result.errors) {
    if (!e.file || typeof e.message !== "string" || !e.message) fail(`an error without a file or message: ${JSON.stringify(e)}`);
    else if (!existsSync(path.join(dir, e.file))) fail(`an error names a file that does not exist: ${JSON.stringify(e)}`);
  }
  if (result.summary.errors !== result.errors.length) fail(`summary.errors ${result.summary.errors} ≠ ${result.errors.length} errors listed`);
  if ((result.errors.length > 0) !== (dry.status === 2)) fail(`exit ${dry.status} with ${result.errors.length} errors`);
  const proposed = edited(result);
  notes.push(
    `middleware: ${result.middleware.length} (false ${result.summary.setFalse}, true ${result.summary.setTrue}, review ${result.summary.needsReview}, unchanged ${result.summary.unchanged}); edits proposed in ${proposed.size} files; ${result.errors.length} files reported as errors`,
  );

  // 2. Real run: only the reported files change, by inserted lines only.
  const real = runCli(dir, ["--json", ...extraArgs]);
  notes.push(`real run: ${fmtS(real.wall)}, peak ${fmtMB(real.rssMB)}, exit ${real.status}`);
  if (wellFormed(real, "real run", [0, 2])) {
    const changed = git("diff", "--name-only", "-z").split("\0").filter(Boolean);
    const reported = edited(real.json);
    for (const f of changed) if (!reported.has(f)) fail(`the real run changed ${f}, which it reported no edit for`);
    for (const f of reported) if (!changed.includes(f)) fail(`the real run reported an edit for ${f} but did not change it`);
    if (real.json.summary.filesChanged !== changed.length) fail(`filesChanged ${real.json.summary.filesChanged} ≠ ${changed.length} files changed`);
    const untracked = git("status", "--porcelain", "--untracked-files=all").split("\n").filter((l) => l.startsWith("??"));
    if (untracked.length) fail(`the real run left new files: ${untracked.slice(0, 5).join(", ")}`);
    for (const line of git("diff", "--numstat").split("\n").filter(Boolean)) {
      const [added, removed, file] = line.split("\t");
      if (removed !== "0") fail(`${file}: the real run removed ${removed} lines (added ${added})`);
    }
    if (JSON.stringify(real.json.middleware) !== JSON.stringify(result.middleware)) fail("the real run's middleware list differs from the dry run's");
    notes.push(`real run changed ${changed.length} files, ${git("diff", "--shortstat").trim() || "no lines"}`);
  }

  // 3. A second dry run proposes nothing.
  const again = runCli(dir, ["--dry-run", "--json", ...extraArgs]);
  if (wellFormed(again, "second dry run", [0, 2])) {
    if (again.json.summary.setFalse || again.json.summary.setTrue) fail(`the second dry run still proposes ${again.json.summary.setFalse} set-false and ${again.json.summary.setTrue} set-true edits`);
    if (again.json.errors.length !== result.errors.length) notes.push(`second dry run: ${again.json.errors.length} errors (first: ${result.errors.length})`);
  }
  git("checkout", "-q", "--", ".");
  return { failures, notes, runs: { dry, real, again }, errors: result.errors };
}

/**
 * Parser stress: the pre-filter keeps most real files away from the parsers, so append a
 * comment naming the mixin to every readable source file (each is then parsed) and dry-run
 * again: no crash, valid JSON, every error names a file. Changes the tree (committed after).
 */
export function stressParsers(dir, extraArgs = ["--target", "3.2"]) {
  const failures = [];
  const git = (...args) => execFileSync("git", args, { cwd: dir, stdio: "pipe", maxBuffer: 1 << 28 }).toString("utf8");
  const sources = expectedSources(dir, (...a) => execFileSync("git", a, { cwd: dir, stdio: "pipe", maxBuffer: 1 << 28 }));
  const { readable } = classify(dir, sources);
  for (const f of readable) appendFileSync(path.join(dir, f), f.endsWith(".py") ? "\n# MiddlewareMixin\n" : "\n// MiddlewareMixin\n");
  git("commit", "-qam", "stress: every file mentions the mixin");
  const run = runCli(dir, ["--dry-run", "--json", ...extraArgs]);
  if (![0, 1, 2].includes(run.status)) failures.push(`stress dry run: exit ${run.status}${run.signal ? ` (${run.signal})` : ""}`);
  if (hasStackTrace(run.stderr)) failures.push(`stress dry run: stack trace on stderr:\n${run.stderr.slice(0, 2000)}`);
  if (!run.json) {
    failures.push(`stress dry run: stdout is not one JSON object: ${run.stdout.slice(0, 300)} ${run.stderr.slice(0, 500)}`);
    return { failures, run, errors: [], files: readable.length };
  }
  for (const e of run.json.errors) if (!e.file || !existsSync(path.join(dir, e.file))) failures.push(`stress: an error that names no file of the tree: ${JSON.stringify(e)}`);
  if (git("status", "--porcelain")) failures.push("stress dry run wrote to the tree");
  return { failures, run, errors: run.json.errors, files: readable.length };
}

/** Errors grouped by message shape, for printing. */
export function errorGroups(errors) {
  const groups = new Map();
  for (const e of errors) {
    const key = e.message.replace(/\d+/g, "N").replace(/'[^']*'/g, "'…'").slice(0, 90);
    groups.set(key, [...(groups.get(key) ?? []), e]);
  }
  return [...groups].sort((a, b) => b[1].length - a[1].length);
}

// ---------------------------------------------------------------------------------------------
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (!existsSync(CLI)) {
    console.error("dist/cli/main.js is missing: run `npm run build` first.");
    process.exit(2);
  }
  const tmp = mkdtempSync(path.join(os.tmpdir(), "mwc-robust-"));
  process.on("exit", () => rmSync(tmp, { recursive: true, force: true }));
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));
  const dir = path.join(tmp, "tree");
  const DJANGO = djangoTree();
  console.log("# middleware-codemod robustness over real trees");
  const parts = [
    ["node_modules (the project's, every file as installed)", path.join(REPO, "node_modules"), "nm"],
    ["Django (Debian python3-django)", DJANGO, "django"],
    ["Python standard library", STDLIB, "python3.11"],
    // More real code, when present: every other Debian Python package, and npm's own tree.
    ["the other Debian Python packages (/usr/lib/python3/dist-packages)", "/usr/lib/python3/dist-packages", "dist-packages"],
    ["npm and corepack (/usr/lib/node_modules)", "/usr/lib/node_modules", "usr-lib-nm"],
  ];
  let total = 0;
  for (const [label, from, to] of parts) {
    if (!existsSync(from)) {
      console.log(`skipped ${label}: ${from} is missing`);
      continue;
    }
    const skip = (s) => s.endsWith("/site-packages") || s.endsWith("/dist-packages") || s.endsWith("/dist-packages/django");
    const { sources, files } = copyTree(from, path.join(dir, to), { skip });
    total += files;
    console.log(`${label}: ${files} files, ${sources} of them source files`);
  }
  console.log(`in all: ${total} files`);
  const version = existsSync(DJANGO) ? (readFileSync(path.join(DJANGO, "__init__.py"), "utf8").match(/VERSION = \((\d+), (\d+), (\d+)/) ?? []).slice(1).join(".") : "";
  if (version) console.log(`Django version: ${version}`);
  gitInit(dir);
  const { failures, notes, errors } = checkTree(dir);
  for (const n of notes) console.log(`- ${n}`);
  console.log(`\n## Files reported as not readable or not parsable (${errors.length})`);
  for (const [shape, list] of errorGroups(errors)) {
    console.log(`${list.length} × ${shape}`);
    for (const e of list.slice(0, 8)) console.log(`    ${e.file}${e.line ? `:${e.line}:${e.column}` : ""}: ${e.message.slice(0, 160)}`);
    if (list.length > 8) console.log(`    … and ${list.length - 8} more`);
  }
  console.log(`\n## Parser stress: every readable source file made to mention the mixin, so that each is parsed`);
  const stress = stressParsers(dir);
  failures.push(...stress.failures);
  console.log(`- ${stress.files} files; dry run ${fmtS(stress.run.wall)}, peak ${fmtMB(stress.run.rssMB)}, exit ${stress.run.status}; ${stress.errors.length} files reported as not parsable`);
  for (const [shape, list] of errorGroups(stress.errors)) {
    console.log(`${list.length} × ${shape}`);
    for (const e of list.slice(0, 5)) console.log(`    ${e.file}${e.line ? `:${e.line}:${e.column}` : ""}: ${e.message.slice(0, 160)}`);
    if (list.length > 5) console.log(`    … and ${list.length - 5} more`);
  }
  console.log(`\n## Checks`);
  if (!failures.length) console.log("all passed: no crash, valid JSON, nothing written by dry runs, every unreadable file named, edits only inserted and only where reported, second run proposes nothing");
  for (const f of failures) console.log(`FAIL ${f}`);
  process.exitCode = failures.length ? 1 : 0;
}

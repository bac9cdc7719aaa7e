#!/usr/bin/env node
// Scale benchmark: prints figures, asserts nothing. Run after `npm run build`:
//   node bench/scale.mjs                      every section
//   node bench/scale.mjs nomw mw naive django  some sections
//   SIZES=1000,2000 REPEAT=3 node bench/scale.mjs mw
// Sections (all in one run, side by side, on trees generated under a temp dir, removed at exit):
//   nomw    ~6,000 real JS/TS files without middleware (the project's node_modules sources,
//           copied twice): full `--dry-run --json` vs bench/baseline-read.mjs (list, read,
//           regex-match); target ≤ 2x. Also which parsers got loaded (target: none).
//   mw      generated TS trees of 1k/2k/4k/8k middleware files in cross-file chains:
//           time, peak memory, growth; target 1k < 5 s and < 1 GB, linear growth.
//   naive   the 1k and 8k trees (NAIVE_SIZES) through the real jscodeshift CLI with
//           bench/naive-transform.cjs (file by file) vs the codemod; target ≥ 10x faster.
//   django  Debian's Django source (python3-django) with `--target 3.2`: time and memory.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { copyRealSources, generateMiddlewareTree } from "./scale-tree.mjs";
import { fmtMB, fmtS, hasStackTrace, measure, measureMedian, peakMemorySource } from "./scale-measure.mjs";
import { djangoTree } from "./robustness.mjs";

const REPO = path.resolve(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist/cli/main.js");
const BASELINE = path.join(REPO, "bench/baseline-read.mjs");
const JSCODESHIFT = path.join(REPO, "node_modules/.bin/jscodeshift");
const NAIVE = path.join(REPO, "bench/naive-transform.cjs");
const node = process.execPath;

const sections = process.argv.slice(2).length ? process.argv.slice(2) : ["nomw", "mw", "naive", "django"];
const SIZES = (process.env.SIZES ?? "1000,2000,4000,8000").split(",").map(Number);
const REPEAT = Number(process.env.REPEAT ?? 5);

if (!existsSync(CLI)) {
  console.error(`${path.relative(process.cwd(), CLI)} is missing: run \`npm run build\` first.`);
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), "mwc-scale-"));
const cleanup = () => rmSync(tmp, { recursive: true, force: true });
process.on("exit", cleanup);
for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => process.exit(130));

// An ESM resolve hook that records which heavy modules a run loads (in a separate, unmeasured run).
const hooks = path.join(tmp, "loaded-hooks.mjs");
writeFileSync(
  hooks,
  `import { appendFileSync } from "node:fs";
export async function resolve(spec, ctx, next) {
  const r = await next(spec, ctx);
  if (/node_modules[/](typescript|ts-morph|@ts-morph|web-tree-sitter|tree-sitter-python)[/]/.test(r.url)) appendFileSync(process.env.MWC_LOADED, r.url + "\\n");
  return r;
}\n`,
);
const register = path.join(tmp, "register.mjs");
writeFileSync(register, `import { register } from "node:module";\nregister(${JSON.stringify("file://" + hooks)});\n`);
function heavyModulesLoaded(args, cwd) {
  const out = path.join(tmp, "loaded.txt");
  rmSync(out, { force: true });
  spawnSync(node, ["--import", register, CLI, ...args], { cwd, env: { ...process.env, MWC_LOADED: out }, encoding: "utf8" });
  if (!existsSync(out)) return [];
  const names = readFileSync(out, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((u) => (u.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/) ?? [, u])[1]);
  return [...new Set(names)];
}

const cpu = os.cpus();
console.log(`# middleware-codemod scale benchmark`);
console.log(`machine: ${cpu.length} cores (${cpu[0]?.model ?? "?"}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.type()} ${os.release()}, Node ${process.version}`);
console.log(`peak memory: ${peakMemorySource}; times: wall clock, median of ${REPEAT} runs where marked (warm page cache)`);
console.log(`codemod: node dist/cli/main.js --dry-run --json (exit 1 = edits proposed)\n`);

function parseResult(run, label) {
  try {
    return JSON.parse(run.stdout);
  } catch {
    console.log(`  !! ${label}: no JSON result (exit ${run.status}${run.signal ? `, ${run.signal}` : ""}); stderr: ${run.stderr.slice(0, 800)}`);
    return null;
  }
}

function runCodemod(cwd, extra = [], times = 1) {
  const run = times > 1 ? measureMedian(times, node, [CLI, "--dry-run", "--json", ...extra], { cwd }) : measure(node, [CLI, "--dry-run", "--json", ...extra], { cwd });
  if (hasStackTrace(run.stderr)) console.log(`  !! stack trace on stderr:\n${run.stderr.slice(0, 1500)}`);
  return { run, result: parseResult(run, "codemod") };
}

const summaryLine = (r) => (r ? `${r.summary.filesScanned} files, ${r.middleware.length} middleware (false ${r.summary.setFalse}, true ${r.summary.setTrue}, review ${r.summary.needsReview}, unchanged ${r.summary.unchanged}), ${r.summary.errors} errors` : "no result");
const verdict = (ok) => (ok ? "MET" : "NOT MET");

// ---------------------------------------------------------------------------------------------
if (sections.includes("nomw")) {
  console.log(`## 1. No middleware: real JS/TS files from node_modules`);
  const dir = path.join(tmp, "nomw");
  const copied = copyRealSources(path.join(REPO, "node_modules"), dir, 2);
  console.log(`tree: ${copied} files (the project's node_modules JS/TS sources, copied twice)`);
  measure(node, [BASELINE, "."], { cwd: dir }); // warm the page cache
  const base = measureMedian(REPEAT, node, [BASELINE, "."], { cwd: dir });
  const b = JSON.parse(base.stdout);
  const { run, result } = runCodemod(dir, [], REPEAT);
  console.log(`baseline (list + read + regex): ${fmtS(base.wall)} (cpu ${fmtS(base.cpu)}), ${fmtMB(base.rssMB)}  [${b.files} files, ${(b.bytes / 2 ** 20).toFixed(0)} MB of text, ${b.matches} regex matches]`);
  console.log(`codemod --dry-run --json:        ${fmtS(run.wall)} (cpu ${fmtS(run.cpu)}), ${fmtMB(run.rssMB)}  [exit ${run.status}; ${summaryLine(result)}]`);
  const ratio = run.wall / base.wall;
  console.log(`ratio: ${ratio.toFixed(2)}x wall, ${(run.cpu / base.cpu).toFixed(2)}x cpu (target ≤ 2x): ${verdict(ratio <= 2)}`);
  console.log(`  all runs: baseline ${base.runs.map((r) => r.wall.toFixed(2)).join(" ")}; codemod ${run.runs.map((r) => r.wall.toFixed(2)).join(" ")}`);
  const loaded = heavyModulesLoaded(["--dry-run", "--json"], dir);
  console.log(`parsers loaded: ${loaded.length ? loaded.join(", ") : "none"} (target: none)`);
  if (result?.errors?.length) console.log(`errors reported: ${result.errors.slice(0, 5).map((e) => `${e.file}: ${e.message}`).join("; ")}${result.errors.length > 5 ? " …" : ""}`);
  rmSync(dir, { recursive: true, force: true });
  console.log();
}

// ---------------------------------------------------------------------------------------------
const mwTrees = new Map();
function mwTree(n) {
  if (!mwTrees.has(n)) {
    const dir = path.join(tmp, `mw${n}`);
    const g = generateMiddlewareTree(dir, n);
    mwTrees.set(n, { dir, ...g });
  }
  return mwTrees.get(n);
}

function checkOutcomes(tree, result) {
  if (!result) return "no result";
  const got = new Map(result.middleware.map((m) => [m.class, m.outcome]));
  const groups = new Map();
  for (const [name, outcome] of tree.expected) {
    const g = got.get(name) ?? "not found";
    if (g === outcome) continue;
    const key = `${name.replace(/\d+/, "")}: ${g} where the model's rules say ${outcome}`;
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  if (!groups.size) return `all ${tree.expected.size} outcomes as the model's rules say`;
  return [...groups].map(([k, names]) => `${names.length} × ${k} (e.g. ${names[0]})`).join("\n        check: ");
}

if (sections.includes("mw")) {
  console.log(`## 2. Middleware trees: generated TS, cross-file chains (mixin re-export, barrels, aliases, default exports)`);
  console.log(`files   wall      cpu       per 1k files  peak memory  exit  result`);
  const rows = [];
  for (const n of SIZES) {
    const tree = mwTree(n);
    measure(node, [BASELINE, "."], { cwd: tree.dir });
    const { run, result } = runCodemod(tree.dir, [], n <= 2000 ? 3 : 1);
    rows.push({ n, wall: run.wall, cpu: run.cpu, rss: run.rssMB });
    console.log(`${String(n).padEnd(7)} ${fmtS(run.wall).padEnd(9)} ${fmtS(run.cpu).padEnd(9)} ${fmtS((run.wall / n) * 1000).padEnd(13)} ${fmtMB(run.rssMB).padEnd(12)} ${String(run.status).padEnd(5)} ${summaryLine(result)}`);
    console.log(`        check: ${checkOutcomes(tree, result)}`);
  }
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first && first.n === 1000) console.log(`1k files: ${fmtS(first.wall)} (target < 5 s): ${verdict(first.wall < 5)}; ${fmtMB(first.rss)} (target < 1 GB): ${verdict(first.rss < 1024)}`);
  if (rows.length > 1) {
    const growth = last.wall / first.wall;
    const size = last.n / first.n;
    // time(n) ≈ start-up + k·n: the increments between sizes remove the start-up (loading
    // TypeScript, ~1 s) and show k; linear when k does not rise with n.
    const incr = rows.slice(1).map((r, i) => ((r.wall - rows[i].wall) / (r.n - rows[i].n)) * 1000);
    const incrCpu = rows.slice(1).map((r, i) => ((r.cpu - rows[i].cpu) / (r.n - rows[i].n)) * 1000);
    console.log(`growth ${first.n} → ${last.n} files (${size}x): wall ${growth.toFixed(2)}x, cpu ${(last.cpu / first.cpu).toFixed(2)}x, memory ${(last.rss / first.rss).toFixed(2)}x`);
    console.log(`marginal cost per 1k files between sizes: wall ${incr.map((x) => fmtS(x)).join(", ")}; cpu ${incrCpu.map((x) => fmtS(x)).join(", ")}`);
    const ok = growth <= size * 1.15 && incrCpu[incrCpu.length - 1] <= 1.5 * Math.min(...incrCpu);
    console.log(`linear growth: ${verdict(ok)} (total growth ≤ ${(size * 1.15).toFixed(1)}x, and the last marginal cpu cost ≤ 1.5x the smallest)`);
  }
  console.log();
}

// ---------------------------------------------------------------------------------------------
if (sections.includes("naive")) {
  // The naive transform's cost grows with the tree like the codemod's, but without the
  // codemod's fixed start-up (loading TypeScript, the checker's libraries): both sizes shown.
  const sizes = (process.env.NAIVE_SIZES ?? "1000,8000").split(",").map(Number);
  console.log(`## 3. Versus a naive jscodeshift transform (bench/naive-transform.cjs), on the generated trees`);
  console.log(`jscodeshift runs with its default worker count (cores - 1 = ${Math.max(os.cpus().length - 1, 1)}), --dry; the codemod with --dry-run --json`);
  for (const n of sizes) {
    const tree = mwTree(n);
    const naive = measure(JSCODESHIFT, ["-t", NAIVE, "--parser=ts", "--extensions=ts", "--dry", "src"], { cwd: tree.dir });
    const ok = naive.stdout.match(/(\d+) ok/)?.[1];
    const { run, result } = runCodemod(tree.dir, [], n <= 2000 ? 3 : 1);
    console.log(`${n} files: naive ${fmtS(naive.wall)} (cpu ${fmtS(naive.cpu)}), ${fmtMB(naive.rssMB)}, ${ok ?? "?"} files changed (set-false only)`);
    console.log(`${" ".repeat(String(n).length)}        codemod ${fmtS(run.wall)} (cpu ${fmtS(run.cpu)}), ${fmtMB(run.rssMB)}, ${result?.summary.setFalse ?? "?"} set-false + ${result?.summary.setTrue ?? "?"} set-true edits`);
    const speedup = naive.wall / run.wall;
    console.log(`${" ".repeat(String(n).length)}        speed-up: ${speedup.toFixed(1)}x wall, ${(naive.cpu / run.cpu).toFixed(1)}x cpu (target ≥ 10x): ${verdict(speedup >= 10)}`);
  }
  console.log();
}

// ---------------------------------------------------------------------------------------------
if (sections.includes("django")) {
  console.log(`## 4. Python: Debian's Django source, --target 3.2`);
  const DJANGO = djangoTree(); // Debian's Django 3.2, provisioned by test/setup/provision.mjs
  {
    const dir = path.join(tmp, "django");
    cpSync(DJANGO, path.join(dir, "django"), { recursive: true, filter: (src) => !src.includes("__pycache__") });
    const version = (readFileSync(path.join(DJANGO, "__init__.py"), "utf8").match(/VERSION = \((\d+), (\d+), (\d+)/) ?? []).slice(1).join(".");
    measure(node, [BASELINE, "."], { cwd: dir });
    const base = measureMedian(3, node, [BASELINE, "."], { cwd: dir });
    const { run, result } = runCodemod(dir, ["--target", "3.2"], 3);
    console.log(`Django ${version || "?"}: ${JSON.parse(base.stdout).files} .py files`);
    console.log(`baseline (list + read + regex): ${fmtS(base.wall)}, ${fmtMB(base.rssMB)}`);
    console.log(`codemod --dry-run --json --target 3.2: ${fmtS(run.wall)} (cpu ${fmtS(run.cpu)}), ${fmtMB(run.rssMB)}  [exit ${run.status}; ${summaryLine(result)}]`);
    if (result?.errors?.length) console.log(`errors reported: ${result.errors.slice(0, 5).map((e) => `${e.file}: ${e.message}`).join("; ")}${result.errors.length > 5 ? " …" : ""}`);
    const loaded = heavyModulesLoaded(["--dry-run", "--json", "--target", "3.2"], dir);
    console.log(`parsers loaded: ${loaded.join(", ") || "none"}`);
  }
  console.log();
}

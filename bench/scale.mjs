#!/usr/bin/env node
// Scale benchmark: prints figures, asserts nothing. Run after `npm run build`:
//   node bench/scale.mjs                       the performance table (real, python, checker, jscodeshift)
//   node bench/scale.mjs real checker          some sections
//   CHECKER_SIZES=1000,4000 REPEAT=3 node bench/scale.mjs checker
// Every tree is built under a temp dir (removed at exit); MWC_BENCH_CORPUS=DIR keeps the npm
// install of the real corpus there between runs. Figures are medians of alternating runs
// (floor, codemod, floor, codemod …); the machine may be shared, so compare ratios, and CPU
// time (user + system, children included) is the steadier figure.
// Sections of the table:
//   real        ~12,300 real JS/TS files (pinned npm packages, REAL_CORPUS_PACKAGES in
//               bench/scale-tree.mjs): `--dry-run --json` vs the floor (bench/baseline-read.mjs:
//               list, read, regex-match); goal ≤ 1.0x, using both cores.
//   python      Debian's Django source plus generated Django-style apps, ~6,500 files,
//               `--target 3.2`, vs the floor; goal ≤ 2x. Also what the pre-filter keeps and
//               skips, and the files parsed in all.
//   checker     generated TS chains whose hooks have no return types (the type checker runs),
//               CHECKER_SIZES files (default 1k/4k/16k/32k/64k), vs the floor; goals: 64k ≤ 5x
//               the 16k CPU time and ≤ 1.5 GB, 1k under 2 s. On the 1k tree, the jscodeshift
//               class search (bench/naive-transform.cjs through the real jscodeshift CLI) vs the
//               codemod; goal: ≥ 3x faster.
//   jscodeshift the real tree through jscodeshift: a no-op transform vs transforms/async-capable.ts
//               (cold analysis cache, then warm); goal: the transform adds ≤ 20%.
//   threads     the real tree's list + read step on one thread vs split over 2 worker threads.
// Earlier sections, by name only:
//   nomw    ~6,000 real JS/TS files without middleware (the project's node_modules sources,
//           copied twice): full `--dry-run --json` vs bench/baseline-read.mjs; target ≤ 2x.
//   mw      generated TS trees of 1k/2k/4k/8k middleware files in cross-file chains (SIZES):
//           time, peak memory, growth; target 1k < 5 s and < 1 GB, linear growth.
//   naive   the 1k and 8k trees (NAIVE_SIZES) through the real jscodeshift CLI with
//           bench/naive-transform.cjs (file by file) vs the codemod; target ≥ 10x faster.
//   django  Debian's Django source (python3-django) with `--target 3.2`: time and memory.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { buildRealCorpus, copyRealSources, generateDjangoProject, generateMiddlewareTree, REAL_CORPUS_PACKAGES } from "./scale-tree.mjs";
import { fmtMB, fmtS, hasStackTrace, measure, measureAlternating, measureMedian, peakMemorySource } from "./scale-measure.mjs";
import { djangoTree } from "./robustness.mjs";

const REPO = path.resolve(import.meta.dirname, "..");
const CLI = path.join(REPO, "dist/cli/main.js");
const BASELINE = path.join(REPO, "bench/baseline-read.mjs");
const JSCODESHIFT = path.join(REPO, "node_modules/.bin/jscodeshift");
const NAIVE = path.join(REPO, "bench/naive-transform.cjs");
const node = process.execPath;

const TRANSFORM = path.join(REPO, "transforms/async-capable.ts");
const sections = process.argv.slice(2).length ? process.argv.slice(2) : ["real", "python", "checker", "jscodeshift", "threads"];
const SIZES = (process.env.SIZES ?? "1000,2000,4000,8000").split(",").map(Number);
const REPEAT = Number(process.env.REPEAT ?? 5);
const CHECKER_SIZES = (process.env.CHECKER_SIZES ?? "1000,4000,16000,32000,64000").split(",").map(Number);
const TABLE_REPEAT = Number(process.env.REPEAT ?? 3);

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
console.log(`peak memory: ${peakMemorySource}; times: wall clock and CPU (user + system, children included), warm page cache; table sections: medians of ${TABLE_REPEAT} alternating runs (1 above 16k files), earlier sections: median of ${REPEAT} runs where marked`);
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
    const key = `${name.replace(/\d+/, "")}: ${g} where the rules (docs/rules.md) say ${outcome}`;
    groups.set(key, [...(groups.get(key) ?? []), name]);
  }
  if (!groups.size) return `all ${tree.expected.size} outcomes as the rules (docs/rules.md) say`;
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

// =============================================================================================
// The performance table: each row's tree, its floor and its peers, measured side by side.
const table = [];
const row = (tree, floor, dryRun, ratio, goal) => table.push({ tree, floor, dryRun, ratio, goal });
const cpuRatio = (a, b) => `${(a.cpu / b.cpu).toFixed(2)}x cpu, ${(a.wall / b.wall).toFixed(2)}x wall`;
const runsOf = (m) => m.runs.map((r) => `${r.wall.toFixed(2)}/${Number.isFinite(r.cpu) ? r.cpu.toFixed(2) : "?"}`).join(" ");
const figure = (m) => `${fmtS(m.wall)} wall, ${fmtS(m.cpu)} cpu, ${fmtMB(m.rssMB)}`;

function floorVsCodemod(dir, extra, times) {
  measure(node, [BASELINE, "."], { cwd: dir }); // warm the page cache
  const [floor, codemod] = measureAlternating(times, [
    { cmd: node, args: [BASELINE, "."], options: { cwd: dir } },
    { cmd: node, args: [CLI, "--dry-run", "--json", ...extra], options: { cwd: dir } },
  ]);
  if (hasStackTrace(codemod.stderr)) console.log(`  !! stack trace on stderr:\n${codemod.stderr.slice(0, 1500)}`);
  return { floor, codemod, result: parseResult(codemod, "codemod"), files: JSON.parse(floor.stdout).files, bytes: JSON.parse(floor.stdout).bytes };
}

/**
 * What the Python pre-filter keeps, in a separate, unmeasured process: the files it keeps for
 * parsing, the files parsed in all (imports read on demand included), and its own time.
 */
function prefilterFigures(dir) {
  const dist = (rel) => JSON.stringify("file://" + path.join(REPO, "dist/transforms/lib", rel));
  const probe = path.join(tmp, "prefilter-probe.mjs");
  writeFileSync(
    probe,
    `const { findFiles, readAll, readProjectFile } = await import(${dist("files.js")});
const { buildModuleIndex } = await import(${dist("frontends/python/modules.js")});
const { filesWorthParsing } = await import(${dist("frontends/python/prefilter.js")});
const { readPython } = await import(${dist("frontends/python/index.js")});
const { upstreamClasses } = await import(${dist("django/upstream.js")});
const cwd = process.cwd();
const found = await findFiles({ cwd, paths: ["."], extensions: [".py"] });
const files = (await readAll(cwd, found.paths)).files.filter((f) => f.absPath.endsWith(".py"));
const index = buildModuleIndex(files, cwd, [cwd]);
const c0 = process.cpuUsage();
const kept = filesWorthParsing(files, index, () => false).size;
const c = process.cpuUsage(c0);
const upstream = upstreamClasses({ version: "3.2", source: "--target" });
const r = await readPython(files, { cwd, upstream, roots: [cwd], readFile: (abs) => readProjectFile(cwd, abs) });
console.log(JSON.stringify({ files: files.length, kept, parsed: r.parsedFiles, ms: (c.user + c.system) / 1000 }));
`,
  );
  const r = spawnSync(node, [probe], { cwd: dir, encoding: "utf8" });
  try {
    const x = JSON.parse(r.stdout);
    return `keeps ${x.kept} of ${x.files} .py files for parsing, ${x.files - x.kept} skipped; ${x.parsed} parsed in all (imports read on demand included); its own time ${Math.round(x.ms)} ms cpu (cold, one run)`;
  } catch {
    return `no figures (exit ${r.status}): ${r.stderr.slice(0, 400)}`;
  }
}

const noop = path.join(tmp, "noop-transform.cjs");
writeFileSync(noop, "// Changes nothing: jscodeshift's own cost of handing every file to a transform.\nmodule.exports = function transform() {\n  return undefined;\n};\n");
const JSCS_EXTENSIONS = "--extensions=ts,tsx,js,jsx,mjs,cjs,mts,cts";

let realDir = null;
let realCount = 0;
function realTree() {
  if (realDir) return realDir;
  realDir = path.join(tmp, "real");
  const install = process.env.MWC_BENCH_CORPUS ?? path.join(tmp, "real-install");
  const n = (realCount = buildRealCorpus(install, realDir));
  console.log(`real tree: ${n} JS/TS files from ${REAL_CORPUS_PACKAGES.join(" ")} and their dependencies (npm install --ignore-scripts)`);
  return realDir;
}

if (sections.includes("real")) {
  console.log(`## Real JS/TS files without middleware`);
  const dir = realTree();
  const m = floorVsCodemod(dir, [], TABLE_REPEAT);
  console.log(`floor (list + read + regex): ${figure(m.floor)}  [${m.files} files, ${(m.bytes / 2 ** 20).toFixed(0)} MB of text]`);
  console.log(`codemod --dry-run --json:    ${figure(m.codemod)}  [exit ${m.codemod.status}; ${summaryLine(m.result)}]`);
  console.log(`ratio: ${cpuRatio(m.codemod, m.floor)} (goal ≤ 1.0x, using both cores): ${verdict(m.codemod.wall / m.floor.wall <= 1.0)}`);
  console.log(`  runs (wall/cpu s): floor ${runsOf(m.floor)}; codemod ${runsOf(m.codemod)}`);
  row(`${m.files} real TS/JS files (${(m.bytes / 2 ** 20).toFixed(0)} MB)`, figure(m.floor), figure(m.codemod), cpuRatio(m.codemod, m.floor), `≤ 1.0x, using both cores: ${verdict(m.codemod.wall / m.floor.wall <= 1.0)}`);
  console.log();
}

if (sections.includes("python")) {
  console.log(`## Python: Debian's Django source plus generated Django-style apps, --target 3.2`);
  const DJANGO = djangoTree(); // provisioned by test/setup/provision.mjs (fails with what to install)
  {
    const dir = path.join(tmp, "python");
    const g = generateDjangoProject(dir, Number(process.env.PYTHON_FILES ?? 6500), DJANGO);
    const m = floorVsCodemod(dir, ["--target", "3.2"], TABLE_REPEAT);
    console.log(`tree: ${m.files} files (Django's own source, its few JS files included, and generated apps with ${g.middleware} middleware classes)`);
    console.log(`floor (list + read + regex): ${figure(m.floor)}`);
    console.log(`codemod --dry-run --json:    ${figure(m.codemod)}  [exit ${m.codemod.status}; ${summaryLine(m.result)}]`);
    console.log(`ratio: ${cpuRatio(m.codemod, m.floor)} (goal ≤ 2x): ${verdict(m.codemod.cpu / m.floor.cpu <= 2)}`);
    console.log(`  runs (wall/cpu s): floor ${runsOf(m.floor)}; codemod ${runsOf(m.codemod)}`);
    console.log(`pre-filter: ${prefilterFigures(dir)}`);
    row(`${m.files} Python files (Django 3.2 + generated apps)`, figure(m.floor), figure(m.codemod), cpuRatio(m.codemod, m.floor), `≤ 2x: ${verdict(m.codemod.cpu / m.floor.cpu <= 2)}`);
  }
  console.log();
}

if (sections.includes("checker")) {
  console.log(`## Generated TS chains, hooks without return types (the type checker runs)`);
  console.log(`files   floor (wall, cpu, peak)         codemod (wall, cpu, peak)        cpu ratio  check`);
  const rows = [];
  let tree1k = null;
  for (const n of CHECKER_SIZES) {
    const dir = path.join(tmp, `chk${n}`);
    const tree = generateMiddlewareTree(dir, n, { untyped: true });
    const m = floorVsCodemod(dir, [], n <= 16000 ? TABLE_REPEAT : 1);
    rows.push({ n, ...m });
    console.log(`${String(n).padEnd(7)} ${figure(m.floor).padEnd(31)} ${figure(m.codemod).padEnd(32)} ${(m.codemod.cpu / m.floor.cpu).toFixed(1).padStart(6)}x   ${checkOutcomes(tree, m.result)}`);
    if (n === 1000) tree1k = dir;
    else rmSync(dir, { recursive: true, force: true });
  }
  const at = (n) => rows.find((r) => r.n === n);
  const goals = [];
  if (at(1000)) goals.push(`1k under 2 s: ${fmtS(at(1000).codemod.wall)} wall, ${fmtS(at(1000).codemod.cpu)} cpu: ${verdict(at(1000).codemod.wall < 2)}`);
  if (at(16000) && at(64000)) goals.push(`64k ≤ 5x the 16k cpu: ${(at(64000).codemod.cpu / at(16000).codemod.cpu).toFixed(2)}x: ${verdict(at(64000).codemod.cpu <= 5 * at(16000).codemod.cpu)}`);
  const largest = rows[rows.length - 1];
  if (largest) goals.push(`${largest.n / 1000}k peak memory ≤ 1.5 GB: ${fmtMB(largest.codemod.rssMB)}: ${verdict(largest.codemod.rssMB <= 1536)}`);
  for (const g of goals) console.log(g);
  if (rows.length)
    row(
      `generated chains, hooks without return types: ${rows.map((r) => `${r.n / 1000}k`).join(" / ")} files`,
      rows.map((r) => `${fmtS(r.floor.cpu)}`).join(" / ") + " cpu",
      rows.map((r) => `${fmtS(r.codemod.cpu)}`).join(" / ") + " cpu; " + rows.map((r) => fmtMB(r.codemod.rssMB)).join(" / "),
      rows.map((r) => `${(r.codemod.cpu / r.floor.cpu).toFixed(0)}x`).join(" / "),
      goals.join("; "),
    );

  if (tree1k) {
    console.log(`\n1k tree: jscodeshift class search (bench/naive-transform.cjs, real jscodeshift CLI, ${Math.max(os.cpus().length - 1, 1)} worker(s), --dry) vs the codemod`);
    const [naive, codemod] = measureAlternating(TABLE_REPEAT, [
      { cmd: JSCODESHIFT, args: ["-t", NAIVE, "--parser=ts", "--extensions=ts", "--dry", "--silent", "src"], options: { cwd: tree1k, env: { BABEL_DISABLE_CACHE: "1" } } },
      { cmd: node, args: [CLI, "--dry-run", "--json"], options: { cwd: tree1k } },
    ]);
    const speedup = naive.cpu / codemod.cpu;
    console.log(`class search: ${figure(naive)}`);
    console.log(`codemod:      ${figure(codemod)}`);
    console.log(`codemod faster by ${speedup.toFixed(2)}x cpu, ${(naive.wall / codemod.wall).toFixed(2)}x wall (goal ≥ 3x): ${verdict(speedup >= 3)}`);
    row("same tree, 1k", `jscodeshift class search ${figure(naive)}`, figure(codemod), `codemod ${speedup.toFixed(2)}x faster (cpu), ${(naive.wall / codemod.wall).toFixed(2)}x (wall)`, `≥ 3x faster: ${verdict(speedup >= 3)}`);
    rmSync(tree1k, { recursive: true, force: true });
  }
  console.log();
}

if (sections.includes("jscodeshift")) {
  console.log(`## The real tree through jscodeshift (${Math.max(os.cpus().length - 1, 1)} worker(s), --dry): a no-op transform vs transforms/async-capable.ts`);
  const dir = realTree();
  const jscs = (transform, env) => ({ cmd: JSCODESHIFT, args: ["-t", transform, JSCS_EXTENSIONS, "--dry", "--silent", "."], options: { cwd: dir, env: { BABEL_DISABLE_CACHE: "1", ...env } } });
  // A fresh temp folder per run: the transform's analysis cache starts cold every time.
  let k = 0;
  const cold = () => {
    const t = path.join(tmp, `jscs-tmp-${k++}`);
    mkdirSync(t);
    return { TMPDIR: t };
  };
  measure(node, [BASELINE, "."], { cwd: dir });
  const run = (c) => measure(c.cmd, c.args, c.options);
  const runs = { noop: [], cold: [] };
  for (let i = 0; i < TABLE_REPEAT; i++) {
    runs.noop.push(run(jscs(noop, {})));
    runs.cold.push(run(jscs(TRANSFORM, cold())));
  }
  const warmEnv = cold();
  run(jscs(TRANSFORM, warmEnv)); // fills the cache
  const warmRuns = Array.from({ length: TABLE_REPEAT }, () => run(jscs(TRANSFORM, warmEnv)));
  const med = (rs) => {
    const pick = (f) => rs.map(f).sort((a, b) => a - b)[Math.floor((rs.length - 1) / 2)];
    return { wall: pick((r) => r.wall), cpu: pick((r) => r.cpu), rssMB: Math.max(...rs.map((r) => r.rssMB)), runs: rs };
  };
  const n = med(runs.noop);
  const c = med(runs.cold);
  const warm = med(warmRuns);
  console.log(`no-op transform:                  ${figure(n)}`);
  console.log(`async-capable.ts, cold cache:     ${figure(c)}  (+${((c.cpu / n.cpu - 1) * 100).toFixed(0)}% cpu, +${((c.wall / n.wall - 1) * 100).toFixed(0)}% wall)`);
  console.log(`async-capable.ts, warm cache:     ${figure(warm)}  (+${((warm.cpu / n.cpu - 1) * 100).toFixed(0)}% cpu)`);
  console.log(`goal: the transform adds ≤ 20% (cold, cpu): ${verdict(c.cpu <= 1.2 * n.cpu)}`);
  console.log(`  runs (wall/cpu s): no-op ${runsOf(n)}; cold ${runsOf(c)}; warm ${runsOf(warm)}`);
  row(`${realCount} real TS/JS files through jscodeshift`, `no-op transform ${figure(n)}`, `async-capable.ts ${figure(c)} (warm cache ${fmtS(warm.cpu)} cpu)`, `+${((c.cpu / n.cpu - 1) * 100).toFixed(0)}% cpu, +${((c.wall / n.wall - 1) * 100).toFixed(0)}% wall`, `≤ +20%: ${verdict(c.cpu <= 1.2 * n.cpu)}`);
  console.log();
}

if (sections.includes("threads")) {
  // What the CLI's list + read step would gain on worker threads: the same readAll, on the
  // main thread or split over N worker threads that post the files back (texts included,
  // since every later step reads them on the main thread).
  console.log(`## Worker threads for reading, on the real tree: one thread vs 2 worker threads (${os.cpus().length} cores)`);
  const dir = realTree();
  const probe = path.join(tmp, "threads-probe.mjs");
  writeFileSync(
    probe,
    `import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
const files = ${JSON.stringify("file://" + path.join(REPO, "dist/transforms/lib/files.js"))};
if (isMainThread) {
  const { findFiles, readAll } = await import(files);
  const n = Number(process.argv[2]);
  const { SOURCE_EXTENSIONS } = await import(${JSON.stringify("file://" + path.join(REPO, "dist/transforms/lib/frontends/index.js"))});
  const found = await findFiles({ cwd: process.cwd(), paths: ["."], extensions: SOURCE_EXTENSIONS });
  const t0 = performance.now();
  let count = 0;
  let clone = 0;
  if (!n) count = (await readAll(process.cwd(), found.paths)).files.length;
  else {
    const parts = Array.from({ length: n }, (_, k) => found.paths.filter((_, i) => i % n === k));
    const got = await Promise.all(parts.map((paths) => new Promise((resolve, reject) => {
      const w = new Worker(new URL(import.meta.url), { workerData: { paths, cwd: process.cwd() } });
      w.once("message", (r) => { resolve(r); w.terminate(); });
      w.once("error", reject);
    })));
    count = got.reduce((a, r) => a + r.files.length, 0);
    const t = performance.now();
    for (const r of got) structuredClone(r);
    clone = performance.now() - t;
  }
  console.log(JSON.stringify({ count, readMs: performance.now() - t0 - clone, cloneMs: clone }));
} else {
  const { readAll } = await import(files);
  parentPort.postMessage(await readAll(workerData.cwd, workerData.paths));
}
`,
  );
  const [one, two] = measureAlternating(TABLE_REPEAT, [
    { cmd: node, args: [probe, "0"], options: { cwd: dir } },
    { cmd: node, args: [probe, "2"], options: { cwd: dir } },
  ]);
  const inner = (m) => m.runs.map((r) => JSON.parse(r.stdout));
  const med = (xs) => xs.sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)];
  const oneRead = med(inner(one).map((x) => x.readMs));
  const twoRead = med(inner(two).map((x) => x.readMs));
  const cloneMs = med(inner(two).map((x) => x.cloneMs));
  console.log(`one thread:        ${figure(one)}; reading ${oneRead.toFixed(0)} ms`);
  console.log(`2 worker threads:  ${figure(two)}; reading, worker start-up and posting the files back ${twoRead.toFixed(0)} ms (copying the files between threads alone: ${cloneMs.toFixed(0)} ms)`);
  console.log(`threads: ${(two.wall / one.wall).toFixed(2)}x wall, ${(two.cpu / one.cpu).toFixed(2)}x cpu of the single thread`);
  console.log();
}

if (table.length) {
  console.log(`## Table (medians of ${TABLE_REPEAT} alternating runs; ratios in CPU time, the steadier figure on a shared machine)`);
  console.log(`| tree | floor / peer | --dry-run | ratio | goal |`);
  console.log(`|---|---|---|---|---|`);
  for (const r of table) console.log(`| ${r.tree} | ${r.floor} | ${r.dryRun} | ${r.ratio} | ${r.goal} |`);
}
